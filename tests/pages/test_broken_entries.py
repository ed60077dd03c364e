"""Every public page-object method, on a screen whose every entry the profile breaks, raises a
RobotError naming a logical entry: never a Playwright exception, never a wrong diagnosis."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import Browser

from pages.advanced_settings import AdvancedSettingsPage
from pages.biller import BillerPage
from pages.biller_search import BillerSearchPage
from pages.cards import CardsPage
from pages.datapump import DataPumpPage
from pages.entries import known_entries
from pages.ftp_management import FtpManagementPage
from pages.history import HistoryPage
from pages.integration_summary import IntegrationSummaryPage
from pages.invoice_history import InvoiceHistoryPage
from pages.invoicing_advanced import InvoicingAdvancedPage
from pages.ivr_invoice_types import IvrInvoiceTypesPage
from pages.lookup import PageLookup
from pages.maintenance_windows import MaintenanceWindowsPage
from pages.navigation import Navigation
from pages.obd import ObdPage
from pages.overrides import SelectorOverrides, parse_overrides
from pages.products import ProductsPage
from pages.profile import ProfilePage
from robot.browser.session import BrowserSession
from robot.core.conversion import REAL_TIME_DATA_REFRESH
from robot.core.errors import RobotError
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import SAMPLE_BILLER, signed_in

pytestmark = pytest.mark.e2e
B = SAMPLE_BILLER
GUID = "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"
WHEN = datetime(2026, 12, 15, 1, 0)
Call = Callable[[Any], object]

CASES: list[tuple[type[PageLookup], str, Call]] = [
    (ProfilePage, "read_values", lambda p: p.read_values()),
    (ProfilePage, "open_edit", lambda p: p.open_edit()),
    (ProfilePage, "set_integration_partner", lambda p: p.set_integration_partner("IMT Spectrum")),
    (ProfilePage, "set_primary_contact", lambda p: p.set_primary_contact("Pat Doe")),
    (ProductsPage, "read_values", lambda p: p.read_values()),
    (CardsPage, "read_values", lambda p: p.read_values()),
    (ObdPage, "read_values", lambda p: p.read_values()),
    (IvrInvoiceTypesPage, "read_values", lambda p: p.read_values()),
    (HistoryPage, "read_entries", lambda p: p.read_entries()),
    (InvoicingAdvancedPage, "read_flags", lambda p: p.read_flags()),
    (InvoicingAdvancedPage, "enable", lambda p: p.enable(REAL_TIME_DATA_REFRESH)),
    (IntegrationSummaryPage, "read_values", lambda p: p.read_values()),
    (IntegrationSummaryPage, "open_bif", lambda p: p.open_bif()),
    (IntegrationSummaryPage, "read_invoice_format_guid", lambda p: p.read_invoice_format_guid()),
    (IntegrationSummaryPage, "set_invoice_format_guid", lambda p: p.set_invoice_format_guid(GUID)),
    (FtpManagementPage, "read_pdf_settings", lambda p: p.read_pdf_settings()),
    (FtpManagementPage, "read_zip_settings", lambda p: p.read_zip_settings()),
    (FtpManagementPage, "add_pdf_setting", lambda p: p.add_pdf_setting("u", "f\\\\ToInvoiceCloud")),
    (FtpManagementPage, "add_zip_setting", lambda p: p.add_zip_setting("u", "f\\\\ToInvoiceCloud")),
    (DataPumpPage, "read_payment", lambda p: p.read_payment()),
    (DataPumpPage, "set_payment_terminals", lambda p: p.set_payment_terminals(["Lockbox"])),
    (DataPumpPage, "set_non_payment", lambda p: p.set_non_payment([])),
    (AdvancedSettingsPage, "read_page", lambda p: p.read_page()),
    (AdvancedSettingsPage, "find_setting", lambda p: p.find_setting(8)),
    (AdvancedSettingsPage, "set_setting", lambda p: p.set_setting(8, "x")),
    (AdvancedSettingsPage, "remove_setting", lambda p: p.remove_setting(14)),
    (AdvancedSettingsPage, "add_setting", lambda p: p.add_setting(200, "n", "v")),
    (AdvancedSettingsPage, "show_all_rows", lambda p: p.show_all_rows()),
    (MaintenanceWindowsPage, "read_windows", lambda p: p.read_windows()),
    (MaintenanceWindowsPage, "create_window", lambda p: p.create_window("d", "m", WHEN, WHEN)),
    (MaintenanceWindowsPage, "set_window_active", lambda p: p.set_window_active("d", False)),
    (InvoiceHistoryPage, "run_data_refresh", lambda p: p.run_data_refresh()),
    (InvoiceHistoryPage, "read_result", lambda p: p.read_result()),
    (BillerSearchPage, "search", lambda p: p.search(B)),
    (BillerSearchPage, "select", lambda p: p.select("Prairie Pine Mutual")),
    (Navigation, "go", lambda p: p.go("Profile")),
    (Navigation, "open_tab", lambda p: p.open_tab("Settings")),
]


def broken(screen: str) -> SelectorOverrides:
    """A profile in which every entry of `screen` finds nothing and reads nothing."""
    table: dict[str, str] = {}
    for entry in known_entries():
        if entry.screen == screen:
            # The entry's fields are kept (a profile may only use those), in an id no CRM has.
            fields = "".join("-{" + field + "}" for field in entry.fields)
            value = "css:#crm-robot-nowhere" if entry.kind == "locator" else "crm-robot-nowhere"
            table[entry.name.partition(".")[2]] = value + fields
    return parse_overrides({screen: table}, origin="broken.toml")


@pytest.fixture(scope="module")
def module_session(crm_sim_server: CrmSimServer, browser: Browser) -> Iterator[BrowserSession]:
    crm_sim_server.set_faults("")
    with signed_in(crm_sim_server.url, browser, action_timeout_ms=500) as session:
        yield session


@pytest.mark.parametrize(
    ("page_class", "method", "call"),
    CASES,
    ids=[f"{cls.__name__}.{method}" for cls, method, _ in CASES],
)
def test_a_broken_entry_is_a_robot_error_naming_it(
    session: BrowserSession,
    monkeypatch: pytest.MonkeyPatch,
    page_class: type[PageLookup],
    method: str,
    call: Call,
) -> None:
    page: Any = (
        page_class(session, B) if issubclass(page_class, BillerPage) else page_class(session)
    )
    if isinstance(page, BillerPage):
        page.reload()  # on the screen already: the method meets its own entries first
    elif isinstance(page, Navigation):
        ProfilePage(session, B).reload()
    else:
        page.goto(getattr(page, "PATH", "/billers"))
    monkeypatch.setattr(session, "_selectors", broken(page.SCREEN))
    with pytest.raises(RobotError) as raised:
        call(page)
    assert f"{page.SCREEN}." in raised.value.message
