"""Signing in the way the CRM wants it (CRM_SIGN_IN), and the saved session of headless runs.

- form: the CRM's own sign-in page, typed with CRM_USERNAME and CRM_PASSWORD;
- sso: the CRM sends the browser to the company identity provider (CRM_SSO_HOSTS): username,
  Next, password; back on the CRM, the run goes on;
- manual: headed only. The PM signs in, second factor included, while the robot waits
  (CRM_ROBOT_SIGN_IN_WAIT_S); the robot never types a password in this mode.

A saved session (`crm-robot sign-in`, robot/browser/saved_session.py) comes first when there is
one. When the CRM no longer accepts it and no password flow can stand in, the run stops with
exit 3 and says to sign in again; it never loops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from pages.biller_search import BillerSearchPage
from pages.identity_provider import IdentityProviderPage
from pages.login import LoginPage
from pages.lookup import CrmSession
from pages.problems import is_at
from robot.browser.headed import prompt_sign_in
from robot.browser.saved_session import SavedSession, load
from robot.core.errors import CrmError, RobotError, SavedSessionExpiredError, SettingsError
from robot.core.settings import Settings
from robot.core.transport import under

SIGN_IN_PROMPT = "crm-robot: sign in to continue (the robot waits for you)"


class SigningSession(CrmSession, Protocol):
    """What signing in needs of robot.browser.session.BrowserSession."""

    settings: Settings
    headless: bool
    saved: SavedSession | None

    @property
    def refused(self) -> str | None: ...


def check_sign_in(settings: Settings, *, headed: bool) -> SavedSession | None:
    """Before a browser opens: what the sign-in flow needs is there. The saved session, if any."""
    saved = load(settings)
    if saved is None:
        check_flow(settings, headed=headed)
    return saved


def check_flow(settings: Settings, *, headed: bool) -> None:
    """The flow of CRM_SIGN_IN can sign in by itself; SettingsError naming what it lacks."""
    if can_sign_in_alone(settings, headed=headed):
        return
    if settings.crm_sign_in == "manual":
        raise SettingsError(
            "CRM_SIGN_IN: manual needs a headed run (--headed, or CRM_ROBOT_HEADLESS=false) "
            "where the PM signs in; for a headless run sign in first with `crm-robot "
            "sign-in --manual`, and the run uses the saved session"
        )
    settings.require_crm_login()  # raises, naming each missing setting


def sign_in(session: SigningSession, start_path: str | None) -> None:
    """Sign in and show `start_path` (default: Biller Search)."""
    if session.saved is not None and _saved_session_accepted(session, start_path):
        return
    _refused_on_the_way(session, lambda: _sign_in_by_flow(session, start_path, None))


def sign_in_again(session: SigningSession, return_to: str | None) -> None:
    """After the CRM's session expired mid-run: sign in again on the page shown (the CRM's
    `next` then brings the robot back), or on a fresh sign-in page when `return_to` is given."""
    # The whole address: a CRM may name the biller in its query.
    path = _relative(return_to, session.base_url) if return_to else None
    _refused_on_the_way(session, lambda: _sign_in_by_flow(session, path, return_to))


def can_sign_in_alone(settings: Settings, *, headed: bool) -> bool:
    """Can the robot sign in without a saved session: a password flow with its settings, or a PM
    at a headed browser?"""
    if settings.crm_sign_in == "manual":
        return headed
    return bool(settings.crm_username and settings.crm_password)


def _saved_session_accepted(session: SigningSession, start_path: str | None) -> bool:
    login = LoginPage(session)
    start = start_path or BillerSearchPage(session).address()
    login.goto(start, "open the CRM with the saved session")
    if login.on_crm() and not login.is_shown():
        return True
    session.saved = None  # the CRM wants a sign-in: the saved session has expired
    return False


def _sign_in_by_flow(session: SigningSession, path: str | None, return_to: str | None) -> None:
    if not can_sign_in_alone(session.settings, headed=not session.headless):
        raise SavedSessionExpiredError()
    settings = session.settings
    login = LoginPage(session)
    if login.on_crm() and not login.is_shown():
        login.open(path)  # the CRM's sign-in page, or where the CRM sends the browser instead
    if settings.crm_sign_in == "manual":
        _wait_for_the_pm(session)
    elif settings.crm_sign_in == "sso":
        _sign_in_with_provider(session)
    else:
        login.sign_in(*settings.require_crm_login())
    if return_to and session.page.url != return_to:
        login.goto(_relative(return_to, session.base_url), "return to the screen")


def _sign_in_with_provider(session: SigningSession) -> None:
    provider = IdentityProviderPage(session)
    if not provider.is_shown():
        raise SettingsError(
            "CRM_SIGN_IN: sso, but the CRM shows its own sign-in page rather than sending the "
            "browser to an identity provider; set CRM_SIGN_IN=form"
        )
    provider.sign_in(*session.settings.require_crm_login())


def _wait_for_the_pm(session: SigningSession) -> None:
    """The PM signs in in the page; the robot waits until the CRM shows one of its screens."""
    page: Page = session.page
    base = session.base_url.rstrip("/")
    sign_in_address = LoginPage(session).address()
    prompt_sign_in(page, base, urlsplit(sign_in_address).path, SIGN_IN_PROMPT)
    limit_s = session.settings.sign_in_wait_s

    def signed_in(url: str) -> bool:
        return under(url, base) and not is_at(url, sign_in_address)

    try:
        page.wait_for_url(signed_in, timeout=limit_s * 1000)
    except PlaywrightError:
        raise CrmError(
            f"Sign in: nobody finished signing in within {limit_s} s "
            "(CRM_ROBOT_SIGN_IN_WAIT_S); run again and sign in in the browser window"
        ) from None


def _refused_on_the_way(session: SigningSession, flow: Callable[[], None]) -> None:
    """Run a sign-in flow with every request routed; a request the browser was refused
    (robot/core/transport.py) is the reason it failed, whatever the page showed after."""
    try:
        with session.routed():
            flow()
    except (RobotError, PlaywrightError):
        if session.refused:
            raise SettingsError(session.refused) from None
        raise
    if session.refused:
        raise SettingsError(session.refused)


def _relative(url: str, base_url: str) -> str:
    if url.startswith(base_url):
        return url[len(base_url) :] or "/"
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
