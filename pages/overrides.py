"""The adaptation profile file: a TOML file that replaces any entry's default without a code
change (`--selectors FILE` or `CRM_ROBOT_SELECTORS`).

    [advanced_settings]
    filter = "label:Find setting"          # a locator: a spec (pages/locators.py)
    [common]
    saved = "Changes saved."               # a text: what the CRM shows, as it shows it

Every problem of a file is reported at once, one line each, naming the entry and the file.
`crm-robot profile list` prints every entry with its default.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pages.entries import REGISTRY, Entry, known_names
from pages.locators import LocatorSpec, fields_of, parse_spec
from robot.core.errors import SelectorOverrideError


@dataclass
class SelectorOverrides:
    """The entries a profile file replaces; empty when there is no file."""

    specs: dict[str, LocatorSpec] = field(default_factory=dict)
    source: str | None = None
    texts: dict[str, str] = field(default_factory=dict)

    def spec(self, name: str) -> LocatorSpec:
        if name in self.specs:
            return self.specs[name]
        return REGISTRY.default(name)

    def text(self, name: str) -> str:
        if name in self.texts:
            return self.texts[name]
        return REGISTRY.entry(name).default

    def __bool__(self) -> bool:
        return bool(self.specs or self.texts)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _unknown(name: str, known: list[str], origin: str) -> str:
    """The message for an unknown name, with the names it was probably meant to be."""
    screen, _, short = name.partition(".")
    screens = sorted({k.partition(".")[0] for k in known})
    if screen in screens:
        shorts = [k.partition(".")[2] for k in known if k.startswith(f"{screen}.")]
        close = [f"{screen}.{s}" for s in difflib.get_close_matches(short, shorts, cutoff=0.75)]
        hint = (
            f"close matches: {', '.join(close)}"
            if close
            else f"names on {screen}: {', '.join(f'{screen}.{s}' for s in shorts)}"
        )
    else:
        close = [
            f"{s}.{short}"
            for s in difflib.get_close_matches(screen, screens, cutoff=0.75)
            if f"{s}.{short}" in known
        ]
        hint = f"close matches: {', '.join(close)}" if close else f"screens: {', '.join(screens)}"
    return f'{origin}: unknown locator name "{name}"; {hint}'


def _check_fields(entry: Entry, given: str, origin: str) -> None:
    extra = fields_of(given) - set(entry.fields)
    if extra:
        can = ", ".join("{" + f + "}" for f in entry.fields) or "no fields"
        raise SelectorOverrideError(
            f"{entry.name} in {origin}: unknown field {', '.join(sorted(extra))}; it can use {can}"
        )


def _text(entry: Entry, value: object, origin: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SelectorOverrideError(
            f"{entry.name} in {origin}: must be the text the CRM shows, as a non-empty string "
            f'(the default is "{entry.default}")'
        )
    _check_fields(entry, value, origin)
    return value


def parse_overrides(table: Mapping[str, Any], *, origin: str) -> SelectorOverrides:
    known = known_names()
    problems: list[str] = []
    overrides = SelectorOverrides(source=origin)
    for name, value in _flatten(table).items():
        if name not in REGISTRY:
            problems.append(_unknown(name, known, origin))
            continue
        entry = REGISTRY.entry(name)
        try:
            if entry.kind == "text":
                overrides.texts[name] = _text(entry, value, origin)
                continue
            spec = parse_spec(value, name=name, origin=origin)
            _check_fields(entry, spec.text, origin)
        except SelectorOverrideError as exc:
            problems.append(exc.message)
            continue
        overrides.specs[name] = spec
    if problems:
        raise SelectorOverrideError("\n".join(problems))
    return overrides


def load_overrides(path: str | Path | None = None) -> SelectorOverrides:
    """Read the profile file named by `path`, else by CRM_ROBOT_SELECTORS, else none."""
    chosen = path if path is not None else os.environ.get("CRM_ROBOT_SELECTORS") or None
    if chosen is None:
        return SelectorOverrides()
    file = Path(chosen)
    try:
        table = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SelectorOverrideError(
            f"{file}: selector override file not found; check --selectors or CRM_ROBOT_SELECTORS"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SelectorOverrideError(f"{file}: cannot read the file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SelectorOverrideError(f"{file}: not valid TOML ({exc})") from None
    return parse_overrides(table, origin=str(file))
