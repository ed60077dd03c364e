"""What every scenario shares: the change and check records and the module protocol.

A scenario module exposes four functions, called by the runner in this order:

- `read(ctx) -> state`: opens its screens and reads what is there now (no writes)
- `plan(ctx, state) -> list[Change]`: the changes still needed to reach the plan; empty when the
  step is already done, so a second run writes nothing
- `apply(ctx, changes) -> None`: makes those changes through page objects, each through
  `ctx.write(changes, action)`, which journals it
- `verify(ctx) -> list[Check]`: a fresh read of the screens, checked against the plan

Optional module attributes: `CHECKPOINT` (the question asked before the step's changes; the
runner's default names the changes), `REQUIRED` (a person must answer it: go-live),
`PRINT_TABLE` (the verification table is the step's output: verify).

Scenarios never import Playwright; they reach screens only through page objects from the context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from robot.core.secrets import MASKED


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


class Scenario(Protocol):
    """The shape of a scenario module (for type checkers; modules satisfy it structurally)."""

    def read(self, ctx: Any) -> Any: ...

    def plan(self, ctx: Any, state: Any) -> list[Change]: ...

    def apply(self, ctx: Any, changes: list[Change]) -> None: ...

    def verify(self, ctx: Any) -> list[Check]: ...


def check_table(checks: list[Check]) -> str:
    """The verification table as aligned text columns: check, expected, found, result."""
    rows = [("check", "expected", "found", "result"), *(c.row() for c in checks)]
    widths = [min(max(len(r[i]) for r in rows), 60) for i in range(4)]
    lines = []
    for row in rows:
        cells = [cell if len(cell) <= 60 else cell[:57] + "..." for cell in row]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)
