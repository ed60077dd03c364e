"""A rollback run the way a PM runs one, and what it must leave behind: shared by the tests that
roll a conversion back (test_full_conversion.py, test_rollback.py)."""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any

from tests.conversion.support import ENV_FILE
from tests.reliability.harness import scan_case
from tests.reliability.robots import Robot, Run

ROLLBACK_WRITES = 30  # what the sample conversion's rollback writes (tests/.../rollback steps)


def old_secrets(start: dict[str, Any]) -> dict[str, str]:
    """ROLLBACK_SETTING_<N>: the secret settings' values before the conversion."""
    return {
        f"ROLLBACK_SETTING_{n}": s["value"]
        for n, s in start["advanced_settings"].items()
        if n in ("10", "13") or "password" in s["name"].lower()
    }


def comparable(state: dict[str, Any]) -> dict[str, Any]:
    """The biller's state without History and the ids the CRM generates."""
    windows = [{k: v for k, v in w.items() if k != "id"} for w in state["maintenance_windows"]]
    return {**state, "history": None, "maintenance_windows": windows}


def rollback(robot: Robot, conversion: str, *args: str, **env: str) -> Run:
    argv = ("rollback", str(robot.plan_path), conversion, "--env-file", str(ENV_FILE), *args)
    return robot.crm_robot(*argv, **env)


def is_rollback(events: list[dict[str, Any]]) -> bool:
    # The newest run folder is the conversion's until the rollback has made its own.
    return bool(events) and events[0]["options"].get("procedure") == "rollback"


def writes(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["event"] in ("intent", "write")]


def report_summary(robot: Robot) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(
        (robot.run_dirs()[-1] / "report" / "summary.json").read_text()
    )
    return summary


def assert_rolled_back(robot: Robot, start: dict[str, Any], conversion: str) -> None:
    """The rollback of `conversion`, killed at a random write and resumed, puts the biller back
    as `start` (History and generated ids aside); its report marks every field restored; a
    second rollback writes nothing; no secret (the old ones included) is in anything written."""
    old = old_secrets(start)

    seed = int(os.environ.get("CRM_ROBOT_TEST_SEED", time.time_ns()))
    kill_at = random.Random(seed).randint(1, ROLLBACK_WRITES)
    why = f"killed at the rollback's write {kill_at} (CRM_ROBOT_TEST_SEED={seed})"
    argv = ("rollback", str(robot.plan_path), conversion, "--env-file", str(ENV_FILE), "--yes")
    started = robot.start_crm_robot(*argv, **old)
    killed = started.kill_when(
        lambda events: is_rollback(events) and len(writes(events)) >= kill_at * 2 - 1
    )

    resumed = rollback(robot, conversion, "--resume", killed[0]["run"], "--yes", **old)
    assert resumed.returncode == 0, f"{why}\n{resumed.stderr}"
    assert comparable(robot.state()) == comparable(start), why
    report = report_summary(robot)
    assert (report["ok"], report["missing"], report["unplanned"]) == (True, 0, 0), why
    fields = [f for s in report["screens"] for f in s["fields"] if f["status"] != "unchanged"]
    assert fields and {f["status"] for f in fields} == {"planned"}, why
    assert report["words"]["planned"] == "restored"
    index = (robot.run_dirs()[-1] / "report" / "index.html").read_text()
    assert "restored" in index and f"rollback of run {conversion}" in index
    page = (robot.run_dirs()[-1] / "summary.html").read_text()
    assert f"(rollback of run {conversion})" in page and "restore-advanced-settings" in page

    again = rollback(robot, conversion, "--yes", **old)
    assert again.returncode == 0, again.stderr
    assert "changes: 0 write(s)" in again.stdout
    assert writes(robot.last_events()) == []
    assert comparable(robot.state()) == comparable(start)
    scan_case(robot, start)
