"""The ten steps of the conversion procedure, in order, the nine screens it captures, and the
steps of a rollback.

STEPS is the one table of what the run knows about a step: the module in `scenarios/` that does
it (`scenario`), and what the run does around it: whether its screens show secrets (a trace
pauses), what a PM checks by hand when it fails, the question asked at its checkpoint, whether
only a person can answer it, whether its verification table is its output. Step ids are a
contract (`--only`, `--from`, the journal, the report).
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field, replace

from robot.core.errors import UsageError

_NINE_SCREENS = "that each of the nine screens opens for this biller"


@dataclass(frozen=True)
class Step:
    id: str
    number: int
    title: str
    scenario: str  # the module of scenarios/ that does the step
    summary: str = ""
    # How the run treats the step; a step is the same step whatever these say (equality).
    _: KW_ONLY
    # Its screens show secrets (Advanced Settings shows settings 10 and 13 in clear): no trace
    # is recorded during the step.
    shows_secrets: bool = field(default=False, compare=False)
    # What a PM checks by hand when the step failed.
    what_to_check: str = field(default="the screen of this step", compare=False)
    # The question asked before the step's changes, `{biller}` filled in; None: the run's
    # default names the changes.
    checkpoint: str | None = field(default=None, compare=False)
    # Only a person can answer the checkpoint: a run that cannot ask stops before the step.
    checkpoint_required: bool = field(default=False, compare=False)
    # The verification table is the step's output: printed on stdout, passed or not.
    table_is_output: bool = field(default=False, compare=False)


STEPS: tuple[Step, ...] = (
    Step(
        "capture-before",
        1,
        "Capture before",
        "capture",
        "the nine screenshots, phase before",
        shows_secrets=True,
        what_to_check=_NINE_SCREENS,
    ),
    Step(
        "maintenance-window",
        2,
        "Maintenance window",
        "maintenance_window",
        "create the active maintenance window in Central Time",
        what_to_check="Biller Portal > Settings > Portal Customization > Maintenance "
        "Windows: the windows listed and their times (Central Time)",
    ),
    Step(
        "crm-configuration",
        3,
        "CRM configuration",
        "crm_configuration",
        "Integration Partner ID, the three invoicing flags, InvoiceFormatGUID",
        what_to_check="Profile (Integration Partner ID), Invoicing > Advanced Configuration "
        "and Integration Summary > BIF Customizations",
    ),
    Step(
        "ftp-setup",
        4,
        "FTP setup",
        "ftp_setup",
        "PDF setting and Zip File setting",
        what_to_check="FTP Management: the PDF and Zip File settings and their paths",
    ),
    Step(
        "datapump",
        5,
        "DataPump",
        "datapump",
        "payment DataPump per terminal; non-payment DataPump: nothing selected",
        what_to_check="DataPump Management: the biller's terminals against the plan's",
    ),
    Step(
        "advanced-settings",
        6,
        "Advanced Settings",
        "advanced_settings",
        "remove the old settings; set 8-13",
        shows_secrets=True,
        what_to_check="Advanced Settings: rows 8-13 and the rows to remove",
    ),
    Step(
        "rtdr-test",
        7,
        "RTDR test",
        "rtdr_test",
        "Data Refresh shows invoices",
        shows_secrets=True,
        what_to_check="Advanced Settings 8-10, Invoicing > Real Time Data Refresh, and the "
        "provider's credentials in the environment",
    ),
    Step(
        "verify",
        8,
        "Verify",
        "verify",
        "every planned value read back and checked",
        shows_secrets=True,
        what_to_check="the lines marked FAIL in the table above",
        table_is_output=True,
    ),
    Step(
        "go-live",
        9,
        "Go-live",
        "go_live",
        "provider confirms; then deactivate the maintenance window",
        what_to_check="the maintenance window on Biller Portal > Maintenance Windows",
        checkpoint="Go-live: has the provider (IMT/Spectrum) confirmed go-live readiness for "
        "{biller}? The robot will then deactivate the maintenance window.",
        checkpoint_required=True,
    ),
    Step(
        "capture-after",
        10,
        "Capture after",
        "capture",
        "the nine screenshots, phase after",
        shows_secrets=True,
        what_to_check=_NINE_SCREENS,
    ),
)

STEP_IDS: tuple[str, ...] = tuple(step.id for step in STEPS)

# `crm-robot rollback`: a conversion's writes undone, in the reverse order of the procedure.
ROLLBACK_STEPS: tuple[Step, ...] = (
    replace(STEPS[0], summary="the nine screenshots, phase before, as the biller is now"),
    Step(
        "window-on",
        2,
        "Maintenance window on",
        "undo_window_on",
        "the run's maintenance window active while the rollback runs inside its times",
        what_to_check=STEPS[1].what_to_check,
    ),
    Step(
        "restore-advanced-settings",
        3,
        "Restore Advanced Settings",
        "undo_advanced_settings",
        "the removed settings back with their numbers, names and values; the set ones as before",
        shows_secrets=True,
        what_to_check=STEPS[5].what_to_check,
    ),
    Step(
        "restore-datapump",
        4,
        "Restore DataPump",
        "undo_datapump",
        "the DataPump selections as the run found them",
        what_to_check=STEPS[4].what_to_check,
    ),
    Step(
        "restore-ftp",
        5,
        "Restore FTP settings",
        "undo_ftp",
        "the PDF and Zip File settings the run created removed (or deactivated)",
        what_to_check=STEPS[3].what_to_check,
    ),
    Step(
        "restore-configuration",
        6,
        "Restore CRM configuration",
        "undo_configuration",
        "Integration Partner ID, the three invoicing flags, InvoiceFormatGUID as before",
        what_to_check=STEPS[2].what_to_check,
    ),
    Step(
        "restore-window",
        7,
        "Restore maintenance window",
        "undo_window",
        "the maintenance window as the run found it (removed when the run created it)",
        what_to_check=STEPS[1].what_to_check,
    ),
    Step(
        "verify-restored",
        8,
        "Verify restored",
        "undo_verify",
        "every field the run changed read back against the value it found",
        shows_secrets=True,
        what_to_check="the lines marked FAIL in the table above",
        table_is_output=True,
    ),
    replace(STEPS[9], number=9, summary="the nine screenshots, phase after, as restored"),
)


@dataclass(frozen=True)
class Procedure:
    """What a run does: a conversion, or the rollback of one; its command and its steps."""

    name: str
    command: str  # the crm-robot command that runs it (resume hints)
    steps: tuple[Step, ...]

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(step.id for step in self.steps)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise UsageError(f"unknown step {step_id!r}; choose one of: {', '.join(self.ids)}")


CONVERSION = Procedure("conversion", "convert", STEPS)
ROLLBACK = Procedure("rollback", "rollback", ROLLBACK_STEPS)
PROCEDURES: dict[str, Procedure] = {p.name: p for p in (CONVERSION, ROLLBACK)}

# The nine required screens, in procedure order: (file stem, screen title). The stems are a
# contract: capture folders name their PNGs after them (robot/core/capture_format.py).
SCREENS: tuple[tuple[str, str], ...] = (
    ("01-profile", "Profile"),
    ("02-products", "Products"),
    ("03-credit-debit-cards", "Credit/Debit Cards"),
    ("04-obd", "OBD"),
    ("05-cloud-ivr-invoice-types", "Cloud IVR Connect Invoice Types"),
    ("06-advanced-settings", "Advanced Settings"),
    ("07-integration-summary", "Integration Summary"),
    ("08-ftp-management", "FTP Management"),
    ("09-datapump-management", "DataPump Management"),
)
SCREEN_STEMS: tuple[str, ...] = tuple(stem for stem, _ in SCREENS)
SCREEN_TITLES: dict[str, str] = dict(SCREENS)


def step_by_id(step_id: str) -> Step:
    return CONVERSION.step(step_id)
