"""A step's passed checks stand for the steps after it only until the run journals a write."""

from __future__ import annotations

import pytest

from robot.run.standing import PassedChecks
from scenarios import rtdr_test
from scenarios import verify as qa
from scenarios.base import Check

VERIFIED = [Check("Profile Integration Partner ID", "IMT Spectrum", "IMT Spectrum")]
REFRESHED = [Check("Data Refresh returns invoices", "yes", "yes")]


@pytest.mark.parametrize(
    ("writes_now", "standing"),
    [
        (3, {qa: VERIFIED, rtdr_test: REFRESHED}),  # nothing written since either
        (4, {}),  # a write after both: neither stands
    ],
    ids=["no-write-since", "a-write-since"],
)
def test_checks_stand_until_the_next_write(
    writes_now: int, standing: dict[object, list[Check]]
) -> None:
    passed = PassedChecks()
    passed.record(rtdr_test, REFRESHED, writes=3)
    passed.record(qa, VERIFIED, writes=3)
    assert passed.standing(writes_now) == standing


def test_checks_passed_after_a_write_stand_and_those_before_it_do_not() -> None:
    passed = PassedChecks()
    passed.record(rtdr_test, REFRESHED, writes=2)
    passed.record(qa, VERIFIED, writes=3)  # verified again after the third write
    assert passed.standing(3) == {qa: VERIFIED}
