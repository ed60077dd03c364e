"""The doctor's walk: every screen, tab, form and dialog the conversion uses, in the order a PM
meets them, and the entries the conversion needs on each. Forms and dialogs are opened and
left (Cancel, Escape or loading the screen again); nothing is ever saved, deleted or run.

Entries only a write would show (toasts, validation errors, the delete confirm(), the Data
Refresh answer) are listed as not checked, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from pages.advanced_settings import AdvancedSettingsPage
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
from pages.lookup import CrmSession
from pages.maintenance_windows import MaintenanceWindowsPage
from pages.obd import ObdPage
from pages.products import ProductsPage
from pages.profile import ProfilePage
from robot.core.conversion import CONVERSION_FLAGS, SECRET_SETTINGS
from robot.doctor.walker import Walker
from robot.plan.model import ConversionPlan

# What only a write (or a failure) shows: never provoked by the doctor.
AFTER_A_WRITE = {
    "common.toast": "shown after a save",
    "common.saved": "shown after a save",
    "common.spinner": "shown while a save is answered",
    "common.form_error": "shown when the CRM refuses a save",
    "common.field_error": "shown when the CRM refuses a save",
    "common.server_error": "shown when the CRM fails",
    "login.error": "shown when the CRM refuses a sign-in",
    "login.expired_notice": "shown when the CRM session expired",
    "biller_search.no_results": "shown when a search finds nothing",
    "advanced_settings.confirm_delete": "asked by the CRM when a setting is deleted",
    "advanced_settings.deleted": "shown after a setting is deleted",
    "invoice_history.invoices": "shown after a Data Refresh",
    "invoice_history.no_data": "shown after a Data Refresh",
    "invoice_history.returned": "shown after a Data Refresh",
    "ftp_management.edit_pdf": "shown once a PDF setting exists on the plan's path",
    "ftp_management.edit_zip": "shown once a Zip File setting exists on the plan's path",
    "maintenance_windows.edit": "shown once the plan's maintenance window exists",
    "identity_provider.error": "shown when the identity provider refuses a sign-in",
    "identity_provider.one_time_code": "asked for a second factor, which only the PM gives",
}
# The entries of each way to sign in: checked where the CRM takes that way, and listed as not
# used where it takes the other.
_CRM_SIGN_IN = ("heading", "username", "password", "sign_in")
_PROVIDER_SIGN_IN = ("username", "next", "password", "sign_in")

# What the robot does without an entry the CRM need not show.
OPTIONAL = {
    "advanced_settings.page_rows": "the robot changes settings with All rows shown, more slowly",
}

Stop = Callable[[Walker, CrmSession, ConversionPlan], None]


def sign_in_page(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("Sign in")
    login = LoginPage(session)
    if not walker.attempt(login.open):
        return
    if not login.on_crm():
        _company_sign_in(walker, IdentityProviderPage(session))
        for name in (*_CRM_SIGN_IN, "address"):
            walker.skip(f"login.{name}", "the CRM sends the browser to its company sign-in")
        return
    walker.check_address(login, "address")
    for name in (*_CRM_SIGN_IN, "common.login_heading"):
        walker.check(login, name)
    for name in _PROVIDER_SIGN_IN:
        walker.skip(f"identity_provider.{name}", "the CRM signs in on its own page")


def _company_sign_in(walker: Walker, provider: IdentityProviderPage) -> None:
    """The provider's first step, as it shows before anything is typed; with CRM_SIGN_IN=sso,
    its password step too, reached with the username the robot types there."""
    for name in ("username", "next"):
        walker.check(provider, name)
    username = walker.sso_username
    if username is not None and walker.attempt(lambda: provider.enter_username(username)):
        for name in ("password", "sign_in"):
            walker.check(provider, name)


def biller_search(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("Biller Search")
    search = BillerSearchPage(session)
    if not walker.attempt(search.open):
        return
    walker.check_address(search, "address")
    for name in ("heading", "search_box", "search_button", "common.env_banner"):
        walker.check(search, name)
    walker.check(search, f"common.{plan.biller.environment.lower()}")  # what the banner says
    if not walker.attempt(lambda: search.run_search(plan.biller.id)):
        return
    walker.check(search, "results")
    walker.check(search, "result_link", fields={"name": plan.biller.name}, within="results")
    for name in ("id_column", "name_column", "guid_column", "partner_column", "status_column"):
        walker.check(search, name)


def _screen(title: str, page: type[BillerPage], names: tuple[str, ...]) -> Stop:
    """A read-only screen: reach it through its route, then look for `names`."""

    def stop(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
        walker.begin(title)
        screen = page(session, plan.biller.id)
        if walker.route(screen):
            for name in names:
                walker.check(screen, name)

    return stop


def profile(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("Profile")
    screen = ProfilePage(session, plan.biller.id)
    if not walker.route(screen):
        return
    for name in ("details", "edit", *screen.field_names()):
        walker.check(screen, name)
    walker.check(screen.nav, "biller_heading")
    _biller_title(walker, screen, plan)
    walker.begin("Profile > Edit Profile", ProfilePage.SCREEN)
    if walker.attempt(screen.open_edit):
        for name in ("partner", "primary_contact", "save", "cancel"):
            walker.check(screen, name)
    walker.done()
    walker.attempt(screen.reload)


def _biller_title(walker: Walker, screen: ProfilePage, plan: ConversionPlan) -> None:
    """The heading reads as `navigation.biller_title` says; if not, the heading shown, with the
    biller's name and ID put back as fields, is the proposal."""
    texts = screen.nav.biller_heading.all_inner_texts()
    shown = " ".join(texts[0].split()) if len(texts) == 1 else ""
    proposal = shown.replace(plan.biller.name, "{name}").replace(plan.biller.id, "{id}")
    good = screen.nav.shown_biller() == (plan.biller.name, plan.biller.id)
    walker.observe(screen.nav, "biller_title", good, [proposal] if "{id}" in proposal else [])


def invoicing(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("Invoicing > Advanced Configuration")
    screen = InvoicingAdvancedPage(session, plan.biller.id)
    if not walker.route(screen):
        return
    walker.check(screen, "save")
    walker.check(screen.nav, "selected_tab", within="navigation.tabs")
    for flag in CONVERSION_FLAGS:
        field = walker.check(screen, screen.field_named(flag))
        walker.check(screen, "flag", fields={"flag": session.selectors.text(field.entry.name)})


def integration_summary(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("Integration Summary")
    screen = IntegrationSummaryPage(session, plan.biller.id)
    if not walker.route(screen):
        return
    walker.check(screen, "summary")
    for name in ("summary_tab", "bif_tab"):
        walker.check(screen, name, within="navigation.tabs")
    for name in screen.field_names():
        walker.check(screen, name)
    # A flag's state word: either may be what this biller shows now.
    states = [walker.shown(screen, name) for name in ("on", "off")]
    for name, shown in zip(("on", "off"), states, strict=True):
        walker.observe(screen, name, shown or any(states), [])
    walker.begin("Integration Summary > BIF Customizations", IntegrationSummaryPage.SCREEN)
    if walker.attempt(screen.open_bif):
        walker.check_address(screen, "bif_address", id=plan.biller.id)
        walker.check(screen, "invoice_format_guid")
        walker.check(screen, "save")


def ftp(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("FTP Management")
    screen = FtpManagementPage(session, plan.biller.id)
    if not walker.route(screen):
        return
    for name in ("pdf_table", "zip_table", "new_pdf", "new_zip", *screen.field_names()):
        if name != "ftp_management.filename_pending":  # an option of the form, checked there
            walker.check(screen, name)
    walker.begin("FTP Management > New PDF Setting", FtpManagementPage.SCREEN)
    if walker.attempt(lambda: screen.open_form("open New PDF Setting", screen.new_pdf)):
        for name in ("ftp_username", "path", "backup", "move_action", "active", "save"):
            walker.check(screen, name)
        walker.check(screen, "filename_pending")
    walker.done()
    walker.begin("FTP Management > New Zip File Setting", FtpManagementPage.SCREEN)
    if walker.attempt(screen.reload) and walker.attempt(
        lambda: screen.open_form("open New Zip File Setting", screen.new_zip)
    ):
        walker.check(screen, "delete_zip_files")
    walker.done()
    walker.attempt(screen.reload)


def datapump(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("DataPump Management")
    screen = DataPumpPage(session, plan.biller.id)
    if not walker.route(screen):
        return
    for name in ("payment", "non_payment", "save_payment", "save_non_payment"):
        walker.check(screen, name)
    for terminal in plan.datapump.payment_terminals:
        walker.check(screen, "option", fields={"option": terminal}, within="payment")


def _page_rows(walker: Walker, grid: AdvancedSettingsPage) -> None:
    """The robot changes settings on pages of `page_rows` rows where the select offers them."""
    select = walker.found[f"{grid.SCREEN}.rows_per_page"]
    if select.status != "found" and not select.proposals:
        walker.skip(f"{grid.SCREEN}.page_rows", "the rows-per-page select was not found")
        return
    offered: list[str] = []
    if walker.attempt(lambda: offered.extend(grid.rows_per_page_offered())):
        found = grid.page_rows in offered
        choices = [] if found else [label for label in offered if label != grid.all_rows]
        without = OPTIONAL[f"{grid.SCREEN}.page_rows"]
        walker.observe(
            grid, "page_rows", found, choices, missing="optional", note=f"not offered: {without}"
        )


def advanced_settings(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("Advanced Settings")
    grid = AdvancedSettingsPage(session, plan.biller.id)
    if not walker.route(grid):
        return
    names = ("table", "filter", "filter_button", "rows_per_page", "pagination", "new")
    for name in (*names, "number_column", "name_column", "value_column", "all_rows"):
        walker.check(grid, name)
    _page_rows(walker, grid)
    walker.check(grid, "next", within="pagination")
    walker.check(grid, "page_link", fields={"page": 1}, within="pagination")
    walker.check(grid, "current_page", within="pagination")
    number = min(plan.settings_to_set())
    for name in ("edit", "delete"):
        walker.check(grid, name, fields={"number": number}, within="table")
    # The cells screenshots paint over (settings 10 and 13, by the robot's own rule).
    secret = min(SECRET_SETTINGS)
    rows: list[object] = []
    if walker.attempt(lambda: rows.append(grid.find_setting(secret, use_filter=False))):
        walker.check(grid, "value_cell", fields={"number": secret})
    walker.begin(f"Advanced Settings > Edit setting {number}", grid.SCREEN)
    if walker.attempt(lambda: grid.click("open Edit", grid.edit_button(number))):
        walker.check(grid, "edit_dialog", fields={"number": number})
        for name in ("value", "save", "cancel"):
            walker.check(grid, name, within="edit_dialog", within_fields={"number": number})
        walker.done()
        walker.attempt(lambda: grid.close_dialog(grid.edit_dialog(number=number)))
    walker.begin("Advanced Settings > New Setting", grid.SCREEN)
    if walker.attempt(lambda: grid.click("open New Setting", grid.new)):
        walker.check(grid, "new_dialog")
        for name in ("number", "name", "value"):
            walker.check(grid, name, within="new_dialog")
        walker.done()
        walker.attempt(lambda: grid.close_dialog(grid.new_dialog))


def maintenance_windows(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("Maintenance Windows")
    screen = MaintenanceWindowsPage(session, plan.biller.id)
    if not walker.route(screen):
        return
    for name in ("table", "new", *screen.field_names()):
        walker.check(screen, name)
    walker.begin("Maintenance Windows > New Maintenance Window", screen.SCREEN)
    if walker.attempt(lambda: screen.open_form("open New Maintenance Window", screen.new)):
        names = ("description", "message", "start", "end", "active", "all_pages", "save")
        for name in names:
            walker.check(screen, name)
    walker.done()
    walker.attempt(screen.reload)


def invoice_history(walker: Walker, session: CrmSession, plan: ConversionPlan) -> None:
    walker.begin("Invoice Files > History")
    screen = InvoiceHistoryPage(session, plan.biller.id)
    if walker.route(screen):
        walker.check(screen, "data_refresh")


STOPS: tuple[Stop, ...] = (
    sign_in_page,
    biller_search,
    profile,
    _screen("Products", ProductsPage, ("table", "product_column", "active_column")),
    _screen(
        "Credit/Debit Cards", CardsPage, ("table", "card_column", "accepted_column", "fee_column")
    ),
    _screen("OBD", ObdPage, ("details",)),
    _screen(
        "Cloud IVR Connect Invoice Types",
        IvrInvoiceTypesPage,
        ("table", "type_column", "code_column", "enabled_column"),
    ),
    invoicing,
    integration_summary,
    ftp,
    datapump,
    advanced_settings,
    maintenance_windows,
    invoice_history,
    _screen(
        "History",
        HistoryPage,
        (
            "table",
            "when_column",
            "user_column",
            "screen_column",
            "field_column",
            "old_column",
            "new_column",
        ),
    ),
)
