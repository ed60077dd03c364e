"""Headless scheduled capture of many billers: capture, compare with the comparison base, report.

    summary = run_scheduled(plans, settings, ScheduledOptions(output_root=Path("screenshots")))

For every biller (its plan file only identifies it; a scheduled run changes nothing):
  1. the nine screens go to `<root>/<biller-slug>/scheduled/<timestamp>/`; a screen that shows a
     login page, an error page or a spinner, or does not answer, is opened once more (by
     capture_biller); a capture broken on the browser's side (it crashed, could not start or sign
     in, a screenshot failed) is started once more, with a fresh browser after a crash; then the
     biller is marked failed and the others go on;
  2. a good capture is marked so in its `status.json` (robot/scheduled/store.py); the first good
     one of a biller is its baseline; a failed one never becomes a comparison base;
  3. it is compared with the biller's base (robot/scheduled/store.py), and the report is written
     into the capture folder (`report/index.html`). The plan of changes is what crm-robot's own
     runs of the biller wrote since the base capture (robot/scheduled/runs.py): those changes are
     planned and the run is named; every other field change is unplanned; pixels inside masked
     (secret, volatile) regions are not compared;
  4. `keep` prunes old captures (retention.py); then the overview, --notify, --summary (publish.py).
Only one scheduled run works on an output root at a time (robot/run/lock.py); a biller whose
conversion is running (its biller lock is held) is skipped. The biller lock is held during the
capture, so a conversion cannot start under it.

Workers: `workers` billers are captured at once, each worker a thread with its own Playwright and
its own browser (or its own connection to `browser_endpoint`): a sync Playwright object belongs to
the thread that made it, and a browser per worker keeps one biller's hung page from stalling the
others. bench/scheduled.py measures billers per minute and peak memory for 1, 2 and 4 workers
against crm_sim; run it on the machine that will run the schedule to pick `--workers`.

Measured with bench/scheduled.py on a 2-core machine, 12 billers in steady state (capture,
comparison and report each), one round; CPU is what the robot's processes used, memory the
peak PSS of its process tree:

    workers   wall     billers/min   CPU s per biller   peak memory
       1     35.8 s       20.1             3.5              1.15 GB
       2     27.0 s       26.6             3.5              1.39 GB
       4     28.2 s       25.6             3.8              1.95 GB

Throughput rises up to as many workers as cores and falls past it. One browser shared by the
workers saves memory but, past one worker per core, costs CPU per biller (every screenshot
crosses one more process: 4.4 CPU s a biller with 4 workers sharing, 3.8 with their own), and
CPU is what 2 cores run out of: each worker launches its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pages.overrides import SelectorOverrides
from robot.browser.launch import endpoint_label
from robot.browser.saved_session import SavedSession
from robot.browser.session import BrowserSession
from robot.browser.signin import check_sign_in
from robot.capture.screens import capture_biller, capture_dir
from robot.compare.report import build_report
from robot.core.capture_format import read_capture
from robot.core.errors import (
    BrowserError,
    CrmError,
    ExitCode,
    LockedError,
    RobotError,
    SavedSessionExpiredError,
    ScreenChangedError,
    ScreenNotShownError,
)
from robot.core.fingerprint import load_or_create_salt
from robot.core.retry import Fault, Retry
from robot.core.settings import Settings
from robot.plan.watchlist import Watched
from robot.run.lock import BillerLock, ScheduleLock
from robot.scheduled.pool import Pool, Worker
from robot.scheduled.publish import publish
from robot.scheduled.retention import prune
from robot.scheduled.runs import planned_by, runs_between
from robot.scheduled.store import (
    REPORT_DIR,
    StoredCapture,
    comparison_base,
    list_captures,
    mark,
)
from robot.scheduled.summary import (
    BillerSummary,
    ScheduledSummary,
    Status,
    counts,
    overall_exit_code,
    planned_changes,
    unplanned_changes,
)

ATTEMPTS = 2  # a capture broken on the browser's side is started once more, then reported


@dataclass(frozen=True)
class ScheduledOptions:
    output_root: Path
    workers: int = 1
    keep: int | None = None
    browser_endpoint: str | None = None
    headless: bool | None = None
    selectors: SelectorOverrides | None = None
    summary_path: Path | None = None
    notify_url: str | None = None
    attempts: int = ATTEMPTS


def run_scheduled(
    plans: Sequence[Watched],
    settings: Settings,
    options: ScheduledOptions,
    say: Callable[[str], None],
) -> ScheduledSummary:
    """Capture and compare every biller; LockedError when another run holds the output root."""
    headed = options.headless is False or (options.headless is None and not settings.headless)
    saved = check_sign_in(settings, headed=headed)  # exit 2 before any browser opens
    lock = ScheduleLock(options.output_root)
    if not lock.acquire():
        raise LockedError(lock.busy_message())
    try:
        return _Run(list(_unique(plans, say)), settings, options, say, saved).run()
    finally:
        lock.release()


def browser_label(endpoint: str | None) -> str:
    """How the summary names the browser: never the endpoint's path or query (a grid's token)."""
    return endpoint_label(endpoint) if endpoint else "launched"


class _Run:
    def __init__(
        self,
        plans: list[Watched],
        settings: Settings,
        options: ScheduledOptions,
        say: Callable[[str], None],
        saved: SavedSession | None,
    ) -> None:
        self.plans = plans
        self.saved = saved
        self.settings = settings
        self.options = options
        self.root = options.output_root
        self.endpoint = options.browser_endpoint or settings.browser_endpoint
        self._say = say
        self._said = threading.Lock()
        self._done = 0

    def run(self) -> ScheduledSummary:
        started, clock = datetime.now(UTC), time.monotonic()
        self.salt = load_or_create_salt(self.root)
        workers = max(1, min(self.options.workers, len(self.plans)))
        self.say(
            f"scheduled capture: {len(self.plans)} biller(s), {workers} worker(s), "
            f"browser {browser_label(self.endpoint)}, output {self.root}"
        )
        pool: Pool[Watched, BillerSummary] = Pool(
            workers, self._open_session, self._capture_one, self._crashed
        )
        billers = pool.run(self.plans)
        summary = ScheduledSummary(
            started_at=started.replace(microsecond=0),
            finished_at=datetime.now(UTC).replace(microsecond=0),
            duration_s=round(time.monotonic() - clock, 2),
            output_root=str(self.root),
            workers=workers,
            browser=browser_label(self.endpoint),
            exit_code=int(overall_exit_code(billers)),
            counts=counts(billers),
            billers=billers,
        )
        publish(summary, self.root, self.options.summary_path, self.options.notify_url, self.say)
        done = ", ".join(f"{n} {status}" for status, n in summary.counts.items() if n)
        self.say(f"scheduled capture done in {summary.duration_s:.1f}s: {done}")
        return summary

    def say(self, message: str) -> None:
        with self._said:
            self._say(message)

    def _finished(self, summary: BillerSummary) -> BillerSummary:
        with self._said:
            self._done += 1
            self._say(f"[{self._done}/{len(self.plans)}] {summary.line()}")
        return summary

    def _open_session(self) -> BrowserSession:
        return BrowserSession(
            self.settings,
            headless=self.options.headless,
            browser_endpoint=self.endpoint,
            selectors=self.options.selectors,
            fingerprints_root=self.root,
            saved=self.saved,
        )

    # --- one biller ------------------------------------------------------------------------------

    def _capture_one(self, worker: Worker, plan: Watched) -> BillerSummary:
        clock = time.monotonic()
        folder = capture_dir(self.root, plan.biller_slug, "scheduled")
        lock = BillerLock(self.root / plan.biller_slug, plan.biller.id, f"scheduled-{folder.name}")
        try:
            lock.acquire()
        except LockedError as exc:
            return self._finished(_summary(plan, "busy", ExitCode.OK, error=exc.message))
        try:
            started = datetime.now(UTC)
            base = comparison_base(list_captures(folder.parent))
            self.say(f"{plan.biller.name} ({plan.biller.id}): capturing (worker {worker.index})")
            attempts, error = self._capture(worker, plan, folder)
            if error is not None:
                mark(folder, "failed", attempts=attempts, error=error.message)
                summary = _summary(plan, "failed", error.exit_code, error=error.message)
            else:
                mark(folder, "good", baseline=base is None, attempts=attempts)
                summary = self._compare(plan, folder, base, attempts, started)
            summary.capture, summary.attempts = str(folder), attempts
            summary.duration_s = round(time.monotonic() - clock, 2)
            if self.options.keep:
                prune(folder.parent, self.options.keep)
            return self._finished(summary)
        finally:
            lock.release()

    def _capture(
        self, worker: Worker, plan: Watched, folder: Path
    ) -> tuple[int, RobotError | None]:
        """(attempts made, the error of the last one or None when the capture is good)."""
        tried = 0

        def capture(attempt: int) -> None:
            nonlocal tried
            tried = attempt
            session = worker.session()
            capture_biller(
                session,
                plan,
                "scheduled",
                folder,
                run_id=f"scheduled-{folder.name}",
                salt=self.salt,
            )
            read_capture(folder)  # all nine screens there, each matching its manifest

        def on_fault(fault: Fault[CrmError]) -> None:
            if isinstance(fault.error, BrowserError):
                worker.discard()  # a browser that failed once is not trusted again

        def announce(fault: Fault[CrmError]) -> None:
            self.say(
                f"{plan.biller.name} ({plan.biller.id}): attempt {fault.attempt} failed "
                f"({fault.error.message}); trying again"
            )

        retry = Retry(
            tries=self.options.attempts,
            retry_on=(CrmError,),
            # The screen itself changed: another try shows the same; a screen not shown was
            # opened again by capture_biller already.
            never=(ScreenChangedError, ScreenNotShownError, SavedSessionExpiredError),
            on_fault=on_fault,
            announce=announce,
        )
        try:
            retry.run(capture)
        except RobotError as exc:
            # The last try's fault, or one not worth a retry (another biller shown, unreadable
            # files).
            return tried, exc
        return tried, None

    def _compare(
        self,
        plan: Watched,
        folder: Path,
        base: StoredCapture | None,
        attempts: int,
        started: datetime,
    ) -> BillerSummary:
        if base is None or base.status is None:
            return _summary(plan, "baseline", ExitCode.OK)
        runs = runs_between(self.root / plan.biller_slug, base.status.written_at, started)
        ran = ", ".join(r.run_id for r in runs)
        try:
            expected = planned_by(runs, base.folder, folder)
            report = build_report(
                base.folder,
                folder,
                folder / REPORT_DIR,
                expected=expected,
                title=(
                    f"{plan.biller.name} ({plan.biller.id}): scheduled capture {folder.name} "
                    f"against {base.name}" + (f"; planned: the writes of run {ran}" if runs else "")
                ),
            )
        except RobotError as exc:
            error = (
                f"the capture is good, but comparing it with {base.folder} failed: {exc.message}"
            )
            summary = _summary(plan, "failed", exc.exit_code, error=error)
            summary.compared_with = str(base.folder)
            return summary
        screens, unplanned = unplanned_changes(report)
        mark(folder, "good", compared_with=base.name, changed=bool(unplanned), attempts=attempts)
        planned = planned_changes(report)
        status: Status = "changed" if unplanned else ("planned" if planned else "unchanged")
        summary = _summary(plan, status, ExitCode.PROBLEM_FOUND if unplanned else ExitCode.OK)
        summary.compared_with = str(base.folder)
        summary.screens_changed = screens
        summary.unplanned = unplanned
        summary.planned = planned
        summary.runs = [r.run_id for r in runs]
        summary.report = str(report.index_html)
        return summary

    def _crashed(self, plan: Watched, exc: BaseException) -> BillerSummary:
        error = f"unexpected {type(exc).__name__}: {exc}"
        return self._finished(_summary(plan, "failed", ExitCode.CRM_FAILED, error=error))


def _summary(plan: Watched, status: str, code: int, *, error: str | None = None) -> BillerSummary:
    return BillerSummary(
        biller_id=plan.biller.id,
        name=plan.biller.name,
        slug=plan.biller_slug,
        status=status,  # type: ignore[arg-type]  # one of STATUSES, checked by pydantic
        exit_code=int(code),
        error=error,
    )


def _unique(plans: Sequence[Watched], say: Callable[[str], None]) -> list[Watched]:
    """One capture per biller, even when two plan files name the same one."""
    seen: dict[str, Watched] = {}
    for plan in plans:
        if plan.biller.id in seen:
            say(
                f"warning: {plan.source} names biller {plan.biller.id} again "
                f"(as {seen[plan.biller.id].source}); it is captured once"
            )
            continue
        seen[plan.biller.id] = plan
    return list(seen.values())
