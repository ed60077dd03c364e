"""The check every case of the fault matrix ends with (`check_case`), and the secret scan of a
case's runs (`scan_case`).

What `check_case` holds a case to:
- the last run's exit code is the documented one (and says what the case expects it to say);
- each write step's part of `/api/state` is the target (step finished), the start (step never
  reached), or anything only when the journal names that step as failed (a person must look);
  steps the runs did not go through changed nothing;
- after a step failed, the run started no other step and made no other write;
- no maintenance window, PDF setting, Zip File setting or History change exists twice;
- the journal's writes and the CRM's History agree one for one (robot/run/audit.py's reconcile), and
  a step that had nothing to do journaled no write;
- an exit 0 run printed the audit line for what it did; no lock is left behind;
- no secret (fresh ones and the biller's seeded ones) in any output, file, zip member or trace;
  every masked region of every capture is one solid colour.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from robot.core.errors import ExitCode
from robot.core.steps import STEP_IDS
from robot.run.audit import reconcile
from robot.run.journal import iter_writes, read_events, summarize, unanswered_intents
from robot.run.lock import LOCK_NAME, is_locked
from tests.reliability.canaries import Canary, Scanner, assert_no_leaks, unmasked_regions
from tests.reliability.robots import Robot, Run
from tests.reliability.states import (
    SECTION_STEPS,
    WINDOW_STEPS,
    WRITE_STEPS,
    our_window,
    section,
    targets,
    windows,
)

AUDIT_LINE = "audit: {n} History entries match journal writes one for one; nothing unaccounted for"


@dataclass(frozen=True)
class Expect:
    exit: ExitCode
    steps: tuple[str, ...] = STEP_IDS  # the steps the case's runs went through
    says: tuple[str, ...] = ()  # in the last run's output
    untouched: bool = False  # the biller's state must be exactly the start state
    needs_person: str | None = None  # the step the journal must name as failed


def seeded_secrets(state: dict[str, Any]) -> list[Canary]:
    """The biller's own secret settings as the CRM holds them (10, 13 and the passwords)."""
    return [
        Canary(f"setting {n} ({s['name']})", s["value"])
        for n, s in state["advanced_settings"].items()
        if (n in ("10", "13") or "password" in s["name"].lower()) and len(s["value"]) >= 8
    ]


def check_case(robot: Robot, start: dict[str, Any], expect: Expect) -> dict[str, Any]:
    """Every invariant of the matrix for one finished case; returns the final state."""
    assert robot.runs, "the case ran nothing"
    last = robot.runs[-1]
    output = last.stdout + last.stderr
    assert last.returncode == expect.exit, (
        f"exit {last.returncode}, the contract says {int(expect.exit)}:\n{output}"
    )
    for text in expect.says:
        assert text in output, f"{text!r} not in the output:\n{output}"
    state = robot.state()
    if expect.untouched:
        assert state == start, "the biller changed though the case expects it untouched"

    events = robot.events()
    journal = summarize(events)
    finished, failed = set(journal.finished), set(journal.failed)
    if expect.needs_person is not None:
        assert expect.needs_person in failed, f"the journal does not name {expect.needs_person}"
    _check_stopped_at_the_failure(robot.last_events())
    _check_sections(robot, start, state, expect, finished, failed)
    _check_no_duplicates(state, start)
    _check_journal_against_history(robot, start, state, expect, events)
    if last.returncode == 0 and "--dry-run" not in last.args:
        _check_audit_printed(robot, state, last)
    assert not is_locked(robot.biller_dir / LOCK_NAME), "the biller's lock was left behind"
    scan_case(robot, start)
    return state


def _check_sections(
    robot: Robot,
    start: dict[str, Any],
    state: dict[str, Any],
    expect: Expect,
    finished: set[str],
    failed: set[str],
) -> None:
    wanted = targets(robot.plan, robot.secrets.key_password, start)
    for step in SECTION_STEPS:
        now, before = section(state, step), section(start, step)
        if step not in expect.steps:
            assert now == before, f"{step} changed, though no run went through it"
        elif step in finished:
            assert now == wanted[step], f"{step} finished, but its screens are not as planned"
        elif step not in failed:
            assert now in (before, wanted[step]), f"{step} is half done and no step failed"
    if failed & set(WINDOW_STEPS):
        return  # the journal names the step a person must look at
    now = windows(state)
    allowed = [windows(start)]
    if "maintenance-window" in expect.steps:
        allowed.append(wanted["maintenance-window"])
    if "go-live" in expect.steps:
        allowed.append(wanted["go-live"])
    if "go-live" in finished and any(w == our_window(robot.plan, True) for w in now):
        raise AssertionError("go-live finished, yet the maintenance window is still active")
    if "maintenance-window" in finished and "go-live" not in expect.steps:
        allowed = [wanted["maintenance-window"]]
    assert now in allowed, f"maintenance windows are neither as at the start nor as planned: {now}"


def _check_stopped_at_the_failure(events: list[dict[str, Any]]) -> None:
    """After a step failed, the run started no other step and made no other write."""
    starts = [i for i, e in enumerate(events) if e["event"] == "run-start"]
    events = events[starts[-1] :] if starts else events  # the last process of the run
    fails = [i for i, e in enumerate(events) if e["event"] == "step-fail"]
    if not fails:
        return
    after = [e["event"] for e in events[fails[-1] :]]
    assert not {"step-start", "intent", "write"} & set(after), f"the run went on: {after}"


def _check_no_duplicates(state: dict[str, Any], start: dict[str, Any]) -> None:
    def twice(items: list[Any]) -> list[Any]:
        return sorted({json.dumps(i) for i in items if items.count(i) > 1})

    assert not twice([w["description"] for w in state["maintenance_windows"]]), "window twice"
    assert not twice([s["path"] for s in state["pdf_settings"]]), "PDF setting twice"
    assert not twice([s["path"] for s in state["zip_settings"]]), "Zip File setting twice"
    new = state["history"][len(start["history"]) :]
    keys = [(h["screen"], h["field"], h["old"], h["new"]) for h in new]
    assert not twice(keys), f"a change was made twice: {twice(keys)}"


@dataclass(frozen=True)
class _Entry:
    screen: str
    field: str
    old: str
    new: str


def _check_journal_against_history(
    robot: Robot,
    start: dict[str, Any],
    state: dict[str, Any],
    expect: Expect,
    events: list[dict[str, Any]],
) -> None:
    new = [_Entry(h["screen"], h["field"], h["old"], h["new"]) for h in state["history"]]
    new = new[len(start["history"]) :]
    writes = list(iter_writes(events))
    writes += [{**i, "result": "uncertain: interrupted"} for i in unanswered_intents(events)]
    result = reconcile(writes, new)
    assert result.ok, "journal and History disagree:\n" + "\n".join(result.lines())
    # A step with nothing to do journals no write (the capture, test and verify steps never do).
    wanted = targets(robot.plan, robot.secrets.key_password, start)
    idle = {s for s in expect.steps if s not in WRITE_STEPS}
    idle |= {s for s in (*SECTION_STEPS, "maintenance-window") if section(start, s) == wanted[s]}
    busy = sorted({e["step"] for e in events if e["event"] in ("write", "intent")} & idle)
    assert not busy, f"steps with nothing to do journaled writes: {busy}"


def _check_audit_printed(robot: Robot, state: dict[str, Any], last: Run) -> None:
    match = re.search(r"^run: (\S+)$", last.stdout, re.MULTILINE)
    assert match, f"no run id in the summary:\n{last.stdout}"
    events = read_events(robot.biller_dir / match.group(1) / "journal.jsonl")
    mark = next(e["count"] for e in events if e["event"] == "history-mark")
    line = AUDIT_LINE.format(n=len(state["history"]) - mark)
    assert line in last.stdout, f"{line!r} not in the summary:\n{last.stdout}"


def scan_case(robot: Robot, start: dict[str, Any], *extra: Canary) -> Scanner:
    """No secret anywhere the case's runs printed or wrote; every mask solid."""
    scanner = Scanner([*robot.secrets.canaries(), *seeded_secrets(start), *extra])
    for n, run in enumerate(robot.runs):
        scanner.text(f"run {n} stdout", run.stdout).text(f"run {n} stderr", run.stderr)
    if robot.out.exists():
        scanner.folder(robot.out)
    assert_no_leaks(scanner)
    if robot.out.exists():
        assert unmasked_regions(robot.out) == []
    return scanner
