"""One robot per biller: a lock file created with O_EXCL in the biller's output folder.

The file holds who took it (pid, host, time, run id). A lock left by a process that is gone, on
this same host, is taken over with a message; a lock of a live process, or of another host (whose
processes we cannot see), refuses the second robot with LockedError naming the holder.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from robot.core.errors import LockedError

LOCK_NAME = ".crm-robot.lock"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    # A killed child that its parent has not reaped yet still answers kill(0); it holds nothing.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


class BillerLock:
    """Context manager; `acquire()` raises LockedError when another live run holds the biller."""

    def __init__(self, biller_dir: Path, biller_id: str, run_id: str) -> None:
        self.path = biller_dir / LOCK_NAME
        self.biller_id = biller_id
        self.run_id = run_id
        self.held = False

    def _record(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "time": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "run": self.run_id,
            "biller": self.biller_id,
        }

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self._record(), fh)
            fh.flush()
            os.fsync(fh.fileno())
        return True

    def holder(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, json.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def _age(self) -> float:
        try:
            return time.time() - self.path.stat().st_mtime
        except OSError:
            return 0.0

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):  # a race with another taker: try again, a few times only
            if self._create():
                self.held = True
                return
            held = self.holder()
            pid = int(held.get("pid") or 0)
            same_host = held.get("host") == socket.gethostname()
            if held and same_host and not _pid_alive(pid):
                print(
                    f"crm-robot: taking over a stale lock of biller {self.biller_id} "
                    f"(pid {pid} on {held.get('host')} is gone; run {held.get('run')})",
                    file=sys.stderr,
                )
                self.path.unlink(missing_ok=True)
                continue
            if not held:
                # Either a taker is writing it right now, or one died between create and write.
                if self._age() > 5.0:
                    self.path.unlink(missing_ok=True)
                continue
            raise LockedError(
                f"biller {self.biller_id} is being converted by another crm-robot: pid {pid} on "
                f"{held.get('host')} since {held.get('time')} (run {held.get('run')}). Wait for "
                f"it to finish; if that run is gone, remove {self.path}."
            )
        raise LockedError(
            f"could not take the lock {self.path} of biller {self.biller_id}; "
            "another run is starting; try again."
        )

    def release(self) -> None:
        if self.held:
            # Only remove the file if it is still ours: a take-over may have replaced it.
            if self.holder().get("pid") == os.getpid():
                self.path.unlink(missing_ok=True)
            self.held = False

    def __enter__(self) -> BillerLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
