"""A scheduled run's results, for people and for machines: the overview page, the notification
(`--notify`) and the summary file (`--summary`), in that order, so that the summary file and the
page say whether the notification was delivered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from robot.scheduled.notify import post_summary
from robot.scheduled.overview import OVERVIEW_NAME, run_folder, write_overview
from robot.scheduled.summary import ScheduledSummary, write_summary


def publish(
    summary: ScheduledSummary,
    root: Path,
    summary_path: Path | None,
    notify_url: str | None,
    say: Callable[[str], None],
) -> Path:
    """Write the overview, notify, write the summary; the overview page's path."""
    folder = run_folder(root, summary.started_at)
    page = folder / OVERVIEW_NAME
    summary.overview = str(page)
    if notify_url:
        summary.notified = post_summary(notify_url, summary.model_dump_json().encode())
        say(f"notification {summary.notified}")
    write_overview(root, summary, folder=folder)
    if summary_path is not None:
        write_summary(summary_path, summary)
    say(f"overview: {page}")
    return page
