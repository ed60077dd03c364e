"""Step 8, verify: the procedure's QA list, every planned value read back from the CRM.

CRM settings, FTP paths, DataPump, Advanced Settings, the BIF GUID, and the Integration Summary
that sums them up. Writes nothing. The runner prints the table; a failed line stops the run.
"""

from __future__ import annotations

from pages.integration_summary import IntegrationSummaryPage
from robot.core.conversion import CONVERSION_FLAGS
from scenarios import advanced_settings, crm_configuration, datapump, ftp_setup
from scenarios.base import Change, Check
from scenarios.context import Context


def read(ctx: Context) -> None:
    return None


def plan(ctx: Context, state: None) -> list[Change]:
    return []


def apply(ctx: Context, changes: list[Change]) -> None:
    return None


def summary_checks(ctx: Context) -> list[Check]:
    values = ctx.screen(IntegrationSummaryPage).reload().read_values()
    plan = ctx.plan
    checks = [
        Check(
            "Summary Integration Partner ID",
            plan.target_partner,
            values.get("Integration Partner ID", ""),
        ),
        *(Check(f"Summary {flag}", "On", values.get(flag, "")) for flag in CONVERSION_FLAGS),
        Check(
            "Summary InvoiceFormatGUID",
            plan.invoice_format_guid,
            values.get("InvoiceFormatGUID", ""),
        ),
        Check("Summary RTDR Endpoint", plan.rtdr.endpoint, values.get("RTDR Endpoint", "")),
        _at_least_one("Summary PDF Settings", values.get("PDF Settings", "")),
        _at_least_one("Summary Zip File Settings", values.get("Zip File Settings", "")),
    ]
    terminals = ", ".join(plan.datapump.payment_terminals)
    shown = values.get("Payment DataPump", "")
    # The summary lists terminals in the CRM's order; compare as sets.
    same = sorted(t.strip() for t in shown.split(",")) == sorted(plan.datapump.payment_terminals)
    checks.append(Check("Summary Payment DataPump", terminals, terminals if same else shown))
    return checks


def _at_least_one(name: str, shown: str) -> Check:
    ok = shown.isdigit() and int(shown) >= 1
    return Check(name, "at least 1", "at least 1" if ok else shown)


def verify(ctx: Context) -> list[Check]:
    return [
        *crm_configuration.verify(ctx),
        *ftp_setup.verify(ctx),
        *datapump.verify(ctx),
        *advanced_settings.verify(ctx),
        *summary_checks(ctx),
    ]
