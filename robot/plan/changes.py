"""What a plan changes: per procedure step (for `plan check`) and per captured screen (for checks).

`planned_changes` speaks the PM's language (screen, field, new value); `expected_values` speaks
the capture's (values.json keys per screen stem, see docs/crm-screens.md). Neither holds a secret:
settings 10 and 13 appear as `***` and PLANNED_SECRET respectively.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from robot.core.conversion import CONVERSION_FLAGS, SECRET_SETTINGS, SETTING_NAMES
from robot.core.secrets import MASKED, PLANNED_SECRET
from robot.core.steps import SCREEN_STEMS, STEPS

if TYPE_CHECKING:
    from robot.plan.model import ConversionPlan

PDF_MOVE_ACTION = "Move to Filename Pending"
NON_PAYMENT_PREFIX = "Non-payment DataPump "


@dataclass(frozen=True)
class PlannedChange:
    """One field a step sets. `value` None means the field is removed; secrets read `***`."""

    screen: str
    field: str
    value: str | None
    secret: bool = False

    @property
    def shown(self) -> str:
        if self.secret:
            return MASKED
        return "(removed)" if self.value is None else self.value


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def planned_changes(plan: ConversionPlan) -> dict[str, list[PlannedChange]]:
    changes: dict[str, list[PlannedChange]] = {step.id: [] for step in STEPS}
    window = plan.maintenance_window
    mw = "Maintenance Windows"
    changes["maintenance-window"] = [
        PlannedChange(mw, "Internal Description", window.description),
        PlannedChange(mw, "Customer-Facing Message", window.message),
        PlannedChange(mw, "Start (Central Time)", window.start_text),
        PlannedChange(mw, "End (Central Time)", window.end_text),
        PlannedChange(mw, "Active", "Yes"),
        PlannedChange(mw, "Apply to all pages", _yes(window.all_pages)),
    ]
    changes["crm-configuration"] = [
        PlannedChange("Profile", "Integration Partner ID", plan.target_partner),
        *(
            PlannedChange("Invoicing > Advanced Configuration", flag, "Yes")
            for flag in CONVERSION_FLAGS
        ),
        PlannedChange(
            "Integration Summary > BIF Customizations",
            "InvoiceFormatGUID",
            plan.invoice_format_guid,
        ),
    ]
    pdf, zips = "FTP Management > PDF Settings", "FTP Management > Zip File Settings"
    changes["ftp-setup"] = [
        PlannedChange(pdf, "FTP Username", plan.ftp_username),
        PlannedChange(pdf, "Path", plan.ftp_path),
        PlannedChange(pdf, "Backup", "Yes"),
        PlannedChange(pdf, "Move Action", PDF_MOVE_ACTION),
        PlannedChange(pdf, "Active", "Yes"),
        PlannedChange(zips, "FTP Username", plan.ftp_username),
        PlannedChange(zips, "Path", plan.ftp_path),
        PlannedChange(zips, "Backup", "Yes"),
        PlannedChange(zips, "Delete Zip Files", "Yes"),
        PlannedChange(zips, "Active", "Yes"),
    ]
    changes["datapump"] = [
        *(
            PlannedChange("DataPump Management > Payment DataPump", terminal, "Yes")
            for terminal in plan.datapump.payment_terminals
        ),
        PlannedChange("DataPump Management > Non-payment DataPump", "every option", "No"),
    ]
    settings = "Advanced Settings"
    changes["advanced-settings"] = [
        *(
            PlannedChange(settings, f"Setting {n}", None)
            for n in plan.advanced_settings.remove_numbers()
        ),
        *(
            PlannedChange(
                settings,
                f"Setting {n} ({SETTING_NAMES[n]})",
                MASKED if n in SECRET_SETTINGS else str(value),
                secret=n in SECRET_SETTINGS,
            )
            for n, value in plan.settings_to_set().items()
        ),
    ]
    changes["go-live"] = [PlannedChange(mw, "Active", "No")]
    return changes


def non_payment_expectations(
    before: Mapping[str, Mapping[str, str | None]],
) -> dict[str, str | None]:
    """Every non-payment DataPump option the before capture shows must read `No` afterwards."""
    screen = before.get("09-datapump-management", {})
    return {key: "No" for key in screen if key.startswith(NON_PAYMENT_PREFIX)}


def expected_values(
    plan: ConversionPlan, before: Mapping[str, Mapping[str, str | None]] | None = None
) -> dict[str, dict[str, str | None]]:
    expected: dict[str, dict[str, str | None]] = {stem: {} for stem in SCREEN_STEMS}
    expected["01-profile"]["Integration Partner ID"] = plan.target_partner

    advanced = expected["06-advanced-settings"]
    for n, value in plan.settings_to_set().items():
        advanced[f"Setting {n}"] = PLANNED_SECRET if n in SECRET_SETTINGS else str(value)
    for n in plan.advanced_settings.remove_numbers():
        advanced[f"Setting {n}"] = None

    summary = expected["07-integration-summary"]
    summary["Integration Partner ID"] = plan.target_partner
    summary.update({flag: "On" for flag in CONVERSION_FLAGS})
    summary["InvoiceFormatGUID"] = plan.invoice_format_guid
    summary["RTDR Endpoint"] = plan.rtdr.endpoint

    ftp = expected["08-ftp-management"]
    pdf, zips = f"PDF {plan.ftp_path}", f"Zip {plan.ftp_path}"
    ftp[f"{pdf} FTP Username"] = plan.ftp_username
    ftp[f"{pdf} Backup"] = "Yes"
    ftp[f"{pdf} Move Action"] = PDF_MOVE_ACTION
    ftp[f"{pdf} Active"] = "Yes"
    ftp[f"{zips} FTP Username"] = plan.ftp_username
    ftp[f"{zips} Backup"] = "Yes"
    ftp[f"{zips} Delete Zip Files"] = "Yes"
    ftp[f"{zips} Active"] = "Yes"

    datapump = expected["09-datapump-management"]
    for terminal in plan.datapump.payment_terminals:
        datapump[f"Payment DataPump {terminal}"] = "Yes"
    if before is not None:
        datapump.update(non_payment_expectations(before))
    return expected
