"""The checks a run's steps passed, standing for the steps after them until the next write.

A step's verification reads the CRM; while the run journals no write after it, what it read
still holds, and a later step that needs the same read-back (go-live's readiness) takes it
instead of reading every screen again. Any write, accepted, refused or uncertain, ends that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scenarios.base import Check


@dataclass
class PassedChecks:
    """By scenario: the checks it passed last, and how many writes the run had journaled then."""

    _passed: dict[object, tuple[list[Check], int]] = field(default_factory=dict)

    def record(self, scenario: object, checks: list[Check], writes: int) -> None:
        self._passed[scenario] = (checks, writes)

    def standing(self, writes: int) -> dict[object, list[Check]]:
        """The checks of the scenarios that passed with no write journaled since (`writes`: the
        run's count now)."""
        return {
            scenario: checks for scenario, (checks, then) in self._passed.items() if then == writes
        }
