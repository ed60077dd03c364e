"""`crm-robot baseline accept`: a person makes a changed capture the biller's comparison base.

A scheduled capture that found something unplanned is not the base of the next comparison: the
change is reported run after run until someone who knows it is wanted says so. Accepting is
recorded in the capture's `status.json` (who, when, why) and shown on the run's overview; no
other command ever accepts anything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from robot.core.capture_format import SCHEDULED_DIR, read_manifest
from robot.core.errors import ComparisonInputError, UsageError
from robot.scheduled.store import (
    Acceptance,
    CaptureStatus,
    StoredCapture,
    list_captures,
    newest_good,
    read_status,
    write_status,
)


def accept(folder: Path, by: str, reason: str) -> CaptureStatus:
    """Record that `by` accepted the good capture in `folder` as the base, and why."""
    status = read_status(folder)
    if status is None or status.status != "good":
        raise UsageError(
            f"{folder} is not a good capture (it failed or never finished); only a capture "
            "whose nine screens were all captured can be the base"
        )
    at = datetime.now(UTC).replace(microsecond=0)
    accepted = status.model_copy(update={"accepted": Acceptance(by=by, at=at, reason=reason)})
    write_status(folder, accepted)
    return accepted


def biller_captures(root: Path, biller_id: str) -> Path:
    """The scheduled captures folder of the biller with this ID under the output root."""
    for folder in sorted(root.glob(f"*/{SCHEDULED_DIR}")):
        if any(_biller_of(c.folder) == biller_id for c in list_captures(folder)):
            return folder
    raise UsageError(
        f"BILLER_ID: no scheduled capture of biller {biller_id!r} under {root}; give the "
        "biller's ID as its plan or watch list names it, and --out if the captures are elsewhere"
    )


def choose(root: Path, biller_id: str, capture: Path | None) -> StoredCapture:
    """--capture FOLDER (a capture of that biller), else the biller's newest good capture."""
    folder = biller_captures(root, biller_id)
    captures = list_captures(folder)
    if capture is None:
        found = newest_good(captures)
        if found is None:
            raise UsageError(f"biller {biller_id} has no good capture to accept under {folder}")
        return found
    wanted = capture.resolve()
    for stored in captures:
        if stored.folder.resolve() == wanted:
            return stored
    raise UsageError(
        f"--capture: {capture} is not a scheduled capture of biller {biller_id} (they are in "
        f"{folder})"
    )


def _biller_of(folder: Path) -> str | None:
    try:
        return read_manifest(folder).biller.id
    except ComparisonInputError:
        return None  # an attempt cut short before its manifest: it names no biller
