"""What a scenario needs from the run it is part of, as small Protocols.

The run layer (robot/run/) implements them: the journal records, the checkpoints ask. Scenarios
sit below that layer and know only these shapes, so the arrows point one way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import SecretStr

# A person's answer at a checkpoint.
Answer = Literal["continue", "skip", "abort"]


@dataclass(frozen=True)
class Shown:
    """A checkpoint as the page panel of a headed run shows it: the step, what is asked, and
    the changes the step is about to make (one line each, secrets masked)."""

    heading: str
    prompt: str
    changes: tuple[str, ...] = ()


class RunRecord(Protocol):
    """The run's journal as a scenario writes to it (robot.run.journal.Journal)."""

    def event(self, event: str, **fields: Any) -> dict[str, Any]: ...

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
    ) -> None: ...

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
    ) -> None: ...


class Asker(Protocol):
    """Where a person's go-ahead is asked for (robot.run.checkpoints.Checkpoints)."""

    def confirm(
        self, step: str, question: str, *, required: bool = False, shown: Shown | None = None
    ) -> Answer: ...


@dataclass(frozen=True)
class Written:
    """One field a conversion wrote: the first value it found, the last value it wrote."""

    step: str  # the conversion step that wrote it
    screen: str
    field: str
    before: str | None
    after: str | None
    secret: bool = False
    action: str = "set"  # the conversion's: set, create, remove, deactivate

    @property
    def name(self) -> str:
        return f"{self.screen}: {self.field}"


@dataclass(frozen=True)
class Undo:
    """What a rollback undoes: one conversion run's writes, folded to one per field."""

    run_id: str
    writes: tuple[Written, ...]
    # Old values of secret Advanced Settings, by number, from the environment.
    secrets: Mapping[int, SecretStr] = field(default_factory=dict)
    forced: frozenset[str] = frozenset()  # --force-field: restore although changed since

    def of_steps(self, *steps: str) -> list[Written]:
        return [w for w in self.writes if w.step in steps]

    def is_forced(self, written: Written) -> bool:
        return written.field in self.forced or written.name in self.forced
