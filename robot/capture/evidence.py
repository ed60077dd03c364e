"""Evidence of a step: a screenshot of the screen as it is, secrets painted over. What a PM checks
by hand when the step failed is the step's own fact (robot/core/steps.py)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from pages.base import BasePage
from robot.browser.session import BrowserSession
from robot.capture.screens import MASK_COLOR
from robot.core.errors import RobotError


def screenshot(session: BrowserSession, path: Path) -> bool:
    """The screen as it is now, secrets painted over; False when it could not be taken."""
    try:
        page = session.page
        path.parent.mkdir(parents=True, exist_ok=True)
        # Secrets only (the time and the tip of the day are no one's secret), and whatever is
        # typed in an open dialog: a failure may come while setting 10 or 13 is being edited.
        shown = BasePage(session)
        masks = [*shown.masks()["secret"], shown.dialog_input]
        page.screenshot(path=str(path), mask=masks, mask_color=MASK_COLOR, animations="disabled")
    except (PlaywrightError, RobotError, OSError):
        return False  # evidence is best effort; the step's own error is what matters
    return True
