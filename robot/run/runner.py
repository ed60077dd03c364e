"""The conversion run: guards, the ten steps in order, then the report, a summary and the audit.

This module keeps the run's life cycle: the checks made before anything starts, the run folder and
its lock, the journal from `run-start` to `run-finish`, the browser session, the safety checks,
and the steps in order. One step with its retries is robot/run/step.py's; the report and the
audit robot/run/finish.py's; what is printed robot/run/printing.py's.

Every event goes to the run's journal (robot/run/journal.py) as it happens; a dry run has a
NullJournal, which keeps nothing. `--resume RUN` re-verifies the steps the journal says finished
(reading only) and continues at the first unfinished one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from pages.overrides import SelectorOverrides, load_overrides
from robot.browser.headed import Display, HeadedDisplay, NullDisplay
from robot.browser.panel import CheckpointPanel
from robot.browser.saved_session import SavedSession
from robot.browser.session import BrowserSession
from robot.browser.signin import check_sign_in
from robot.core.errors import AbortedByUser, UsageError
from robot.core.settings import Settings, check_output_dir
from robot.core.steps import Step
from robot.plan.credentials import RtdrCredentials, resolve_credentials
from robot.plan.model import ConversionPlan
from robot.run import guards
from robot.run.checkpoints import Checkpoints, CheckpointStop
from robot.run.faults import crm_retry
from robot.run.finish import Finish
from robot.run.journal import (
    JOURNAL_NAME,
    Journal,
    NullJournal,
    RunJournal,
    find_run_dir,
    new_run_id,
    read_events,
    summarize,
)
from robot.run.lock import BillerLock
from robot.run.outcome import RunOptions, RunOutcome, select_steps
from robot.run.printing import Printer
from robot.run.step import StepRunner
from robot.run.summary_page import write_summary

# What a run goes through: its steps, its id and its folder (None in a dry run).
Course = tuple[list[Step], str | None, Path | None]


class Runner:
    def __init__(
        self,
        plan: ConversionPlan,
        settings: Settings,
        options: RunOptions,
        *,
        ask: Callable[[str], str] = input,
        out: TextIO = sys.stdout,
        err: TextIO = sys.stderr,
    ) -> None:
        self.plan = plan
        self.settings = settings
        self.options = options
        self.ask = ask
        self.printer = Printer(out, err, options.procedure.total)
        self.journal: RunJournal = NullJournal()  # a real one once the run folder is known
        self.display: Display = NullDisplay()  # the banner of a headed run once signed in
        self.panel: CheckpointPanel | None = None  # where a headed run's PM answers checkpoints
        self.finished_before: list[str] = []
        self.selectors: SelectorOverrides | None = None
        self.saved: SavedSession | None = None  # from `crm-robot sign-in`, once checked

    # --- the run as a whole --------------------------------------------------------------------

    def run(self) -> RunOutcome:
        plan, options = self.plan, self.options
        select_steps(options)  # refuse contradictory options before anything else
        credentials = self._check_input()
        biller_dir = Path(self.settings.output_dir) / plan.biller_slug
        if not options.dry_run:
            check_output_dir(biller_dir)
        steps, run_id, run_dir = (
            self._resumed(biller_dir) if options.resume else self._new(biller_dir)
        )
        outcome = RunOutcome(plan, run_id, run_dir, procedure=options.procedure)
        started = time.monotonic()
        lock = BillerLock(biller_dir, plan.biller.id, run_id or "dry-run")
        if not options.dry_run:
            lock.acquire()
        try:
            self.journal = self._open_journal(outcome)
            self._run_journaled(outcome, steps, credentials, started)
        finally:
            lock.release()
            self._summarize(outcome)
        return outcome

    def _summarize(self, outcome: RunOutcome) -> None:
        """summary.html from the journal, however the run ended (a failure keeps its own error)."""
        if outcome.run_dir is None or not (outcome.run_dir / JOURNAL_NAME).is_file():
            return
        try:
            outcome.summary = write_summary(outcome.run_dir)
        except OSError as exc:
            self.printer.progress(f"the run summary could not be written: {exc}")
            return
        if outcome.status != "ok":
            self.printer.progress(f"run summary: {outcome.summary}")

    def _check_input(self) -> RtdrCredentials:
        """Everything that can be refused before a browser starts or a file is written."""
        plan, options = self.plan, self.options
        credentials = resolve_credentials(plan, self.settings)
        # Before a browser starts, not at its sign-in page.
        self.saved = check_sign_in(self.settings, headed=options.headed)
        if not options.dry_run:
            guards.check_prod_confirmation(
                plan,
                prod=options.prod,
                confirm_biller=options.confirm_biller,
                interactive=options.interactive,
                ask=self.ask,
            )
        guards.check_host(plan, self.settings)
        # Input read from files is checked before anything is written or started.
        self.selectors = load_overrides(options.selectors) if options.selectors else None
        return credentials

    def _new(self, biller_dir: Path) -> Course:
        steps = select_steps(self.options)
        if self.options.dry_run:
            return steps, None, None
        run_id = new_run_id()
        return steps, run_id, biller_dir / run_id

    def _resumed(self, biller_dir: Path) -> Course:
        assert self.options.resume is not None
        run_dir = find_run_dir(self.options.resume, biller_dir)
        summary = summarize(read_events(run_dir / "journal.jsonl"))
        biller_id = summary.biller.get("id")
        if biller_id not in (None, self.plan.biller.id):
            raise UsageError(
                f"--resume: run {summary.run_id} is for biller {biller_id}, "
                f"not {self.plan.biller.id}; give a run of this plan's biller"
            )
        self._check_same_procedure(summary.run_id, summary.options)
        # Skipped steps are not done: a resumed run offers them again.
        self.finished_before = list(summary.finished)
        # The resumed run goes through the steps the original run was asked for.
        original = summary.options
        steps = select_steps(
            replace(
                self.options, resume=None, only=original.get("only"), from_step=original.get("from")
            )
        )
        return steps, summary.run_id or run_dir.name, run_dir

    def _check_same_procedure(self, run_id: str, original: dict[str, Any]) -> None:
        """A conversion resumes as a conversion; a rollback as the rollback of the same run."""
        options = self.options
        was = (original.get("procedure", "conversion"), original.get("rollback_of"))
        now = (options.procedure.name, options.undo.run_id if options.undo else None)
        if was != now:
            raise UsageError(
                f"--resume: run {run_id} is a {was[0]}"
                + (f" of run {was[1]}" if was[1] else "")
                + f"; continue it with crm-robot {'rollback' if was[1] else 'convert'}"
                + (f" PLAN {was[1]}" if was[1] else " PLAN")
                + f" --resume {run_id}"
            )

    def _open_journal(self, outcome: RunOutcome) -> RunJournal:
        if self.options.dry_run:
            return NullJournal()  # a dry run writes nothing anywhere
        assert outcome.run_dir is not None and outcome.run_id is not None
        journal = Journal(outcome.run_dir, outcome.run_id)
        plan = self.plan
        journal.run_start(
            plan=str(self.options.plan_path),
            biller={"id": plan.biller.id, "name": plan.biller.name, "guid": plan.biller.guid},
            env=plan.biller.environment,
            options=self.options.journal_view(),
            resumed_from=outcome.run_id if self.options.resume else None,
        )
        return journal

    def _run_journaled(
        self, outcome: RunOutcome, steps: list[Step], credentials: RtdrCredentials, started: float
    ) -> None:
        """The session, its status in the outcome and a `run-finish` event however it ends."""
        resume_from: str | None = None
        try:
            self._run_session(outcome, steps, credentials)
        except CheckpointStop as stop:
            outcome.status = "stopped"
            resume_from = stop.step
            raise
        except AbortedByUser:
            outcome.status = "aborted"
            raise
        except BaseException:
            outcome.status = "failed"
            raise
        finally:
            outcome.seconds = time.monotonic() - started
            extra = {"resume_from": resume_from} if resume_from else {}
            self.journal.event(
                "run-finish",
                status=outcome.status,
                changes=outcome.writes,
                seconds=round(outcome.seconds, 3),
                **extra,
            )
            self.journal.close()

    # --- the browser session -------------------------------------------------------------------

    def _run_session(
        self, outcome: RunOutcome, steps: list[Step], credentials: RtdrCredentials
    ) -> None:
        options, plan, say = self.options, self.plan, self.printer.progress
        run_dir = outcome.run_dir
        trace = (
            run_dir / "trace.zip" if (options.trace and run_dir and not options.dry_run) else None
        )
        session = BrowserSession(
            self.settings,
            headless=not options.headed,
            slow_mo_ms=options.slow_mo_ms,
            selectors=self.selectors,
            trace_path=trace,
            browser=options.browser,
            sign_in=False,
            fingerprints_root=None if options.dry_run else Path(self.settings.output_dir),
            saved=self.saved,
        )
        with session:
            crm_retry(session, "sign-in", say).run(lambda _attempt: session.sign_in())
            self._watch(session)
            say(f"{plan.biller.name} ({plan.biller.id}): safety checks")
            crm_retry(session, "guards", say).run(lambda _attempt: self._guards(session))
            session.expected_biller = (plan.biller.name, plan.biller.id)
            finish = Finish(plan, session, self.journal, self.printer, options.rollback_of)
            if not options.dry_run:
                finish.mark_history()
            self._walk(outcome, steps, credentials, session)
            if session.signed_in_again:
                say(
                    f"signed in again {session.signed_in_again} time(s) after the CRM session "
                    f"expired; each time the screen still showed {plan.biller.name} "
                    f"({plan.biller.id})"
                )
            if not options.dry_run and run_dir is not None:
                outcome.notes = finish.notes()
                finish.report(outcome)
                outcome.audit = finish.reconcile()

    def _watch(self, session: BrowserSession) -> None:
        """Who watches the session: the headed banner, the observers of each element action
        and of the session (benchmarks)."""
        options = self.options
        hooks: list[Callable[[str, Any], None]] = []
        if options.headed:
            display = HeadedDisplay(session.page)
            self.display = display
            self.panel = CheckpointPanel(session.page)
            hooks.append(display.before_action)
        if options.on_action is not None:
            hooks.append(options.on_action)
        if hooks:

            def before_action(what: str, element: Any) -> None:
                for hook in hooks:
                    hook(what, element)

            session.before_action = before_action
        if options.on_session is not None:
            options.on_session(session)

    def _guards(self, session: BrowserSession) -> None:
        biller = self.plan.biller
        guards.select_biller(session, self.plan)
        guards.check_environment_badge(session, self.plan)
        partner = guards.check_profile(session, self.plan)
        self.printer.progress(
            f"  {biller.name} ({biller.id}), {biller.environment}, on {partner}: checks passed"
        )

    def _walk(
        self,
        outcome: RunOutcome,
        steps: list[Step],
        credentials: RtdrCredentials,
        session: BrowserSession,
    ) -> None:
        """The steps in order; on --resume, those finished before are only read back."""
        options = self.options
        hint = f"{options.resume_command} --resume {outcome.run_id}"
        checkpoints = Checkpoints(
            self.journal,
            interactive=options.headed and options.interactive,
            yes=options.yes,
            resume_hint=hint,
            ask=self.ask,
            err=self.printer.err,
            panel=self.panel,
        )
        runner = StepRunner(
            plan=self.plan,
            settings=self.settings,
            options=options,
            session=session,
            credentials=credentials,
            journal=self.journal,
            checkpoints=checkpoints,
            display=self.display,
            printer=self.printer,
            outcome=outcome,
            finished=set(self.finished_before),
        )
        for step in steps:
            ctx = runner.context(step)
            with runner.untraced(step):
                if step.id in self.finished_before:
                    outcome.steps.append(runner.reverify(ctx))
                    continue
                result = runner.run(ctx)
            outcome.steps.append(result)
            if result.status == "done":
                runner.finished.add(step.id)


def run_conversion(
    plan: ConversionPlan,
    settings: Settings,
    options: RunOptions,
    *,
    ask: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> RunOutcome:
    return Runner(plan, settings, options, ask=ask, out=out, err=err).run()
