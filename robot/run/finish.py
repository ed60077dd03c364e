"""The end of a conversion run, and the one thing it needs from the start.

- the History mark: how long the CRM's History was when the run began (once per run, kept in the
  journal, so a resumed run audits from the same point);
- the report: the before and after captures compared, each change marked planned or not;
- the audit: the journal's writes against the History entries made since the mark.

None of it happens in a dry run, which writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from pages.history import HistoryPage
from robot.browser.session import BrowserSession
from robot.core.capture_format import read_values
from robot.plan.expectations import expected_after
from robot.plan.model import ConversionPlan
from robot.run.audit import Reconciliation, reconcile
from robot.run.faults import crm_retry
from robot.run.journal import RunJournal, iter_writes, unanswered_intents
from robot.run.outcome import RunOutcome
from robot.run.printing import Printer
from robot.run.rollback import expected_restored
from robot.run.summary_page import run_notes

# How a rollback's report names its statuses: the "plan" is the conversion's before capture.
ROLLBACK_WORDS = {
    "planned": "restored",
    "missing": "still different",
    "Planned value": "Value before the conversion",
}


class Finish:
    def __init__(
        self,
        plan: ConversionPlan,
        session: BrowserSession,
        journal: RunJournal,
        printer: Printer,
        rollback_of: Path | None = None,
    ) -> None:
        self.plan = plan
        self.rollback_of = rollback_of  # a rollback: the conversion run it undoes
        self.session = session
        self.journal = journal
        self.printer = printer
        self.history_mark: int | None = None

    def mark_history(self) -> None:
        """Remember how long History was when the run began (once per run, for the audit)."""
        marks = [e for e in self.journal.events() if e.get("event") == "history-mark"]
        if marks:
            self.history_mark = int(marks[0]["count"])
            return
        history = HistoryPage(self.session, self.plan.biller.id)
        retry = crm_retry(self.session, "history", self.printer.progress)
        count = len(retry.run(lambda _attempt: history.open().read_entries()))
        self.history_mark = count
        self.journal.event("history-mark", count=count)

    def notes(self) -> list[str]:
        """What the journal says a reader must know: each go-live made with --go-live-anyway."""
        return run_notes(self.journal.events())

    def report(self, outcome: RunOutcome) -> None:
        """The before/after report, when both captures are there."""
        assert outcome.run_dir is not None
        before, after = outcome.run_dir / "before", outcome.run_dir / "after"
        if not (before / "manifest.json").is_file() or not (after / "manifest.json").is_file():
            return
        self.printer.progress("report: comparing before and after")
        # Imported here: the comparison's image libraries load only in a run that has both
        # captures, not in every run that starts (a tenth of a second each time).
        from robot.compare.report import build_report

        title, words = None, None
        if self.rollback_of is None:
            expected = expected_after(self.plan, read_values(before))
        else:
            # A rollback expects every field back as the conversion's own before capture shows it.
            original = self.rollback_of / "before"
            if not (original / "values.json").is_file():
                # Nothing to hold the fields to but the journal, which verify-restored did.
                note = (
                    f"run {self.rollback_of.name} has no before capture, so there is no report "
                    "of this rollback; the verify-restored table checked every field it wrote"
                )
                self.printer.progress(note)
                outcome.notes.append(note)
                return
            expected = expected_restored(read_values(original), read_values(before))
            biller = self.plan.biller
            title = f"{biller.name} ({biller.id}): rollback of run {self.rollback_of.name}"
            words = ROLLBACK_WORDS
        summary = build_report(
            before,
            after,
            outcome.run_dir / "report",
            expected=expected,
            notes=outcome.notes,
            title=title,
            words=words,
        )
        outcome.report = summary.index_html
        outcome.report_ok = summary.ok
        self.journal.event(
            "report",
            path=str(summary.index_html),
            ok=summary.ok,
            planned=summary.planned,
            missing=summary.missing,
            unplanned=summary.unplanned,
        )

    def reconcile(self) -> Reconciliation | None:
        """The journal's writes against History's new entries; None without a History mark."""
        if self.history_mark is None:
            return None
        history = HistoryPage(self.session, self.plan.biller.id)
        retry = crm_retry(self.session, "history", self.printer.progress)
        entries = retry.run(lambda _attempt: history.reload().read_entries())
        # Newest first: the entries above the length History had when the run began.
        new = entries[: max(0, len(entries) - self.history_mark)]
        events = self.journal.events()
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
