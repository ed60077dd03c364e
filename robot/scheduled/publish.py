"""A scheduled run's results, for people and for machines: the overview page, the notification
(`--notify`) and the summary file (`--summary`), in that order, so that the summary file and the
page say whether the notification was delivered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from robot.scheduled.notify import post_summary
from robot.scheduled.overview import OVERVIEW_NAME, run_folder, write_overview
from robot.scheduled.summary import ScheduledSummary, write_summary


class Where(Protocol):
    """Where the results go (robot.scheduled.run.ScheduledOptions)."""

    @property
    def output_root(self) -> Path: ...

    @property
    def summary_path(self) -> Path | None: ...

    @property
    def notify_url(self) -> str | None: ...


def publish(summary: ScheduledSummary, where: Where, say: Callable[[str], None]) -> Path:
    """Write the overview, notify, write the summary; the overview page's path."""
    root = Path(where.output_root)
    folder = run_folder(root, summary.started_at)
    page = folder / OVERVIEW_NAME
    summary.overview = str(page)
    if where.notify_url:
        summary.notified = post_summary(where.notify_url, summary.model_dump_json().encode())
        say(f"notification {summary.notified}")
    write_overview(root, summary, folder=folder)
    if where.summary_path is not None:
        write_summary(where.summary_path, summary)
    say(f"overview: {page}")
    return page
