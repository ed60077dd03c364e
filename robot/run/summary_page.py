"""The run's one-page summary for the PM (`summary.html` in the run folder, printable): the
biller, who ran it and when, each step's result, the checkpoint answers, the verification table,
the RTDR test's result, notes (a go-live overridden) and links to the report and the journal.

It is made from the journal alone, so a failed, stopped or resumed run has one too, and it holds
nothing the journal does not: no secret (the journal never holds one; its checks hold masks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from robot.core.steps import CONVERSION, PROCEDURES
from robot.core.templates import html_templates
from robot.run.journal import JOURNAL_NAME, read_events
from scenarios import go_live

SUMMARY_NAME = "summary.html"
_RESULTS = {
    "step-start": "started, not finished",
    "step-finish": "done",
    "step-skip": "skipped",
    "step-fail": "failed",
    "step-verify": "checked again",
}


@dataclass
class StepLine:
    number: int
    id: str
    title: str
    result: str = "not run"
    writes: int = 0
    detail: str = ""


@dataclass
class RunSummary:
    run_id: str
    biller: dict[str, str]
    env: str
    user: str
    started: str
    finished: str
    status: str
    steps: list[StepLine]
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    checks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    report: str | None = None
    what: str = "conversion"  # the procedure: a conversion, or the rollback of one


def summarize_run(run_dir: Path) -> RunSummary:
    events = read_events(run_dir / JOURNAL_NAME)
    start = next((e for e in events if e.get("event") == "run-start"), {})
    ends = [e for e in events if e.get("event") == "run-finish"]
    options = start.get("options") or {}
    procedure = PROCEDURES.get(str(options.get("procedure")), CONVERSION)
    lines = {s.id: StepLine(s.number, s.id, s.title) for s in procedure.steps}
    summary = RunSummary(
        run_id=str(start.get("run", run_dir.name)),
        biller=dict(start.get("biller") or {}),
        env=str(start.get("env") or ""),
        user=str(start.get("user") or "unknown"),
        started=str(start.get("ts", "")),
        finished=str(ends[-1].get("ts", "")) if ends else "not finished",
        status=str(ends[-1].get("status", "")) if ends else "not finished",
        steps=[],
        what=procedure.name
        + (f" of run {options['rollback_of']}" if options.get("rollback_of") else ""),
    )
    for e in events:
        _take(summary, lines, e)
    summary.notes = run_notes(events)
    summary.steps = [line for line in lines.values() if line.result != "not run"]
    report = run_dir / "report" / "index.html"
    summary.report = "report/index.html" if report.is_file() else None
    return summary


def _take(summary: RunSummary, lines: dict[str, StepLine], e: dict[str, Any]) -> None:
    kind, step = str(e.get("event")), str(e.get("step", ""))
    line = lines.get(step)
    if line is not None and kind in _RESULTS:
        line.result = _RESULTS[kind]
        line.writes = int(e.get("changes", line.writes) or 0)
        line.detail = str(e.get("error") or e.get("reason") or "")
    elif kind == "checkpoint":
        summary.checkpoints.append(e)
    elif kind == "checks":
        summary.checks[step] = list(e.get("rows") or [])


def run_notes(events: list[dict[str, Any]]) -> list[str]:
    """What a reader of the run must know beyond its steps (the summary, the report): each
    go-live made with --go-live-anyway, who asked and which checks had failed."""
    return [
        f"went live with {go_live.OVERRIDE} (asked by {e.get('by')}) although these checks "
        f"failed: {', '.join(e.get('failed') or [])}"
        for e in events
        if e.get("event") == go_live.OVERRIDDEN_EVENT
    ]


def write_summary(run_dir: Path) -> Path:
    """Write `summary.html` into the run folder from its journal; returns its path."""
    html = (
        html_templates()
        .get_template("summary.html")
        .render(s=summarize_run(run_dir), journal=JOURNAL_NAME)
    )
    path = run_dir / SUMMARY_NAME
    path.write_text(html, encoding="utf-8")
    return path
