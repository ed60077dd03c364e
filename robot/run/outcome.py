"""A conversion run's options, what it did, and the summary printed at its end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from robot.browser.session import BrowserSession
from robot.core.errors import UsageError
from robot.core.steps import CONVERSION, Procedure, Step
from robot.plan.model import ConversionPlan
from robot.run.audit import Reconciliation
from scenarios.base import Change
from scenarios.ports import Undo


@dataclass
class RunOptions:
    plan_path: Path
    headed: bool = False
    slow_mo_ms: int | None = None
    dry_run: bool = False
    yes: bool = False
    resume: str | None = None
    only: str | None = None
    from_step: str | None = None
    prod: bool = False
    confirm_biller: str | None = None
    trace: bool = False
    selectors: Path | None = None
    interactive: bool = False  # a person at a terminal can answer
    go_live_anyway: bool = False  # go live although a readiness check failed (never by --yes)
    browser: Browser | None = None  # a browser the caller owns (tests share one)
    # Observers (benchmarks): each element action, and the session once signed in.
    on_action: Callable[[str, Any], None] | None = None
    on_session: Callable[[BrowserSession], None] | None = None
    # What the run does: a conversion, or the rollback of the conversion in `rollback_of`.
    procedure: Procedure = CONVERSION
    undo: Undo | None = None
    rollback_of: Path | None = None

    @property
    def resume_command(self) -> str:
        """The command that continues this run (`--resume` follows)."""
        if self.undo is not None:
            return f"crm-robot {self.procedure.command} {self.plan_path} {self.undo.run_id}"
        return f"crm-robot {self.procedure.command} {self.plan_path}"

    def journal_view(self) -> dict[str, Any]:
        """The options as the journal records them (no secrets among them)."""
        return {
            "headed": self.headed,
            "slow_mo_ms": self.slow_mo_ms,
            "dry_run": self.dry_run,
            "yes": self.yes,
            "resume": self.resume,
            "only": self.only,
            "from": self.from_step,
            "prod": self.prod,
            "trace": self.trace,
            "go_live_anyway": self.go_live_anyway,
            "selectors": str(self.selectors) if self.selectors else None,
            "procedure": self.procedure.name,
            "rollback_of": self.undo.run_id if self.undo else None,
            "force_field": sorted(self.undo.forced) if self.undo else [],
        }


@dataclass
class StepOutcome:
    step: Step
    status: str  # done, skipped, verified (on resume), dry-run
    changes: list[Change] = field(default_factory=list)
    writes: int = 0
    seconds: float = 0.0


@dataclass
class RunOutcome:
    plan: ConversionPlan
    run_id: str | None
    run_dir: Path | None
    status: str = "ok"
    steps: list[StepOutcome] = field(default_factory=list)
    seconds: float = 0.0
    report: Path | None = None
    report_ok: bool | None = None
    audit: Reconciliation | None = None
    screenshots: list[Path] = field(default_factory=list)
    summary: Path | None = None  # summary.html, the PM's one page
    # What a reader must know about the run beyond its steps (a go-live overridden).
    notes: list[str] = field(default_factory=list)
    procedure: Procedure = CONVERSION

    @property
    def writes(self) -> int:
        return sum(s.writes for s in self.steps)

    @property
    def journal(self) -> Path | None:
        return self.run_dir / "journal.jsonl" if self.run_dir else None


def select_steps(options: RunOptions) -> list[Step]:
    """The steps this run goes through, in procedure order."""
    chosen = [o for o in ("only", "from_step", "resume") if getattr(options, o)]
    if len(chosen) > 1:
        names = {"only": "--only", "from_step": "--from", "resume": "--resume"}
        raise UsageError(f"use one of {', '.join(names[c] for c in chosen)}, not several")
    procedure = options.procedure
    if options.only:
        return [procedure.step(options.only)]
    if options.from_step:
        first = procedure.step(options.from_step)
        return [s for s in procedure.steps if s.number >= first.number]
    return list(procedure.steps)


def summary_lines(outcome: RunOutcome) -> list[str]:
    """What the run did, for stdout: steps, changes, time, where the evidence is."""
    plan = outcome.plan
    done = [s for s in outcome.steps if s.status == "done"]
    lines = [
        f"{plan.biller.name} ({plan.biller.id}), {plan.biller.environment}: {outcome.status}",
    ]
    if outcome.run_id:
        lines.append(f"run: {outcome.run_id}")
    counts: dict[str, int] = {}
    for s in outcome.steps:
        counts[s.status] = counts.get(s.status, 0) + 1
    shown = ", ".join(f"{n} {status}" for status, n in counts.items())
    total = outcome.procedure.total
    lines.append(f"steps: {len(outcome.steps)} of {total} ({shown})")
    for s in outcome.steps:
        lines.append(
            f"  {s.step.number:>2} {s.step.id:<20} {s.status:<8} {s.writes:>3} write(s) "
            f"{s.seconds:6.1f} s"
        )
    lines.append(f"changes: {outcome.writes} write(s) to the CRM in {len(done)} step(s)")
    lines.append(f"time: {outcome.seconds:.1f} s")
    lines.extend(f"NOTE: {note}" for note in outcome.notes)
    lines.extend(_evidence_lines(outcome))
    if outcome.audit is not None:
        lines.extend(outcome.audit.lines())
    return lines


def _evidence_lines(outcome: RunOutcome) -> list[str]:
    """Where the run's evidence is: its folder, journal, captures, screenshots, report, summary."""
    lines = []
    if outcome.run_dir is not None:
        lines.append(f"run folder: {outcome.run_dir}")
        lines.append(f"journal: {outcome.journal}")
        for phase in ("before", "after"):
            if (outcome.run_dir / phase / "manifest.json").is_file():
                lines.append(f"screenshots {phase}: {outcome.run_dir / phase}")
    lines.extend(f"screenshot: {shot}" for shot in outcome.screenshots)
    if outcome.report is not None:
        verdict = "as planned" if outcome.report_ok else "something unplanned or missing"
        lines.append(f"report: {outcome.report} ({verdict})")
    if outcome.summary is not None:
        lines.append(f"run summary: {outcome.summary}")
    return lines
