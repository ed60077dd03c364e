"""The robot killed (SIGKILL, browser and all) between every two steps, and inside a step right
after a write; then resumed.

Between steps, the nine boundaries are taken three at a time: each case puts the biller where
the steps outside its stretch would have left it (straight in crm_sim's database), runs `--from`
the first step of its stretch, kills the run on the journal line that ends a step, resumes it,
kills the resumed run at the next boundary, and so on; the last `--resume` must finish with the
same invariants as every case of the matrix. Each resume must re-verify the steps finished before
(reading only) and go on with the next one. Inside a step, the resume must find the write the
killed run made and not make it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from robot.core.errors import ExitCode
from robot.core.steps import STEP_IDS
from tests.reliability.harness import Expect, check_case
from tests.reliability.robots import Robot
from tests.reliability.states import SECTION_STEPS, fast_forward, remove_old_settings

pytestmark = pytest.mark.e2e
BOUNDARIES = list(zip(STEP_IDS, STEP_IDS[1:], strict=False))
STRETCHES = [BOUNDARIES[0:3], BOUNDARIES[3:6], BOUNDARIES[6:9]]


def _of(events: list[dict[str, Any]], kind: str, step: str) -> list[dict[str, Any]]:
    return [e for e in events if e["event"] == kind and e.get("step") == step]


def _moment(
    robot: Robot, step: str, kind: str, *, seen: int = 0, latency: str = "latency=50ms"
) -> Callable[[list[dict[str, Any]]], bool]:
    """The moment to kill: the journal (past its first `seen` events) shows `kind` for `step`.
    Answers are slow from the step's start, so that the moment lasts until the kill lands."""
    slowed: list[bool] = []

    def now(events: list[dict[str, Any]]) -> bool:
        if not slowed and _of(events[seen:], "step-start", step):
            robot.crm_sim.set_faults(latency)
            slowed.append(True)
        return bool(_of(events[seen:], kind, step))

    return now


@pytest.mark.slow
@pytest.mark.parametrize(
    "stretch", STRETCHES, ids=[", ".join(f"{a}|{b}" for a, b in s) for s in STRETCHES]
)
def test_a_run_killed_between_two_steps_resumes_with_the_next_one(
    robot: Robot, stretch: list[tuple[str, str]]
) -> None:
    steps = STEP_IDS[STEP_IDS.index(stretch[0][0]) :]
    inside = {step for boundary in stretch for step in boundary}
    by_hand = tuple(s for s in ("maintenance-window", *SECTION_STEPS) if s not in inside)
    fast_forward(robot.crm_sim.db_path, robot, by_hand)
    if "advanced-settings" in inside:
        remove_old_settings(robot)  # the step still sets 8-13; the 11 removals cost time only
    start = robot.state()
    started = robot.start("--from", steps[0], "--yes")
    seen = 0
    for first, second in stretch:
        events = started.kill_when(_moment(robot, first, "step-finish", seen=seen))
        robot.crm_sim.set_faults("")
        killed = events[seen:]
        assert _of(killed, "intent", second) == [], f"the kill landed inside {second}"
        if seen:  # a resumed run: what finished before was read back, not done again
            finished_before = {e["step"] for e in events[:seen] if e["event"] == "step-finish"}
            verified = {e["step"] for e in killed if e["event"] == "step-verify"}
            assert verified == finished_before
            assert not any(_of(killed, "step-start", step) for step in finished_before)
        seen = len(events)
        started = robot.start("--resume", events[0]["run"], "--yes")

    started.wait()
    check_case(robot, start, Expect(ExitCode.OK, steps))
    last = robot.last_events()[seen:]
    assert [e["step"] for e in last if e["event"] == "step-verify"] == [
        s for s in steps if s in {f for f, _ in stretch}
    ]


@pytest.mark.slow
@pytest.mark.parametrize("step", ["maintenance-window", "ftp-setup", "advanced-settings"])
def test_a_run_killed_inside_a_step_after_a_write_resumes_without_doing_it_twice(
    robot: Robot, step: str
) -> None:
    start = robot.state()
    started = robot.start("--only", step, "--yes")

    # Slow answers from the step's start widen the moment between its first save and its end.
    killed = started.kill_when(_moment(robot, step, "write", latency="latency=150ms"))
    robot.crm_sim.set_faults("")
    assert _of(killed, "step-finish", step) == [], "the kill landed after the step"

    robot.run("--resume", killed[0]["run"], "--yes")
    check_case(robot, start, Expect(ExitCode.OK, (step,)))
