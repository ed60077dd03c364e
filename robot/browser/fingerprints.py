"""Fingerprints of the elements the profile's entries found: tag, role, accessible name, id,
text, the row it sits in and its position (pages/readers.py reads them). Every run keeps them,
the doctor's and the robot's alike, in the output root under `fingerprints/`, one file per
profile, so that when the CRM changes the doctor ranks the candidates for a lost entry by how
much they look like what the entry found before, as self-healing tools do. The healing is only
proposed: a person confirms it into the profile.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from pages.overrides import SelectorOverrides
from pages.readers import FINGERPRINT_SPEC, read_fingerprint

FOLDER = "fingerprints"
SEEN = "seen"  # the day (UTC) a run last read the fingerprint


Fingerprints = dict[str, dict[str, str]]


def store_path(profile: str | Path | None, output_root: Path) -> Path:
    """`<output root>/fingerprints/<profile name>.json` (`default.json` without a profile). In
    the output root rather than beside the profile: a profile may sit in a shared, read-only or
    versioned folder, and the output root is where the robot writes."""
    name = Path(profile).stem if profile else "default"
    return output_root / FOLDER / f"{name}.json"


def load(path: Path) -> Fingerprints:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {str(k): dict(v) for k, v in data.items() if isinstance(v, dict)}


def fresh(root: Path | None, selectors: SelectorOverrides) -> Fingerprints:
    """The stored fingerprints a run need not read again: read today, through the entry the
    profile still has. Read once a day rather than on every run, they stay current enough for
    the doctor at a fraction of the cost (a lookup and an evaluate per entry and per run)."""
    if root is None:
        return {}
    today = _today()
    return {
        name: found
        for name, found in load(store_path(selectors.source, root)).items()
        if found.get(SEEN) == today and found.get(FINGERPRINT_SPEC) == _spec(selectors, name)
    }


def _spec(selectors: SelectorOverrides, name: str) -> str | None:
    try:
        return selectors.spec(name).text
    except KeyError:
        return None  # an entry this version no longer has


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def of_element(locator: Locator) -> dict[str, str] | None:
    """The fingerprint of an element just counted (a short wait; a miss is no failure)."""
    try:
        return read_fingerprint(locator, timeout_ms=1_000)
    except PlaywrightError:
        return None


def save(path: Path, known: Fingerprints, found: Mapping[str, dict[str, str]]) -> None:
    """Add what was found this time to what was known (the newest wins)."""
    merged = {**known, **found}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def keep(found: Mapping[str, dict[str, str]], profile: str | None, output_root: Path) -> None:
    """Add what a run's entries found to the store of its profile; never fails the run."""
    path = store_path(profile, output_root)
    seen = {name: {**fingerprint, SEEN: _today()} for name, fingerprint in found.items()}
    try:
        save(path, load(path), seen)
    except OSError:
        pass  # a help for the doctor later, never a reason to fail the run that ends now
