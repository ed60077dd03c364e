"""A transient CRM fault during a conversion run, and the browser failure that is none.

The run tries again by robot/core/retry.py's TRANSIENT_CRM_FAULT: each next try on a blank page,
since after a failed load the browser may still show its own error page under the old address,
which no screen should be read from; the next try opens its screens afresh. A crashed page or a
browser gone is no CRM fault: another try cannot help, so the run stops at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from robot.browser.session import BrowserSession
from robot.core.errors import BrowserError, TransientCrmError
from robot.core.retry import TRANSIENT_CRM_FAULT, Fault, Retry


def stop_if_crashed(session: BrowserSession, what: str) -> None:
    """BrowserError when the browser itself broke under `what`."""
    if session.crash is None:
        return
    raise BrowserError(
        f"{what}: {session.crash}, so the robot stopped; the CRM was not at fault. Nothing more "
        "was done and the journal holds what was. Check the machine (memory, Chromium), "
        "then resume the run"
    ) from None


def crm_retry(
    session: BrowserSession, what: str, say: Callable[[str], None]
) -> Retry[TransientCrmError]:
    """Tries of `what` (sign-in, guards, a History read, a step): each fault said with `say`."""

    def announce(fault: Fault[TransientCrmError]) -> None:
        say(f"  transient CRM fault during {what} ({fault.error.message}); again")

    return replace(
        TRANSIENT_CRM_FAULT,
        on_fault=lambda _fault: stop_if_crashed(session, what),
        announce=announce,
        prepare=lambda _fault: session.leave_page(),
    )
