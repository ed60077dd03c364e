"""Bad input: malformed plans, settings and command lines. Each exits 2 with one line that names
the field (argparse's own errors come after its usage lines), before anything starts: no browser
(CRM_ROBOT_BROWSER_EXECUTABLE is a script that leaves a marker file if it is ever run), nothing in
the output folder, nothing changed in the CRM, no secret in what is printed.

A plan for a biller the CRM does not know is not bad input: only the CRM can tell, so it is a
guard, exit 1 (tests/reliability/test_guards.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from robot.core.errors import ExitCode
from tests.conversion.support import ENV_FILE, PLAN
from tests.reliability.canaries import Canary
from tests.reliability.harness import scan_case
from tests.reliability.robots import Robot, plan_with

pytestmark = pytest.mark.e2e
URL_PASSWORD = f"url-pw-{secrets.token_hex(6)}"
PlanMaker = Callable[[Path], Path]


def _plan_text(edit: Callable[[str], str]) -> PlanMaker:
    def make(folder: Path) -> Path:
        path = folder / "bad-plan.toml"
        path.write_text(edit(PLAN.read_text()))
        return path

    return make


def _plan_fields(**replace: str) -> PlanMaker:
    return lambda folder: plan_with(folder, **replace)


def _truncated(text: str) -> str:
    return text[: text.index('guid = "3F2B') + 12]


@dataclass(frozen=True)
class Bad:
    names: str  # what the message must name
    plan: PlanMaker | None = None
    env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    usage: bool = False  # argparse's error: usage lines, then the one error line


CASES = {
    # plans
    "a plan cut short": Bad("line 2", _plan_text(_truncated)),
    "a plan that does not exist": Bad(
        "plan file not found", lambda folder: folder / "no-such-plan.toml"
    ),
    "a malformed GUID": Bad("biller.guid", _plan_fields(guid="3F2B8C1D-6E4A-4B7F-9C2D")),
    "an unknown environment": Bad("biller.environment", _plan_fields(environment="QA")),
    "an unknown key": Bad(
        "biller.colour",
        _plan_text(lambda t: t.replace("[biller]\n", '[biller]\ncolour = "blue"\n', 1)),
    ),
    "a window that ends before it starts": Bad(
        "maintenance_window.end",
        _plan_text(lambda t: t.replace("end = 2026-12-15T05:00:00", "end = 2026-12-15T00:30:00")),
    ),
    # settings
    "a CRM address that is not http": Bad("CRM_BASE_URL", env={"CRM_BASE_URL": "ftp://127.0.0.1"}),
    "a CRM address holding a password": Bad(
        "CRM_BASE_URL", env={"CRM_BASE_URL": f"http://pm:{URL_PASSWORD}@127.0.0.1:8765"}
    ),
    "a headless flag that is not true or false": Bad(
        "CRM_ROBOT_HEADLESS", env={"CRM_ROBOT_HEADLESS": "maybe"}
    ),
    "a timeout that is not a number": Bad(
        "CRM_ROBOT_TIMEOUT_MS", env={"CRM_ROBOT_TIMEOUT_MS": "fast"}
    ),
    "no CRM password": Bad("CRM_PASSWORD", env={"CRM_PASSWORD": ""}),
    "no RTDR private key": Bad("RTDR_PRIVATE_KEY", env={"RTDR_PRIVATE_KEY": ""}),
    "an RTDR password holding the separator": Bad(
        "RTDR_PASSWORD", env={"RTDR_PASSWORD": f"left|{secrets.token_hex(4)}"}
    ),
    "a selectors file that does not exist": Bad(
        "CRM_ROBOT_SELECTORS", env={"CRM_ROBOT_SELECTORS": "/no/such/selectors.toml"}
    ),
    "an output folder that cannot be written": Bad("CRM_ROBOT_OUTPUT_DIR"),  # set in the test
    "an env file that does not exist": Bad(
        "env file not found", args=("--env-file", "/no/such/file.env")
    ),
    # command lines
    "a slow-mo that is not a number": Bad("--slow-mo", args=("--slow-mo", "soon"), usage=True),
    "an unknown step": Bad("--only", args=("--only", "lunch"), usage=True),
    "an unknown option": Bad("--frobnicate", args=("--frobnicate",), usage=True),
    "--only with --from": Bad(
        "--only STEP or --from STEP", args=("--only", "datapump", "--from", "verify")
    ),
    "--resume with --only": Bad("--resume", args=("--resume", "x", "--only", "datapump")),
    "--resume of a run there is not": Bad("--resume: no run 'nope'", args=("--resume", "nope")),
    "a selectors file that is not TOML": Bad("bad-selectors.toml: not valid TOML"),  # in the test
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_exits_2_naming_the_field_before_anything_starts(
    robot: Robot, tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    marker = tmp_path / "browser-started"
    fake = tmp_path / "chromium"
    fake.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    fake.chmod(0o755)
    env = {"CRM_ROBOT_BROWSER_EXECUTABLE": str(fake), **case.env}
    args = list(case.args)
    if name == "an output folder that cannot be written":
        (tmp_path / "a-file").write_text("not a folder")
        env["CRM_ROBOT_OUTPUT_DIR"] = str(tmp_path / "a-file" / "out")
    if name == "a selectors file that is not TOML":
        (tmp_path / "bad-selectors.toml").write_text("[profile\nsave = 'x'\n")
        args += ["--selectors", str(tmp_path / "bad-selectors.toml")]
    (tmp_path / "plans").mkdir()
    plan = case.plan(tmp_path / "plans") if case.plan else PLAN
    if "--env-file" not in args:
        args = ["--env-file", str(ENV_FILE), *args]
    before = robot.state()

    run = robot.crm_robot("convert", str(plan), *args, "--yes", **env)

    assert run.returncode == ExitCode.BAD_INPUT, run.stderr
    lines = run.stderr.splitlines()
    if case.usage:
        assert lines[0].startswith("usage: crm-robot")
        assert lines[-1].startswith(("crm-robot convert: error: ", "crm-robot: error: "))
    else:
        assert len(lines) == 1 and lines[0].startswith("crm-robot: "), run.stderr
    assert case.names in lines[-1]
    assert run.stdout == ""
    assert not marker.exists(), "a browser was started"
    assert not robot.out.exists(), "something was written to the output folder"
    assert robot.state() == before
    scan_case(robot, before, Canary("password in CRM_BASE_URL", URL_PASSWORD))
