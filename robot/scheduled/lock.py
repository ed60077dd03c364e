"""One scheduled run per output root: an exclusive `flock` on `<root>/.crm-robot-scheduled.lock`.

The kernel drops the lock when the holding process ends, however it ends, so a killed run never
leaves a stale lock behind. The file keeps who holds it (pid, host, start time) for the message
the second run shows; the file itself is never removed (removing a lock file races with a taker).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

LOCK_FILE = ".crm-robot-scheduled.lock"


class ScheduleLock:
    """`acquire()` returns False at once when another scheduled run holds the output root."""

    def __init__(self, output_root: Path) -> None:
        self.path = Path(output_root) / LOCK_FILE
        self._handle: IO[str] | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        }
        handle.write(json.dumps(record))
        handle.flush()
        self._handle = handle
        return True

    def holder(self) -> dict[str, Any]:
        """Who holds the lock, as recorded in the file (empty when unreadable)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, json.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def busy_message(self) -> str:
        held = self.holder()
        who = (
            f"pid {held.get('pid')} on {held.get('host')} since {held.get('started')}"
            if held
            else "another process"
        )
        return (
            f"a scheduled capture is already running on {self.path.parent} ({who}); this run "
            "did nothing. Wait for it to finish, or give another --out."
        )

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> ScheduleLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
