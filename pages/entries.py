"""The entries of the adaptation profile: every locator and every CRM text a page object uses,
each declared once on its page class and known by a logical name, `<SCREEN>.<attribute>`.

    class ProfilePage(BillerPage):
        SCREEN = "profile"
        save = Loc("role:button:Save")                      # page.save is the locator
        edit_window = LocFor("role:link:Edit {description}") # page.edit_window(description=...)
        partner_term = Text("Integration Partner ID")       # page.partner_term is the text

The registry below holds every entry with its default, so the whole set of names is known
before a browser opens (`crm-robot profile list`); pages/overrides.py reads the profile file
that replaces any of them without a code change.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, Self, overload

from playwright.sync_api import Locator

from pages.locators import LocatorSpec, Root, fields_of, parse_spec

# The module that imports every page object, so that every entry is registered.
PAGE_CATALOG = "pages.catalog"
Kind = Literal["locator", "text"]


@dataclass(frozen=True)
class Entry:
    """One entry of the profile: a locator (a spec) or a text the CRM shows."""

    name: str
    kind: Kind
    default: str
    spec: LocatorSpec | None = None  # the parsed default of a locator
    # The role of the element meant where the default does not say it: a label names a text
    # box, a select and a check box alike. The doctor's proposals look for elements of it.
    role: str | None = None

    @property
    def screen(self) -> str:
        return self.name.partition(".")[0]

    @property
    def fields(self) -> list[str]:
        return sorted(fields_of(self.default))


class EntryRegistry:
    """Every entry with its default."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}

    def register(self, name: str, kind: Kind, default: str, role: str | None = None) -> Entry:
        """Register `name` (`screen.short`); a bad default spec fails when the page is imported."""
        spec = parse_spec(default, name=name) if kind == "locator" else None
        # A page class defined twice (module re-import) keeps the same entries.
        entry = Entry(name, kind, default, spec, role)
        self._entries[name] = entry
        return entry

    def entry(self, name: str) -> Entry:
        return self._entries[name]

    def default(self, name: str) -> LocatorSpec:
        spec = self._entries[name].spec
        if spec is None:
            raise KeyError(f"{name} is a text, not a locator")
        return spec

    def names(self) -> list[str]:
        return sorted(self._entries)

    def entries(self) -> list[Entry]:
        return [self._entries[name] for name in self.names()]

    def __contains__(self, name: object) -> bool:
        return name in self._entries


REGISTRY = EntryRegistry()


def known_names() -> list[str]:
    importlib.import_module(PAGE_CATALOG)
    return REGISTRY.names()


def known_entries() -> list[Entry]:
    importlib.import_module(PAGE_CATALOG)
    return REGISTRY.entries()


class Locates(Protocol):
    """What a page object offers its declared entries (pages.lookup.PageLookup)."""

    def loc(self, logical: str, /, *, within: Root | None = None, **fields: object) -> Locator: ...

    def crm_text(self, logical: str, /, **fields: object) -> str: ...


class LocatorFactory(Protocol):
    def __call__(self, *, within: Root | None = None, **fields: object) -> Locator: ...


class _Declared:
    """An entry declared on a page class; its logical name is `<SCREEN>.<attribute>`."""

    kind: Kind = "locator"

    def __init__(self, default: str, *, name: str | None = None, role: str | None = None) -> None:
        self.default = default
        self.short = name  # only where the attribute name is taken (a method of the same name)
        self.role = role  # see Entry.role
        self.name = ""

    def __set_name__(self, owner: Any, attribute: str) -> None:
        # `owner` is a page class: its SCREEN is the prefix of the logical name.
        self.short = self.short or attribute
        self.name = f"{owner.SCREEN}.{self.short}"
        REGISTRY.register(self.name, self.kind, self.default, self.role)


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


class Text(_Declared):
    """`saved = Text("Saved.")`: `page.saved` is the text, as the profile says the CRM shows it."""

    kind: Kind = "text"

    @overload
    def __get__(self, page: None, owner: type) -> Self: ...

    @overload
    def __get__(self, page: Locates, owner: type) -> str: ...

    def __get__(self, page: Locates | None, owner: type) -> str | Self:
        if page is None:
            return self
        return page.crm_text(self.name)


class Field(Text):
    """A text the CRM shows as the name of a field (a definition term, a column header) that the
    robot reads values under: `partner = Field("Integration Partner ID")`. Page objects report
    values under the default name whatever the CRM calls it (`PageLookup.as_fields`), so plans,
    captures and reports keep one vocabulary."""


class Column(Field):
    """A `Field` that heads a column of the screen's table: `id_column = Column("Biller ID")`.
    Declared in the order of the table's columns: where the CRM calls a column nothing like the
    default and its table has as many columns as the screen declares, the doctor proposes the
    header in the same place."""

    def __init__(self, default: str, *, name: str | None = None) -> None:
        super().__init__(default, name=name, role="columnheader")


class TextFor(_Declared):
    """`confirm_delete = TextFor("Delete setting {number} (")`: `page.confirm_delete(number=14)`."""

    kind: Kind = "text"

    @overload
    def __get__(self, page: None, owner: type) -> Self: ...

    @overload
    def __get__(self, page: Locates, owner: type) -> Callable[..., str]: ...

    def __get__(self, page: Locates | None, owner: type) -> Callable[..., str] | Self:
        if page is None:
            return self
        name = self.name

        def text(**fields: object) -> str:
            return page.crm_text(name, **fields)

        return text


class Address(TextFor):
    """`address = Address("/billers/{id}/products")`: where a screen lives in the CRM (a path,
    and the query parameters that name the screen, if any), its fields filled in by
    `page.address(id=...)`. A text entry, so that a profile gives a CRM's own addresses
    (`address = "/Admin/Products.aspx?BillerID={id}"` under `[products]`)."""
