"""Spotting what stands in place of a screen: the sign-in page, the CRM's error page, a spinner
that stays; and the robot error each of them means."""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, urlsplit

from playwright.sync_api import Error as PlaywrightError

from pages.lookup import PageLookup, PageProblem
from robot.core.errors import CrmError, RobotError, SessionExpiredError, TransientCrmError
from robot.core.transport import under


def is_at(url: str, address: str) -> bool:
    """Is `url` at `address`: the same path, and every query parameter the address names?
    Paths and names are compared without case, as the web servers of old CRMs compare them;
    the page may add parameters of its own (a grid's page)."""
    wanted, shown = urlsplit(address), urlsplit(url)
    if wanted.path.rstrip("/").casefold() != shown.path.rstrip("/").casefold():
        return False
    query = {(k.casefold(), v) for k, v in parse_qsl(shown.query, keep_blank_values=True)}
    return all((k.casefold(), v) in query for k, v in parse_qsl(wanted.query))


class PageProblems(PageLookup):
    def shown_address(self) -> str:
        """The page's address on the CRM: its path, and its query if it has one."""
        parts = urlsplit(self.page.url)
        return f"{parts.path}?{parts.query}" if parts.query else parts.path

    def at(self, address: str) -> bool:
        """Is the page at `address` (an `Address` filled in)? See `is_at`."""
        return is_at(self.page.url, address)

    def page_problem(self, *, fresh: bool = False) -> PageProblem | None:
        """What stands in place of the screen: the login page, an error page, a spinner.

        The answer to the page's last navigation is remembered by the session (an HTTP 500 is
        the error page), so asking again costs nothing; `fresh` looks at the page itself.
        """
        parts = urlsplit(self.page.url)
        if self.at(self.crm_text("login.address")) or not self.on_crm():
            # The CRM's own sign-in page, or its company sign-in on another host (sso).
            return "expired" if parse_qs(parts.query).get("expired") == ["1"] else "login"
        known = self.session.last_loads.get(self.page)
        if not fresh and known is not None and known[0] == self.page.url:
            return known[1]
        try:
            # One round trip in the usual case: neither is there.
            error = self.server_error
            if not error.or_(self.spinner.filter(visible=True)).count():
                return None
            return "error" if error.count() else "spinner"
        except PlaywrightError:
            return "error"

    def on_crm(self) -> bool:
        """Is the page one of the CRM's (or blank, before the first page)? Away from the CRM
        is its company sign-in, where the CRM sends the browser to sign in."""
        url = self.page.url
        if not url.startswith(("http://", "https://")):
            return True  # about:blank, or the browser's own error page: not another host
        return under(url, self.session.base_url)

    def remember_load(self, problem: PageProblem | None) -> None:
        """What the CRM answered to the load that ended on the page's current URL."""
        self.session.last_loads[self.page] = (self.page.url, problem)

    def forget_load(self) -> None:
        self.session.last_loads.pop(self.page, None)
        self.session.saved_answers.pop(self.page, None)

    def shows_saved_answer(self) -> bool:
        """Is the page the CRM's answer to a save, untouched since: what the CRM holds now?"""
        return self.session.saved_answers.get(self.page) == self.page.url

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


def first_line(exc: BaseException) -> str:
    """The first line of a browser error, for a message (Playwright's run to many lines)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
