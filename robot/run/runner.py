"""The conversion run: guards, the ten steps in order, then the report, a summary and the audit.

Each step is a scenario module (scenarios/): read the state, plan the changes still needed, ask
the checkpoint, apply, read back. A transient CRM fault (timeout, HTTP 500, dropped connection,
expired session) is retried a bounded number of times, always starting again from a fresh read,
never by replaying a click. Business errors (validation, guards, overlaps) are not retried.

Every event goes to the run's journal (robot/run/journal.py) as it happens; `--resume RUN`
re-verifies the steps the journal says finished (reading only) and continues at the first
unfinished one.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from playwright.sync_api import Error as PlaywrightError

from pages.history import HistoryPage
from pages.locators import SelectorOverrides, load_overrides
from robot.browser.headed import HeadedDisplay
from robot.browser.session import BrowserSession
from robot.capture.evidence import screenshot, what_to_check
from robot.capture.screens import capture_biller
from robot.compare.report import build_report
from robot.core.capture_format import read_values
from robot.core.errors import (
    AbortedByUser,
    BrowserError,
    RobotError,
    TransientCrmError,
    UsageError,
    VerificationError,
)
from robot.core.fingerprint import load_or_create_salt
from robot.core.settings import Settings, check_output_dir
from robot.core.steps import STEPS, Step
from robot.plan.credentials import resolve_credentials
from robot.plan.expectations import expected_after
from robot.plan.model import ConversionPlan
from robot.run import guards
from robot.run.audit import Reconciliation, reconcile
from robot.run.checkpoints import Checkpoints, CheckpointStop
from robot.run.journal import (
    Journal,
    find_run_dir,
    iter_writes,
    new_run_id,
    read_events,
    summarize,
    unanswered_intents,
)
from robot.run.lock import BillerLock
from robot.run.outcome import RunOptions, RunOutcome, StepOutcome, select_steps
from scenarios.base import Change, Check, check_table
from scenarios.context import Context

ATTEMPTS = 3  # tries per step for transient faults; each starts from a fresh read
BACKOFF_S = (0.5, 1.5)  # wait before the 2nd and 3rd try
# Steps whose screens show secrets (Advanced Settings): never traced.
SHOWS_SECRETS = frozenset(
    {"capture-before", "advanced-settings", "rtdr-test", "verify", "capture-after"}
)


def scenario(step: Step) -> ModuleType:
    return importlib.import_module(f"scenarios.{step.scenario}")


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
        self.out = out
        self.err = err
        self.journal: Journal | None = None
        self.display: HeadedDisplay | None = None
        self.finished_before: list[str] = []
        self.history_mark: int | None = None
        self.session: BrowserSession | None = None
        self.selectors: SelectorOverrides | None = None

    # --- the run as a whole --------------------------------------------------------------------

    def run(self) -> RunOutcome:
        plan, options = self.plan, self.options
        select_steps(options)  # refuse contradictory options before anything else
        credentials = resolve_credentials(plan, self.settings)
        self.settings.require_crm_login()  # before a browser starts, not at its sign-in page
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

        biller_dir = Path(self.settings.output_dir) / plan.biller_slug
        if not options.dry_run:
            check_output_dir(biller_dir)
        run_id: str | None = None
        run_dir: Path | None = None
        if options.resume:
            run_dir = find_run_dir(options.resume, biller_dir)
            summary = summarize(read_events(run_dir / "journal.jsonl"))
            if summary.biller.get("id") not in (None, plan.biller.id):
                raise UsageError(
                    f"--resume: run {summary.run_id} is for biller {summary.biller.get('id')}, "
                    f"not {plan.biller.id}; give a run of this plan's biller"
                )
            run_id = summary.run_id or run_dir.name
            # Skipped steps are not done: a resumed run offers them again.
            self.finished_before = list(summary.finished)
            # The resumed run goes through the steps the original run was asked for.
            original = summary.options
            steps = select_steps(
                RunOptions(
                    plan_path=options.plan_path,
                    only=original.get("only"),
                    from_step=original.get("from"),
                )
            )
        else:
            steps = select_steps(options)
        if not options.resume and not options.dry_run:
            run_id = new_run_id()
            run_dir = biller_dir / run_id
        outcome = RunOutcome(plan, run_id, run_dir)
        started = time.monotonic()

        resume_from: str | None = None
        lock = BillerLock(biller_dir, plan.biller.id, run_id or "dry-run")
        if not options.dry_run:
            lock.acquire()
        try:
            if run_dir is not None and not options.dry_run:
                assert run_id is not None
                self.journal = Journal(run_dir, run_id)
                self.journal.run_start(
                    plan=str(options.plan_path),
                    biller={
                        "id": plan.biller.id,
                        "name": plan.biller.name,
                        "guid": plan.biller.guid,
                    },
                    env=plan.biller.environment,
                    options=options.journal_view(),
                    resumed_from=run_id if options.resume else None,
                )
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
                if self.journal is not None:
                    extra = {"resume_from": resume_from} if resume_from else {}
                    self.journal.event(
                        "run-finish",
                        status=outcome.status,
                        changes=outcome.writes,
                        seconds=round(outcome.seconds, 3),
                        **extra,
                    )
                    self.journal.close()
        finally:
            lock.release()
        return outcome

    def _run_session(self, outcome: RunOutcome, steps: list[Step], credentials: Any) -> None:
        options = self.options
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
        )
        self.session = session
        with session:
            self._retry("sign-in", session.sign_in)
            hooks: list[Callable[[str, Any], None]] = []
            if options.headed:
                self.display = HeadedDisplay(session.page)
                hooks.append(self.display.before_action)
            if options.on_action is not None:
                hooks.append(options.on_action)
            if hooks:

                def before_action(what: str, element: Any) -> None:
                    for hook in hooks:
                        hook(what, element)

                session.before_action = before_action
            if options.on_session is not None:
                options.on_session(session)
            self.progress(f"{self.plan.biller.name} ({self.plan.biller.id}): safety checks")
            self._retry("guards", lambda: self._guards(session))
            session.expected_biller = (self.plan.biller.name, self.plan.biller.id)
            if self.journal is not None:
                self._mark_history(session)

            hint = f"crm-robot convert {options.plan_path} --resume {outcome.run_id}"
            checkpoints = Checkpoints(
                self.journal,
                interactive=options.headed and options.interactive,
                yes=options.yes,
                resume_hint=hint,
                ask=self.ask,
                err=self.err,
            )
            finished: set[str] = set(self.finished_before)
            for step in steps:
                ctx = Context(
                    plan=self.plan,
                    session=session,
                    credentials=credentials,
                    run_dir=run_dir if not options.dry_run else None,
                    journal=self.journal,
                    checkpoints=checkpoints,
                    step=step,
                    total_steps=len(STEPS),
                    dry_run=options.dry_run,
                    finished=finished,
                    err=self.err,
                )
                ctx.show = self._show_detail
                ctx.capture = lambda phase, s=session, c=ctx: self._capture(s, c, phase)
                with self._untraced(session, step):
                    if step.id in self.finished_before:
                        outcome.steps.append(self._reverify(ctx, session))
                        continue
                    result = self._run_step(ctx, session, outcome)
                outcome.steps.append(result)
                if result.status == "done":
                    finished.add(step.id)
            if session.signed_in_again:
                self.progress(
                    f"signed in again {session.signed_in_again} time(s) after the CRM session "
                    f"expired; each time the screen still showed {self.plan.biller.name} "
                    f"({self.plan.biller.id})"
                )
            if not options.dry_run and run_dir is not None:
                self._report(outcome)
                outcome.audit = self._reconcile(session)

    # --- one step ------------------------------------------------------------------------------

    @contextmanager
    def _untraced(self, session: BrowserSession, step: Step) -> Iterator[None]:
        """No trace while a step shows Advanced Settings: the grid shows settings 10 and 13 in
        clear, and a trace keeps every page's HTML."""
        if not (self.options.trace and step.id in SHOWS_SECRETS):
            yield
            return
        self.progress(f"  trace paused during {step.id}: its screens show secrets")
        with session.paused_tracing():
            try:
                yield
            finally:
                # A trace that starts again snapshots the page shown: leave the secrets first.
                try:
                    session.page.goto("about:blank")
                except PlaywrightError:
                    pass

    def _run_step(self, ctx: Context, session: BrowserSession, outcome: RunOutcome) -> StepOutcome:
        step, journal, options = ctx.step, self.journal, self.options
        module = scenario(step)
        total = len(STEPS)
        started = time.monotonic()
        result = StepOutcome(step, "dry-run" if options.dry_run else "done")
        self.progress(f"{step.number}/{total} {step.title}: {step.summary}")
        if self.display is not None:
            self.display.show_step(step.number, total, step.title)
        if journal is not None:
            journal.step_start(step.id, step.number, total)
        writes_before = journal.accepted if journal is not None else 0
        asked = False
        checks: list[Check] = []
        progress_mark = journal.accepted if journal is not None else 0
        try:
            attempt = 0
            while True:
                attempt += 1
                try:
                    state = module.read(ctx)
                    changes = module.plan(ctx, state)
                    if attempt == 1:
                        result.changes = list(changes)
                    if options.dry_run:
                        self._print_dry_run(step, changes)
                        return result
                    if changes and not asked:
                        asked = True
                        if self._checkpoint(ctx, module, changes) == "skip":
                            result.status = "skipped"
                            if journal is not None:
                                journal.step_skip(
                                    step.id, step.number, total, "skipped at checkpoint"
                                )
                            return result
                    if not changes:
                        ctx.progress("nothing to change")
                    module.apply(ctx, changes)
                    checks = module.verify(ctx)
                    break
                except TransientCrmError as exc:
                    self._stop_if_crashed(step.id)
                    # The budget counts faults in a row: a try that saved something was progress.
                    saved = journal.accepted if journal is not None else 0
                    if saved > progress_mark:
                        progress_mark, attempt = saved, 1
                    if attempt >= ATTEMPTS:
                        raise
                    self.progress(
                        f"  transient CRM fault ({exc.message}); reading the screen again "
                        f"(try {attempt + 1} of {ATTEMPTS})"
                    )
                    if journal is not None:
                        journal.retry(step.id, attempt, type(exc).__name__)
                    self._backoff(attempt)
            self._judge(step, module, checks)
        except (CheckpointStop, AbortedByUser):
            raise
        except RobotError as exc:
            self._fail(ctx, session, exc, outcome)
            raise
        finally:
            result.seconds = time.monotonic() - started
            result.writes = (journal.accepted if journal is not None else 0) - writes_before
        if journal is not None:
            journal.step_finish(step.id, step.number, total, result.writes)
        if self.display is not None and ctx.run_dir is not None:
            self.display.show_detail(f"done, {result.writes} change(s)")
            self._step_screenshot(session, ctx, outcome)
        return result

    def _checkpoint(self, ctx: Context, module: ModuleType, changes: list[Change]) -> str:
        question = getattr(module, "CHECKPOINT", None)
        required = bool(getattr(module, "REQUIRED", False))
        if question is None:
            shown = "; ".join(c.shown() for c in changes[:3])
            more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
            question = (
                f"{ctx.step.number}/{len(STEPS)} {ctx.step.title}: {len(changes)} change(s): "
                f"{shown}{more}."
            )
        question = question.format(biller=f"{self.plan.biller.name} ({self.plan.biller.id})")
        return ctx.checkpoint(question, required=required)

    def _judge(self, step: Step, module: ModuleType, checks: list[Check]) -> None:
        failed = [c for c in checks if not c.ok]
        if getattr(module, "PRINT_TABLE", False) or failed:
            print(check_table(checks), file=self.out if step.id == "verify" else self.err)
        if failed:
            names = ", ".join(c.name for c in failed[:5])
            raise VerificationError(
                f"{step.id}: {len(failed)} value(s) read back are not what the plan asked for "
                f"({names}); see the table above"
            )

    def _reverify(self, ctx: Context, session: BrowserSession) -> StepOutcome:
        step = ctx.step
        self.progress(f"{step.number}/{len(STEPS)} {step.title}: finished before; checking")
        started = time.monotonic()
        module = scenario(step)
        checks = self._retry(step.id, lambda: module.verify(ctx))
        failed = [c for c in checks if not c.ok]
        if self.journal is not None:
            self.journal.event("step-verify", step=step.id, ok=not failed)
        if failed:
            print(check_table(checks), file=self.err)
            raise VerificationError(
                f"{step.id} finished in run {self.options.resume} but no longer reads as planned; "
                f"someone changed it since. Run `--only {step.id}` to do it again"
            )
        return StepOutcome(step, "verified", seconds=time.monotonic() - started)

    def _retry(self, what: str, action: Callable[[], Any]) -> Any:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return action()
            except TransientCrmError as exc:
                self._stop_if_crashed(what)
                if attempt == ATTEMPTS:
                    raise
                self.progress(f"  transient CRM fault during {what} ({exc.message}); again")
                self._backoff(attempt)
        return None

    def _backoff(self, attempt: int) -> None:
        """Wait before the next try, on a blank page: after a failed load the browser may still
        be showing its own error page under the old address, which no screen should be read
        from. The next try opens its screens afresh."""
        if self.session is not None:
            self.session.leave_page()
        time.sleep(BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)])

    def _stop_if_crashed(self, what: str) -> None:
        """A crashed page or a browser gone is no CRM fault: another try cannot help."""
        crash = self.session.crash if self.session is not None else None
        if crash is None:
            return
        raise BrowserError(
            f"{what}: {crash}, so the robot stopped; the CRM was not at fault. Nothing more "
            "was done and the journal holds what was. Check the machine (memory, Chromium), "
            "then resume the run"
        ) from None

    # --- guards, captures, failure evidence ---------------------------------------------------

    def _guards(self, session: BrowserSession) -> None:
        guards.select_biller(session, self.plan)
        guards.check_environment_badge(session, self.plan)
        partner = guards.check_profile(session, self.plan)
        self.progress(
            f"  {self.plan.biller.name} ({self.plan.biller.id}), {self.plan.biller.environment}, "
            f"on {partner}: checks passed"
        )

    def _mark_history(self, session: BrowserSession) -> None:
        """Remember how long History was when the run began (once per run, for the audit)."""
        assert self.journal is not None
        events = read_events(self.journal.path)
        marks = [e for e in events if e.get("event") == "history-mark"]
        if marks:
            self.history_mark = int(marks[0]["count"])
            return
        history = HistoryPage(session, self.plan.biller.id)
        count = len(self._retry("history", lambda: history.open().read_entries()))
        self.history_mark = count
        self.journal.event("history-mark", count=count)

    def _capture(self, session: BrowserSession, ctx: Context, phase: str) -> Path:
        assert ctx.run_dir is not None
        folder = ctx.run_dir / phase
        if self.display is not None:
            self.display.hide()
        try:
            salt = load_or_create_salt(Path(self.settings.output_dir))
            capture_biller(
                session,
                self.plan,
                "after" if phase == "after" else "before",
                folder,
                run_id=ctx.run_dir.name,
                salt=salt,
                on_screen=lambda p: ctx.progress(f"{p.index}/{p.total} {p.title}"),
            )
        finally:
            if self.display is not None:
                self.display.show()
        return folder

    def _fail(
        self, ctx: Context, session: BrowserSession, exc: RobotError, outcome: RunOutcome
    ) -> None:
        step = ctx.step
        shot = self._failure_screenshot(session, ctx)
        if shot is not None:
            outcome.screenshots.append(shot)
        if self.journal is not None:
            self.journal.step_fail(
                step.id, exc.message, type(exc).__name__, str(shot) if shot else None
            )
        lines = [
            f"step {step.number}/{len(STEPS)} {step.title} ({step.id}) failed: {exc.message}",
            f"  expected: {step.summary}",
            f"  check: {what_to_check(step.id)}",
        ]
        if shot is not None:
            lines.append(f"  screenshot: {shot}")
        if outcome.run_id:
            lines.append(
                f"  then continue with: crm-robot convert {self.options.plan_path} "
                f"--resume {outcome.run_id}"
            )
        print("\n".join(lines), file=self.err)

    def _failure_screenshot(self, session: BrowserSession, ctx: Context) -> Path | None:
        if ctx.run_dir is None:
            return None
        path = ctx.run_dir / f"failure-{ctx.step.number:02d}-{ctx.step.id}.png"
        return path if screenshot(session, path) else None

    def _step_screenshot(self, session: BrowserSession, ctx: Context, outcome: RunOutcome) -> None:
        assert ctx.run_dir is not None
        path = ctx.run_dir / "steps" / f"{ctx.step.number:02d}-{ctx.step.id}.png"
        if screenshot(session, path):
            outcome.screenshots.append(path)

    # --- the end: report, audit, summary ------------------------------------------------------

    def _report(self, outcome: RunOutcome) -> None:
        assert outcome.run_dir is not None
        before, after = outcome.run_dir / "before", outcome.run_dir / "after"
        if not (before / "manifest.json").is_file() or not (after / "manifest.json").is_file():
            return
        self.progress("report: comparing before and after")
        expected = expected_after(self.plan, read_values(before))
        summary = build_report(before, after, outcome.run_dir / "report", expected=expected)
        outcome.report = summary.index_html
        outcome.report_ok = summary.ok
        if self.journal is not None:
            self.journal.event(
                "report",
                path=str(summary.index_html),
                ok=summary.ok,
                planned=summary.planned,
                missing=summary.missing,
                unplanned=summary.unplanned,
            )

    def _reconcile(self, session: BrowserSession) -> Reconciliation | None:
        if self.journal is None or self.history_mark is None:
            return None
        history = HistoryPage(session, self.plan.biller.id)
        entries = self._retry("history", lambda: history.reload().read_entries())
        # Newest first: the entries above the length History had when the run began.
        new = entries[: max(0, len(entries) - self.history_mark)]
        events = read_events(self.journal.path)
        writes = list(iter_writes(events))
        # A write whose run was killed before the CRM answered is as uncertain as a fault.
        for intent in unanswered_intents(events):
            writes.append({**intent, "result": "uncertain: interrupted"})
        result = reconcile(writes, new)
        self.journal.event(
            "audit",
            ok=result.ok,
            matched=len(result.matched) + len(result.uncertain_stored),
            journal_only=len(result.journal_only),
            history_only=len(result.history_only),
        )
        return result

    def _print_dry_run(self, step: Step, changes: list[Change]) -> None:
        head = f"{step.number}/{len(STEPS)} {step.title} ({step.id})"
        if not changes:
            print(f"{head}: nothing to change", file=self.out)
            return
        print(f"{head}: would make {len(changes)} change(s)", file=self.out)
        for change in changes:
            print(f"  {change.shown()}", file=self.out)

    def _show_detail(self, detail: str) -> None:
        if self.display is not None:
            self.display.show_detail(detail)

    def progress(self, text: str) -> None:
        print(text, file=self.err, flush=True)


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
