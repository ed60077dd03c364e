"""The robot's recovery on the legacy skin, adapted by profiles/legacy.toml alone: a conversion
killed right after a write resumes without doing it twice, signing in again on the legacy Log In
page each time the session expires, and ends as on the default skin; a rerun writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from robot.core.errors import ExitCode
from tests.conversion.support import assert_converted
from tests.legacy.conftest import SELECTORS
from tests.reliability.harness import Expect, check_case
from tests.reliability.robots import Robot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
EXPIRE_EVERY = 40


def _of(events: list[dict[str, Any]], kind: str, step: str) -> list[dict[str, Any]]:
    return [e for e in events if e["event"] == kind and e.get("step") == step]


def _first_write(robot: Robot, step: str) -> Callable[[list[dict[str, Any]]], bool]:
    """The moment to kill: the step's first write is journaled. Answers are slow from the step's
    start, so that the moment lasts until the kill lands."""
    slowed: list[bool] = []

    def now(events: list[dict[str, Any]]) -> bool:
        if not slowed and _of(events, "step-start", step):
            robot.crm_sim.set_faults("latency=150ms")
            slowed.append(True)
        return bool(_of(events, "write", step))

    return now


def test_a_killed_conversion_resumes_through_expiring_sessions_and_a_rerun_writes_nothing(
    legacy_robot: Robot, tmp_path: Path
) -> None:
    start = legacy_robot.state()
    started = legacy_robot.start("--yes", *SELECTORS)
    killed = started.kill_when(_first_write(legacy_robot, "advanced-settings"))
    assert _of(killed, "step-finish", "advanced-settings") == [], "the kill landed after the step"

    # The resume meets a CRM that ends the session every EXPIRE_EVERY requests, whatever the
    # machine's load (an idle time would also end it whenever a busy machine held the robot
    # back that long): it signs in again on the legacy Log In page and goes on.
    log = legacy_robot.crm_sim.log_path
    seen = len(log.read_text(errors="replace"))
    legacy_robot.crm_sim.set_faults(f"expire_session_every={EXPIRE_EVERY}")
    legacy_robot.run("--resume", killed[0]["run"], "--yes", *SELECTORS)
    legacy_robot.crm_sim.set_faults("")
    again_signed = "after the CRM session expired; each time the screen still showed Prairie Pine"
    expect = Expect(ExitCode.OK, says=("(as planned)", again_signed))
    converted = check_case(legacy_robot, start, expect)
    assert_converted(converted, legacy_robot.secrets.key_password)
    assert "expired=1" in log.read_text(errors="replace")[seen:]

    # check_case holds every section of the state to what the procedure asks for, the same
    # targets the default skin's conversion is held to (tests/reliability/test_full_conversion.py),
    # so both end in the same state without converting twice. A second conversion writes nothing.
    again = Robot(legacy_robot.crm_sim, tmp_path / "again", legacy_robot.secrets)
    again.run("--yes", *SELECTORS)
    check_case(again, converted, Expect(ExitCode.OK, says=("changes: 0 write(s)",)))
    assert not [e for e in again.events() if e["event"] in ("intent", "write")]
    assert again.state() == converted
