"""The browser's page crashing under the robot (`chrome://crash`), just before a Save and just
after one: the run stops cleanly (exit 3, the journal names the step, no lock left) and
`--resume` finishes the conversion in a fresh process.

The crashing run is the real CLI entry point called in this process, on the test's browser: a
hook on the robot's actions is what can crash the page at an exact moment.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

import robot.cli.convert_cmd as convert_cmd
from robot.browser.session import BrowserSession
from robot.cli.main import main
from robot.core.errors import ExitCode
from robot.run.outcome import RunOptions
from robot.run.runner import run_conversion
from tests.conversion.support import ENV_FILE
from tests.reliability.harness import Expect, check_case
from tests.reliability.robots import Robot, Run

pytestmark = pytest.mark.e2e
ARGS = ("--only", "crm-configuration", "--yes")


def _crash_hook(moment: str) -> tuple[Callable[[str, Any], None], Callable[[Any], None]]:
    """(on_action, on_session): crash the page at the first Save, or at the action after it."""
    seen: list[str] = []
    sessions: list[BrowserSession] = []

    def on_action(what: str, _element: Any) -> None:
        seen.append(what)
        saved_before = len(seen) > 1 and seen[-2].startswith("save")
        due = what.startswith("save") if moment == "before Save" else saved_before
        if due and sessions and sessions[0].crash is None:
            try:
                sessions[0].page.goto("chrome://crash")
            except PlaywrightError:
                pass  # the navigation dies with the page

    return on_action, sessions.append


@pytest.mark.parametrize("moment", ["before Save", "after Save"])
def test_a_crashed_browser_stops_the_run_cleanly_and_a_resume_finishes(
    robot: Robot,
    browser: Browser,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    moment: str,
) -> None:
    start = robot.state()
    on_action, on_session = _crash_hook(moment)
    real = run_conversion  # what convert_cmd calls

    def with_hook(plan: Any, settings: Any, options: RunOptions, **kwargs: Any) -> Any:
        options.browser, options.on_action, options.on_session = browser, on_action, on_session
        return real(plan, settings, options, out=sys.stdout, err=sys.stderr, **kwargs)

    monkeypatch.setattr(convert_cmd, "run_conversion", with_hook)
    for key in [k for k in os.environ if k.startswith(("CRM_", "RTDR_"))]:
        monkeypatch.delenv(key)
    for key, value in robot.env().items():
        monkeypatch.setenv(key, value)
    capfd.readouterr()
    code = main(["convert", str(robot.plan_path), "--env-file", str(ENV_FILE), *ARGS])
    out, err = capfd.readouterr()
    robot.record(Run(ARGS, code, out, err))
    check_case(
        robot,
        start,
        Expect(
            ExitCode.CRM_FAILED,
            ("crm-configuration",),
            says=(
                "crm-configuration: the browser's page crashed, so the robot stopped; "
                "the CRM was not at fault",
                "then continue with: crm-robot convert",
            ),
            needs_person="crm-configuration",
        ),
    )
    writes = [e for e in robot.events() if e["event"] == "write" and e["result"] == "ok"]
    assert bool(writes) is (moment == "after Save")

    robot.run("--resume", robot.last_events()[0]["run"], "--yes")
    check_case(robot, start, Expect(ExitCode.OK, ("crm-configuration",)))
