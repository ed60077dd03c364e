"""Locators by logical name, and the override file that adapts them to a CRM that differs.

Every page object declares each locator once, as a class attribute (`filter = Loc("role:searchbox:
Filter settings")`); it is registered here under `<screen>.<name>` (`advanced_settings.filter`),
so the whole set of names is known before a browser opens. Reading the attribute on a page
object gives the Playwright locator with the override file applied. An override file (TOML,
`--selectors FILE` or `CRM_ROBOT_SELECTORS`) replaces any of them without a code change:

    [advanced_settings]
    filter = "label:Find setting"

A spec is one of `role:ROLE:NAME` (or `role:ROLE`), `label:TEXT`, `text:TEXT`, `testid:ID`,
`placeholder:TEXT`; names and texts match exactly. A spec may hold `{fields}` the page object fills
in (`role:button:Edit setting {number}`, declared with `LocFor`); an override may use the fields
its default uses.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import os
import string
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, Self, overload

from playwright.sync_api import FrameLocator, Locator, Page

from robot.core.errors import SelectorOverrideError

KINDS = ("role", "label", "text", "testid", "placeholder")
FORMS = "role:ROLE:NAME, role:ROLE, label:TEXT, text:TEXT, testid:ID or placeholder:TEXT"
ROLES: tuple[str, ...] = typing.get_args(
    inspect.signature(Page.get_by_role).parameters["role"].annotation
)
# The module that imports every page object, so that every logical name is registered.
PAGE_CATALOG = "pages.catalog"

Root = Page | Locator | FrameLocator


@dataclass(frozen=True)
class LocatorSpec:
    """A parsed spec; `origin` says where it came from, for error messages."""

    name: str
    kind: str
    value: str
    role_name: str | None = None
    origin: str = "default"

    def fill(self, fields: Mapping[str, object]) -> LocatorSpec:
        if not fields:
            return self
        return LocatorSpec(
            self.name,
            self.kind,
            self.value.format_map(_Strict(fields)),
            None if self.role_name is None else self.role_name.format_map(_Strict(fields)),
            self.origin,
        )

    @property
    def text(self) -> str:
        if self.kind == "role" and self.role_name is not None:
            return f"role:{self.value}:{self.role_name}"
        return f"{self.kind}:{self.value}"

    def describe(self) -> str:
        """`advanced_settings.filter (label:Find setting, from my.toml)`."""
        where = "" if self.origin == "default" else f", from {self.origin}"
        return f"{self.name} ({self.text}{where})"


class _Strict(dict[str, object]):
    def __missing__(self, key: str) -> object:
        raise KeyError(key)


def parse_spec(text: str, *, name: str, origin: str = "default") -> LocatorSpec:
    """Parse `role:button:Save` and friends; a bad form is a SelectorOverrideError."""
    where = f"{name}" + ("" if origin == "default" else f" in {origin}")
    if not isinstance(text, str):
        raise SelectorOverrideError(f"{where}: must be a string in one of the forms {FORMS}")
    kind, sep, rest = text.partition(":")
    if not sep or kind not in KINDS or not rest.strip():
        raise SelectorOverrideError(
            f'{where}: "{text}" is not a locator; use one of the forms {FORMS}'
        )
    if kind != "role":
        return LocatorSpec(name, kind, rest, None, origin)
    role, sep, role_name = rest.partition(":")
    if role not in ROLES:
        close = difflib.get_close_matches(role, ROLES, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; see the ARIA role names"
        raise SelectorOverrideError(f'{where}: "{role}" is not an ARIA role{hint}')
    return LocatorSpec(name, kind, role, role_name if sep else None, origin)


def fields_of(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def build(root: Root, spec: LocatorSpec) -> Locator:
    """The Playwright locator for a (filled-in) spec, relative to `root`."""
    if spec.kind == "role":
        if spec.role_name is None:
            return root.get_by_role(spec.value)  # type: ignore[arg-type]
        return root.get_by_role(spec.value, name=spec.role_name, exact=True)  # type: ignore[arg-type]
    if spec.kind == "label":
        return root.get_by_label(spec.value, exact=True)
    if spec.kind == "text":
        return root.get_by_text(spec.value, exact=True)
    if spec.kind == "testid":
        return root.get_by_test_id(spec.value)
    return root.get_by_placeholder(spec.value, exact=True)


class LocatorRegistry:
    """Every logical locator name with its default spec."""

    def __init__(self) -> None:
        self._defaults: dict[str, LocatorSpec] = {}

    def register(self, name: str, text: str) -> LocatorSpec:
        """Register the default spec of `name` (`screen.short`); a bad spec fails at import."""
        # A page class defined twice (module re-import) keeps the same specs.
        spec = parse_spec(text, name=name)
        self._defaults[name] = spec
        return spec

    def default(self, name: str) -> LocatorSpec:
        return self._defaults[name]

    def names(self) -> list[str]:
        return sorted(self._defaults)

    def __contains__(self, name: object) -> bool:
        return name in self._defaults


REGISTRY = LocatorRegistry()


class Locates(Protocol):
    """What a page object offers its declared locators (pages.base.BasePage)."""

    def loc(self, logical: str, /, *, within: Root | None = None, **fields: object) -> Locator: ...


class LocatorFactory(Protocol):
    def __call__(self, *, within: Root | None = None, **fields: object) -> Locator: ...


class _Declared:
    """A locator declared on a page class; its logical name is `<SCREEN>.<attribute>`."""

    def __init__(self, spec: str, *, name: str | None = None) -> None:
        self.spec = spec
        self.short = name  # only where the attribute name is taken (a method of the same name)
        self.name = ""

    def __set_name__(self, owner: Any, attribute: str) -> None:
        # `owner` is a page class: its SCREEN is the prefix of the logical name.
        self.short = self.short or attribute
        self.name = f"{owner.SCREEN}.{self.short}"
        REGISTRY.register(self.name, self.spec)


class Loc(_Declared):
    """`save = Loc("role:button:Save")`: `page.save` is the locator."""

    @overload
    def __get__(self, page: None, owner: type) -> Self: ...

    @overload
    def __get__(self, page: Locates, owner: type) -> Locator: ...

    def __get__(self, page: Locates | None, owner: type) -> Locator | Self:
        if page is None:
            return self
        return page.loc(self.name)


class LocFor(_Declared):
    """`edit = LocFor("role:button:Edit setting {number}")`: `page.edit(number=14)`, optionally
    `within=` a container, is the locator."""

    @overload
    def __get__(self, page: None, owner: type) -> Self: ...

    @overload
    def __get__(self, page: Locates, owner: type) -> LocatorFactory: ...

    def __get__(self, page: Locates | None, owner: type) -> LocatorFactory | Self:
        if page is None:
            return self
        name = self.name

        def locate(*, within: Root | None = None, **fields: object) -> Locator:
            return page.loc(name, within=within, **fields)

        return locate


def known_names() -> list[str]:
    importlib.import_module(PAGE_CATALOG)
    return REGISTRY.names()


@dataclass
class SelectorOverrides:
    """The specs an override file replaces; empty when there is no file."""

    specs: dict[str, LocatorSpec] = field(default_factory=dict)
    source: str | None = None

    def spec(self, name: str) -> LocatorSpec:
        if name in self.specs:
            return self.specs[name]
        return REGISTRY.default(name)

    def __bool__(self) -> bool:
        return bool(self.specs)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _unknown(name: str, known: list[str], origin: str) -> SelectorOverrideError:
    """The error for an unknown name, with the names it was probably meant to be."""
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
    return SelectorOverrideError(f'{origin}: unknown locator name "{name}"; {hint}')


def parse_overrides(table: Mapping[str, Any], *, origin: str) -> SelectorOverrides:
    known = known_names()
    problems: list[str] = []
    specs: dict[str, LocatorSpec] = {}
    for name, text in _flatten(table).items():
        if name not in REGISTRY:
            problems.append(_unknown(name, known, origin).message)
            continue
        try:
            spec = parse_spec(text, name=name, origin=origin)
        except SelectorOverrideError as exc:
            problems.append(exc.message)
            continue
        allowed = fields_of(REGISTRY.default(name).text)
        extra = fields_of(spec.text) - allowed
        if extra:
            can = ", ".join("{" + f + "}" for f in sorted(allowed)) or "no fields"
            problems.append(
                f"{name} in {origin}: unknown field {', '.join(sorted(extra))}; it can use {can}"
            )
            continue
        specs[name] = spec
    if problems:
        raise SelectorOverrideError("\n".join(problems))
    return SelectorOverrides(specs, origin)


def load_overrides(path: str | Path | None = None) -> SelectorOverrides:
    """Read the override file named by `path`, else by CRM_ROBOT_SELECTORS, else none."""
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
