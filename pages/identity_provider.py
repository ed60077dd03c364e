"""The company identity provider's sign-in (CRM_SIGN_IN=sso): a two-step form on its own host.

The CRM sends the browser there to sign in and takes it back once the identity provider is
satisfied. Its fields and buttons are profile entries like any CRM screen's, under their own
screen (`identity_provider`), since every company's provider looks different.
"""

from __future__ import annotations

from playwright.sync_api import Locator
from pydantic import SecretStr

from pages.base import BasePage, PageProblem
from pages.entries import Loc
from robot.core.errors import SettingsError


class IdentityProviderPage(BasePage):
    SCREEN = "identity_provider"
    TITLE = "Company sign-in"
    username = Loc("label:Username")
    next_button = Loc("role:button:Next", name="next")
    password = Loc("label:Password")
    sign_in_button = Loc("role:button:Sign in", name="sign_in")
    one_time_code = Loc("label:One-time code")
    error = Loc("role:alert")

    def page_problem(self, *, fresh: bool = False) -> PageProblem | None:
        # Away from the CRM is where this screen is, not a problem standing in for it.
        problem = super().page_problem(fresh=fresh)
        return None if problem in ("login", "expired") else problem

    def is_shown(self) -> bool:
        """Is the browser away from the CRM, on the identity provider's sign-in?"""
        return not self.on_crm()

    def sign_in(self, username: str, password: SecretStr) -> None:
        """Username, Next, password, Sign in; the provider then sends the browser back to the
        CRM. Its second factor is the PM's to give: a provider that asks for one is refused.
        A provider already on its password step (it remembers the username, or the doctor
        typed it) goes on from there."""
        if not self._asks_for_password_only():
            self.enter_username(username)
        with self.session.paused_tracing():
            self.fill_secret("type the CRM password", self.password, password)
            self._submit("sign in", self.sign_in_button)
        if self.on_crm():
            return
        self._refused_if_alert()
        if self.one_time_code.count():
            raise SettingsError(
                "CRM_SIGN_IN: the identity provider asks for a one-time code, which the robot "
                "cannot type; sign in with `crm-robot sign-in --manual` (headed), and headless "
                "runs then use the saved session"
            )
        raise SettingsError(
            "CRM_SIGN_IN: after the password the identity provider did not send the browser "
            f"back to the CRM ({self.session.base_url}); sign in by hand once to see what it asks"
        )

    def enter_username(self, username: str) -> None:
        """The first step: the username, then Next, to the provider's password page."""
        self.fill("type the CRM username", self.username, username)
        self._submit("go on to the password", self.next_button)
        self._refused_if_alert()

    def _asks_for_password_only(self) -> bool:
        return self.username.count() == 0 and self.password.count() == 1

    def _submit(self, description: str, button: Locator) -> None:
        with self.page.expect_navigation():
            self.act(description, button, lambda el: el.click())

    def _refused_if_alert(self) -> None:
        shown = [text.strip() for text in self.error.all_inner_texts() if text.strip()]
        if shown:
            raise SettingsError(
                f"CRM_USERNAME, CRM_PASSWORD: the identity provider refused to sign in "
                f"({shown[0]}); check both settings and run again"
            )
