"""Locks that keep two robots apart: one conversion per biller, one scheduled run per output root.

Both are an exclusive `flock` on a file (`LockFile`). The kernel drops the lock when the holding
process ends, however it ends, so a killed run never leaves a stale lock and nothing has to guess
whether a holder is still alive. The file keeps who holds it (pid, host, time, what for) for the
message the second taker shows. The file itself is never removed: a taker that opened it just
before the removal would lock a file nobody else can see, and two robots would run at once.

The library `filelock` is not used: it truncates the file when it opens it, before it knows
whether the lock is free, which would erase the holder's record before the refused taker reads it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from robot.core.errors import LockedError

LOCK_NAME = ".crm-robot.lock"
SCHEDULE_LOCK_NAME = ".crm-robot-scheduled.lock"


class LockFile:
    """An exclusive `flock` on `path`, with a JSON record of its holder inside."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        """Does this object hold the lock?"""
        return self._handle is not None

    def acquire(self, purpose: str, **details: str) -> bool:
        """Take the lock and record the holder; False at once when another holder has it."""
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # "a+" creates the file when needed and, unlike "w", leaves the record of the current
        # holder alone until the lock is ours.
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "time": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "for": purpose,
            **details,
        }
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(record))
        handle.flush()
        # On a shared output folder (NFS), a taker on another host reads what reached the server.
        os.fsync(handle.fileno())
        self._handle = handle
        return True

    def holder(self) -> dict[str, Any]:
        """Who holds the lock, as recorded in the file (empty when free or unreadable)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, json.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def release(self) -> None:
        if self._handle is None:
            return
        # Emptied while still held, so that a free lock names no holder; the file stays.
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.flush()
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        self._handle.close()
        self._handle = None


def is_locked(path: Path) -> bool:
    """Does some process hold the lock file at `path`? (False when there is no such file.)"""
    try:
        handle = path.open("r", encoding="utf-8")
    except FileNotFoundError:
        return False
    with handle:
        try:
            # A shared lock is enough to test, and needs only a file open for reading.
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


class BillerLock:
    """One robot per biller, in the biller's output folder. Context manager; `acquire()` raises
    LockedError naming the holder when another run holds the biller."""

    def __init__(self, biller_dir: Path, biller_id: str, run_id: str) -> None:
        self.path = biller_dir / LOCK_NAME
        self.biller_id = biller_id
        self.run_id = run_id
        self._lock = LockFile(self.path)

    @property
    def held(self) -> bool:
        return self._lock.held

    def holder(self) -> dict[str, Any]:
        return self._lock.holder()

    def acquire(self) -> None:
        purpose = f"biller {self.biller_id}"
        if self._lock.acquire(purpose, run=self.run_id, biller=self.biller_id):
            return
        held = self.holder()
        # Empty only while the new holder is still writing its record.
        who = (
            f"pid {held.get('pid')} on {held.get('host')} since {held.get('time')} "
            f"(run {held.get('run')})"
            if held
            else "another process"
        )
        raise LockedError(
            f"biller {self.biller_id} is being converted by another crm-robot: {who}. Wait for "
            "it to finish."
        )

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> BillerLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class ScheduleLock:
    """One scheduled run per output root. `acquire()` returns False at once when another
    scheduled run holds it; `busy_message()` then names that run."""

    def __init__(self, output_root: Path) -> None:
        self.path = Path(output_root) / SCHEDULE_LOCK_NAME
        self._lock = LockFile(self.path)

    def acquire(self) -> bool:
        return self._lock.acquire("scheduled capture")

    def holder(self) -> dict[str, Any]:
        return self._lock.holder()

    def busy_message(self) -> str:
        held = self.holder()
        who = (
            f"pid {held.get('pid')} on {held.get('host')} since {held.get('time')}"
            if held
            else "another process"
        )
        return (
            f"a scheduled capture is already running on {self.path.parent} ({who}); this run "
            "did nothing. Wait for it to finish, or give another --out."
        )

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> ScheduleLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
