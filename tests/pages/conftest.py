"""One signed-in browser session per test module; fresh CRM data and a fresh page per test."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from robot.browser.session import BrowserSession
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import signed_in


@pytest.fixture(scope="module")
def module_session(crm_sim_server: CrmSimServer, browser: Browser) -> Iterator[BrowserSession]:
    crm_sim_server.set_faults("")  # a fault left by another module's last test
    with signed_in(crm_sim_server.url, browser) as session:
        yield session


@pytest.fixture
def session(module_session: BrowserSession, crm_sim: CrmSimServer) -> BrowserSession:
    """The module's session on freshly seeded data, starting from Biller Search (so that no
    screen of the previous test is still shown)."""
    module_session.before_action = None
    module_session.routes_taken.clear()  # each test finds its own way to the screens
    module_session.page.goto(crm_sim.url + "/billers")
    if urlsplit(module_session.page.url).path == "/login":  # a test made the session expire
        module_session.sign_in()
    return module_session
