"""The overview page of a scheduled run: `<root>/scheduled/<stamp>/index.html`, one row per biller.

A person opening it after a night's run should see at a glance which billers need a look: each
biller's status in words and colour, thumbnails of the screens that changed, the unplanned fields,
links to the report and the capture, and a row of coloured squares with the biller's statuses in
the earlier runs, so that a biller failing night after night stands out from a single blip.

The run's summary is written beside the page as `summary.json`; the trend of a later run is read
from those files, so the page needs nothing but the folder tree. Every link and image source is
relative to the page's folder and the page has no script and no external URL: the tree can be
copied, zipped or served from anywhere and still reads the same.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from robot.core.capture_format import SCHEDULED_DIR
from robot.core.steps import SCREEN_TITLES
from robot.core.templates import html_templates
from robot.scheduled.store import STATUS_FILE
from robot.scheduled.summary import BillerSummary, ScheduledSummary, write_summary

OVERVIEW_NAME = "index.html"
SUMMARY_NAME = "summary.json"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# What a reader sees for each status; the status itself names the colour (CSS class).
WORDS = {
    "baseline": "baseline",
    "unchanged": "unchanged",
    "planned": "changed as planned",
    "changed": "changed, unplanned",
    "failed": "failed",
    "busy": "busy",
}


@dataclass(frozen=True)
class Thumb:
    stem: str
    title: str
    src: str | None  # None: the capture has no such image (the page says so instead)


@dataclass(frozen=True)
class Mark:
    """One earlier run of a biller, a square in its trend."""

    status: str
    title: str


@dataclass(frozen=True)
class Row:
    biller: BillerSummary
    words: str
    thumbs: list[Thumb]
    unplanned: list[str]
    report: str | None
    capture: str | None
    trend: list[Mark]
    accepted: str | None


def run_stamp(started_at: datetime) -> str:
    """The run's folder name: its start in UTC, so that folder names sort as the runs did."""
    return _utc(started_at).strftime(STAMP_FORMAT)


def run_folder(root: Path, started_at: datetime) -> Path:
    """A folder of its own for the run's page: a run that started in the same second as the
    one before it (every biller busy, say) gets `-2` and so on, never the other's page."""
    stamp = run_stamp(started_at)
    folder, n = root / SCHEDULED_DIR / stamp, 1
    while folder.exists():
        n += 1
        folder = root / SCHEDULED_DIR / f"{stamp}-{n}"
    return folder


def write_overview(
    root: Path, summary: ScheduledSummary, *, history: int = 5, folder: Path | None = None
) -> Path:
    """Write the run's overview page and its `summary.json` under `root` (into `folder` when
    given, see run_folder); return the page."""
    runs = root / SCHEDULED_DIR
    folder = folder or runs / run_stamp(summary.started_at)
    trends = _trends(runs, folder.name, [b.biller_id for b in summary.billers], history)
    rows = [_row(b, folder, trends.get(b.biller_id, [])) for b in summary.billers]
    html = (
        html_templates()
        .get_template("overview.html")
        .render(
            s=summary,
            rows=rows,
            words=WORDS,
            started=_when(summary.started_at),
            finished=_when(summary.finished_at),
        )
    )
    write_summary(folder / SUMMARY_NAME, summary)
    page = folder / OVERVIEW_NAME
    page.write_text(html, encoding="utf-8")
    return page


def _row(biller: BillerSummary, folder: Path, trend: list[Mark]) -> Row:
    capture = Path(biller.capture) if biller.capture else None
    return Row(
        biller=biller,
        words=WORDS.get(biller.status, biller.status),
        thumbs=[_thumb(capture, stem, folder) for stem in biller.screens_changed],
        unplanned=[_unplanned(c.screen, c.field, c.change) for c in biller.unplanned],
        report=_link(Path(biller.report), folder) if biller.report else None,
        capture=_link(capture, folder, "/") if capture else None,
        trend=trend,
        accepted=_accepted(capture) if capture else None,
    )


def _thumb(capture: Path | None, stem: str, folder: Path) -> Thumb:
    image = capture / f"{stem}.png" if capture else None
    src = _link(image, folder) if image and image.is_file() else None
    return Thumb(stem, SCREEN_TITLES.get(stem, stem), src)


def _unplanned(screen: str, field: str | None, change: str) -> str:
    """Field names only, never values: as in the summary, which travels to monitoring."""
    return f"{screen}: {field} ({change})" if field else f"{screen}: pixels only"


def _link(target: Path, folder: Path, tail: str = "") -> str:
    """`target` as seen from the page's folder, quoted for an href or a src."""
    return quote(Path(os.path.relpath(target, folder)).as_posix() + tail)


def _accepted(capture: Path) -> str | None:
    """A person's acceptance of the capture as the new base, when its status.json records one.
    Read from the raw file: the field is optional and a capture written by hand may lack it."""
    accepted = (_read_json(capture / STATUS_FILE) or {}).get("accepted")
    if not isinstance(accepted, dict):
        return None
    by, at, reason = (str(accepted.get(k) or "?") for k in ("by", "at", "reason"))
    return f"accepted as base by {by} at {at}: {reason}"


def _trends(runs: Path, current: str, billers: list[str], history: int) -> dict[str, list[Mark]]:
    """Each biller's statuses in its last `history` runs before `current`, oldest first.

    Read newest first and stop once every biller has its squares, so a long history of runs
    is not read whole every night. An unreadable summary is passed over: a trend is a help to
    the eye, never a reason for the page to fail."""
    trends: dict[str, list[Mark]] = {b: [] for b in billers}
    wanted = max(history, 0)
    for folder in _earlier(runs, current):
        if all(len(marks) >= wanted for marks in trends.values()):
            break
        for biller_id, mark in _marks(folder):
            marks = trends.get(biller_id)
            if marks is not None and len(marks) < wanted:
                marks.insert(0, mark)
    return trends


def _earlier(runs: Path, current: str) -> list[Path]:
    """The run folders named before `current`, newest first."""
    if not runs.is_dir():
        return []
    folders = [f for f in runs.iterdir() if f.name < current and f.is_dir()]
    return sorted(folders, key=lambda f: f.name, reverse=True)


def _marks(folder: Path) -> list[tuple[str, Mark]]:
    """(biller ID, its mark) for each biller in the run's summary.json; none when unreadable."""
    data = _read_json(folder / SUMMARY_NAME) or {}
    billers = data.get("billers")
    if not isinstance(billers, list):
        return []
    when = _stamp_when(str(data.get("started_at", "")), folder.name)
    found = []
    for biller in billers:
        if isinstance(biller, dict) and "biller_id" in biller:
            status = str(biller.get("status", ""))
            title = f"{when}: {WORDS.get(status, status)}"
            found.append((str(biller["biller_id"]), Mark(status, title)))
    return found


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _stamp_when(started_at: str, fallback: str) -> str:
    try:
        return _when(datetime.fromisoformat(started_at))
    except ValueError:
        return fallback


def _when(moment: datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%d %H:%M:%S UTC")


def _utc(moment: datetime) -> datetime:
    """A naive time is taken as UTC, as the scheduled run records its times."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
