"""The run journal: an append-only `journal.jsonl` in the run folder, one JSON object per line.

Every line is flushed and fsync'ed before the robot goes on, so a run killed with SIGKILL loses
nothing it has already done, and `--resume RUN` can tell which steps finished. Secret values never
reach the file: a write of a secret is recorded as `"changed"` on both sides.

Events (field `event`), each with `ts` (UTC, ISO 8601, milliseconds) and `run` (the run id):

- `run-start`: `user`, `plan`, `biller` (`id`, `name`, `guid`), `env`, `options`, `resumed_from`
- `step-start` / `step-finish` / `step-skip`: `step`, `index`, `total`; finish has `changes`,
  skip has `reason`; `checks`: `step`, `rows` (`name`, `expected`, `found`, `ok`; secrets masked)
- `step-fail`: `step`, `error` (the message), `kind` (the error class), `screenshot` or null
- `intent`: a write about to be made: `step`, `screen`, `field`, `old`, `new`, `secret`,
  `action` (`set`, `create`, `remove`, `deactivate`: what a rollback undoes)
- `write`: the same fields and `result`: `ok`, `uncertain: <error class>` (a fault after the
  click: the CRM may or may not have stored it) or `refused` (a validation error)
- `action`: something done that is not a CRM write (capture, Data Refresh): `step`, `screen`,
  `field`, `result`
- `checkpoint`: `step`, `question`, `answer` (`continue`, `skip`, `abort`, `yes`, `stop`),
  `source` (`terminal`, `--yes`, or no one), `user` (the operating-system user)
- `retry`: `step`, `attempt`, `error` (the error class of the transient fault)
- `history-mark`: `count`, the length of the CRM's History when the run began (for the audit)
- `go-live-anyway`: `step`, `by` (the operating-system user), `failed` (the checks' names)
- `step-verify`: `step`, `ok`: a step finished earlier, read back on --resume
- `report`: `path`, `ok`, `planned`, `missing`, `unplanned` of the before/after report
- `audit`: `ok`, `matched`, `journal_only`, `history_only`: the journal against History
- `run-finish`: `status` (`ok`, `failed`, `stopped`, `aborted`), `changes`, `seconds`, and
  `resume_from` when a checkpoint stopped the run
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from robot.core.errors import UsageError
from robot.core.secrets import SECRET_CHANGED

JOURNAL_NAME = "journal.jsonl"


def new_run_id(now: datetime | None = None) -> str:
    """A run id like `20261126T140311Z-ab12`: sortable by time, unique by the random tail."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RunJournal(ABC):
    """The events of a run, each one `event(...)`; where an event goes is the subclass's."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.writes = 0  # write events of this process
        self.accepted = 0  # of which the CRM accepted (result ok)

    @abstractmethod
    def _keep(self, record: dict[str, Any]) -> None:
        """Keep one event (or not)."""

    @abstractmethod
    def events(self) -> list[dict[str, Any]]:
        """Every event of this run kept so far (by this process or the run it resumes)."""

    def close(self) -> None:
        return None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def event(self, event: str, **fields: Any) -> dict[str, Any]:
        record: dict[str, Any] = {"ts": _now(), "run": self.run_id, "event": event, **fields}
        self._keep(record)
        return record

    # --- named events -------------------------------------------------------------------------

    def run_start(
        self,
        *,
        plan: str,
        biller: Mapping[str, str],
        env: str,
        options: Mapping[str, Any],
        resumed_from: str | None = None,
    ) -> None:
        self.event(
            "run-start",
            user=getpass.getuser(),  # who ran it, for the run summary
            plan=plan,
            biller=dict(biller),
            env=env,
            options=dict(options),
            resumed_from=resumed_from,
        )

    def step_start(self, step: str, index: int, total: int) -> None:
        self.event("step-start", step=step, index=index, total=total)

    def step_finish(self, step: str, index: int, total: int, changes: int) -> None:
        self.event("step-finish", step=step, index=index, total=total, changes=changes)

    def step_skip(self, step: str, index: int, total: int, reason: str) -> None:
        self.event("step-skip", step=step, index=index, total=total, reason=reason)

    def step_fail(self, step: str, error: str, kind: str, screenshot: str | None = None) -> None:
        self.event("step-fail", step=step, error=error, kind=kind, screenshot=screenshot)

    def write(
        self,
        *,
        step: str,
        screen: str,
        field: str,
        old: str | None,
        new: str | None,
        result: str = "ok",
        secret: bool = False,
        action: str = "set",
    ) -> None:
        self.writes += 1
        if result == "ok":
            self.accepted += 1
        self._change("write", (step, screen, field, old, new), secret, action, result=result)

    def intent(
        self,
        *,
        step: str,
        screen: str,
        field: str,
        old: str | None,
        new: str | None,
        secret: bool = False,
        action: str = "set",
    ) -> None:
        """A write about to be made; its `write` event follows once the CRM has answered."""
        self._change("intent", (step, screen, field, old, new), secret, action)

    def _change(
        self,
        event: str,
        change: tuple[str, str, str, str | None, str | None],
        secret: bool,
        action: str,
        **extra: str,
    ) -> None:
        step, screen, field, old, new = change
        if secret:
            old = new = SECRET_CHANGED
        self.event(
            event,
            step=step,
            screen=screen,
            field=field,
            old=old,
            new=new,
            secret=secret,
            action=action,
            **extra,
        )

    def retry(self, step: str, attempt: int, error: str) -> None:
        self.event("retry", step=step, attempt=attempt, error=error)


class Journal(RunJournal):
    """Appends events to `<run folder>/journal.jsonl`; one fsync'ed line per event."""

    def __init__(self, run_dir: Path, run_id: str) -> None:
        super().__init__(run_id)
        self.run_dir = run_dir
        self.path = run_dir / JOURNAL_NAME
        run_dir.mkdir(parents=True, exist_ok=True)
        # O_APPEND: a resumed run adds to the same file, never truncates it.
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _keep(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        # One os.write per line: a kill leaves at worst a torn last line, which the reader skips.
        os.write(self._fd, line.encode("utf-8"))
        os.fsync(self._fd)

    def events(self) -> list[dict[str, Any]]:
        return read_events(self.path)


class NullJournal(RunJournal):
    """The journal of a dry run, which writes nothing anywhere: takes every event, keeps none."""

    def __init__(self, run_id: str = "dry-run") -> None:
        super().__init__(run_id)

    def _keep(self, record: dict[str, Any]) -> None:
        return None

    def events(self) -> list[dict[str, Any]]:
        return []


# --- reading --------------------------------------------------------------------------------


def read_events(path: Path) -> list[dict[str, Any]]:
    """Every complete event of a journal; a torn last line (a kill mid-write) is left out."""
    events: list[dict[str, Any]] = []
    with path.open("r", encoding="utf-8") as fh:
        for line in fh:
            if not line.endswith("\n"):
                break
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                events.append(record)
    return events


def iter_writes(events: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    return (e for e in events if e.get("event") == "write")


def unanswered_intents(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Intents with no `write` after them: the run was killed while the CRM was answering."""
    open_intents: list[dict[str, Any]] = []
    for e in events:
        if e.get("event") == "intent":
            open_intents.append(e)
        elif e.get("event") == "write":
            key = _write_key(e)
            for i, intent in enumerate(open_intents):
                if _write_key(intent) == key:
                    del open_intents[i]
                    break
    return open_intents


def _write_key(e: dict[str, Any]) -> tuple[Any, ...]:
    return (e.get("step"), e.get("screen"), e.get("field"), e.get("old"), e.get("new"))


@dataclass
class JournalSummary:
    """What a journal says about a run, for `--resume` and for the final summary."""

    run_id: str
    plan: str | None
    biller: dict[str, str]
    env: str | None
    finished: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    writes: list[dict[str, Any]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)  # of the run's first start
    status: str | None = None
    stopped_at: str | None = None

    def first_unfinished(self, order: list[str]) -> str | None:
        for step in order:
            if step not in self.finished:
                return step
        return None


def summarize(events: list[dict[str, Any]]) -> JournalSummary:
    first = next((e for e in events if e.get("event") == "run-start"), {})
    summary = JournalSummary(
        run_id=str(first.get("run", "")),
        plan=first.get("plan"),
        biller=dict(first.get("biller") or {}),
        env=first.get("env"),
        options=dict(first.get("options") or {}),
    )
    for e in events:
        kind, step = e.get("event"), e.get("step")
        if kind == "write":
            summary.writes.append(e)
        elif kind == "run-finish":
            summary.status = e.get("status")
        elif step and (on_step := _STEP_EVENTS.get(str(kind))) is not None:
            on_step(summary, step)
    return summary


def _started(summary: JournalSummary, step: str) -> None:
    summary.started.append(step)
    summary.stopped_at = step


def _finished(summary: JournalSummary, step: str) -> None:
    if step not in summary.finished:
        summary.finished.append(step)
    if step in summary.failed:
        summary.failed.remove(step)
    summary.stopped_at = None


def _skipped(summary: JournalSummary, step: str) -> None:
    if step not in summary.skipped:
        summary.skipped.append(step)
    summary.stopped_at = None


def _failed(summary: JournalSummary, step: str) -> None:
    if step not in summary.failed:
        summary.failed.append(step)
    summary.stopped_at = step


# What each step event says about its step, in the order the journal holds them.
_STEP_EVENTS: dict[str, Callable[[JournalSummary, str], None]] = {
    "step-start": _started,
    "step-finish": _finished,
    "step-skip": _skipped,
    "step-fail": _failed,
}


def find_run_dir(run: str, biller_dir: Path) -> Path:
    """`--resume RUN`: RUN is a run folder, or a run id looked up under the biller's folder."""
    as_path = Path(run)
    if as_path.is_dir() and (as_path / JOURNAL_NAME).is_file():
        return as_path
    candidate = biller_dir / run
    if candidate.is_dir():
        return candidate
    known = sorted(p.name for p in biller_dir.glob("*") if (p / JOURNAL_NAME).is_file())
    hint = f" Runs of this biller: {', '.join(known[-5:])}." if known else ""
    raise UsageError(f"--resume: no run {run!r} under {biller_dir}.{hint}")
