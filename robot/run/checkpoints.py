"""Checkpoints: where the robot waits for a person's go-ahead, and what it does without one.

A checkpoint is asked before a step makes its changes. In a headed run the PM answers continue /
skip / abort in the page they watch (robot/browser/panel.py) or, when the run has a terminal, by
typing there: whichever answers first wins. `--yes` answers continue everywhere. A headless run
without `--yes` passes the ordinary checkpoints, but stops at one that needs a confirmation only
a person can give (go-live: the provider confirmed readiness). Every answer goes into the
journal with where it was given and the operating-system user.
"""

from __future__ import annotations

import getpass
import queue
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from robot.browser.panel import PanelGone
from robot.core.errors import AbortedByUser
from robot.run.journal import RunJournal
from scenarios.ports import Answer, Shown

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
PROMPT = "[c]ontinue / [s]kip / [a]bort? "
# How long the page is given between looks at the terminal, when both can answer.
_POLL_MS = 200


class PagePanel(Protocol):
    """The checkpoint panel in the page of a headed run (robot.browser.panel.CheckpointPanel)."""

    def open(self, shown: Shown, *, required: bool) -> None: ...

    def answer(self, wait_ms: int) -> Answer | None: ...

    def close(self) -> None: ...


class CheckpointStop(AbortedByUser):
    """A confirmation only a person can give is missing in a run that cannot ask for it."""

    def __init__(self, message: str, step: str) -> None:
        super().__init__(message)
        self.step = step  # where a resumed run continues


@dataclass
class _Lines:
    """The terminal's lines, read by a thread of their own so the page can answer meanwhile.
    One reader for the whole run: a line typed after the page answered is not lost to a
    forgotten thread; it is dropped when the next question starts."""

    ask: Callable[[str], str]
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)  # None: input ended
    started: bool = False

    def start(self, *, drop_stale: bool) -> None:
        if self.started:
            if drop_stale:
                self._drop_stale()
            return
        self.started = True
        threading.Thread(target=self._read, name="checkpoint-terminal", daemon=True).start()

    def get(self, timeout: float | None) -> str | None:
        """The next line typed; None if none came within `timeout` (0: only one already
        typed). EOFError once the terminal's input has ended."""
        try:
            line = self.lines.get(timeout=timeout) if timeout != 0 else self.lines.get_nowait()
        except queue.Empty:
            return None
        if line is None:
            self.lines.put(None)  # the end stays the end for whoever asks next
            raise EOFError
        return line

    def _drop_stale(self) -> None:
        while not self.lines.empty():
            if self.lines.get_nowait() is None:
                self.lines.put(None)
                return

    def _read(self) -> None:
        while True:
            try:
                self.lines.put(self.ask(""))
            except (EOFError, OSError):
                self.lines.put(None)
                return


@dataclass
class Checkpoints:
    journal: RunJournal  # a NullJournal in a dry run
    interactive: bool  # a headed run with a terminal to ask on
    yes: bool  # --yes: continue at every checkpoint
    resume_hint: str  # "crm-robot convert PLAN --resume RUN" for messages
    ask: Callable[[str], str] = input
    err: TextIO = sys.stderr
    panel: PagePanel | None = None  # a headed run's page panel
    _terminal: _Lines | None = field(default=None, init=False)

    def confirm(
        self, step: str, question: str, *, required: bool = False, shown: Shown | None = None
    ) -> Answer:
        """The answer at one checkpoint. `required`: a person must confirm (go-live)."""
        if self.yes:
            self._record(step, question, "yes", "--yes")
            return "continue"
        if self.interactive or self.panel is not None:
            answer, source = self._ask(question, required, shown or Shown(step, question))
            self._record(step, question, answer, source)
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

    def _ask(self, question: str, required: bool, shown: Shown) -> tuple[Answer, str]:
        """The answer and where it was given: "page" or "terminal"."""
        if self.panel is None:
            return self._prompt(question), "terminal"
        print(f"\n{question}", file=self.err)
        where = "in the browser window or here" if self.interactive else "in the browser window"
        print(f"Answer {where}: {PROMPT}", file=self.err, flush=True)
        try:
            self.panel.open(shown, required=required)
            answer = self._race(self.panel)
            self.panel.close()
        except PanelGone:
            if not self.interactive:
                raise AbortedByUser(
                    "the browser window closed while the checkpoint waited for an answer; "
                    f"nothing more was changed. Continue later with: {self.resume_hint}"
                ) from None
            return self._typed(question), "terminal"
        return answer

    def _race(self, panel: PagePanel) -> tuple[Answer, str]:
        terminal = self._lines() if self.interactive else None
        while True:
            answer = panel.answer(_POLL_MS)
            if answer is not None:
                print(f"answered in the page: {answer}", file=self.err)
                return answer, "page"
            try:
                line = terminal.get(0) if terminal else None
            except EOFError:
                terminal = None  # the terminal's input ended: the page alone answers now
                continue
            typed = _ANSWERS.get(line.strip().lower()) if line is not None else None
            if typed is not None:
                return typed, "terminal"
            if line is not None:
                print("Please answer c (continue), s (skip) or a (abort).", file=self.err)

    def _typed(self, question: str) -> Answer:
        """The terminal alone, once the page is gone: the reader the race started goes on."""
        lines = self._lines(drop_stale=False)

        def read(prompt: str) -> str:
            print(prompt, file=self.err, flush=True)
            return lines.get(None) or ""

        return self._prompt(question, read)

    def _lines(self, *, drop_stale: bool = True) -> _Lines:
        if self._terminal is None:
            self._terminal = _Lines(self.ask)
        self._terminal.start(drop_stale=drop_stale)
        return self._terminal

    def _prompt(self, question: str, read: Callable[[str], str] | None = None) -> Answer:
        while True:
            print(f"\n{question}", file=self.err)
            try:
                raw = (read or self.ask)(PROMPT)
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
