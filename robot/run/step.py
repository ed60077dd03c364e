"""One step of a conversion run: read, plan the changes still needed, ask the checkpoint, apply,
read back, with its retries and its evidence.

The step's scenario module (scenarios/) is reached only as a `Scenario`, through SCENARIOS. A
transient CRM fault is tried again from a fresh read, never by replaying a click; the budget
counts faults in a row, so a try that saved something starts it again. Business errors
(validation, guards, overlaps) are not tried again: the step fails with a screenshot and what to
check by hand.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

import scenarios.advanced_settings
import scenarios.capture
import scenarios.crm_configuration
import scenarios.datapump
import scenarios.ftp_setup
import scenarios.go_live
import scenarios.maintenance_window
import scenarios.rtdr_test
import scenarios.undo_advanced_settings
import scenarios.undo_configuration
import scenarios.undo_datapump
import scenarios.undo_ftp
import scenarios.undo_verify
import scenarios.undo_window
import scenarios.undo_window_on
import scenarios.verify
from robot.browser.headed import Display
from robot.browser.session import BrowserSession
from robot.capture.evidence import screenshot
from robot.capture.screens import capture_biller
from robot.core.errors import AbortedByUser, RobotError, TransientCrmError, VerificationError
from robot.core.fingerprint import load_or_create_salt
from robot.core.retry import Fault, Retry
from robot.core.settings import Settings
from robot.core.steps import Step
from robot.plan.credentials import RtdrCredentials
from robot.plan.model import ConversionPlan
from robot.run.checkpoints import Checkpoints
from robot.run.faults import crm_retry
from robot.run.journal import RunJournal
from robot.run.outcome import RunOptions, RunOutcome, StepOutcome
from robot.run.printing import Printer
from robot.run.standing import PassedChecks
from scenarios.base import Change, Check, Scenario
from scenarios.context import Context
from scenarios.ports import Answer, Shown

# The module that does each step (Step.scenario); a type checker holds each to the Protocol.
SCENARIOS: dict[str, Scenario[Context]] = {
    "capture": scenarios.capture,
    "maintenance_window": scenarios.maintenance_window,
    "crm_configuration": scenarios.crm_configuration,
    "ftp_setup": scenarios.ftp_setup,
    "datapump": scenarios.datapump,
    "advanced_settings": scenarios.advanced_settings,
    "rtdr_test": scenarios.rtdr_test,
    "verify": scenarios.verify,
    "go_live": scenarios.go_live,
    "undo_window_on": scenarios.undo_window_on,
    "undo_advanced_settings": scenarios.undo_advanced_settings,
    "undo_datapump": scenarios.undo_datapump,
    "undo_ftp": scenarios.undo_ftp,
    "undo_configuration": scenarios.undo_configuration,
    "undo_window": scenarios.undo_window,
    "undo_verify": scenarios.undo_verify,
}


def scenario_for(step: Step) -> Scenario[Context]:
    return SCENARIOS[step.scenario]


@dataclass
class _Tries:
    """One step's tries, and what carries from one to the next."""

    ctx: Context
    scenario: Scenario[Context]
    result: StepOutcome
    asked: bool = False  # the checkpoint is asked once per step, not once per try


@dataclass
class StepRunner:
    """The steps of one run, one at a time, in the run's browser session."""

    plan: ConversionPlan
    settings: Settings
    options: RunOptions
    session: BrowserSession
    credentials: RtdrCredentials
    journal: RunJournal
    checkpoints: Checkpoints
    display: Display
    printer: Printer
    outcome: RunOutcome
    finished: set[str]  # steps finished in this run (or, on --resume, in the run resumed)
    passed: PassedChecks = field(default_factory=PassedChecks)  # in this run, by scenario

    @property
    def total(self) -> int:
        return self.options.procedure.total

    def context(self, step: Step) -> Context:
        ctx = Context(
            plan=self.plan,
            session=self.session,
            credentials=self.credentials,
            run_dir=self.outcome.run_dir if not self.options.dry_run else None,
            journal=self.journal,
            checkpoints=self.checkpoints,
            step=step,
            total_steps=self.total,
            undo=self.options.undo,
            dry_run=self.options.dry_run,
            go_live_anyway=self.options.go_live_anyway,
            finished=self.finished,
            err=self.printer.err,
        )
        ctx.show = self.display.show_detail
        ctx.standing = lambda: self.passed.standing(self.journal.writes)
        ctx.capture = partial(self._capture, ctx)
        return ctx

    @contextmanager
    def untraced(self, step: Step) -> Iterator[None]:
        """No trace while a step shows Advanced Settings: the grid shows settings 10 and 13 in
        clear, and a trace keeps every page's HTML."""
        if not (self.options.trace and step.shows_secrets):
            yield
            return
        self.printer.progress(f"  trace paused during {step.id}: its screens show secrets")
        with self.session.paused_tracing():
            try:
                yield
            finally:
                # A trace that starts again snapshots the page shown: leave the secrets first.
                try:
                    self.session.page.goto("about:blank")
                except PlaywrightError:
                    pass

    # --- a step to do ----------------------------------------------------------------------------

    def run(self, ctx: Context) -> StepOutcome:
        step = ctx.step
        started = time.monotonic()
        result = StepOutcome(step, "dry-run" if self.options.dry_run else "done")
        self.printer.progress(f"{step.number}/{self.total} {step.title}: {step.summary}")
        self.display.show_step(step.number, self.total, step.title)
        self.journal.step_start(step.id, step.number, self.total)
        writes_before = self.journal.accepted
        tries = _Tries(ctx, scenario_for(step), result)
        try:
            checks = self._retry(step).run(partial(self._try, tries))
            if checks is not None:
                self._judge(step, checks)
                self.passed.record(tries.scenario, checks, self.journal.writes)
        except AbortedByUser:  # a checkpoint's stop or abort is no failure of the step
            raise
        except RobotError as exc:
            self._fail(ctx, exc)
            raise
        finally:
            result.seconds = time.monotonic() - started
            result.writes = self.journal.accepted - writes_before
        if result.status == "done":
            self._done(ctx, result)
        return result

    def _try(self, tries: _Tries, attempt: int) -> list[Check] | None:
        """One try: a fresh read, then the changes still needed; None when the step ends
        without them (a dry run, a skip at the checkpoint)."""
        ctx, scenario, result = tries.ctx, tries.scenario, tries.result
        state = scenario.read(ctx)
        changes = scenario.plan(ctx, state)
        if attempt == 1:
            result.changes = list(changes)
        if self.options.dry_run:
            self.printer.dry_run(ctx.step, changes)
            return None
        if changes and not tries.asked:
            tries.asked = True
            if self._checkpoint(ctx, changes) == "skip":
                result.status = "skipped"
                step = ctx.step
                self.journal.step_skip(step.id, step.number, self.total, "skipped at checkpoint")
                return None
        if not changes:
            ctx.progress("nothing to change")
        scenario.apply(ctx, changes)
        return scenario.verify(ctx)

    def _retry(self, step: Step) -> Retry[TransientCrmError]:
        mark = self.journal.accepted

        def progressed() -> bool:
            # The budget counts faults in a row: a try that saved something was progress.
            nonlocal mark
            saved = self.journal.accepted
            if saved <= mark:
                return False
            mark = saved
            return True

        def announce(fault: Fault[TransientCrmError]) -> None:
            self.printer.progress(
                f"  transient CRM fault ({fault.error.message}); reading the screen again "
                f"(try {fault.attempt + 1} of {fault.tries})"
            )
            self.journal.retry(step.id, fault.attempt, type(fault.error).__name__)

        policy = crm_retry(self.session, step.id, self.printer.progress)
        return replace(policy, progressed=progressed, announce=announce)

    def _checkpoint(self, ctx: Context, changes: list[Change]) -> Answer:
        """The question before a step writes: one line for the terminal and the journal; the
        whole list of changes for the page panel of a headed run."""
        step = ctx.step
        heading = f"{step.number}/{self.total} {step.title}"
        lines = tuple(c.shown() for c in changes)
        if step.checkpoint is None:
            more = f" and {len(lines) - 3} more" if len(lines) > 3 else ""
            question = f"{heading}: {len(lines)} change(s): {'; '.join(lines[:3])}{more}."
            prompt = f"Make these {len(lines)} change(s)?"
        else:
            biller = f"{self.plan.biller.name} ({self.plan.biller.id})"
            question = prompt = step.checkpoint.format(biller=biller)
        shown = Shown(heading, prompt, lines)
        return ctx.checkpoint(question, required=step.checkpoint_required, shown=shown)

    def _judge(self, step: Step, checks: list[Check]) -> None:
        self._journal_checks(step, checks)
        failed = [c for c in checks if not c.ok]
        if step.table_is_output or failed:
            self.printer.checks(checks, output=step.table_is_output)
        if failed:
            names = ", ".join(c.name for c in failed[:5])
            raise VerificationError(
                f"{step.id}: {len(failed)} value(s) read back are not what the plan asked for "
                f"({names}); see the table above"
            )

    def _journal_checks(self, step: Step, checks: list[Check]) -> None:
        """The step's read-back table (secrets hold masks in a Check), for the run summary."""
        rows = [
            {"name": c.name, "expected": c.expected, "found": c.found, "ok": c.ok} for c in checks
        ]
        self.journal.event("checks", step=step.id, rows=rows)

    def _done(self, ctx: Context, result: StepOutcome) -> None:
        step = ctx.step
        self.journal.step_finish(step.id, step.number, self.total, result.writes)
        if self.options.headed and ctx.run_dir is not None:
            # The PM watching sees the step end; its last screen is kept with the run.
            self.display.show_detail(f"done, {result.writes} change(s)")
            path = ctx.run_dir / "steps" / f"{step.number:02d}-{step.id}.png"
            if screenshot(self.session, path):
                self.outcome.screenshots.append(path)

    # --- a step finished before (--resume) -------------------------------------------------------

    def reverify(self, ctx: Context) -> StepOutcome:
        step = ctx.step
        self.printer.progress(f"{step.number}/{self.total} {step.title}: finished before; checking")
        started = time.monotonic()
        scenario = scenario_for(step)
        retry = crm_retry(self.session, step.id, self.printer.progress)
        checks = retry.run(lambda _attempt: scenario.verify(ctx))
        self._journal_checks(step, checks)
        failed = [c for c in checks if not c.ok]
        self.journal.event("step-verify", step=step.id, ok=not failed)
        if failed:
            self.printer.checks(checks, output=False)
            raise VerificationError(
                f"{step.id} finished in run {self.options.resume} but no longer reads as planned; "
                f"someone changed it since. Run `--only {step.id}` to do it again"
            )
        self.passed.record(scenario, checks, self.journal.writes)
        return StepOutcome(step, "verified", seconds=time.monotonic() - started)

    # --- captures and failure evidence -----------------------------------------------------------

    def _capture(self, ctx: Context, phase: str) -> Path:
        assert ctx.run_dir is not None
        folder = ctx.run_dir / phase
        self.display.hide()  # the proof screenshots show the CRM only
        try:
            salt = load_or_create_salt(Path(self.settings.output_dir))
            capture_biller(
                self.session,
                self.plan,
                "after" if phase == "after" else "before",
                folder,
                run_id=ctx.run_dir.name,
                salt=salt,
                on_screen=lambda p: ctx.progress(f"{p.index}/{p.total} {p.title}"),
            )
        finally:
            self.display.show()
        return folder

    def _fail(self, ctx: Context, exc: RobotError) -> None:
        step = ctx.step
        shot = None
        if ctx.run_dir is not None:
            path = ctx.run_dir / f"failure-{step.number:02d}-{step.id}.png"
            shot = path if screenshot(self.session, path) else None
        if shot is not None:
            self.outcome.screenshots.append(shot)
        self.journal.step_fail(
            step.id, exc.message, type(exc).__name__, str(shot) if shot else None
        )
        run_id = self.outcome.run_id
        resume = f"{self.options.resume_command} --resume {run_id}" if run_id else None
        self.printer.failure(step, exc.message, shot=shot, resume=resume)
