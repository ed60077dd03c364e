"""The audit reconciliation: journal writes against History entries, one for one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from robot.run.audit import reconcile


@dataclass(frozen=True)
class Entry:
    screen: str
    field: str
    old: str
    new: str


def _write(field: str, old: str, new: str, result: str = "ok") -> dict[str, Any]:
    return {
        "event": "write",
        "screen": "Invoicing",
        "field": field,
        "old": old,
        "new": new,
        "result": result,
    }


def test_every_saved_write_matches_one_history_entry() -> None:
    history = [
        Entry("Invoicing", "Suppress Stale Balances", "No", "Yes"),
        Entry("Invoicing", "Real Time Data Refresh", "No", "Yes"),
    ]
    writes = [
        _write("Real Time Data Refresh", "No", "Yes"),
        _write("Suppress Stale Balances", "No", "Yes"),
    ]
    result = reconcile(writes, history)
    assert result.ok and len(result.matched) == 2
    assert result.lines()[0].endswith("nothing unaccounted for")


def test_an_uncertain_write_may_or_may_not_have_been_stored() -> None:
    history = [Entry("Invoicing", "Real Time Data Refresh", "No", "Yes")]
    writes = [
        _write("Real Time Data Refresh", "No", "Yes", "uncertain: TransientCrmError"),
        _write("Suppress Stale Balances", "No", "Yes", "uncertain: TransientCrmError"),
    ]
    result = reconcile(writes, history)
    assert result.ok
    assert [k[1] for k in result.uncertain_stored] == ["Real Time Data Refresh"]
    assert [k[1] for k in result.uncertain_not_stored] == ["Suppress Stale Balances"]


def test_history_the_run_did_not_journal_and_journaled_writes_history_lacks_are_flagged() -> None:
    history = [Entry("Invoicing", "Allow Partial Payments", "No", "Yes")]
    writes = [_write("Real Time Data Refresh", "No", "Yes")]
    result = reconcile(writes, history)
    assert not result.ok
    text = "\n".join(result.lines())
    assert "MISSING from History (journaled as saved): Invoicing | Real Time Data Refresh" in text
    assert (
        "NOT IN JOURNAL (History entry the run did not record): Invoicing | Allow Partial" in text
    )
