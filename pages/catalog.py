"""Every page object, so that every logical locator name is registered (pages.locators)."""

from __future__ import annotations

from pages.advanced_settings import AdvancedSettingsPage
from pages.base import BasePage
from pages.biller import BillerPage
from pages.biller_search import BillerSearchPage
from pages.cards import CardsPage
from pages.datapump import DataPumpPage
from pages.ftp_management import FtpManagementPage
from pages.history import HistoryPage
from pages.identity_provider import IdentityProviderPage
from pages.integration_summary import IntegrationSummaryPage
from pages.invoice_history import InvoiceHistoryPage
from pages.invoicing_advanced import InvoicingAdvancedPage
from pages.ivr_invoice_types import IvrInvoiceTypesPage
from pages.login import LoginPage
from pages.maintenance_windows import MaintenanceWindowsPage
from pages.navigation import Navigation
from pages.obd import ObdPage
from pages.products import ProductsPage
from pages.profile import ProfilePage
from robot.core.steps import SCREEN_STEMS

PAGE_CLASSES: tuple[type[BasePage], ...] = (
    BasePage,
    Navigation,
    LoginPage,
    IdentityProviderPage,
    BillerSearchPage,
    ProfilePage,
    ProductsPage,
    CardsPage,
    ObdPage,
    IvrInvoiceTypesPage,
    InvoicingAdvancedPage,
    IntegrationSummaryPage,
    FtpManagementPage,
    DataPumpPage,
    AdvancedSettingsPage,
    MaintenanceWindowsPage,
    InvoiceHistoryPage,
    HistoryPage,
)

# The nine required screens (docs/crm-screens.md), by file stem, in capture order.
CAPTURE_PAGES: dict[str, type[BillerPage]] = dict(
    zip(
        SCREEN_STEMS,
        (
            ProfilePage,
            ProductsPage,
            CardsPage,
            ObdPage,
            IvrInvoiceTypesPage,
            AdvancedSettingsPage,
            IntegrationSummaryPage,
            FtpManagementPage,
            DataPumpPage,
        ),
        strict=True,
    )
)
