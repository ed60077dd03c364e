"""Reaching a screen: through the menus and tabs as a PM does, and straight to its address once
that way has led there in the session (a way of several clicks costs a page load each); reading
it again without loading the CRM's answer to a save twice."""

from __future__ import annotations

import pytest

from pages.biller import BillerPage
from pages.integration_summary import IntegrationSummaryPage
from pages.invoice_history import InvoiceHistoryPage
from pages.invoicing_advanced import InvoicingAdvancedPage
from pages.maintenance_windows import MaintenanceWindowsPage
from pages.overrides import parse_overrides
from pages.products import ProductsPage
from pages.profile import ProfilePage
from robot.browser.session import BrowserSession
from robot.core.conversion import CONVERSION_FLAGS
from robot.core.errors import ScreenChangedError
from robot.plan.model import load_plan
from tests.conversion.support import PLAN
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import SAMPLE_BILLER, page_loads

pytestmark = pytest.mark.e2e
NEW_GUID = load_plan(PLAN).invoice_format_guid  # the conversion's
OTHER_GUID = "0B5E7C2A-1D3F-4E6A-9B8C-7D6E5F4A3B2C"


@pytest.mark.parametrize("screen", [MaintenanceWindowsPage, InvoiceHistoryPage])
def test_a_screen_several_clicks_away_is_loaded_by_its_address_once_its_way_led_there(
    session: BrowserSession, crm_sim: CrmSimServer, screen: type[BillerPage]
) -> None:
    assert len(screen.ROUTE) > 1
    loads = page_loads(session)
    ProfilePage(session, SAMPLE_BILLER).open()
    page = screen(session, SAMPLE_BILLER)

    del loads[:]
    page.open()
    assert len(loads) == len(screen.ROUTE)  # the first time, click by click
    ProfilePage(session, SAMPLE_BILLER).open()

    del loads[:]
    assert page.open().is_open()
    assert loads == [crm_sim.url + page.screen_path]


def test_a_way_that_leads_elsewhere_than_the_profile_s_address_names_the_entry(
    session: BrowserSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A profile written for a CRM whose Products screen lives at another address.
    profile = parse_overrides(
        {"products": {"address": "/Admin/Products.aspx?BillerID={id}"}}, origin="crm.toml"
    )
    monkeypatch.setattr(session, "_selectors", profile)
    with pytest.raises(ScreenChangedError) as raised:
        ProductsPage(session, SAMPLE_BILLER).open()
    assert (
        f"the way to Products led to /billers/{SAMPLE_BILLER}/products instead of "
        f"products.address (/Admin/Products.aspx?BillerID={SAMPLE_BILLER})"
    ) in raised.value.message


def test_the_crm_s_answer_to_a_save_is_read_as_it_is_until_the_robot_acts_on_the_page(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    flags = InvoicingAdvancedPage(session, SAMPLE_BILLER)
    flag = CONVERSION_FLAGS[0]
    assert flags.open().read_flags()[flag] is False
    assert flags.enable(flag)
    loads = page_loads(session)
    # The page the CRM answered the save with shows what it stored: no second load.
    assert flags.reload().read_flags()[flag] is True
    assert loads == []

    box = flags.flag(flag=flags.shown_name(flag))
    flags.set_checked(f"clear {flag}, unsaved", box, False)
    assert flags.reload().read_flags()[flag] is True  # loaded again: the clearing was not saved
    assert loads == [crm_sim.url + flags.screen_path]


def test_the_guid_read_back_takes_the_crm_s_answer_on_the_bif_tab_and_loads_it_otherwise(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    summary = IntegrationSummaryPage(session, SAMPLE_BILLER)
    assert summary.set_invoice_format_guid(NEW_GUID)
    loads = page_loads(session)
    assert summary.read_invoice_format_guid(fresh=True) == NEW_GUID
    assert loads == []

    summary.fill("type another GUID, unsaved", summary.invoice_format_guid, OTHER_GUID)
    assert summary.read_invoice_format_guid(fresh=True) == NEW_GUID  # the CRM's, loaded again
    assert loads == [
        crm_sim.url + summary.screen_path,
        crm_sim.url + summary.crm_text("integration_summary.bif_address", id=SAMPLE_BILLER),
    ]
