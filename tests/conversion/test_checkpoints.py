"""Checkpoints: who answers, what each answer does, and what the journal records."""

from __future__ import annotations

import getpass
import io
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from robot.browser.panel import PanelGone
from robot.core.errors import AbortedByUser
from robot.run.checkpoints import Checkpoints, CheckpointStop
from robot.run.journal import Journal, read_events
from scenarios.ports import Answer, Shown

QUESTION = "Has the provider confirmed go-live readiness?"
HINT = "crm-robot convert plan.toml --resume RUN"


def _checkpoints(
    tmp_path: Path, *, interactive: bool, yes: bool, answers: list[str]
) -> Checkpoints:
    replies = iter(answers)
    return Checkpoints(
        Journal(tmp_path, "run"),
        interactive=interactive,
        yes=yes,
        resume_hint=HINT,
        ask=lambda _prompt: next(replies),
        err=io.StringIO(),
    )


def _answers(tmp_path: Path) -> list[str]:
    return [e["answer"] for e in read_events(tmp_path / "journal.jsonl")]


@pytest.mark.parametrize(
    ("interactive", "yes", "typed", "source"),
    [
        (False, True, [], "--yes"),
        (True, False, ["c"], "terminal"),
    ],
)
def test_the_journal_says_where_an_answer_was_given_and_by_whom(
    tmp_path: Path, interactive: bool, yes: bool, typed: list[str], source: str
) -> None:
    _checkpoints(tmp_path, interactive=interactive, yes=yes, answers=typed).confirm("datapump", "?")
    (event,) = read_events(tmp_path / "journal.jsonl")
    assert (event["source"], event["user"]) == (source, getpass.getuser())


@pytest.mark.parametrize(
    ("interactive", "yes", "typed", "answer", "journaled"),
    [
        (False, True, [], "continue", ["yes"]),
        (True, True, [], "continue", ["yes"]),
        (True, False, ["c"], "continue", ["continue"]),
        (True, False, ["maybe", "s"], "skip", ["skip"]),
        (False, False, [], "continue", []),  # headless, an ordinary checkpoint: go on
    ],
)
def test_a_checkpoint_answer_is_taken_and_journaled(
    tmp_path: Path,
    interactive: bool,
    yes: bool,
    typed: list[str],
    answer: str,
    journaled: list[str],
) -> None:
    checkpoints = _checkpoints(tmp_path, interactive=interactive, yes=yes, answers=typed)
    assert checkpoints.confirm("ftp-setup", "2 changes.") == answer
    assert _answers(tmp_path) == journaled


def test_abort_at_a_checkpoint_stops_the_run_and_says_how_to_resume(tmp_path: Path) -> None:
    checkpoints = _checkpoints(tmp_path, interactive=True, yes=False, answers=["a"])
    with pytest.raises(AbortedByUser, match=r"stopped at the ftp-setup checkpoint .* --resume RUN"):
        checkpoints.confirm("ftp-setup", "2 changes.")
    assert _answers(tmp_path) == ["abort"]


def test_go_live_without_a_person_or_yes_stops_before_the_step(tmp_path: Path) -> None:
    checkpoints = _checkpoints(tmp_path, interactive=False, yes=False, answers=[])
    with pytest.raises(CheckpointStop, match=r"stopped before go-live; .* --resume RUN --yes"):
        checkpoints.confirm("go-live", QUESTION, required=True)
    assert _answers(tmp_path) == ["stop"]


class FakePanel:
    """The page panel as Checkpoints sees it: answers after `after` looks, or the page goes."""

    def __init__(self, answer: Answer | None, after: int = 0, gone: bool = False) -> None:
        self.given, self.after, self.gone = answer, after, gone
        self.shown: list[tuple[Shown, bool]] = []
        self.closed = 0

    def open(self, shown: Shown, *, required: bool) -> None:
        self.shown.append((shown, required))

    def answer(self, wait_ms: int) -> Answer | None:
        if self.gone:
            raise PanelGone("Target page, context or browser has been closed")
        if self.after > 0:
            self.after -= 1
            time.sleep(wait_ms / 1000)  # the fake page's own wait, as the real one waits
            return None
        return self.given

    def close(self) -> None:
        self.closed += 1


def _with_panel(
    tmp_path: Path, panel: FakePanel, *, terminal: bool, typed: Callable[[str], str]
) -> Checkpoints:
    return Checkpoints(
        Journal(tmp_path, "run"),
        interactive=terminal,
        yes=False,
        resume_hint=HINT,
        ask=typed,
        err=io.StringIO(),
        panel=panel,
    )


def _never_typed(_prompt: str) -> str:
    threading.Event().wait()  # a terminal nobody types in
    raise AssertionError("unreachable")


def _typed_once(line: str) -> Callable[[str], str]:
    lines = iter([line])

    def ask(_prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    return ask


@pytest.mark.parametrize(
    ("panel", "terminal", "typed", "answer", "source"),
    [
        (FakePanel("skip"), False, _never_typed, "skip", "page"),
        (FakePanel("continue", after=2), True, _never_typed, "continue", "page"),
        (FakePanel(None, after=1000), True, _typed_once("s"), "skip", "terminal"),
        (FakePanel("continue", after=3), True, _typed_once("maybe"), "continue", "page"),
        (FakePanel(None, gone=True), True, _typed_once("c"), "continue", "terminal"),
    ],
)
def test_whichever_answers_first_page_or_terminal_wins_and_is_journaled(
    tmp_path: Path,
    panel: FakePanel,
    terminal: bool,
    typed: Callable[[str], str],
    answer: str,
    source: str,
) -> None:
    checkpoints = _with_panel(tmp_path, panel, terminal=terminal, typed=typed)
    shown = Shown("5/10 DataPump", "Make these 1 change(s)?", ("a: 1 -> 2",))
    assert checkpoints.confirm("datapump", "5/10 DataPump: 1 change(s).", shown=shown) == answer
    (event,) = read_events(tmp_path / "journal.jsonl")
    assert (event["answer"], event["source"]) == (answer, source)
    assert panel.shown == [(shown, False)]
    assert panel.closed == (0 if panel.gone else 1)  # never left open for the step's screenshots


def test_go_live_asks_the_page_for_a_confirmation(tmp_path: Path) -> None:
    panel = FakePanel("continue")
    checkpoints = _with_panel(tmp_path, panel, terminal=False, typed=_never_typed)
    assert checkpoints.confirm("go-live", QUESTION, required=True) == "continue"
    assert panel.shown == [(Shown("go-live", QUESTION), True)]


def test_a_browser_closed_at_a_checkpoint_without_a_terminal_stops_the_run(tmp_path: Path) -> None:
    checkpoints = _with_panel(tmp_path, FakePanel(None, gone=True), terminal=False, typed=input)
    with pytest.raises(AbortedByUser, match=r"browser window closed .* --resume RUN"):
        checkpoints.confirm("datapump", "?")
    assert _answers(tmp_path) == []
