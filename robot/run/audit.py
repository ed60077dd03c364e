"""The audit reconciliation: the journal's writes against the CRM's History tab, one for one.

Each History entry made since the run began should be one write the journal recorded, and each
write the journal says the CRM accepted should be one History entry. A write whose outcome was
uncertain (a fault after the click) may or may not have a History entry; both are fine, and the
listing says which it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class HistoryLike(Protocol):
    """A History entry as the audit reads it; read-only, as the page object's entries are."""

    @property
    def screen(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def old(self) -> str: ...
    @property
    def new(self) -> str: ...


Key = tuple[str, str, str, str]


@dataclass
class Reconciliation:
    matched: list[Key] = field(default_factory=list)
    uncertain_stored: list[Key] = field(default_factory=list)
    uncertain_not_stored: list[Key] = field(default_factory=list)
    journal_only: list[Key] = field(default_factory=list)  # accepted, yet no History entry
    history_only: list[Key] = field(default_factory=list)  # in History, not journaled

    @property
    def ok(self) -> bool:
        return not self.journal_only and not self.history_only

    def lines(self) -> list[str]:
        head = (
            f"audit: {len(self.matched) + len(self.uncertain_stored)} History entries match "
            f"journal writes one for one"
        )
        if self.ok:
            head += "; nothing unaccounted for"
        out = [head]
        for label, keys in (
            ("matched", self.matched),
            ("matched (stored although the CRM answered with an error)", self.uncertain_stored),
            (
                "not stored (failed or interrupted before the CRM saved it)",
                self.uncertain_not_stored,
            ),
            ("MISSING from History (journaled as saved)", self.journal_only),
            ("NOT IN JOURNAL (History entry the run did not record)", self.history_only),
        ):
            for key in keys:
                out.append(f"  {label}: {_show(key)}")
        return out


def _show(key: Key) -> str:
    screen, name, old, new = key
    return f"{screen} | {name} | {old or '(empty)'} -> {new or '(empty)'}"


def journal_key(event: dict[str, Any]) -> Key:
    return (
        str(event.get("screen", "")),
        str(event.get("field", "")),
        "" if event.get("old") is None else str(event["old"]),
        "" if event.get("new") is None else str(event["new"]),
    )


def reconcile(writes: Iterable[dict[str, Any]], history: Sequence[HistoryLike]) -> Reconciliation:
    """`writes`: the journal's `write` events; `history`: History entries made during the run."""
    pending: dict[Key, int] = {}
    for entry in history:
        key = (entry.screen, entry.field, entry.old, entry.new)
        pending[key] = pending.get(key, 0) + 1
    result = Reconciliation()
    accepted = [w for w in writes if w.get("result") == "ok"]
    uncertain = [w for w in writes if str(w.get("result", "")).startswith("uncertain")]
    for event in accepted:
        key = journal_key(event)
        if pending.get(key):
            pending[key] -= 1
            result.matched.append(key)
        else:
            result.journal_only.append(key)
    for event in uncertain:
        key = journal_key(event)
        if pending.get(key):
            pending[key] -= 1
            result.uncertain_stored.append(key)
        else:
            result.uncertain_not_stored.append(key)
    for key, count in pending.items():
        result.history_only.extend([key] * count)
    return result
