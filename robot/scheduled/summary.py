"""What a scheduled run found, per biller and overall: the `--summary` file and `--json` output.

Per biller: its status, the screens that changed, the unplanned and the planned changes by field
name (never a value: the summary travels to monitoring), the crm-robot runs whose writes were the
plan, how long it took and where the report is. A change that crm-robot's own run made since the
base capture is planned (robot/scheduled/runs.py); any other field change is unplanned, and so
is a field a run wrote that does not read so (missing), and a screen whose pixels changed outside
the masked (secret and volatile) regions while none of its fields did.

The run's exit code is the worst of its billers': 0 nothing unplanned anywhere, 1 something
changed that no plan asked for, 3 a biller could not be captured after retries (its failure
outranks another biller's change: cron must hear about both, and 3 says a capture is missing).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from robot.compare.report import ReportSummary
from robot.core.errors import ExitCode

# "planned": changed, every change as a crm-robot run since the base capture made it.
Status = Literal["baseline", "unchanged", "planned", "changed", "failed", "busy"]
STATUSES: tuple[Status, ...] = ("baseline", "unchanged", "planned", "changed", "failed", "busy")
Change = Literal["changed", "added", "removed", "missing", "pixels"]


class UnplannedChange(BaseModel):
    screen: str
    field: str | None  # None: pixels changed on a screen where no field did
    change: Change


class BillerSummary(BaseModel):
    biller_id: str
    name: str
    slug: str
    status: Status
    exit_code: int
    capture: str | None = None  # the capture folder of this run
    compared_with: str | None = None  # the capture folder it was compared with
    screens_changed: list[str] = []
    unplanned: list[UnplannedChange] = []
    planned: list[str] = []  # "screen-stem: field" of each change a crm-robot run made
    runs: list[str] = []  # the crm-robot runs whose writes were the plan
    duration_s: float = 0.0
    attempts: int = 0
    report: str | None = None  # index.html of the comparison
    error: str | None = None

    def line(self) -> str:
        """One line for people: what happened to this biller."""
        who = f"{self.name} ({self.biller_id})"
        took = f"{self.duration_s:.1f}s"
        if self.status == "changed":
            fields = ", ".join(_change_name(c) for c in self.unplanned[:5])
            more = f" and {len(self.unplanned) - 5} more" if len(self.unplanned) > 5 else ""
            return (
                f"{who}: CHANGED, {len(self.unplanned)} unplanned ({fields}{more}) {took}; "
                f"report {self.report}"
            )
        if self.status == "planned":
            return (
                f"{who}: changed as planned by run {', '.join(self.runs)} "
                f"({len(self.planned)} field(s)) {took}; report {self.report}"
            )
        if self.status == "failed":
            return f"{who}: FAILED {took}: {self.error}"
        if self.status == "busy":
            return f"{who}: skipped: {self.error}"
        if self.status == "baseline":
            return f"{who}: baseline captured {took}"
        return f"{who}: unchanged {took}"


class ScheduledSummary(BaseModel):
    started_at: datetime
    finished_at: datetime
    duration_s: float
    output_root: str
    workers: int
    browser: str  # "launched" or the endpoint's scheme, host and port (never its query)
    exit_code: int
    counts: dict[str, int]
    billers: list[BillerSummary]
    overview: str | None = None  # the run's overview page (robot/scheduled/overview.py)
    notified: str | None = None  # whether --notify delivered the summary, and where


def unplanned_changes(report: ReportSummary) -> tuple[list[str], list[UnplannedChange]]:
    """The screens that changed, and every unplanned change by field name."""
    screens: list[str] = []
    changes: list[UnplannedChange] = []
    for screen in report.screens:
        fields = [f for f in screen.fields if f.status in ("unplanned", "missing")]
        for field in fields:
            what: Change = "changed"
            if field.status == "missing":
                what = "missing"
            elif field.before is None:
                what = "added"
            elif field.after is None:
                what = "removed"
            changes.append(UnplannedChange(screen=screen.stem, field=field.field, change=what))
        if screen.unexplained_pixels:
            changes.append(UnplannedChange(screen=screen.stem, field=None, change="pixels"))
        if fields or screen.changed_pixels:
            screens.append(screen.stem)
    return screens, changes


def planned_changes(report: ReportSummary) -> list[str]:
    """Every change a crm-robot run made, as "screen-stem: field"."""
    return [
        f"{screen.stem}: {field.field}"
        for screen in report.screens
        for field in screen.fields
        if field.status == "planned"
    ]


def overall_exit_code(billers: list[BillerSummary]) -> ExitCode:
    return ExitCode(max((b.exit_code for b in billers), default=ExitCode.OK))


def counts(billers: list[BillerSummary]) -> dict[str, int]:
    return {status: sum(1 for b in billers if b.status == status) for status in STATUSES}


def write_summary(path: Path, summary: ScheduledSummary) -> Path:
    """Replace the file whole, so that monitoring never reads half a summary."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def _change_name(change: UnplannedChange) -> str:
    field = change.field or "pixels only"
    return f"{change.screen}: {field}"
