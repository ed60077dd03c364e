"""Checkpoints: who answers, what each answer does, and what the journal records."""

from __future__ import annotations

import getpass
import io
from pathlib import Path

import pytest

from robot.core.errors import AbortedByUser
from robot.run.checkpoints import Checkpoints, CheckpointStop
from robot.run.journal import Journal, read_events

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
