"""The context a scenario works in: the plan, the browser session, the journal, the checkpoints.

Scenarios reach CRM screens only through `ctx.screen(PageClass)`, which hands out one page object
per screen for the selected biller. They make each write through `ctx.write(changes, action)`,
which journals the intent, runs the page-object action, and journals how it ended; secrets are
`"changed"` before anything reaches the file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

from pages.base import CrmSession
from pages.biller import BillerPage
from robot.core.errors import BusinessRuleError, TransientCrmError
from robot.core.steps import Step
from robot.plan.credentials import RtdrCredentials
from robot.plan.model import ConversionPlan
from scenarios.base import Change, Check
from scenarios.ports import Answer, Asker, RunRecord, Shown, Undo

P = TypeVar("P", bound=BillerPage)

# Changes that are not CRM writes: journaled as `action`, never counted as writes.
NON_WRITES = frozenset({"capture", "run"})


@dataclass
class Context:
    plan: ConversionPlan
    session: CrmSession
    credentials: RtdrCredentials
    run_dir: Path | None  # None in a dry run: nothing is written anywhere
    journal: RunRecord  # a journal that keeps nothing in a dry run
    checkpoints: Asker
    step: Step
    total_steps: int = 10
    dry_run: bool = False
    # --go-live-anyway: go-live deactivates the window although a readiness check failed.
    go_live_anyway: bool = False
    # Steps finished in this run (or, on --resume, in the run resumed).
    finished: set[str] = field(default_factory=set)
    # Set by the runner: shows a detail in the headed banner ("new PDF setting").
    show: Callable[[str], None] = lambda _detail: None
    # Set by the runner: the capture of one phase into a folder of the run.
    capture: Callable[[str], Path] | None = None
    err: TextIO = sys.stderr
    # A rollback: the conversion's writes it undoes (None in a conversion).
    undo: Undo | None = None
    # Set by the runner: the checks that passed in this run, by the scenario that made them,
    # while no CRM write has come since: what they read still holds (go-live takes the verify
    # step's). Asked when needed: a write of the step itself ends them too.
    standing: Callable[[], Mapping[object, list[Check]]] = lambda: {}
    # What a scenario wants to keep between read/apply/verify (e.g. the Data Refresh result).
    scratch: dict[str, Any] = field(default_factory=dict)
    _screens: dict[type[BillerPage], BillerPage] = field(default_factory=dict)

    @property
    def biller_id(self) -> str:
        return self.plan.biller.id

    def screen(self, cls: type[P]) -> P:
        found = self._screens.get(cls)
        if found is None:
            found = cls(self.session, self.biller_id)
            self._screens[cls] = found
        assert isinstance(found, cls)
        return found

    def progress(self, text: str) -> None:
        print(f"  {text}", file=self.err)

    def record(self, change: Change, result: str = "ok") -> None:
        """Journal a change the CRM accepted (or one whose outcome is uncertain)."""
        if change.action in NON_WRITES:
            self.journal.event(
                "action",
                step=self.step.id,
                screen=change.screen,
                field=change.field,
                result=result,
            )
            return
        self.journal.write(
            step=self.step.id,
            screen=change.screen,
            field=change.field,
            old=change.old,
            new=change.new,
            result=result,
            secret=change.secret,
            action=change.action,
        )

    def write(self, changes: Change | list[Change], action: Callable[[], object]) -> None:
        """Make changes through one page-object action (one save) and journal how it ended.

        A transient fault leaves the outcome uncertain (the CRM may have stored it before it
        failed): journaled as such, then raised, so the runner re-reads before trying again.
        """
        batch = [changes] if isinstance(changes, Change) else list(changes)
        if not batch:
            return
        for change in batch:
            self.doing(change)
            self.intend(change)
        try:
            action()
        except TransientCrmError as exc:
            for change in batch:
                self.record(change, f"uncertain: {type(exc).__name__}")
            raise
        except BusinessRuleError:
            for change in batch:
                self.record(change, "refused")
            raise
        for change in batch:
            self.record(change)

    def intend(self, change: Change) -> None:
        """Journal a write about to be made: if the run is killed before the CRM answers, the
        journal still knows the write may have happened."""
        if change.action not in NON_WRITES:
            self.journal.intent(
                step=self.step.id,
                screen=change.screen,
                field=change.field,
                old=change.old,
                new=change.new,
                secret=change.secret,
                action=change.action,
            )

    def doing(self, change: Change) -> None:
        """Say what is about to happen: in the banner (headed) and on stderr."""
        self.show(change.note or change.field)
        self.progress(change.shown())

    def checkpoint(
        self, question: str, *, required: bool = False, shown: Shown | None = None
    ) -> Answer:
        return self.checkpoints.confirm(self.step.id, question, required=required, shown=shown)

    def step_done(self, step_id: str) -> bool:
        return step_id in self.finished
