"""What a conversion created on FTP Management and Maintenance Windows can be removed again
through the page objects, each delete answered OK at the CRM's confirm()."""

from __future__ import annotations

from datetime import datetime

import pytest

from pages.ftp_management import FtpManagementPage
from pages.maintenance_windows import MaintenanceWindowsPage
from robot.browser.session import BrowserSession
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import SAMPLE_BILLER

pytestmark = pytest.mark.e2e

PATH = "prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs"
WINDOW = "IMT Spectrum Conversion (2026-12-15)"


def test_created_ftp_settings_and_window_are_removed_once(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    ftp = FtpManagementPage(session, SAMPLE_BILLER)
    windows = MaintenanceWindowsPage(session, SAMPLE_BILLER)
    ftp.add_pdf_setting("prairiepinemutual", PATH)
    ftp.add_zip_setting("prairiepinemutual", PATH)
    windows.create_window(
        WINDOW, "Soon.", datetime(2026, 12, 15, 1, 0), datetime(2026, 12, 15, 5, 0)
    )
    assert ftp.can_remove_pdf_setting(PATH) and ftp.can_remove_zip_setting(PATH)
    assert windows.can_remove_window(WINDOW)

    assert ftp.remove_pdf_setting(PATH) is True
    assert ftp.remove_zip_setting(PATH) is True
    assert windows.remove_window(WINDOW) is True

    state = crm_sim.state(SAMPLE_BILLER)
    assert (state["pdf_settings"], state["zip_settings"], state["maintenance_windows"]) == (
        [],
        [],
        [],
    )
    assert [entry["new"] for entry in state["history"][-3:]] == ["(deleted)"] * 3
    assert not ftp.can_remove_pdf_setting(PATH) and not ftp.can_remove_zip_setting(PATH)
    assert not windows.can_remove_window(WINDOW)
    assert ftp.remove_pdf_setting(PATH) is False
    assert ftp.remove_zip_setting(PATH) is False
    assert windows.remove_window(WINDOW) is False
