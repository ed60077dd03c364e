"""Step 7, RTDR test: Search > Files > Invoice Files > History > Data Refresh must show invoices.

No data means Spectrum did not answer with this biller's credentials: the step fails and says
what it saw in Advanced Settings 8-10 and Real Time Data Refresh (the key|password masked).
Data Refresh changes nothing in the CRM, so it is an action in the journal, not a write.
"""

from __future__ import annotations

from pydantic import SecretStr

from pages.advanced_settings import AdvancedSettingsPage
from pages.invoice_history import DataRefreshResult, InvoiceHistoryPage
from pages.invoicing_advanced import InvoicingAdvancedPage
from robot.core.conversion import REAL_TIME_DATA_REFRESH
from robot.core.errors import VerificationError
from robot.core.secrets import MASKED
from scenarios.base import Change, Check
from scenarios.context import Context

SCREEN = "Search > Files > Invoice Files > History"
RESULT = "rtdr-test.result"
RETURNS_INVOICES = "Data Refresh returns invoices"


def read(ctx: Context) -> None:
    return None


def plan(ctx: Context, state: None) -> list[Change]:
    return [Change(SCREEN, "Data Refresh", None, None, action="run", note="Data Refresh")]


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(InvoiceHistoryPage)

    def refresh() -> None:
        ctx.scratch[RESULT] = page.run_data_refresh()

    ctx.write(changes, refresh)


def verify(ctx: Context) -> list[Check]:
    result: DataRefreshResult | None = ctx.scratch.pop(RESULT, None)
    if result is None:  # re-verifying on --resume: run it again (it writes nothing)
        result = ctx.screen(InvoiceHistoryPage).run_data_refresh()
    if result.returned_data:
        ctx.progress(result.message)
        return [_as_check(result)]
    raise VerificationError(
        f"rtdr-test: Data Refresh returned no data ({result.message}); verify Advanced Settings "
        f"8-10 and Real Time Data Refresh. The robot saw: {seen(ctx)}"
    )


def check_again(ctx: Context) -> Check:
    """The RTDR test made once more, as a line of a table instead of a failure (go-live)."""
    return _as_check(ctx.screen(InvoiceHistoryPage).run_data_refresh())


def _as_check(result: DataRefreshResult) -> Check:
    found = "yes" if result.returned_data else f"no: {result.message}"
    return Check(RETURNS_INVOICES, "yes", found)


def seen(ctx: Context) -> str:
    """Settings 8-10 and the RTDR flag as the CRM shows them now, the secret masked."""
    rows = ctx.screen(AdvancedSettingsPage).read_settings()
    wanted = ctx.plan.settings_to_set(ctx.credentials.key_password)
    parts = []
    for number in (8, 9, 10):
        row = rows.get(number)
        value = wanted[number]
        if row is None:
            parts.append(f"setting {number} missing")
        elif isinstance(value, SecretStr):
            same = row.value == value.get_secret_value()
            parts.append(
                f"setting {number} = {MASKED} "
                f"({'as planned' if same else 'not the key|password from the environment'})"
            )
        else:
            note = "" if row.value == value else f", plan wants {value}"
            parts.append(f"setting {number} = {row.value}{note}")
    flags = ctx.screen(InvoicingAdvancedPage).reload().read_flags()
    parts.append(f"{REAL_TIME_DATA_REFRESH} {'on' if flags.get(REAL_TIME_DATA_REFRESH) else 'off'}")
    return "; ".join(parts)
