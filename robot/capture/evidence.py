"""Evidence of a step: a screenshot of the screen as it is (secrets painted over), and what a
PM checks by hand when the step failed."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from robot.browser.session import BrowserSession
from robot.capture.screens import MASK_COLOR, MASKS
from robot.core.errors import RobotError

# What a PM checks by hand when a step fails.
WHAT_TO_CHECK = {
    "capture-before": "that each of the nine screens opens for this biller",
    "maintenance-window": "Biller Portal > Settings > Portal Customization > Maintenance "
    "Windows: the windows listed and their times (Central Time)",
    "crm-configuration": "Profile (Integration Partner ID), Invoicing > Advanced Configuration "
    "and Integration Summary > BIF Customizations",
    "ftp-setup": "FTP Management: the PDF and Zip File settings and their paths",
    "datapump": "DataPump Management: the biller's terminals against the plan's",
    "advanced-settings": "Advanced Settings: rows 8-13 and the rows to remove",
    "rtdr-test": "Advanced Settings 8-10, Invoicing > Real Time Data Refresh, and the "
    "provider's credentials in the environment",
    "verify": "the lines marked FAIL in the table above",
    "go-live": "the maintenance window on Biller Portal > Maintenance Windows",
    "capture-after": "that each of the nine screens opens for this biller",
}


def what_to_check(step_id: str) -> str:
    return WHAT_TO_CHECK.get(step_id, "the screen of this step")


def screenshot(session: BrowserSession, path: Path) -> bool:
    """The screen as it is now, secrets painted over; False when it could not be taken."""
    try:
        page = session.page
        path.parent.mkdir(parents=True, exist_ok=True)
        # Secrets only (the time and the tip of the day are no one's secret), and whatever is
        # typed in an open dialog: a failure may come while setting 10 or 13 is being edited.
        masks = [page.locator(sel) for sel in (*MASKS["secret"], "dialog[open] input")]
        page.screenshot(path=str(path), mask=masks, mask_color=MASK_COLOR, animations="disabled")
    except (PlaywrightError, RobotError, OSError):
        return False  # evidence is best effort; the step's own error is what matters
    return True
