"""What every page object stands on: the browser session it works in, and its locators by
logical name (pages/locators.py), with the override profile applied."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from contextlib import AbstractContextManager
from typing import ClassVar, Literal, Protocol

from playwright.sync_api import Locator, Page

from pages.locators import Loc, LocatorSpec, Root, SelectorOverrides, build

BeforeAction = Callable[[str, Locator | None], None]
# What can stand in place of a screen: the sign-in page (after an expiry or not), the CRM's
# error page, a spinner that does not go away.
PageProblem = Literal["expired", "login", "error", "spinner"]
# Per browser page: the URL its last load ended on, and whether the CRM answered with an error.
LastLoad = tuple[str, PageProblem | None]


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

    def sign_in_again(self, return_to: str | None) -> None: ...

    def paused_tracing(self) -> AbstractContextManager[None]: ...


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

    def __init__(self, session: CrmSession) -> None:
        self.session = session
        # Locator selector -> its logical spec, so that failures name the logical locator.
        self._specs: dict[str, LocatorSpec] = {}

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
        self._specs[_key(locator)] = spec
        return locator

    def describe(self, locator: Locator) -> str:
        spec = self._specs.get(_key(locator))
        return spec.describe() if spec else str(locator)


def _key(locator: Locator) -> str:
    return repr(locator)
