"""Each page object action changes exactly what it says in the CRM, and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr

from pages.advanced_settings import AdvancedSettingsPage
from pages.datapump import DataPumpPage
from pages.ftp_management import FtpManagementPage
from pages.integration_summary import IntegrationSummaryPage
from pages.invoice_history import InvoiceHistoryPage
from pages.invoicing_advanced import InvoicingAdvancedPage
from pages.maintenance_windows import MaintenanceWindowsPage
from pages.profile import ProfilePage
from robot.browser.session import BrowserSession
from robot.core.conversion import CONVERSION_FLAGS
from robot.core.errors import BusinessRuleError
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import SAMPLE_BILLER

pytestmark = pytest.mark.e2e

B = SAMPLE_BILLER
SPECTRUM_URL = "https://www.pdspectrum.com/wsSpectrumAPICore"
NEW_GUID = "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"
PATH = "prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs"
KEY_PASSWORD = "PPM-DEMO-PRIVATE-KEY-7f3a|ppm-demo-rtdr-pass"
WINDOW = "IMT Spectrum Conversion (2026-12-15)"
MISSING = object()
Action = Callable[[BrowserSession], object]


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}{key}."))
        return out
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}{index}."))
        return out
    return {prefix.rstrip("."): value}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """{dotted key: (old, new)} of the state, leaving out the audit trail."""
    old = flatten({k: v for k, v in before.items() if k != "history"})
    new = flatten({k: v for k, v in after.items() if k != "history"})
    return {
        key: (old.get(key, MISSING), new.get(key, MISSING))
        for key in sorted(old.keys() | new.keys())
        if old.get(key, MISSING) != new.get(key, MISSING)
    }


def window(session: BrowserSession) -> None:
    MaintenanceWindowsPage(session, B).create_window(
        WINDOW, "Portal unavailable", "2026-12-15T01:00", "2026-12-15T05:00"
    )


CASES: list[tuple[str, Action | None, Action, dict[str, tuple[Any, Any]]]] = [
    (
        "set_integration_partner",
        None,
        lambda s: ProfilePage(s, B).set_integration_partner("IMT Spectrum"),
        {"integration_partner": ("IMT MIPS APPS", "IMT Spectrum")},
    ),
    (
        "enable_the_three_flags",
        None,
        lambda s: InvoicingAdvancedPage(s, B).enable(*CONVERSION_FLAGS),
        {
            "invoicing.apply_global_bif_customizations": (False, True),
            "invoicing.real_time_data_refresh": (False, True),
            "invoicing.suppress_stale_balances": (False, True),
        },
    ),
    (
        "set_flags_clears_one",
        None,
        lambda s: InvoicingAdvancedPage(s, B).set_flags({"Show Invoice Detail": False}),
        {"invoicing.show_invoice_detail": (True, False)},
    ),
    (
        "set_invoice_format_guid",
        None,
        lambda s: IntegrationSummaryPage(s, B).set_invoice_format_guid(NEW_GUID),
        {"invoice_format_guid": ("0C1E6A52-3B7D-4F19-A8E2-5D4C3B2A1F06", NEW_GUID)},
    ),
    (
        "add_pdf_setting",
        None,
        lambda s: FtpManagementPage(s, B).add_pdf_setting("prairiepinemutual", PATH),
        {
            "pdf_settings.0.active": (MISSING, True),
            "pdf_settings.0.backup": (MISSING, True),
            "pdf_settings.0.ftp_username": (MISSING, "prairiepinemutual"),
            "pdf_settings.0.move_action": (MISSING, "Move to Filename Pending"),
            "pdf_settings.0.path": (MISSING, PATH),
        },
    ),
    (
        "add_zip_setting",
        None,
        lambda s: FtpManagementPage(s, B).add_zip_setting("prairiepinemutual", PATH),
        {
            "zip_settings.0.active": (MISSING, True),
            "zip_settings.0.backup": (MISSING, True),
            "zip_settings.0.delete_zip_files": (MISSING, True),
            "zip_settings.0.ftp_username": (MISSING, "prairiepinemutual"),
            "zip_settings.0.path": (MISSING, PATH),
        },
    ),
    (
        "set_payment_terminals",
        None,
        lambda s: DataPumpPage(s, B).set_payment_terminals(["Web", "IVR", "Walk-in Counter"]),
        {
            "datapump.payment.IVR": (False, True),
            "datapump.payment.Lockbox": (True, False),
            "datapump.payment.Walk-in Counter": (False, True),
            "datapump.payment.Web": (False, True),
        },
    ),
    (
        "set_non_payment_to_nothing",
        None,
        lambda s: DataPumpPage(s, B).set_non_payment([]),
        {"datapump.non_payment.Registrations": (True, False)},
    ),
    (
        "set_setting_8",
        None,
        lambda s: AdvancedSettingsPage(s, B).set_setting(8, SPECTRUM_URL),
        {
            "advanced_settings.8.value": (
                "https://mips.imtapps.example/rtdr/prairiepinemutual/RTDRService.asmx",
                SPECTRUM_URL,
            )
        },
    ),
    (
        "remove_setting_14",
        None,
        lambda s: AdvancedSettingsPage(s, B).remove_setting(14),
        {
            "advanced_settings.14.name": ("MIPS DataPump Endpoint", MISSING),
            "advanced_settings.14.value": (
                "https://mips.imtapps.example/datapump/prairiepinemutual/DataPump.asmx",
                MISSING,
            ),
        },
    ),
    (
        "create_window",
        None,
        window,
        {
            "maintenance_windows.0.active": (MISSING, True),
            "maintenance_windows.0.all_pages": (MISSING, True),
            "maintenance_windows.0.description": (MISSING, WINDOW),
            "maintenance_windows.0.end": (MISSING, "2026-12-15T05:00"),
            "maintenance_windows.0.id": (MISSING, "any"),
            "maintenance_windows.0.message": (MISSING, "Portal unavailable"),
            "maintenance_windows.0.start": (MISSING, "2026-12-15T01:00"),
        },
    ),
    (
        "set_window_inactive",
        window,
        lambda s: MaintenanceWindowsPage(s, B).set_window_active(WINDOW, False),
        {"maintenance_windows.0.active": (True, False)},
    ),
]


@pytest.mark.parametrize(
    ("setup", "action", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_action_changes_exactly_what_it_says(
    session: BrowserSession,
    crm_sim: CrmSimServer,
    setup: Action | None,
    action: Action,
    expected: dict[str, tuple[Any, Any]],
) -> None:
    if setup is not None:
        setup(session)
    before = crm_sim.state(B)
    assert action(session) is not False
    found = changes(before, crm_sim.state(B))
    if "maintenance_windows.0.id" in expected:  # a new row's id is the CRM's choice
        assert found.pop("maintenance_windows.0.id")[0] is MISSING
        expected = {k: v for k, v in expected.items() if k != "maintenance_windows.0.id"}
    assert found == expected


@pytest.mark.parametrize(
    "action",
    [
        lambda s: ProfilePage(s, B).set_integration_partner("IMT MIPS APPS"),
        lambda s: InvoicingAdvancedPage(s, B).set_flags({"Show Invoice Detail": True}),
        lambda s: DataPumpPage(s, B).set_payment_terminals(["Lockbox"]),
        lambda s: AdvancedSettingsPage(s, B).remove_setting(999),
    ],
    ids=["partner", "flags", "terminals", "absent_setting"],
)
def test_action_that_is_already_done_changes_nothing(
    session: BrowserSession, crm_sim: CrmSimServer, action: Action
) -> None:
    before = crm_sim.state(B)
    assert action(session) is False
    assert crm_sim.state(B) == before


def test_secret_setting_is_saved_and_read_back(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    settings = AdvancedSettingsPage(session, B)
    assert settings.set_setting(10, SecretStr(KEY_PASSWORD)) is True
    assert crm_sim.state(B)["advanced_settings"]["10"]["value"] == KEY_PASSWORD
    row = settings.find_setting(10)
    assert row is not None and row.secret and row.value == KEY_PASSWORD
    assert KEY_PASSWORD not in repr(row)


def test_second_pdf_setting_on_the_same_path_is_refused_with_the_crm_message(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    ftp = FtpManagementPage(session, B)
    ftp.add_pdf_setting("prairiepinemutual", PATH)
    with pytest.raises(BusinessRuleError, match="A PDF setting for this path already exists"):
        ftp.add_pdf_setting("prairiepinemutual", PATH)
    assert len(crm_sim.state(B)["pdf_settings"]) == 1


def test_data_refresh_returns_invoices_once_rtdr_is_configured(session: BrowserSession) -> None:
    history = InvoiceHistoryPage(session, B)
    before = history.run_data_refresh()
    assert (before.returned_data, before.message) == (False, "No data returned from Spectrum.")

    InvoicingAdvancedPage(session, B).enable("Real Time Data Refresh")
    settings = AdvancedSettingsPage(session, B)
    settings.set_setting(8, SPECTRUM_URL)
    settings.set_setting(9, "ppm_spectrum_api")
    settings.set_setting(10, SecretStr(KEY_PASSWORD))
    after = history.run_data_refresh()
    assert after.returned_data and after.count == len(after.invoices) > 0
    assert after.message == f"Data Refresh returned {after.count} invoices."


def test_a_toast_that_stays_is_closed_and_does_not_block_the_next_action(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    crm_sim.set_faults("ui=sticky_toast")
    settings = AdvancedSettingsPage(session, B)
    settings.set_setting(8, SPECTRUM_URL)
    assert settings.toast.count() == 0
    settings.set_setting(9, "ppm_spectrum_api")
    stored = crm_sim.state(B)["advanced_settings"]
    assert (stored["8"]["value"], stored["9"]["value"]) == (SPECTRUM_URL, "ppm_spectrum_api")
