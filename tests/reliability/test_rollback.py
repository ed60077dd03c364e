"""`crm-robot rollback` end to end: the real CLI in a subprocess, real Chromium, a real crm_sim.

A conversion of the sample plan, then its rollback killed at a random moment and resumed: the
biller is back as it was before the conversion (History and generated ids aside), the report
marks every field restored, a second rollback writes nothing, and no secret (the rollback's old
values included) is in anything the runs wrote. A field changed by hand since the conversion is
left alone and named (exit 1) until `--force-field`; a missing old secret stops the rollback
before the browser opens (exit 2).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from typing import Any

import pytest

from robot.core.errors import ExitCode
from tests.conversion.support import ENV_FILE
from tests.reliability.harness import scan_case
from tests.reliability.robots import Robot, Run

pytestmark = pytest.mark.e2e
ROLLBACK_WRITES = 30  # what the sample conversion's rollback writes (tests/.../rollback steps)


def _old_secrets(start: dict[str, Any]) -> dict[str, str]:
    """ROLLBACK_SETTING_<N>: the secret settings' values before the conversion."""
    return {
        f"ROLLBACK_SETTING_{n}": s["value"]
        for n, s in start["advanced_settings"].items()
        if n in ("10", "13") or "password" in s["name"].lower()
    }


def _comparable(state: dict[str, Any]) -> dict[str, Any]:
    """The biller's state without History and the ids the CRM generates."""
    windows = [{k: v for k, v in w.items() if k != "id"} for w in state["maintenance_windows"]]
    return {**state, "history": None, "maintenance_windows": windows}


def _rollback(robot: Robot, conversion: str, *args: str, **env: str) -> Run:
    argv = ("rollback", str(robot.plan_path), conversion, "--env-file", str(ENV_FILE), *args)
    return robot.crm_robot(*argv, **env)


def _is_rollback(events: list[dict[str, Any]]) -> bool:
    # The newest run folder is the conversion's until the rollback has made its own.
    return bool(events) and events[0]["options"].get("procedure") == "rollback"


def _writes(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["event"] in ("intent", "write")]


def _report(robot: Robot) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(
        (robot.run_dirs()[-1] / "report" / "summary.json").read_text()
    )
    return summary


def test_a_rollback_killed_at_a_random_moment_and_resumed_restores_the_biller(
    robot: Robot,
) -> None:
    start = robot.state()
    converted = robot.run("--yes")
    assert converted.returncode == 0, converted.stderr
    conversion = robot.run_dirs()[-1].name
    old = _old_secrets(start)

    seed = int(os.environ.get("CRM_ROBOT_TEST_SEED", time.time_ns()))
    kill_at = random.Random(seed).randint(1, ROLLBACK_WRITES)
    why = f"killed at the rollback's write {kill_at} (CRM_ROBOT_TEST_SEED={seed})"
    argv = ("rollback", str(robot.plan_path), conversion, "--env-file", str(ENV_FILE), "--yes")
    started = robot.start_crm_robot(*argv, **old)
    killed = started.kill_when(
        lambda events: _is_rollback(events) and len(_writes(events)) >= kill_at * 2 - 1
    )

    resumed = _rollback(robot, conversion, "--resume", killed[0]["run"], "--yes", **old)
    assert resumed.returncode == 0, f"{why}\n{resumed.stderr}"
    assert _comparable(robot.state()) == _comparable(start), why
    report = _report(robot)
    assert (report["ok"], report["missing"], report["unplanned"]) == (True, 0, 0), why
    fields = [f for s in report["screens"] for f in s["fields"] if f["status"] != "unchanged"]
    assert fields and {f["status"] for f in fields} == {"planned"}, why
    assert report["words"]["planned"] == "restored"
    index = (robot.run_dirs()[-1] / "report" / "index.html").read_text()
    assert "restored" in index and f"rollback of run {conversion}" in index

    again = _rollback(robot, conversion, "--yes", **old)
    assert again.returncode == 0, again.stderr
    assert "changes: 0 write(s)" in again.stdout
    assert _writes(robot.last_events()) == []
    assert _comparable(robot.state()) == _comparable(start)
    scan_case(robot, start)


def _change_by_hand(robot: Robot, guid: str) -> None:
    """What a person does in the CRM between the conversion and the rollback."""
    with sqlite3.connect(robot.crm_sim.db_path) as db:
        db.execute("UPDATE billers SET invoice_format_guid = ? WHERE id = ?", (guid, robot.biller))


def test_a_field_changed_by_hand_is_left_alone_and_named_and_a_missing_secret_stops_it_first(
    robot: Robot,
) -> None:
    start = robot.state()
    converted = robot.run("--only", "crm-configuration", "--yes")
    assert converted.returncode == 0, converted.stderr
    conversion = robot.run_dirs()[-1].name

    # The conversion wrote no secret: no ROLLBACK_SETTING_<N> is needed. A full conversion's is.
    full = robot.run("--only", "advanced-settings", "--yes")
    assert full.returncode == 0, full.stderr
    with_secrets = robot.run_dirs()[-1].name
    runs = robot.run_dirs()
    state = robot.state()
    refused = _rollback(robot, with_secrets, "--yes")
    assert refused.returncode == ExitCode.BAD_INPUT, refused.stderr
    assert "ROLLBACK_SETTING_10: the value setting 10 (RTDR Key or Password)" in refused.stderr
    assert "ROLLBACK_SETTING_16:" in refused.stderr
    assert (robot.state(), robot.run_dirs()) == (state, runs)  # no browser, no run folder

    _change_by_hand(robot, "11111111-2222-3333-4444-555555555555")
    left = _rollback(robot, conversion, "--yes")
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

    forced = _rollback(robot, conversion, "--yes", "--force-field", "InvoiceFormatGUID")
    assert forced.returncode == 0, forced.stderr
    assert robot.state()["invoice_format_guid"] == start["invoice_format_guid"]
    scan_case(robot, start)
