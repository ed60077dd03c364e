"""The store of element fingerprints (robot/browser/fingerprints.py): what a run keeps, and which
kept ones a later run need not read again (read today, through the entry the profile still has)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import pages.catalog  # noqa: F401  (registers every page's entries, as a run has)
from pages.overrides import SelectorOverrides, parse_overrides
from robot.browser.fingerprints import SEEN, fresh, keep, store_path

TODAY = datetime.now(UTC).date()
EDIT = "profile.edit"
LOOK = {"tag": "a", "role": "", "name": "Edit Profile", "text": "Edit Profile", "id": ""}


def _profile(table: dict[str, Any] | None = None) -> SelectorOverrides:
    return parse_overrides(table, origin="crm.toml") if table else SelectorOverrides()


def _stored(root: Path, profile: SelectorOverrides, **fingerprint: str) -> None:
    path = store_path(profile.source, root)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({EDIT: {**LOOK, **fingerprint}}), encoding="utf-8")


def test_a_run_keeps_what_its_entries_found_with_the_day_it_read_them(tmp_path: Path) -> None:
    profile = _profile()
    found = {EDIT: {**LOOK, "spec": profile.spec(EDIT).text}}
    keep(found, profile.source, tmp_path)
    kept = json.loads(store_path(profile.source, tmp_path).read_text())
    assert kept[EDIT] == {**found[EDIT], SEEN: TODAY.isoformat()}
    assert fresh(tmp_path, profile) == kept  # a second run today reads it no more


@pytest.mark.parametrize(
    ("seen", "spec", "is_fresh"),
    [
        (TODAY, None, True),
        (TODAY - timedelta(days=1), None, False),  # read on another day: read again
        (TODAY, "role:link:Modify Profile", False),  # the entry was changed since
    ],
    ids=["today", "yesterday", "entry changed"],
)
def test_a_kept_fingerprint_is_read_again_unless_read_today_through_the_same_entry(
    tmp_path: Path, seen: Any, spec: str | None, is_fresh: bool
) -> None:
    profile = _profile()
    _stored(tmp_path, profile, seen=seen.isoformat(), spec=spec or profile.spec(EDIT).text)
    assert (EDIT in fresh(tmp_path, profile)) is is_fresh


def test_a_profile_that_changes_the_entry_makes_its_fingerprint_stale(tmp_path: Path) -> None:
    changed = _profile({"profile": {"edit": "role:link:Modify Profile"}})
    default = SelectorOverrides()
    _stored(tmp_path, changed, seen=TODAY.isoformat(), spec=default.spec(EDIT).text)
    assert fresh(tmp_path, changed) == {}
    assert fresh(None, changed) == {}  # a session that keeps none reads none
