"""What the scheduled capture refuses before any browser opens: an overlapping run, options that
make no sense."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from robot.run.lock import BillerLock, ScheduleLock
from tests.support.cli import Done, crm_robot
from tests.support.crm_sim_forms import PASSWORD, USERNAME
from tests.support.sim_plans import SAMPLE_PLAN

# Nothing answers here: a test that reached the CRM would fail, not hang.
NO_CRM = "http://127.0.0.1:9"


def capture(tmp_path: Path, *args: str) -> Done:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "RTDR_"))}
    env.update(CRM_BASE_URL=NO_CRM, CRM_USERNAME=USERNAME, CRM_PASSWORD=PASSWORD)
    return crm_robot("capture", SAMPLE_PLAN, *args, cwd=tmp_path, env=env)


@pytest.mark.parametrize(
    ("strict", "code"),
    [pytest.param((), 0, id="quiet-for-cron"), pytest.param(("--strict",), 1, id="strict")],
)
def test_a_run_while_another_holds_the_output_folder_exits_at_once(
    tmp_path: Path, strict: tuple[str, ...], code: int
) -> None:
    out = tmp_path / "screenshots"
    summary = tmp_path / "summary.json"
    with ScheduleLock(out) as running:
        assert running.acquire()
        done = capture(
            tmp_path, "--phase", "scheduled", "--out", str(out), "--summary", str(summary), *strict
        )
    assert done.returncode == code
    assert done.stdout == ""
    assert "a scheduled capture is already running on" in done.stderr
    assert f"pid {os.getpid()}" in done.stderr
    assert not summary.exists()
    assert not (out / "prairie-pine-mutual").exists()


def test_the_lock_is_free_again_once_its_run_ends(tmp_path: Path) -> None:
    first = ScheduleLock(tmp_path)
    assert first.acquire()
    assert not ScheduleLock(tmp_path).acquire()
    first.release()
    second = ScheduleLock(tmp_path)
    assert second.acquire()
    second.release()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--phase", "before", "--workers", "2"),
            "--workers: only for --phase scheduled (given --phase before)",
        ),
        (
            ("--phase", "after", "--keep", "3", "--json"),
            "--keep, --json: only for --phase scheduled (given --phase after)",
        ),
        (("--phase", "scheduled", "--workers", "0"), "--workers: a whole number from 1 to 32"),
        (
            ("--phase", "before", "--run-id", "scheduled"),
            "--run-id: the name of one run folder, like 20261126T140311Z-ab12, and not "
            "'scheduled' (where the scheduled captures go); given 'scheduled'",
        ),
        (("--phase", "after", "--run-id", "../elsewhere"), "given '../elsewhere'"),
        (("--phase", "scheduled", "--keep", "none"), "--keep: a whole number of at least 1"),
        (
            ("--phase", "scheduled", "--browser-endpoint", "ftp://grid:3000/"),
            "--browser-endpoint: must be ws://HOST:PORT/... (a Playwright browser server) or "
            "http://HOST:PORT (Chrome DevTools), given a URL with scheme 'ftp'",
        ),
    ],
)
def test_options_that_make_no_sense_are_refused_with_exit_2(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = capture(tmp_path, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""


def test_a_biller_whose_conversion_is_running_is_skipped(tmp_path: Path) -> None:
    out = tmp_path / "screenshots"
    summary = tmp_path / "summary.json"
    with BillerLock(out / "prairie-pine-mutual", "10482", "20261126T140311Z-ab12"):
        done = capture(
            tmp_path, "--phase", "scheduled", "--out", str(out), "--summary", str(summary)
        )
    assert done.returncode == 0, done.stderr
    (biller,) = json.loads(summary.read_text())["billers"]
    assert (biller["status"], biller["capture"]) == ("busy", None)
    assert "Prairie Pine Mutual (10482): skipped: biller 10482 is being converted" in done.stderr
    assert not (out / "prairie-pine-mutual" / "scheduled").exists()
