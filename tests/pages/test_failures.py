"""When the CRM misbehaves, page objects say what happened in the robot's own errors: a changed
screen, a server error, a dropped connection, an expired session (signed in again once)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Frame

from pages.advanced_settings import AdvancedSettingsPage
from pages.obd import ObdPage
from pages.products import ProductsPage
from pages.profile import ProfilePage
from robot.browser.session import BrowserSession
from robot.core.errors import (
    ScreenChangedError,
    SessionExpiredError,
    SettingsError,
    TransientCrmError,
)
from robot.core.secrets import Secret
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import PASSWORD, SAMPLE_BILLER, signed_in

pytestmark = pytest.mark.e2e
B = SAMPLE_BILLER


@pytest.fixture(scope="module")
def module_session(crm_sim_server: CrmSimServer, browser: Browser) -> Iterator[BrowserSession]:
    # A missing element is reported after this long: short, for tests that expect it.
    crm_sim_server.set_faults("")  # a fault left by another module's last test
    with signed_in(crm_sim_server.url, browser, action_timeout_ms=1_000) as session:
        yield session


def test_two_save_buttons_are_a_changed_screen_naming_the_locator(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    crm_sim.set_faults("ui=duplicate_save_button")
    with pytest.raises(ScreenChangedError) as raised:
        ProfilePage(session, B).set_integration_partner("IMT Spectrum")
    assert raised.value.message.startswith(
        "the CRM screen changed: Profile shows 2 elements matching profile.save (role:button:Save)"
    )
    assert crm_sim.state(B)["integration_partner"] == "IMT MIPS APPS"


def test_a_missing_filter_box_is_a_changed_screen_naming_the_locator(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    crm_sim.set_faults("ui=missing_filter")
    with pytest.raises(ScreenChangedError, match="advanced_settings.filter") as raised:
        AdvancedSettingsPage(session, B).find_setting(88)
    assert "Advanced Settings shows nothing matching advanced_settings.filter" in str(raised.value)
    assert "--selectors FILE" in str(raised.value)


def test_a_locator_is_named_by_its_entry_after_the_page_it_was_made_on_is_left(
    session: BrowserSession,
) -> None:
    profile = ProfilePage(session, B).open()
    edit = profile.edit
    profile.open_edit()  # another page: the locator's frame now shows another URL
    assert profile.describe(edit) == "profile.edit (role:link:Edit Profile)"


def test_a_server_error_page_is_a_transient_error(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    crm_sim.set_faults(f"fail_once=GET:/billers/{B}/obd:before_commit")
    with pytest.raises(TransientCrmError, match="OBD: the CRM answered with a server error"):
        ObdPage(session, B).open()
    assert ObdPage(session, B).open().read_values()["OBD Enabled"] == "Yes"  # once only


@pytest.mark.parametrize(
    ("mode", "stored", "message"),
    [
        ("before_commit", False, "server error"),
        ("after_commit", True, "server error"),
    ],
)
def test_a_failed_save_is_a_transient_error_and_the_state_tells_whether_it_stored(
    session: BrowserSession, crm_sim: CrmSimServer, mode: str, stored: bool, message: str
) -> None:
    crm_sim.set_faults(f"fail_once=POST:/billers/{B}/profile/edit:{mode}")
    with pytest.raises(TransientCrmError, match=message):
        ProfilePage(session, B).set_integration_partner("IMT Spectrum")
    partner = crm_sim.state(B)["integration_partner"]
    assert partner == ("IMT Spectrum" if stored else "IMT MIPS APPS")


def test_an_expired_session_during_navigation_is_signed_in_again_silently(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    visited: list[str] = []

    def seen(frame: Frame) -> None:
        visited.append(frame.url)

    # Every second counted request expires the session: here, the click on Products.
    crm_sim.set_faults("expire_session_every=2")
    session.page.on("framenavigated", seen)
    try:
        values = ProductsPage(session, B).open().read_values()
    finally:
        session.page.remove_listener("framenavigated", seen)
    assert values["Product Umbrella Policy"] == "No"
    assert any("expired=1" in url for url in visited)
    assert session.page.url.endswith(f"/billers/{B}/products")


def test_an_expired_session_during_a_save_signs_in_again_and_asks_to_reapply(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    profile = ProfilePage(session, B).open()
    # Counted from here: the edit form, then the save, which finds the session expired.
    crm_sim.set_faults("expire_session_every=2")
    with pytest.raises(SessionExpiredError, match="nothing was saved") as raised:
        profile.set_integration_partner("IMT Spectrum")
    assert "apply the change again" in raised.value.message
    assert crm_sim.state(B)["integration_partner"] == "IMT MIPS APPS"
    assert session.page.url.endswith(f"/billers/{B}/profile/edit")  # back on the screen
    crm_sim.set_faults("")
    assert profile.set_integration_partner("IMT Spectrum") is True
    assert crm_sim.state(B)["integration_partner"] == "IMT Spectrum"


def test_wrong_credentials_name_the_settings_not_the_password(
    crm_sim: CrmSimServer, browser: Browser
) -> None:
    wrong = f"not-{PASSWORD}"
    with pytest.raises(SettingsError) as raised:
        with signed_in(crm_sim.url, browser, settings={"crm_password": Secret(wrong)}):
            pass
    assert raised.value.message == (
        "CRM_USERNAME, CRM_PASSWORD: the CRM refused to sign in (Invalid username or "
        "password.); check both settings and run again"
    )
    assert wrong not in raised.value.message
