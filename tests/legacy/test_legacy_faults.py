"""The robot's recovery on the legacy skin, adapted by profiles/legacy.toml alone: a conversion
killed right after a write resumes without doing it twice, and an expired session is signed in
again on the legacy Log In page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from robot.core.errors import ExitCode
from tests.conversion.support import assert_converted
from tests.legacy.conftest import SELECTORS, robot_on
from tests.reliability.canaries import RunSecrets
from tests.reliability.harness import Expect, check_case
from tests.reliability.robots import Robot
from tests.support.crm_sim_server import CrmSimServer

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


def test_a_conversion_killed_after_a_write_resumes_and_converges(legacy_robot: Robot) -> None:
    start = legacy_robot.state()
    started = legacy_robot.start("--yes", *SELECTORS)
    killed = started.kill_when(_first_write(legacy_robot, "advanced-settings"))
    legacy_robot.crm_sim.set_faults("")
    assert _of(killed, "step-finish", "advanced-settings") == [], "the kill landed after the step"

    legacy_robot.run("--resume", killed[0]["run"], "--yes", *SELECTORS)
    converted = check_case(legacy_robot, start, Expect(ExitCode.OK, says=("(as planned)",)))
    assert_converted(converted, legacy_robot.secrets.key_password)


def test_a_conversion_signs_in_again_after_the_session_expired(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    crm_sim = start_crm_sim(skin="legacy")
    robot = robot_on(crm_sim, tmp_path / "out", RunSecrets.fresh())
    start = robot.state()
    # The CRM ends the session every EXPIRE_EVERY requests, whatever the machine's load (an idle
    # time would also end it whenever a busy machine held the robot back that long).
    crm_sim.set_faults(f"expire_session_every={EXPIRE_EVERY}")
    robot.run("--yes", *SELECTORS)
    crm_sim.set_faults("")

    says = "after the CRM session expired; each time the screen still showed Prairie Pine Mutual"
    converted = check_case(robot, start, Expect(ExitCode.OK, says=(says,)))
    assert_converted(converted, robot.secrets.key_password)
    assert "expired=1" in crm_sim.log_path.read_text(errors="replace")
