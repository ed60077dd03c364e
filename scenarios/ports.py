"""What a scenario needs from the run it is part of, as small Protocols.

The run layer (robot/run/) implements them: the journal records, the checkpoints ask. Scenarios
sit below that layer and know only these shapes, so the arrows point one way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

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
    ) -> None: ...


class Asker(Protocol):
    """Where a person's go-ahead is asked for (robot.run.checkpoints.Checkpoints)."""

    def confirm(
        self, step: str, question: str, *, required: bool = False, shown: Shown | None = None
    ) -> Answer: ...
