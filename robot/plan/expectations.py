"""What the after capture should show, for the report: the plan's expected values, completed
with what follows from them on screens that sum things up.

The plan says which fields it sets (`plan.expected_values`). Some screens also show consequences:
the Integration Summary counts PDF and Zip File settings and lists the payment DataPump's
terminals, and a terminal the plan does not list is cleared. Those follow from the plan and the
before capture; the plan's own values always win.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping

from robot.plan.changes import expected_values
from robot.plan.model import ConversionPlan

PAYMENT = "Payment DataPump "
Expected = dict[str, dict[str, str | None]]


def expected_after(
    plan: ConversionPlan, before: Mapping[str, Mapping[str, str | None]]
) -> Expected:
    expected = expected_values(plan, before)
    ftp_before = before.get("08-ftp-management", {})
    summary_before = before.get("07-integration-summary", {})
    datapump_before = before.get("09-datapump-management", {})
    summary = expected.setdefault("07-integration-summary", {})
    datapump = expected.setdefault("09-datapump-management", {})

    path = plan.ftp_path
    for label, prefix in (("PDF Settings", "PDF"), ("Zip File Settings", "Zip")):
        shown = summary_before.get(label) or ""
        if shown.isdigit():
            created = 0 if f"{prefix} {path} Active" in ftp_before else 1
            summary.setdefault(label, str(int(shown) + created))

    wanted = set(plan.datapump.payment_terminals)
    terminals = [key[len(PAYMENT) :] for key in datapump_before if key.startswith(PAYMENT)]
    for terminal in terminals:
        datapump.setdefault(f"{PAYMENT}{terminal}", "Yes" if terminal in wanted else "No")
    if terminals:
        summary.setdefault("Payment DataPump", payment_summary(terminals, wanted))
    return expected


def payment_summary(terminals: Iterable[str], selected: Container[str]) -> str:
    """How the Integration Summary lists the payment DataPump: the selected terminals in the
    CRM's order, or `None`."""
    listed = [t for t in terminals if t in selected]
    return ", ".join(listed) if listed else "None"
