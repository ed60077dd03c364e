"""The scheduled captures of one biller: `<root>/<biller-slug>/scheduled/<timestamp>/`.

Each finished attempt leaves `status.json` in its folder: `good` (all nine screens captured and
checked, so it may serve as the base of the next comparison) or `failed` (the CRM showed a login
page, an error page or a spinner, or did not answer; the partial folder stays as evidence but is
never compared with). The first good capture of a biller is its baseline. A folder without
`status.json` is an attempt that was cut short (the process was killed) and counts as failed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from robot.core.capture_format import SCHEDULED_DIR

STATUS_FILE = "status.json"
REPORT_DIR = "report"
# capture_dir's folder names: 20261126T140311Z, or 20261126T140311Z-2 for a second one that second
_STAMP = re.compile(r"^(\d{8}T\d{6}Z)(?:-(\d+))?$")


class Acceptance(BaseModel):
    """A person made this capture the comparison base: who (the system user), when, why."""

    by: str
    at: datetime
    reason: str


class CaptureStatus(BaseModel):
    """What `status.json` holds."""

    model_config = ConfigDict(extra="ignore")

    status: Literal["good", "failed"]
    baseline: bool = False
    compared_with: str | None = None  # folder name of the capture this one was compared with
    changed: bool = False  # something unplanned or missing against its base
    accepted: Acceptance | None = None
    attempts: int = 1
    error: str | None = None
    written_at: datetime


@dataclass(frozen=True)
class StoredCapture:
    folder: Path
    status: CaptureStatus | None  # None: the attempt never finished

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def good(self) -> bool:
        return self.status is not None and self.status.status == "good"

    @property
    def baseline(self) -> bool:
        return self.good and self.status is not None and self.status.baseline

    @property
    def base(self) -> bool:
        """May be the base of the next comparison: good, and unchanged or accepted."""
        status = self.status
        return self.good and status is not None and (not status.changed or bool(status.accepted))


def scheduled_dir(output_root: Path | str, biller_slug: str) -> Path:
    return Path(output_root) / biller_slug / SCHEDULED_DIR


def list_captures(folder: Path) -> list[StoredCapture]:
    """The scheduled capture folders under `folder`, oldest first; other entries are ignored."""
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _STAMP.match(entry.name)
        if match and entry.is_dir():
            order = (match[1], int(match[2] or 1))
            found.append((order, StoredCapture(entry, read_status(entry))))
    return [capture for _, capture in sorted(found, key=lambda item: item[0])]


def newest_good(captures: list[StoredCapture]) -> StoredCapture | None:
    return next((c for c in reversed(captures) if c.good), None)


def comparison_base(captures: list[StoredCapture]) -> StoredCapture | None:
    """The newest good capture that is not an unaccepted change."""
    return next((c for c in reversed(captures) if c.base), None)


def baseline_of(captures: list[StoredCapture]) -> StoredCapture | None:
    return next((c for c in captures if c.baseline), None)


def read_status(folder: Path) -> CaptureStatus | None:
    try:
        return CaptureStatus.model_validate_json((folder / STATUS_FILE).read_bytes())
    except (OSError, ValidationError):
        return None  # unfinished, or written by hand: never trusted as good


def write_status(folder: Path, status: CaptureStatus) -> Path:
    """Written whole or not at all: a half-written file would read as unfinished anyway, but a
    reader should never see a `good` that the rest of the file contradicts."""
    folder.mkdir(parents=True, exist_ok=True)  # an attempt that failed before any screen
    path = folder / STATUS_FILE
    tmp = folder / f".{STATUS_FILE}.{os.getpid()}"
    tmp.write_text(status.model_dump_json(indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def mark(
    folder: Path,
    status: Literal["good", "failed"],
    *,
    baseline: bool = False,
    compared_with: str | None = None,
    changed: bool = False,
    attempts: int = 1,
    error: str | None = None,
) -> CaptureStatus:
    record = CaptureStatus(
        status=status,
        baseline=baseline,
        compared_with=compared_with,
        changed=changed,
        attempts=attempts,
        error=error,
        written_at=datetime.now(UTC).replace(microsecond=0),
    )
    write_status(folder, record)
    return record
