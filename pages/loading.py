"""Loading a screen: by URL or by following a link or button, remembering what the CRM
answered, and signing in again once when the CRM session had expired."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Request, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.actions import PageActions
from pages.lookup import PageProblem
from pages.problems import first_line
from robot.core.errors import CrmError, RobotError, ScreenChangedError, TransientCrmError
from robot.core.transport import certificate_error


class PageLoading(PageActions):
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
            before = self.page.url
            with self.page.expect_navigation() as loaded:
                try:
                    if how is None:
                        self.act(description, locator, lambda el: el.click())
                    else:
                        how()
                except ScreenChangedError:
                    if self.page.url == before:
                        raise
                    # The click was made and its page opened while the action still waited:
                    # the element was there, the CRM was slow to answer.
                    raise self._too_slow(description) from None
            return loaded.value

        self._with_relogin(description, lambda: self._load(description, click))

    def follow(self, description: str, link: Locator) -> None:
        """Follow a navigation link (left menu, tab): the link must be there, exactly one.

        The link is activated through its click event rather than a pointer click: a plain
        anchor does the same either way, and the pointer's actionability checks cost more than
        the page load on every screen of a capture.
        """
        self.navigate(description, link, lambda: self.act(description, link, _activate))

    def open_form(self, description: str, control: Locator) -> None:
        """Click a control that opens a form: on a page of its own, or in a dialog of this one
        (another CRM's way). Waits for a page load only when the click started one, so that a
        dialog costs no wait for a load that never comes."""
        started: list[Request] = []

        def on_request(request: Request) -> None:
            if request.is_navigation_request() and request.frame == self.page.main_frame:
                started.append(request)

        self.page.on("request", on_request)
        try:
            # The click returns once a navigation it started has been committed.
            self.click(description, control)
        finally:
            self.page.remove_listener("request", on_request)
        if started:
            self._with_relogin(description, lambda: self._load(description, self._loaded))

    def _loaded(self) -> None:
        self.page.wait_for_load_state("load")

    def _load(self, description: str, action: Callable[[], Response | None]) -> None:
        """Run an action that loads a page and remember what the answer was."""
        try:
            response = action()
            self.forget_load()
            if response is not None:
                error: PageProblem | None = "error" if response.status >= 500 else None
                self.remember_load(error)
        except RobotError:
            raise
        except PlaywrightTimeoutError:
            self._abandon_load()
            raise self._too_slow(description) from None
        except PlaywrightError as exc:
            if code := certificate_error(str(exc)):
                raise self._untrusted(code) from None
            raise TransientCrmError(
                f"{self.TITLE}: the connection to the CRM failed while trying to {description} "
                f"({first_line(exc)}); check that the CRM is up, then run again"
            ) from None

    def _untrusted(self, code: str) -> CrmError:
        return CrmError(
            f"{self.TITLE}: the browser does not trust the https certificate of the CRM or its "
            f"sign-in ({code}); the robot never ignores a certificate error. If "
            "your company runs its own certificate authority, set CRM_ROBOT_CA_BUNDLE to its PEM "
            "file; otherwise tell the CRM's administrators"
        )

    def _too_slow(self, description: str) -> TransientCrmError:
        return TransientCrmError(
            f"{self.TITLE}: the CRM did not answer in time to {description}; "
            "check that the CRM is up, then run again"
        )

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


def _activate(link: Locator) -> None:
    link.dispatch_event("click")
