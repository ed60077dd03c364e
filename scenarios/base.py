"""What every scenario shares: the change and check records and the module protocol.

A scenario module exposes four functions, called by the runner in this order:

- `read(ctx) -> state`: opens its screens and reads what is there now (no writes)
- `plan(ctx, state) -> list[Change]`: the changes still needed to reach the plan; empty when the
  step is already done, so a second run writes nothing
- `apply(ctx, changes) -> None`: makes those changes through page objects, each through
  `ctx.write(changes, action)`, which journals it
- `verify(ctx) -> list[Check]`: a fresh read of the screens, checked against the plan

The `Scenario` Protocol says so for type checkers, and the run reaches a step's module only as a
`Scenario`. What the run does around a step (its checkpoint question, whether only a person can
answer it, whether the table is its output) is the step's fact in robot/core/steps.py.

Scenarios never import Playwright; they reach screens only through page objects from the context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from robot.core.secrets import MASKED

Ctx = TypeVar("Ctx", contravariant=True)


@dataclass(frozen=True)
class Change:
    """One field-level write: what the screen shows now and what the plan wants there."""

    screen: str  # the CRM screen, as the History tab names it
    field: str  # the field on that screen, as the History tab names it
    old: str | None
    new: str | None
    secret: bool = False
    action: str = "set"  # what apply() does: set, create, remove, run, deactivate
    key: Any = None  # scenario-specific handle (a setting number, a terminal name)
    note: str = ""  # a phrase for the headed banner, e.g. "new PDF setting"

    def shown(self) -> str:
        """One line for --dry-run and the summary; secrets never shown."""
        old = MASKED if self.secret and self.old else _show(self.old)
        new = MASKED if self.secret and self.new else _show(self.new)
        if self.action == "capture":
            return f"capture the nine screens, phase {self.field}, into {new}"
        if self.action == "run":
            return f"{self.screen}: run {self.field}"
        if self.action == "remove":
            return f"{self.screen}: remove {self.field} (now {old})"
        if self.action == "create":
            return f"{self.screen}: create {self.field} = {new}"
        return f"{self.screen}: {self.field}: {old} -> {new}"


def _show(value: str | None) -> str:
    if value is None:
        return "(none)"
    return repr(value) if value == "" or value != value.strip() else value


@dataclass(frozen=True)
class Check:
    """One line of a verification table."""

    name: str
    expected: str
    found: str
    # A secret is compared by the scenario; expected and found then hold only masks.
    secret: bool = False

    @property
    def ok(self) -> bool:
        return self.expected == self.found

    def row(self) -> tuple[str, str, str, str]:
        return (self.name, self.expected, self.found, "pass" if self.ok else "FAIL")


class Scenario(Protocol[Ctx]):
    """The shape of a scenario module (modules satisfy it structurally); the run reaches a step's
    module as a `Scenario[Context]`. The context is a parameter only because scenarios/context.py
    imports Change from here: naming it here would make an import cycle. The state is each
    scenario's own: what `read` returns, `plan` takes."""

    def read(self, ctx: Ctx) -> Any: ...

    def plan(self, ctx: Ctx, state: Any) -> list[Change]: ...

    def apply(self, ctx: Ctx, changes: list[Change]) -> None: ...

    def verify(self, ctx: Ctx) -> list[Check]: ...
