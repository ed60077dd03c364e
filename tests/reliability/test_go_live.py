"""Go-live deactivates the maintenance window only on a verified configuration: every planned
value read back and the RTDR test made again first; a failed check refuses it however the step
is reached, unless `--go-live-anyway` (recorded with who asked), which `--yes` never implies.
The biller is put part-way straight in crm_sim's database (tests/reliability/states.py)."""

from __future__ import annotations

import getpass
from typing import Any

import pytest

from tests.reliability.robots import Robot
from tests.reliability.states import WRITE_STEPS, fast_forward

pytestmark = pytest.mark.e2e
# What a biller with nothing but the window fails at go-live, among the rest.
NOT_READY = (
    "Profile Integration Partner ID",
    "BIF Customizations InvoiceFormatGUID",
    "Data Refresh returns invoices",
)


def _window_active(robot: Robot) -> list[bool]:
    return [w["active"] for w in robot.state()["maintenance_windows"]]


def _go_live_writes(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kinds = ("write", "intent")
    return [e for e in events if e["event"] in kinds and e.get("step") == "go-live"]


def test_go_live_stops_without_a_confirmation_and_resumes_there(robot: Robot) -> None:
    fast_forward(robot.crm_sim.db_path, robot, WRITE_STEPS[:-1])  # converted, window active
    stopped = robot.run("--only", "go-live")
    assert stopped.returncode == 1
    assert "cannot ask (no terminal, no --yes), so it stopped before go-live" in stopped.stderr
    assert "checks of this run stand" not in stopped.stderr  # nothing verified in this run
    events = robot.last_events()
    assert [e["answer"] for e in events if e["event"] == "checkpoint"] == ["stop"]
    assert events[-1]["event"] == "run-finish" and events[-1]["resume_from"] == "go-live"
    assert _window_active(robot) == [True]

    resumed = robot.run("--resume", events[0]["run"], "--yes")
    assert resumed.returncode == 0, resumed.stderr
    assert _window_active(robot) == [False]
    assert "go-live-anyway" not in {e["event"] for e in robot.events()}


@pytest.mark.parametrize("how", [("--only", "go-live"), ("--from", "go-live")])
def test_go_live_is_refused_on_a_biller_that_is_not_converted_and_stays_refused_on_resume(
    robot: Robot, how: tuple[str, str]
) -> None:
    fast_forward(robot.crm_sim.db_path, robot, ("maintenance-window",))
    before = robot.state()
    refused = robot.run(*how, "--yes")
    assert refused.returncode == 1, refused.stderr
    assert "go-live refused:" in refused.stderr
    assert "the maintenance window stays active" in refused.stderr
    for name in NOT_READY:
        assert f"FAIL {name}" in refused.stderr, refused.stderr
    assert robot.state() == before
    assert _go_live_writes(robot.events()) == []
    summary = robot.run_dirs()[-1] / "summary.html"
    assert f"run summary: {summary}" in refused.stderr
    assert "go-live refused:" in summary.read_text()

    again = robot.run("--resume", robot.last_events()[0]["run"], "--yes")
    assert again.returncode == 1, again.stderr
    assert "go-live refused:" in again.stderr
    assert robot.state() == before
    assert _go_live_writes(robot.events()) == []


def test_go_live_anyway_goes_live_and_the_journal_and_summary_say_who_asked(
    robot: Robot,
) -> None:
    fast_forward(robot.crm_sim.db_path, robot, ("maintenance-window",))
    done = robot.run("--from", "go-live", "--yes", "--go-live-anyway")
    assert done.returncode == 0, done.stderr
    assert _window_active(robot) == [False]
    events = robot.last_events()
    (override,) = [e for e in events if e["event"] == "go-live-anyway"]
    assert override["by"] == getpass.getuser()
    assert set(NOT_READY) <= set(override["failed"])
    assert events[0]["options"]["go_live_anyway"] is True
    assert f"NOTE: went live with --go-live-anyway (asked by {getpass.getuser()})" in done.stdout
    assert [e["field"] for e in _go_live_writes(events) if e["event"] == "write"] == [
        f"{robot.plan.maintenance_window.description}: Active"
    ]
    summary = robot.run_dirs()[-1] / "summary.html"
    assert f"run summary: {summary}" in done.stdout
    assert f"went live with --go-live-anyway (asked by {getpass.getuser()})" in (
        summary.read_text()
    )
