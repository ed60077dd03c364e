"""What every page object stands on: the browser session it works in, and its locators by
logical name (pages/locators.py), with the override profile applied."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping, MutableSet
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import ClassVar, Literal, Protocol, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from pages.entries import Column, Field, Loc, Text
from pages.locators import LocatorSpec, Root, build
from pages.overrides import SelectorOverrides
from pages.readers import Table, TableRow

V = TypeVar("V")
BeforeAction = Callable[[str, Locator | None], None]
# What can stand in place of a screen: the sign-in page (after an expiry or not), the CRM's
# error page, a spinner that does not go away.
PageProblem = Literal["expired", "login", "error", "spinner"]
# Per browser page: the URL its last load ended on, and whether the CRM answered with an error.
LastLoad = tuple[str, PageProblem | None]


@dataclass(frozen=True)
class Located:
    """The entry a locator was built from, and the container it was looked for inside."""

    spec: LocatorSpec
    within: Root | None = None


class CrmSession(Protocol):
    """What a page object needs from the browser session (robot.browser.session.BrowserSession)."""

    @property
    def page(self) -> Page: ...

    @property
    def base_url(self) -> str: ...

    @property
    def selectors(self) -> SelectorOverrides: ...

    # Set by the runner in headed runs: highlight the element, show a step banner.
    before_action: BeforeAction | None

    @property
    def last_loads(self) -> MutableMapping[Page, LastLoad]: ...

    # Per browser page: the URL of the page the CRM answered a save with, while the robot has
    # done nothing on it since (pages/saving.py): it shows what the CRM holds.
    @property
    def saved_answers(self) -> MutableMapping[Page, str]: ...

    # Entry -> what the element it found looks like (pages/readers.py read_fingerprint).
    @property
    def fingerprints(self) -> MutableMapping[str, dict[str, str]]: ...

    # Whether the session keeps them at its end (a dry run, a test session does not).
    @property
    def keeps_fingerprints(self) -> bool: ...

    # What each locator handed out stands for, so that any page object's failure names the
    # logical entry of a locator another page object made (a container).
    @property
    def located(self) -> MutableMapping[str, Located]: ...

    # The screen paths a PM's way through the menus and tabs led to in this session.
    @property
    def routes_taken(self) -> MutableSet[str]: ...

    def sign_in_again(self, return_to: str | None) -> None: ...

    def paused_tracing(self) -> AbstractContextManager[None]: ...

    # Requests through the robot inside this block: a form post sent exactly once, anything
    # away from the CRM checked against the transport rules. Every form post is made inside.
    def routed(self) -> AbstractContextManager[None]: ...


class PageLookup:
    """A screen of the CRM. Subclasses set SCREEN (the prefix of their locator names) and TITLE,
    and declare their locators as `Loc` / `LocFor` class attributes."""

    SCREEN: ClassVar[str] = "common"
    TITLE: ClassVar[str] = "CRM"

    spinner = Loc("testid:spinner")
    toast = Loc("testid:toast")
    form_error = Loc("testid:form-error")
    field_error = Loc("testid:field-error")
    login_heading = Loc("role:heading:Sign in to InvoiceCloud CRM")
    server_error = Loc("role:heading:Server Error")
    env_banner = Loc("testid:env-banner")
    # What screenshots paint over: secret values and what changes on its own (the time).
    secret = Loc('css:[data-secret="true"], input[type=password]')
    volatile = Loc('css:[data-volatile="true"]')
    # Whatever is typed in an open dialog (a failure may come while a secret is being edited).
    dialog_input = Loc("css:dialog[open] input")
    saved = Text("Saved.")  # the toast after a save
    yes = Text("Yes")  # a table cell that says a setting is on

    def __init__(self, session: CrmSession) -> None:
        self.session = session

    @property
    def page(self) -> Page:
        return self.session.page

    def url(self, path: str) -> str:
        return self.session.base_url.rstrip("/") + path

    def loc(self, logical: str, /, *, within: Root | None = None, **fields: object) -> Locator:
        """The locator named `logical` (`filter` for this screen, or `common.toast`)."""
        full = logical if "." in logical else f"{self.SCREEN}.{logical}"
        spec = self.session.selectors.spec(full).fill(fields)
        locator = build(within if within is not None else self.page, spec)
        self.session.located[locator_key(locator)] = Located(spec, within)
        return locator

    def masks(self) -> dict[str, list[Locator]]:
        """What a screenshot of this screen paints over, by kind (`secret`, `volatile`)."""
        return {"secret": [self.secret], "volatile": [self.volatile]}

    def crm_text(self, logical: str, /, **fields: object) -> str:
        """The text named `logical` as the CRM shows it (the profile's, else the default)."""
        full = logical if "." in logical else f"{self.SCREEN}.{logical}"
        text = self.session.selectors.text(full)
        return text.format(**fields) if fields else text

    def as_fields(self, shown: Mapping[str, V]) -> dict[str, V]:
        """Values read under the CRM's names, reported under the robot's: every `Field` of this
        screen whose text the profile changed is renamed back to its default."""
        renamed: dict[str, str] = {}
        for declared in _fields_of(type(self)):
            crm_name = self.crm_text(declared.name)
            if crm_name != declared.default:
                renamed[crm_name] = declared.default
        return {renamed.get(name, name): value for name, value in shown.items()}

    def as_table(self, table: Table) -> Table:
        """A table read from the CRM, its columns under the robot's names."""
        rows = [
            TableRow(
                self.as_fields(row.cells),
                frozenset(self.as_fields(dict.fromkeys(row.secret_columns, ""))),
                row.data,
            )
            for row in table.rows
        ]
        return Table(list(self.as_fields(dict.fromkeys(table.headers, ""))), rows)

    def robot_name(self, shown: str) -> str:
        """The robot's name for a field or option the CRM shows as `shown`."""
        return self.as_fields({shown: ""}).popitem()[0]

    def shown_name(self, field: str) -> str:
        """What the CRM calls the field the robot calls `field` (the inverse of `as_fields`)."""
        for declared in _fields_of(type(self)):
            if declared.default == field:
                return self.crm_text(declared.name)
        return field

    def missing_fields(self, shown: Iterable[str]) -> list[str]:
        """The `Field` entries of this screen that `shown` (names as the CRM shows them) lacks,
        described with what the CRM was expected to call them."""
        names = set(shown)
        expected = (
            (declared.name, self.crm_text(declared.name)) for declared in _fields_of(type(self))
        )
        return [f'{name} ("{text}")' for name, text in expected if text not in names]

    def field_names(self) -> list[str]:
        """The logical names of this screen's `Field` entries."""
        return [declared.name for declared in _fields_of(type(self))]

    def column_names(self) -> list[str]:
        """The logical names of this screen's `Column` entries, in the order of its table."""
        return [
            declared.name for declared in _fields_of(type(self)) if isinstance(declared, Column)
        ]

    def field_named(self, field: str) -> str:
        """The logical name of the `Field` entry the robot calls `field`."""
        return next(d.name for d in _fields_of(type(self)) if d.default == field)

    def describe(self, locator: Locator) -> str:
        located = self.session.located.get(locator_key(locator))
        return located.spec.describe() if located else str(locator)

    def missing_container(self, locator: Locator) -> str | None:
        """For a locator that matches nothing: the container it is looked for inside (an entry
        it was scoped to, or the first steps of its own chain) when that already matches
        nothing, described; None when the container is there (the element itself is missing)."""
        located = self.session.located.get(locator_key(locator))
        if located is None:
            return None
        within, spec = located.within, located.spec
        if isinstance(within, Locator) and _count(within) == 0:
            return self.missing_container(within) or self.describe(within)
        root = within if within is not None else self.page
        for cut in range(1, len(spec.steps)):
            partial = LocatorSpec(spec.name, spec.steps[:cut], spec.origin)
            if _count(build(root, partial)) == 0:
                return f"{spec.name} up to {partial.text}"
        return None


def _fields_of(page_class: type) -> list[Field]:
    return [
        value
        for klass in page_class.__mro__
        for value in vars(klass).values()
        if isinstance(value, Field)
    ]


def _count(locator: Locator) -> int:
    try:
        return locator.count()
    except PlaywrightError:
        return 0


def locator_key(locator: Locator) -> str:
    """What names a locator across page loads: its repr from the selector on. The repr's frame
    part holds the page's URL at the time it is taken, which a navigation changes."""
    text = repr(locator)
    start = text.find(" selector=")
    return text[start:] if start >= 0 else text
