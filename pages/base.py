"""What every CRM page object shares: locators by logical name, navigation that survives an
expired session, saves that wait for the spinner and the toast, confirm() handling, and the
classification of Playwright failures into the robot's errors.

Page objects never assert and never log a secret; they raise a RobotError when the CRM does not
show what the contract (docs/crm-screens.md) promises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import ClassVar, Literal, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit
from weakref import WeakKeyDictionary

from playwright.sync_api import Dialog, Locator, Page, Response
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pydantic import SecretStr

from pages.locators import REGISTRY, LocatorSpec, Root, SelectorOverrides, build
from robot.core.errors import (
    BusinessRuleError,
    CrmError,
    RobotError,
    ScreenChangedError,
    SessionExpiredError,
    TransientCrmError,
)

T = TypeVar("T")
BeforeAction = Callable[[str, Locator | None], None]
PageProblem = Literal["expired", "login", "error", "spinner"]


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

    def sign_in_again(self, return_to: str | None) -> None: ...

    def paused_tracing(self) -> AbstractContextManager[None]: ...


class BasePage:
    """A screen of the CRM. Subclasses set SCREEN (the locator prefix), TITLE and LOCATORS."""

    SCREEN: ClassVar[str] = "common"
    TITLE: ClassVar[str] = "CRM"
    LOCATORS: ClassVar[dict[str, str]] = {
        "spinner": "testid:spinner",
        "toast": "testid:toast",
        "form_error": "testid:form-error",
        "field_error": "testid:field-error",
        "login_heading": "role:heading:Sign in to InvoiceCloud CRM",
        "server_error": "role:heading:Server Error",
        "env_banner": "testid:env-banner",
    }

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "LOCATORS" in cls.__dict__:
            REGISTRY.register(cls.SCREEN, cls.LOCATORS)

    def __init__(self, session: CrmSession) -> None:
        self.session = session
        # Locator selector -> its logical spec, so that failures name the logical locator.
        self._specs: dict[str, LocatorSpec] = {}

    # --- locators ------------------------------------------------------------------------------

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

    @property
    def spinner(self) -> Locator:
        return self.loc("common.spinner")

    @property
    def toast(self) -> Locator:
        return self.loc("common.toast")

    @property
    def server_error_heading(self) -> Locator:
        return self.loc("common.server_error")

    @property
    def login_heading(self) -> Locator:
        return self.loc("common.login_heading")

    @property
    def environment_badge(self) -> Locator:
        return self.loc("common.env_banner")

    # --- acting on elements --------------------------------------------------------------------

    def act(self, description: str, locator: Locator, action: Callable[[Locator], T]) -> T:
        """Run `action` on `locator`; a missing or ambiguous element is a ScreenChangedError."""

        def run(element: Locator) -> T:
            if self.session.before_action is not None:
                self.session.before_action(description, element)
            return action(element)

        return self._guarded(description, locator, run)

    def read(self, reader: Callable[[Locator], T], locator: Locator) -> T:
        """Read what `locator` shows with `reader` (pages.readers), with the errors of `act`."""
        return self._guarded("read the screen", locator, reader)

    def _guarded(self, description: str, locator: Locator, action: Callable[[Locator], T]) -> T:
        try:
            return action(locator)
        except PlaywrightTimeoutError:
            raise self._failure(description, locator) from None
        except PlaywrightError as exc:
            if "strict mode violation" in str(exc):
                raise self._failure(description, locator) from None
            raise TransientCrmError(
                f"{self.TITLE}: the browser failed to {description} ({_first_line(exc)}); "
                "check that the CRM is up, then run again"
            ) from None

    def click(self, description: str, locator: Locator) -> None:
        self.act(description, locator, lambda el: el.click())

    def fill(self, description: str, locator: Locator, value: str) -> None:
        self.act(description, locator, lambda el: el.fill(value))

    def fill_secret(self, description: str, locator: Locator, value: SecretStr) -> None:
        """Type a secret with tracing paused, so no trace holds the keystrokes."""
        with self.session.paused_tracing():
            self.act(description, locator, lambda el: el.fill(value.get_secret_value()))

    def set_checked(self, description: str, locator: Locator, checked: bool) -> None:
        self.act(description, locator, lambda el: el.set_checked(checked))

    def choose_option(self, description: str, locator: Locator, label: str) -> None:
        """Choose the option shown as `label`; a list without it is a ScreenChangedError."""

        def choose(el: Locator) -> None:
            options: list[str] = el.evaluate("s => [...s.options].map(o => o.label.trim())")
            if label not in options:
                raise ScreenChangedError(
                    f'{self.TITLE}: {self.describe(locator)} has no option "{label}"; '
                    f"it offers {', '.join(options) or 'nothing'}"
                )
            el.select_option(label=label)

        self.act(description, locator, choose)

    def _failure(self, description: str, locator: Locator) -> RobotError:
        problem = self.page_problem(fresh=True)
        if problem is not None:
            return self._problem_error(problem, description)
        try:
            count = locator.count()
        except PlaywrightError:
            count = 1
        what = self.describe(locator)
        if count == 0:
            return ScreenChangedError(f"{self.TITLE} shows nothing matching {what} ({description})")
        if count > 1:
            return ScreenChangedError(
                f"{self.TITLE} shows {count} elements matching {what} ({description})"
            )
        return TransientCrmError(
            f"{self.TITLE}: the CRM did not answer in time to {description} ({what}); "
            "check that the CRM is up, then run again"
        )

    # --- what the browser shows ----------------------------------------------------------------

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def page_problem(self, *, fresh: bool = False) -> PageProblem | None:
        """What stands in place of the screen: the login page, an error page, a spinner.

        The answer to the page's last navigation is remembered (an HTTP 500 is the error page),
        so asking again costs nothing; `fresh` looks at the page itself.
        """
        parts = urlsplit(self.page.url)
        if parts.path.rstrip("/") == "/login":
            return "expired" if parse_qs(parts.query).get("expired") == ["1"] else "login"
        known = _LAST_LOAD.get(self.page)
        if not fresh and known is not None and known[0] == self.page.url:
            return known[1]
        try:
            # One round trip in the usual case: neither is there.
            error = self.server_error_heading
            if not error.or_(self.spinner.filter(visible=True)).count():
                return None
            return "error" if error.count() else "spinner"
        except PlaywrightError:
            return "error"

    def _problem_error(self, problem: PageProblem, description: str) -> RobotError:
        if problem == "expired":
            return SessionExpiredError(
                f"{self.TITLE}: the CRM session expired while trying to {description}; "
                "sign-in was tried once already; check the CRM's session settings, then run again"
            )
        if problem == "login":
            return CrmError(
                f"{self.TITLE}: the CRM shows its sign-in page instead of the screen; check "
                "CRM_USERNAME and CRM_PASSWORD, then run again"
            )
        if problem == "error":
            return TransientCrmError(
                f"{self.TITLE}: the CRM answered with a server error while trying to "
                f"{description}; run again (the robot reads the screen before changing it)"
            )
        return TransientCrmError(
            f"{self.TITLE}: the CRM is still busy (spinner shown) while trying to {description}; "
            "check that the CRM is answering, then run again"
        )

    # --- navigation ----------------------------------------------------------------------------

    def goto(self, path: str, description: str | None = None) -> None:
        """Load `path` (relative to the CRM base URL) directly; signs in again once if needed."""
        what = description or f"open {path}"
        url = self.url(path)
        self._with_relogin(what, lambda: self._load(what, lambda: self.page.goto(url)))

    def navigate(
        self, description: str, locator: Locator, how: Callable[[], object] | None = None
    ) -> None:
        """Click a link or button (or run `how`) that loads another page; signs in again once
        if the session had expired."""

        def click() -> Response | None:
            with self.page.expect_navigation() as loaded:
                if how is None:
                    self.act(description, locator, lambda el: el.click())
                else:
                    how()
            return loaded.value

        self._with_relogin(description, lambda: self._load(description, click))

    def follow(self, description: str, link: Locator) -> None:
        """Follow a navigation link (left menu, tab): the link must be there, exactly one.

        The link is activated through its click event rather than a pointer click: a plain
        anchor does the same either way, and the pointer's actionability checks cost more than
        the page load on every screen of a capture.
        """
        self.navigate(description, link, lambda: self.act(description, link, _activate))

    def _load(self, description: str, action: Callable[[], Response | None]) -> None:
        """Run an action that loads a page and remember what the answer was."""
        try:
            response = action()
            _LAST_LOAD.pop(self.page, None)
            if response is not None:
                error: PageProblem | None = "error" if response.status >= 500 else None
                _LAST_LOAD[self.page] = (self.page.url, error)
        except RobotError:
            raise
        except PlaywrightTimeoutError:
            self._abandon_load()
            raise TransientCrmError(
                f"{self.TITLE}: the CRM did not answer in time to {description}; "
                "check that the CRM is up, then run again"
            ) from None
        except PlaywrightError as exc:
            raise TransientCrmError(
                f"{self.TITLE}: the connection to the CRM failed while trying to {description} "
                f"({_first_line(exc)}); check that the CRM is up, then run again"
            ) from None

    def _abandon_load(self) -> None:
        """A load that timed out is still pending in the browser, and until the CRM answers it
        every look at the page (even counting elements) waits too; a blank page cancels it."""
        try:
            self.page.goto("about:blank")
        except PlaywrightError:
            pass

    def _with_relogin(self, description: str, load: Callable[[], None]) -> None:
        load()
        problem = self.page_problem()
        if problem == "expired":
            # The login URL's `next` is the page that was asked for; signing in lands there.
            self.session.sign_in_again(None)
            problem = self.page_problem()
        if problem is not None:
            raise self._problem_error(problem, description)

    # --- saving --------------------------------------------------------------------------------

    def submit(self, description: str, button: Locator, *, toast: str = "Saved.") -> None:
        """Click a submit button and wait for the CRM's answer: the toast, or errors.

        Validation errors are a BusinessRuleError naming them. If the session had expired, the
        robot signs in again, returns to the screen and raises SessionExpiredError: nothing was
        saved, and the caller reads the screen again before it re-applies the change.
        """
        before = self.page.url

        def click() -> Response | None:
            with self.page.expect_navigation() as loaded:
                self.act(description, button, lambda el: el.click())
            return loaded.value

        self._load(description, click)
        problem = self.page_problem()
        if problem == "expired":
            self.session.sign_in_again(before)
            raise SessionExpiredError(
                f"{self.TITLE}: the CRM session expired while trying to {description}; "
                "nothing was saved. The robot signed in again; read the screen and apply the "
                "change again"
            )
        if problem is not None:
            raise self._problem_error(problem, description)
        errors = self.form_errors()
        if errors:
            raise BusinessRuleError(
                f"{self.TITLE}: the CRM refused to {description}: {'; '.join(errors)}. "
                "Nothing was stored; correct the plan or the CRM, then run again"
            )
        self._wait_for_toast(description, toast)

    def form_errors(self) -> list[str]:
        """The field errors shown after a refused save (empty when there are none)."""
        fields = self.loc("common.field_error")
        texts = [t.strip() for t in fields.all_inner_texts() if t.strip()]
        if texts:
            return texts
        summary = self.loc("common.form_error")
        return [t.strip() for t in summary.all_inner_texts() if t.strip()]

    def _wait_for_toast(self, description: str, text: str) -> None:
        """The spinner gone and the toast shown; then the toast is closed (Escape, as a PM
        would), since it can cover the lower right of the page for seconds, or for good."""
        toast = self.toast.filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
        try:
            self.spinner.wait_for(state="hidden")
            toast.wait_for(state="visible")
            self.page.keyboard.press("Escape")
            self.toast.wait_for(state="detached")
        except PlaywrightTimeoutError:
            raise TransientCrmError(
                f'{self.TITLE}: no "{text}" toast after trying to {description}; '
                "read the screen to see whether the change was stored, then run again"
            ) from None

    @contextmanager
    def confirming(self, expected: str) -> Iterator[list[str]]:
        """Accept the confirm() whose message starts with `expected`; dismiss any other."""
        seen: list[str] = []

        def answer(dialog: Dialog) -> None:
            seen.append(dialog.message)
            if dialog.type == "confirm" and dialog.message.startswith(expected):
                dialog.accept()
            else:
                dialog.dismiss()

        self.page.on("dialog", answer)
        try:
            yield seen
        except TransientCrmError:
            if seen and not seen[-1].startswith(expected):
                raise ScreenChangedError(
                    f'{self.TITLE} asked "{seen[-1]}" where "{expected}..." was expected; '
                    "the robot answered Cancel"
                ) from None
            raise
        finally:
            self.page.remove_listener("dialog", answer)


REGISTRY.register(BasePage.SCREEN, BasePage.LOCATORS)

# Per page: the URL its last load ended on and whether the CRM answered with a server error.
_LAST_LOAD: WeakKeyDictionary[Page, tuple[str, PageProblem | None]] = WeakKeyDictionary()


def _activate(link: Locator) -> None:
    link.dispatch_event("click")


def _key(locator: Locator) -> str:
    return repr(locator)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
