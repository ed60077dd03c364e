"""Each page object reads what the CRM holds: read_values() agrees with the state API (and, for
the read-only screens the API does not report, with the CRM's database)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Frame

from pages.advanced_settings import AdvancedSettingsPage
from pages.biller import BillerPage
from pages.cards import CardsPage
from pages.datapump import DataPumpPage
from pages.ftp_management import FtpManagementPage
from pages.history import HistoryPage
from pages.integration_summary import IntegrationSummaryPage
from pages.invoicing_advanced import InvoicingAdvancedPage
from pages.ivr_invoice_types import IvrInvoiceTypesPage
from pages.maintenance_windows import MaintenanceWindowsPage
from pages.obd import ObdPage
from pages.products import ProductsPage
from pages.profile import ProfilePage
from robot.browser.session import BrowserSession
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import SAMPLE_BILLER, db_rows

pytestmark = pytest.mark.e2e

CONVERTED_BILLER = "20731"  # Cedar Hollow Utilities: PDF, Zip and a maintenance window
FLAG_LABELS = {
    "real_time_data_refresh": "Real Time Data Refresh",
    "suppress_stale_balances": "Suppress Stale Balances",
    "apply_global_bif_customizations": "Apply Global BIF Customizations",
    "show_invoice_detail": "Show Invoice Detail",
    "allow_partial_payments": "Allow Partial Payments",
}
Expect = Callable[[CrmSimServer, str], dict[str, str]]


def yes(value: object) -> str:
    return "Yes" if value else "No"


def profile(sim: CrmSimServer, biller: str) -> dict[str, str]:
    (row,) = db_rows(sim.db_path, "SELECT * FROM billers WHERE id = ?", biller)
    return {
        "Biller ID": row["id"],
        "Biller Name": row["name"],
        "Biller GUID": row["guid"],
        "Integration Partner ID": sim.state(biller)["integration_partner"],
        "Status": row["status"],
        "FTP Name": row["ftp_name"],
        "Time Zone": row["time_zone"],
        "Primary Contact": row["primary_contact"],
        "Go-Live Date": row["go_live_date"],
    }


def products(sim: CrmSimServer, biller: str) -> dict[str, str]:
    rows = db_rows(sim.db_path, "SELECT * FROM products WHERE biller_id = ?", biller)
    return {f"Product {r['name']}": yes(r["active"]) for r in rows}


def cards(sim: CrmSimServer, biller: str) -> dict[str, str]:
    values = {}
    for r in db_rows(sim.db_path, "SELECT * FROM cards WHERE biller_id = ?", biller):
        values[f"{r['card']} Accepted"] = yes(r["accepted"])
        values[f"{r['card']} Convenience Fee"] = r["fee"]
    return values


def obd(sim: CrmSimServer, biller: str) -> dict[str, str]:
    (row,) = db_rows(sim.db_path, "SELECT * FROM billers WHERE id = ?", biller)
    return {
        "OBD Enabled": yes(row["obd_enabled"]),
        "Days Before Due": str(row["obd_days_before_due"]),
        "Reminder Channel": row["obd_channel"],
    }


def ivr(sim: CrmSimServer, biller: str) -> dict[str, str]:
    values = {}
    for r in db_rows(sim.db_path, "SELECT * FROM ivr_invoice_types WHERE biller_id = ?", biller):
        values[f"{r['invoice_type']} IVR Code"] = r["ivr_code"]
        values[f"{r['invoice_type']} Enabled"] = yes(r["enabled"])
    return values


def advanced_settings(sim: CrmSimServer, biller: str) -> dict[str, str]:
    settings = sim.state(biller)["advanced_settings"]
    return {f"Setting {n}": s["value"] for n, s in settings.items()}


def integration_summary(sim: CrmSimServer, biller: str) -> dict[str, str]:
    state = sim.state(biller)
    flags = state["invoicing"]
    terminals = {t for t, on in state["datapump"]["payment"].items() if on}
    endpoint = state["advanced_settings"].get("8", {}).get("value") or "None"
    return {
        "Integration Partner ID": state["integration_partner"],
        "Real Time Data Refresh": "On" if flags["real_time_data_refresh"] else "Off",
        "Suppress Stale Balances": "On" if flags["suppress_stale_balances"] else "Off",
        "Apply Global BIF Customizations": (
            "On" if flags["apply_global_bif_customizations"] else "Off"
        ),
        "InvoiceFormatGUID": state["invoice_format_guid"],
        "RTDR Endpoint": endpoint,
        "PDF Settings": str(len(state["pdf_settings"])),
        "Zip File Settings": str(len(state["zip_settings"])),
        # The terminals in the CRM's order; compared as a set below.
        "Payment DataPump": ", ".join(sorted(terminals)) if terminals else "None",
    }


def ftp(sim: CrmSimServer, biller: str) -> dict[str, str]:
    state = sim.state(biller)
    values = {}
    for s in state["pdf_settings"]:
        values[f"PDF {s['path']} FTP Username"] = s["ftp_username"]
        values[f"PDF {s['path']} Backup"] = yes(s["backup"])
        values[f"PDF {s['path']} Move Action"] = s["move_action"]
        values[f"PDF {s['path']} Active"] = yes(s["active"])
    for s in state["zip_settings"]:
        values[f"Zip {s['path']} FTP Username"] = s["ftp_username"]
        values[f"Zip {s['path']} Backup"] = yes(s["backup"])
        values[f"Zip {s['path']} Delete Zip Files"] = yes(s["delete_zip_files"])
        values[f"Zip {s['path']} Active"] = yes(s["active"])
    return values


def datapump(sim: CrmSimServer, biller: str) -> dict[str, str]:
    pumps = sim.state(biller)["datapump"]
    values = {f"Payment DataPump {t}": yes(on) for t, on in pumps["payment"].items()}
    values.update({f"Non-payment DataPump {o}": yes(on) for o, on in pumps["non_payment"].items()})
    return values


def invoicing(sim: CrmSimServer, biller: str) -> dict[str, str]:
    flags = sim.state(biller)["invoicing"]
    return {label: yes(flags[key]) for key, label in FLAG_LABELS.items()}


def windows(sim: CrmSimServer, biller: str) -> dict[str, str]:
    values = {}
    for w in sim.state(biller)["maintenance_windows"]:
        name = w["description"]
        values[f"Window {name} Start (CT)"] = w["start"].replace("T", " ")
        values[f"Window {name} End (CT)"] = w["end"].replace("T", " ")
        values[f"Window {name} Active"] = yes(w["active"])
        values[f"Window {name} All Pages"] = yes(w["all_pages"])
    return values


CASES: list[tuple[type[BillerPage], str, Expect]] = [
    (ProfilePage, SAMPLE_BILLER, profile),
    (ProductsPage, SAMPLE_BILLER, products),
    (CardsPage, SAMPLE_BILLER, cards),
    (ObdPage, SAMPLE_BILLER, obd),
    (IvrInvoiceTypesPage, SAMPLE_BILLER, ivr),
    (AdvancedSettingsPage, SAMPLE_BILLER, advanced_settings),
    (IntegrationSummaryPage, SAMPLE_BILLER, integration_summary),
    (IntegrationSummaryPage, CONVERTED_BILLER, integration_summary),
    (FtpManagementPage, SAMPLE_BILLER, ftp),
    (FtpManagementPage, CONVERTED_BILLER, ftp),
    (DataPumpPage, SAMPLE_BILLER, datapump),
    (InvoicingAdvancedPage, SAMPLE_BILLER, invoicing),
    (MaintenanceWindowsPage, CONVERTED_BILLER, windows),
]


def _normalise(values: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = dict(values)
    if "Payment DataPump" in out:
        out["Payment DataPump"] = set(out["Payment DataPump"].split(", "))
    return out


@pytest.mark.parametrize(
    ("page_class", "biller", "expected"),
    CASES,
    ids=[f"{cls.SCREEN}-{biller}" for cls, biller, _ in CASES],
)
def test_read_values_shows_what_the_crm_holds(
    session: BrowserSession,
    crm_sim: CrmSimServer,
    page_class: type[BillerPage],
    biller: str,
    expected: Expect,
) -> None:
    screen = page_class(session, biller).open()
    assert _normalise(screen.read_values()) == _normalise(expected(crm_sim, biller))


def test_each_screen_is_reached_through_the_menu_not_by_address(
    session: BrowserSession,
) -> None:
    """From the biller's first page, the maintenance windows are four clicks away."""
    visited: list[str] = []

    def seen(frame: Frame) -> None:
        visited.append(frame.url)

    session.page.on("framenavigated", seen)
    try:
        MaintenanceWindowsPage(session, SAMPLE_BILLER).open()
    finally:
        session.page.remove_listener("framenavigated", seen)
    paths = [url.split("/billers/10482", 1)[-1] for url in visited]
    assert paths == [
        "/profile",
        "/portal",
        "/portal/settings",
        "/portal/settings/customization",
        "/portal/maintenance-windows",
    ]


def test_history_lists_every_recorded_change(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    ProfilePage(session, SAMPLE_BILLER).set_primary_contact("Jordan Reyes")
    entries = HistoryPage(session, SAMPLE_BILLER).open().read_entries()
    recorded = crm_sim.state(SAMPLE_BILLER)["history"]
    assert [(e.screen, e.field, e.old, e.new) for e in entries] == [
        (h["screen"], h["field"], h["old"], h["new"]) for h in recorded
    ]
    assert ("Dana Whitfield", "Jordan Reyes") in [(e.old, e.new) for e in entries]
