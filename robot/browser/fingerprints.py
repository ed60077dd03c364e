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
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from pages.readers import read_fingerprint

FOLDER = "fingerprints"


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
    try:
        save(path, load(path), found)
    except OSError:
        pass  # a help for the doctor later, never a reason to fail the run that ends now
