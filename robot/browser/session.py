"""The robot's browser: one Chromium (robot/browser/launch.py), one context with a fixed viewport
and clock settings, signed in to the CRM, signing in again by itself when its session expires.

    with BrowserSession(settings) as session:
        ProfilePage(session, "10482").open().read_values()

Page objects reach the page, base URL, profile and re-sign-in through it (pages/lookup.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast
from weakref import WeakKeyDictionary

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    StorageState,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from pages.base import BeforeAction, LastLoad
from pages.lookup import Located
from pages.navigation import Navigation
from pages.overrides import SelectorOverrides, load_overrides
from pages.problems import first_line
from robot.browser import signin
from robot.browser.fingerprints import fresh, keep
from robot.browser.launch import (
    connect_browser,
    context_options,
    launch_browser,
    trust_ca_bundle,
)
from robot.browser.routing import Router
from robot.browser.saved_session import SavedSession
from robot.core.errors import BrowserError, GuardError

ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 30_000


class BrowserSession:
    """A signed-in browser page on the CRM (a context manager).

    `settings` is robot.core.settings.Settings (or anything with the same fields). `browser`
    reuses a browser the caller owns (tests); `trace_path` records a Playwright trace, paused
    while a secret is typed. Note that a trace's DOM snapshots hold what the screens showed, and
    Advanced Settings shows settings 10 and 13 in clear: keep traces as private as the secrets.
    `playwright` reuses a running Playwright (one per thread) to launch or connect with;
    `start_path` is the page the sign-in leads to (a biller's first page saves a page load).
    """

    def __init__(
        self,
        settings: Any,
        *,
        headless: bool | None = None,
        slow_mo_ms: int | None = None,
        browser_endpoint: str | None = None,
        selectors: SelectorOverrides | None = None,
        trace_path: Path | str | None = None,
        browser: Browser | None = None,
        playwright: Playwright | None = None,
        action_timeout_ms: float | None = None,
        navigation_timeout_ms: float | None = None,
        sign_in: bool = True,
        start_path: str | None = None,
        fingerprints_root: Path | None = None,
        saved: SavedSession | None = None,
    ) -> None:
        self.settings = settings
        self.headless = settings.headless if headless is None else headless
        self.slow_mo_ms = settings.slow_mo_ms if slow_mo_ms is None else slow_mo_ms
        self.browser_endpoint = browser_endpoint or settings.browser_endpoint
        self._selectors = selectors
        self.trace_path = Path(trace_path) if trace_path else None
        self.trace_files: list[Path] = []
        # CRM_ROBOT_TIMEOUT_MS when not given; a page load may take three times as long.
        timeout_ms = getattr(settings, "timeout_ms", ACTION_TIMEOUT_MS)
        self.action_timeout_ms = action_timeout_ms or timeout_ms
        self.navigation_timeout_ms = navigation_timeout_ms or 3 * timeout_ms
        self.sign_in_on_start = sign_in
        self.start_path = start_path
        self.before_action: BeforeAction | None = None
        # What the CRM answered to each page's last load (pages/problems.py).
        self.last_loads: WeakKeyDictionary[Page, LastLoad] = WeakKeyDictionary()
        self.saved_answers: WeakKeyDictionary[Page, str] = WeakKeyDictionary()  # pages/saving.py
        # Locator -> the entry it stands for (pages/lookup.py), for messages naming entries.
        self.located: dict[str, Located] = {}
        self.fingerprints: dict[str, dict[str, str]] = {}  # entry -> its element's look
        self.routes_taken: set[str] = set()  # screens reached through their menus and tabs
        self.fingerprints_root = fingerprints_root  # kept there at the end; today's read there
        self._given_browser = browser
        self._given_playwright = playwright
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._tracing = False
        self._trace_paused = False
        # What broke under the robot, when the browser itself failed: a crashed page or a browser
        # gone. A retry cannot help then; the runner stops and says so.
        self.crash: str | None = None
        # (name, Biller ID) the run works on, once the guards passed: checked after each
        # sign-in again, since a CRM may show another biller to a fresh session.
        self.expected_biller: tuple[str, str] | None = None
        self.signed_in_again = 0
        self.saved = saved  # from `crm-robot sign-in`, tried before any other sign-in
        self.router = Router(
            self.base_url,
            getattr(settings, "crm_sso_hosts", ()),
            self.navigation_timeout_ms,
        )
        self._closing = False
        self._watching_browser = False

    # --- what the page objects use -------------------------------------------------------------

    @property
    def page(self) -> Page:
        if self._page is None:
            raise BrowserError("the browser session is not open; use it in a `with` block")
        return self._page

    @property
    def context(self) -> BrowserContext:
        if self._context is None:
            raise BrowserError("the browser session is not open; use it in a `with` block")
        return self._context

    @property
    def base_url(self) -> str:
        return str(self.settings.crm_base_url).rstrip("/")

    @property
    def selectors(self) -> SelectorOverrides:
        if self._selectors is None:
            self._selectors = load_overrides(getattr(self.settings, "selectors", None))
        return self._selectors

    @property
    def browser_version(self) -> str:
        return self._browser.version if self._browser is not None else ""

    @property
    def keeps_fingerprints(self) -> bool:
        return self.fingerprints_root is not None

    def sign_in(self) -> None:
        """Sign in the way CRM_SIGN_IN says (robot/browser/signin.py), the saved session first;
        the CRM then shows `start_path` (default: Biller Search)."""
        # The whole sign-in untraced: the password is in the POST body as well as the keystrokes.
        with self.paused_tracing():
            signin.sign_in(self, self.start_path)

    def sign_in_again(self, return_to: str | None) -> None:
        """After the CRM's session expired: sign in on the page shown, then go to `return_to`
        (when None, the CRM's own `next` brings the robot back to the page it asked for)."""
        with self.paused_tracing():
            signin.sign_in_again(self, return_to)
        self.signed_in_again += 1
        self._recheck_biller()

    def _recheck_biller(self) -> None:
        """The screen shown after signing in again is the run's biller (when it shows one)."""
        if self.expected_biller is None:
            return
        shown = Navigation(self).shown_biller()
        if shown is not None and shown != self.expected_biller:
            name, biller_id = self.expected_biller
            raise GuardError(
                f"after signing in again the CRM shows {shown[0]} ({shown[1]}), not {name} "
                f"({biller_id}); the robot stopped before changing anything more. Check the "
                "biller by hand, then resume the run"
            )

    @contextmanager
    def paused_tracing(self) -> Iterator[None]:
        """No trace is recorded inside this block (a secret is being typed)."""
        if not self._tracing or self._trace_paused:
            yield  # not tracing, or already paused by an outer block
            return
        self._trace_paused = True
        # A full stop, not stop_chunk: network records made during a paused chunk (POST bodies,
        # pages showing secrets) are written into the next chunk.
        self.context.tracing.stop(path=self._next_trace_file())
        try:
            yield
        finally:
            self._trace_paused = False
            self.context.tracing.start(screenshots=True, snapshots=True)

    def leave_page(self) -> None:
        """Show a blank page (before a fresh read); never raises."""
        try:
            self.page.goto("about:blank")
        except (PlaywrightError, BrowserError):
            pass

    # --- life cycle ----------------------------------------------------------------------------

    def __enter__(self) -> Self:
        try:
            self._start()
            if self.sign_in_on_start:
                self.sign_in()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _start(self) -> None:
        self._closing, self.crash = False, None
        try:
            if self._given_browser is not None:
                self._browser = self._given_browser
            elif self._given_playwright is not None:
                self._browser = self._open_browser(self._given_playwright)
            else:
                trust_ca_bundle(getattr(self.settings, "ca_bundle", None))
                self._playwright = sync_playwright().start()
                self._browser = self._open_browser(self._playwright)
            state = cast(StorageState, self.saved.state) if self.saved is not None else None
            self._context = self._browser.new_context(**context_options(), storage_state=state)
            self._context.set_default_timeout(self.action_timeout_ms)
            self._context.set_default_navigation_timeout(self.navigation_timeout_ms)
            if self.trace_path is not None:
                self._context.tracing.start(screenshots=True, snapshots=True)
                self._tracing = True
            self._page = self._context.new_page()
            self._page.on("crash", lambda _page: self._crashed("the browser's page crashed"))
            self._browser.on("disconnected", self._browser_gone)
            self._watching_browser = True
            self.fingerprints = {
                **fresh(self.fingerprints_root, self.selectors),
                **self.fingerprints,
            }
        except PlaywrightError as exc:
            raise BrowserError(
                f"the browser could not be started ({first_line(exc)}); set "
                "CRM_ROBOT_BROWSER_EXECUTABLE or run `make setup`"
            ) from None

    def routed(self) -> AbstractContextManager[None]:
        """Requests through the robot inside this block (robot/browser/routing.py): each form
        post sent exactly once, each request away from the CRM checked."""
        return self.router.routed(self._context)

    @property
    def refused(self) -> str | None:
        """The first request the transport rules did not let go, if any."""
        return self.router.refused

    def _browser_gone(self, _browser: Browser) -> None:
        self._crashed("the browser closed or crashed")

    def _crashed(self, what: str) -> None:
        if not self._closing and self.crash is None:
            self.crash = what

    def _open_browser(self, playwright: Playwright) -> Browser:
        if self.browser_endpoint:
            return connect_browser(playwright, self.browser_endpoint, slow_mo_ms=self.slow_mo_ms)
        return launch_browser(
            playwright,
            self.settings.browser_executable,
            headless=self.headless,
            slow_mo_ms=self.slow_mo_ms,
            ca_bundle=getattr(self.settings, "ca_bundle", None),
        )

    def _next_trace_file(self) -> Path:
        assert self.trace_path is not None
        n = len(self.trace_files) + 1
        path = self.trace_path
        if n > 1:
            path = path.with_name(f"{path.stem}-{n}{path.suffix or '.zip'}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.trace_files.append(path)
        return path

    def close(self) -> None:
        """Stop tracing, close the context and the browser; never raises."""
        self._closing = True
        if self.fingerprints_root is not None and self.fingerprints:
            keep(self.fingerprints, self.selectors.source, self.fingerprints_root)
        context = self._context
        if context is not None and self._tracing and not self._trace_paused:
            _quietly(lambda: context.tracing.stop(path=self._next_trace_file()))
        if context is not None:
            _quietly(context.close)
        if self._browser is not None and self._watching_browser:
            # A browser the caller owns outlives this session: leave no listener on it.
            self._browser.remove_listener("disconnected", self._browser_gone)
            self._watching_browser = False
        if self._browser is not None and self._given_browser is None:
            _quietly(self._browser.close)
        if self._playwright is not None:
            _quietly(self._playwright.stop)
        self._tracing = False
        self._page = self._context = self._browser = self._playwright = None


def _quietly(step: Callable[[], object]) -> None:
    """A step of closing: a browser already gone is no error at the end."""
    try:
        step()
    except PlaywrightError:
        pass
