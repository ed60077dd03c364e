"""The sign-in page (`/login`)."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from pydantic import SecretStr

from pages.base import BasePage, PageProblem
from pages.entries import Address, Loc
from robot.core.errors import SessionExpiredError, SettingsError


class LoginPage(BasePage):
    SCREEN = "login"
    TITLE = "Sign in"
    address = Address("/login")
    heading = Loc("role:heading:Sign in to InvoiceCloud CRM")
    username = Loc("label:Username")
    password = Loc("label:Password")
    sign_in_button = Loc("role:button:Sign in", name="sign_in")
    error = Loc("role:alert")
    expired_notice = Loc("text:Your session has expired. Please sign in again.")

    def page_problem(self, *, fresh: bool = False) -> PageProblem | None:
        # The sign-in page is this screen, not a problem standing in for it.
        problem = super().page_problem(fresh=fresh)
        return None if problem in ("login", "expired") else problem

    def is_shown(self) -> bool:
        return self.at(self.address())

    def open(self, next_path: str | None = None) -> LoginPage:
        address = self.address()
        joint = "&" if urlsplit(address).query else "?"
        query = f"{joint}{urlencode({'next': next_path})}" if next_path else ""
        self.goto(f"{address}{query}", "open the sign-in page")
        return self

    def says_session_expired(self) -> bool:
        return self.expired_notice.count() > 0

    def sign_in(self, username: str, password: SecretStr) -> None:
        """Sign in on the page shown; the CRM then goes to `next` (or Biller Search)."""
        self.fill("type the CRM username", self.username, username)
        # Paused until the form is gone: a trace snapshot would hold the typed password.
        with self.session.paused_tracing():
            self.fill_secret("type the CRM password", self.password, password)
            self._load("sign in", lambda: self._click_sign_in())
        if self.server_error.count():
            # A server error answered the sign-in itself: transient, not a wrong password.
            raise self._problem_error("error", "sign in")
        if self.is_shown():
            shown = [t.strip() for t in self.error.all_inner_texts() if t.strip()]
            if not shown and super().page_problem() == "expired":
                # Signed in, then expired again on the very next page: not the credentials.
                raise SessionExpiredError(
                    "Sign in: the CRM session expired again right after signing in; check the "
                    "CRM's session settings, then run again"
                )
            reason = f" ({shown[0]})" if shown else ""
            raise SettingsError(
                f"CRM_USERNAME, CRM_PASSWORD: the CRM refused to sign in{reason}; "
                "check both settings and run again"
            )
        problem = self.page_problem()
        if problem is not None:
            raise self._problem_error(problem, "sign in")

    def _click_sign_in(self) -> None:
        with self.page.expect_navigation():
            self.act("click Sign in", self.sign_in_button, lambda el: el.click())
