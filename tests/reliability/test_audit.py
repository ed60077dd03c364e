"""The audit at the end of `crm-robot convert`: the journal's writes against the CRM's History
tab, one for one, printed for the PM; a change in History that the run did not make is named and
makes the run exit 1."""

from __future__ import annotations

from typing import Any

import pytest

from robot.core.errors import ExitCode
from tests.reliability.harness import Expect, check_case, scan_case
from tests.reliability.robots import Robot
from tests.support.crm_sim_http import call, sign_in

pytestmark = pytest.mark.e2e


def _shown(entry: dict[str, Any]) -> str:
    return (
        f"{entry['screen']} | {entry['field']} | {entry['old'] or '(empty)'} -> "
        f"{entry['new'] or '(empty)'}"
    )


def test_the_printed_audit_lists_the_crm_history_of_the_run_one_for_one(robot: Robot) -> None:
    start = robot.state()
    robot.run("--only", "datapump", "--yes")
    state = check_case(robot, start, Expect(ExitCode.OK, ("datapump",)))
    made = state["history"][len(start["history"]) :]
    assert len(made) == 5
    lines = robot.runs[-1].stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("audit: "))
    assert lines[at:] == [
        "audit: 5 History entries match journal writes one for one; nothing unaccounted for",
        *(f"  matched: {_shown(entry)}" for entry in made),
    ]


def test_a_change_someone_else_makes_during_the_run_is_named_and_exits_1(robot: Robot) -> None:
    start = robot.state()
    robot.crm_sim.set_faults("latency=100ms")  # the run is still at work when the PM steps in
    started = robot.start("--only", "crm-configuration", "--yes")
    assert started.wait_for(lambda events: any(e["event"] == "step-start" for e in events))
    # Another PM, on a screen this step does not touch: Account Updates on, Registrations off.
    cookie, token = sign_in(robot.crm_sim.url, robot.secrets.crm_password.value)
    form = {"csrf_token": token, "option": "Account Updates"}
    status, _, _ = call(
        robot.crm_sim.url, "POST", "/billers/10482/datapump/non-payment", cookie=cookie, form=form
    )
    assert status == 303
    run = started.wait()
    robot.crm_sim.set_faults("")

    assert run.returncode == ExitCode.PROBLEM_FOUND, run.stderr
    assert (
        "  NOT IN JOURNAL (History entry the run did not record): DataPump Management | "
        "Non-payment DataPump Account Updates | No -> Yes" in run.stdout
    )
    assert "audit: 5 History entries match journal writes one for one\n" in run.stdout
    assert (
        "crm-robot: the audit found History entries and journal writes that do not match"
        in run.stderr
    )
    audit = [e for e in robot.events() if e["event"] == "audit"]
    assert [(a["ok"], a["matched"], a["history_only"]) for a in audit] == [(False, 5, 2)]
    scan_case(robot, start)
