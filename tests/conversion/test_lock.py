"""One robot per biller: a second run is refused while the first holds the lock; a lock left by
a process that is gone is taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from robot.core.errors import ExitCode, LockedError
from robot.run.lock import LOCK_NAME, BillerLock


def _write_lock(folder: Path, pid: int, host: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    record = {"pid": pid, "host": host, "time": "2026-11-26T14:03:11Z", "run": "first-run"}
    path.write_text(json.dumps(record))
    return path


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_second_robot_on_the_same_biller_is_refused_naming_the_holder(tmp_path: Path) -> None:
    with BillerLock(tmp_path, "10482", "first-run"):
        second = BillerLock(tmp_path, "10482", "second-run")
        with pytest.raises(LockedError) as caught:
            second.acquire()
    message = caught.value.message
    assert f"pid {os.getpid()} on {socket.gethostname()}" in message
    assert "run first-run" in message
    assert caught.value.exit_code == ExitCode.PROBLEM_FOUND


def test_the_lock_is_gone_once_the_run_ends(tmp_path: Path) -> None:
    with BillerLock(tmp_path, "10482", "run"):
        assert (tmp_path / LOCK_NAME).is_file()
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_stale_lock_of_a_dead_process_is_taken_over_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = _dead_pid()
    _write_lock(tmp_path, dead, socket.gethostname())
    with BillerLock(tmp_path, "10482", "second-run"):
        holder = json.loads((tmp_path / LOCK_NAME).read_text())
        assert holder["pid"] == os.getpid() and holder["run"] == "second-run"
    assert f"taking over a stale lock of biller 10482 (pid {dead}" in capsys.readouterr().err


def test_a_lock_held_on_another_host_is_respected(tmp_path: Path) -> None:
    _write_lock(tmp_path, _dead_pid(), "another-host.example")
    with pytest.raises(LockedError, match="on another-host.example"):
        BillerLock(tmp_path, "10482", "second-run").acquire()
