"""Checkpoints: where the robot waits for a person's go-ahead, and what it does without one.

A checkpoint is asked before a step makes its changes. In a headed run with a terminal, the PM
answers continue / skip / abort. `--yes` answers continue everywhere. A headless run without
`--yes` passes the ordinary checkpoints, but stops at one that needs a confirmation only a
person can give (go-live: the provider confirmed readiness). Every answer goes into the journal.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from robot.core.errors import AbortedByUser
from robot.run.journal import RunJournal
from scenarios.ports import Answer

_ANSWERS: dict[str, Answer] = {
    "c": "continue",
    "continue": "continue",
    "y": "continue",
    "yes": "continue",
    "s": "skip",
    "skip": "skip",
    "a": "abort",
    "abort": "abort",
    "q": "abort",
}


class CheckpointStop(AbortedByUser):
    """A confirmation only a person can give is missing in a run that cannot ask for it."""

    def __init__(self, message: str, step: str) -> None:
        super().__init__(message)
        self.step = step  # where a resumed run continues


@dataclass
class Checkpoints:
    journal: RunJournal  # a NullJournal in a dry run
    interactive: bool  # a headed run with a terminal to ask on
    yes: bool  # --yes: continue at every checkpoint
    resume_hint: str  # "crm-robot convert PLAN --resume RUN" for messages
    ask: Callable[[str], str] = input
    err: TextIO = sys.stderr

    def confirm(self, step: str, question: str, *, required: bool = False) -> Answer:
        """The answer at one checkpoint. `required`: a person must confirm (go-live)."""
        if self.yes:
            self._record(step, question, "yes", "--yes")
            return "continue"
        if self.interactive:
            answer = self._prompt(question)
            self._record(step, question, answer, "terminal")
            if answer == "abort":
                raise AbortedByUser(
                    f"stopped at the {step} checkpoint as asked; nothing more was changed. "
                    f"Continue later with: {self.resume_hint}"
                )
            return answer
        if required:
            self._record(step, question, "stop", "no one: no terminal, no --yes")
            raise CheckpointStop(
                f"{step}: {question} This run cannot ask (no terminal, no --yes), so it stopped "
                f"before {step}; nothing of {step} was changed. Once confirmed, resume from "
                f"{step} with: {self.resume_hint} --yes",
                step,
            )
        return "continue"

    def _prompt(self, question: str) -> Answer:
        while True:
            print(f"\n{question}", file=self.err)
            try:
                raw = self.ask("[c]ontinue / [s]kip / [a]bort? ")
            except EOFError:
                return "abort"
            answer = _ANSWERS.get(raw.strip().lower())
            if answer is not None:
                return answer
            print("Please answer c (continue), s (skip) or a (abort).", file=self.err)

    def _record(self, step: str, question: str, answer: str, source: str) -> None:
        """The answer, where it was given, and who was at the keyboard (the system user)."""
        user = getpass.getuser()
        self.journal.event(
            "checkpoint", step=step, question=question, answer=answer, source=source, user=user
        )
