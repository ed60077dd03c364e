"""`crm-robot rollback` end to end: the real CLI in a subprocess, real Chromium, a real crm_sim.

A conversion's rollback killed at a random moment and resumed puts the biller back as it was
(test_full_conversion.py rolls back its conversion made under faults: tests/reliability/
rollbacks.py). Here: a field changed by hand since the conversion is left alone and named
(exit 1) until `--force-field`. A missing old secret stops the rollback before the browser
opens (exit 2): tests/conversion/test_rollback_record.py, which needs no CRM.
"""

from __future__ import annotations

import sqlite3

import pytest

from robot.core.errors import ExitCode
from tests.reliability.harness import scan_case
from tests.reliability.robots import Robot
from tests.reliability.rollbacks import rollback

pytestmark = pytest.mark.e2e


def _change_by_hand(robot: Robot, guid: str) -> None:
    """What a person does in the CRM between the conversion and the rollback."""
    with sqlite3.connect(robot.crm_sim.db_path) as db:
        db.execute("UPDATE billers SET invoice_format_guid = ? WHERE id = ?", (guid, robot.biller))


@pytest.mark.slow
def test_a_field_changed_by_hand_since_the_conversion_is_left_alone_and_named(
    robot: Robot,
) -> None:
    start = robot.state()
    converted = robot.run("--only", "crm-configuration", "--yes")
    assert converted.returncode == 0, converted.stderr
    conversion = robot.run_dirs()[-1].name

    _change_by_hand(robot, "11111111-2222-3333-4444-555555555555")
    left = rollback(robot, conversion, "--yes")
    assert left.returncode == ExitCode.PROBLEM_FOUND, left.stderr
    named = "left alone: BIF Customizations: InvoiceFormatGUID reads '11111111-2222-3333-4444"
    assert named in left.stderr
    assert '--force-field "InvoiceFormatGUID"' in left.stderr
    now = robot.state()
    assert now["invoice_format_guid"] == "11111111-2222-3333-4444-555555555555"
    assert (now["integration_partner"], now["invoicing"]) == (
        start["integration_partner"],
        start["invoicing"],
    )

    forced = rollback(robot, conversion, "--yes", "--force-field", "InvoiceFormatGUID")
    assert forced.returncode == 0, forced.stderr
    assert robot.state()["invoice_format_guid"] == start["invoice_format_guid"]
    scan_case(robot, start)
