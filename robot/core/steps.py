"""The ten steps of the conversion procedure, in order, and the nine screens it captures.

The runner walks STEPS; each step's `scenario` names the module in `scenarios/` that does it.
Step ids are a contract (`--only`, `--from`, the journal, the report).
"""

from __future__ import annotations

from dataclasses import dataclass

from robot.core.errors import UsageError


@dataclass(frozen=True)
class Step:
    id: str
    number: int
    title: str
    scenario: str
    summary: str = ""


STEPS: tuple[Step, ...] = (
    Step("capture-before", 1, "Capture before", "capture", "the nine screenshots, phase before"),
    Step(
        "maintenance-window",
        2,
        "Maintenance window",
        "maintenance_window",
        "create the active maintenance window in Central Time",
    ),
    Step(
        "crm-configuration",
        3,
        "CRM configuration",
        "crm_configuration",
        "Integration Partner ID, the three invoicing flags, InvoiceFormatGUID",
    ),
    Step("ftp-setup", 4, "FTP setup", "ftp_setup", "PDF setting and Zip File setting"),
    Step(
        "datapump",
        5,
        "DataPump",
        "datapump",
        "payment DataPump per terminal; non-payment DataPump: nothing selected",
    ),
    Step(
        "advanced-settings",
        6,
        "Advanced Settings",
        "advanced_settings",
        "remove the old settings; set 8-13",
    ),
    Step("rtdr-test", 7, "RTDR test", "rtdr_test", "Data Refresh shows invoices"),
    Step("verify", 8, "Verify", "verify", "every planned value read back and checked"),
    Step(
        "go-live",
        9,
        "Go-live",
        "go_live",
        "provider confirms; then deactivate the maintenance window",
    ),
    Step("capture-after", 10, "Capture after", "capture", "the nine screenshots, phase after"),
)

STEP_IDS: tuple[str, ...] = tuple(step.id for step in STEPS)

SCREEN_STEMS: tuple[str, ...] = (
    "01-profile",
    "02-products",
    "03-credit-debit-cards",
    "04-obd",
    "05-cloud-ivr-invoice-types",
    "06-advanced-settings",
    "07-integration-summary",
    "08-ftp-management",
    "09-datapump-management",
)


def step_by_id(step_id: str) -> Step:
    for step in STEPS:
        if step.id == step_id:
            return step
    raise UsageError(f"unknown step {step_id!r}; choose one of: {', '.join(STEP_IDS)}")
