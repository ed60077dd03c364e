"""One robot per biller: a second run is refused while the first holds the lock, naming the
holder; the lock is free again once its holder ends, even when the holder was killed."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from robot.core.errors import ExitCode, LockedError
from robot.run.lock import LOCK_NAME, BillerLock, is_locked

# Takes the biller lock in another process, says so, then holds it until its stdin closes.
HOLDER = """
import sys
from pathlib import Path
from robot.run.lock import BillerLock
lock = BillerLock(Path(sys.argv[1]), "10482", "first-run")
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another live process holding the biller lock of `tmp_path`."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:  # closes the pipes and waits for the child on the way out
        assert child.stdout is not None and child.stdout.readline() == "held\n"
        yield child
        child.kill()


def test_a_second_robot_on_the_same_biller_is_refused_naming_the_holder(tmp_path: Path) -> None:
    with BillerLock(tmp_path, "10482", "first-run"):
        second = BillerLock(tmp_path, "10482", "second-run")
        with pytest.raises(LockedError) as caught:
            second.acquire()
    message = caught.value.message
    assert f"pid {os.getpid()} on {socket.gethostname()}" in message
    assert "run first-run" in message
    assert caught.value.exit_code == ExitCode.PROBLEM_FOUND


def test_the_lock_is_free_once_the_run_ends(tmp_path: Path) -> None:
    # The file stays (removing a lock file races with a taker); the lock on it does not.
    with BillerLock(tmp_path, "10482", "run"):
        assert (tmp_path / LOCK_NAME).is_file()
        assert is_locked(tmp_path / LOCK_NAME)
    assert not is_locked(tmp_path / LOCK_NAME)
    with BillerLock(tmp_path, "10482", "next-run"):
        pass


def test_a_robot_in_another_process_is_refused_naming_the_holder(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(LockedError) as caught:
        BillerLock(tmp_path, "10482", "second-run").acquire()
    assert f"pid {holder.pid} on {socket.gethostname()}" in caught.value.message
    assert "run first-run" in caught.value.message


def test_a_killed_holder_leaves_the_biller_free(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait()  # gone: the kernel has dropped its lock
    with BillerLock(tmp_path, "10482", "second-run"):
        record = json.loads((tmp_path / LOCK_NAME).read_text())
        assert record["pid"] == os.getpid() and record["run"] == "second-run"
