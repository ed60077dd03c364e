"""Fingerprints of the elements the profile's entries found: tag, role, accessible name, id,
text, the row it sits in and its position. Kept beside the profile (or in the output root
when there is none), so that when the CRM changes, the doctor ranks the candidates for a lost
entry by how much they look like what the entry found before, as self-healing tools do. The
healing is only proposed: a person confirms it into the profile.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

FILE_NAME = "crm-robot-fingerprints.json"

_OF_ELEMENT = """
el => {
  const clean = s => (s || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
  const row = el.closest('tr, [role=row]');
  // A container's text holds what it contains (Advanced Settings: secrets), a box's its value:
  // neither is kept.
  const tag = el.tagName.toLowerCase();
  const plain = !['table', 'dl', 'nav', 'dialog', 'fieldset', 'form', 'input', 'textarea',
    'select', 'tbody', 'div', 'section', 'main'].includes(tag);
  const siblings = el.parentElement ? [...el.parentElement.children] : [el];
  return {
    tag,
    role: el.getAttribute('role') || '',
    name: clean(el.getAttribute('aria-label') || (el.labels && el.labels[0]
      ? el.labels[0].innerText : '') || (plain ? el.innerText : '')),
    id: el.id || '',
    text: plain ? clean(el.innerText) : '',
    row: row && row.firstElementChild ? clean(row.firstElementChild.innerText) : '',
    position: String(siblings.indexOf(el) + 1),
  };
}
"""

Fingerprints = dict[str, dict[str, str]]


def store_path(profile: Path | None, output_root: Path) -> Path:
    """Beside the profile file when there is one, else in the output root."""
    if profile is not None:
        return profile.with_name(f"{profile.stem}.fingerprints.json")
    return output_root / FILE_NAME


def load(path: Path) -> Fingerprints:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {str(k): dict(v) for k, v in data.items() if isinstance(v, dict)}


def of_element(locator: Locator) -> dict[str, str] | None:
    try:
        # The element was just counted: a short wait is enough, and a miss is no failure.
        found: dict[str, Any] = locator.evaluate(_OF_ELEMENT, timeout=1_000)
    except PlaywrightError:
        return None
    return {key: str(value) for key, value in found.items()}


def save(path: Path, known: Fingerprints, found: Mapping[str, dict[str, str]]) -> None:
    """Add what was found this time to what was known (the newest wins)."""
    merged = {**known, **found}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n", encoding="utf-8")
