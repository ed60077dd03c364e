"""The conversion plan: what converting one biller from IMT MIPS APPS to IMT Spectrum means.

A plan is a TOML file (see docs/plan-file.md and plans/). `load_plan` reads and validates it
before any browser opens and raises PlanError with one line per problem. The plan holds no
secrets: it names the environment variables that do (`rtdr.private_key_env`, `rtdr.password_env`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PrivateAttr,
    SecretStr,
    StrictBool,
    StringConstraints,
    ValidationError,
    model_validator,
)

from robot.core.errors import PlanError, UsageError
from robot.core.secrets import PLANNED_SECRET
from robot.core.validation import problem_lines, problems
from robot.plan.base import PlanModel as _Model
from robot.plan.fields import (
    RTDR_ENDPOINT,
    check_biller_id,
    check_date,
    check_env_name,
    check_environment,
    check_ftp_name,
    check_ftp_path,
    check_ftp_username,
    check_guid,
    check_rtdr_endpoint,
    check_rtdr_username,
    check_trimmed,
    parse_setting_spec,
    show_ct,
    to_central,
    window_problem,
)
from robot.plan.links import Links

__all__ = [
    "Biller",
    "ConversionPlan",
    "DataPump",
    "Links",
    "MaintenanceWindow",
    "Rtdr",
    "AdvancedSettings",
    "load_plan",
]

TARGET_PARTNER = "IMT Spectrum"
DEFAULT_INVOICE_FORMAT_GUID = "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"
JIRA_LEAD_DAYS = 30
CUSTOMER_MESSAGE = (
    "Biller payment portal will be unavailable {when}. Customers will be unable to process "
    "payments or access payment information. Site availability will resume immediately after "
    "the maintenance window. We appreciate your patience and understanding. Thank you."
)

Guid = Annotated[str, BeforeValidator(check_guid)]
Text = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(check_trimmed)
]
SettingSpec = Annotated[tuple[int, int], BeforeValidator(parse_setting_spec)]
EnvName = Annotated[str, BeforeValidator(check_env_name)]
Day = Annotated[date, BeforeValidator(check_date)]
CentralTime = Annotated[datetime, BeforeValidator(to_central)]


class Biller(_Model):
    id: Annotated[str, BeforeValidator(check_biller_id)]
    guid: Guid
    name: Text
    expected_partner: Text = "IMT MIPS APPS"
    environment: Annotated[Literal["UAT", "PROD"], BeforeValidator(check_environment)]


class MaintenanceWindow(_Model):
    start: CentralTime
    end: CentralTime
    description: Text | None = None  # default: "IMT Spectrum Conversion (<go-live>)"
    message: Annotated[str, StringConstraints(min_length=1, max_length=1000)] | None = None
    all_pages: StrictBool = True

    @model_validator(mode="after")
    def _end_after_start(self) -> MaintenanceWindow:
        if problem := window_problem(self.start, self.end):
            raise problems([("end", problem)])
        return self

    @property
    def duration(self) -> timedelta:
        """Real elapsed time. `end - start` would subtract wall clocks (one tzinfo on both)."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    @property
    def start_text(self) -> str:
        return show_ct(self.start)

    @property
    def end_text(self) -> str:
        return show_ct(self.end)

    @property
    def start_input(self) -> str:
        """`2026-12-15T01:00`: the value a `datetime-local` input in Central Time takes."""
        return f"{self.start:%Y-%m-%dT%H:%M}"

    @property
    def end_input(self) -> str:
        return f"{self.end:%Y-%m-%dT%H:%M}"

    def when_text(self) -> str:
        """`on December 15, 2026 from 1:00 AM to 5:00 AM Central Time` for customer wording."""

        def clock(moment: datetime) -> str:
            return moment.strftime("%I:%M %p").lstrip("0")

        def day(moment: datetime) -> str:
            return f"{moment:%B} {moment.day}, {moment.year}"

        if self.start.date() == self.end.date():
            return (
                f"on {day(self.start)} from {clock(self.start)} to {clock(self.end)} Central Time"
            )
        return (
            f"from {day(self.start)} {clock(self.start)} to {day(self.end)} "
            f"{clock(self.end)} Central Time"
        )


class DataPump(_Model):
    payment_terminals: list[Text]

    @model_validator(mode="after")
    def _unique(self) -> DataPump:
        seen: set[str] = set()
        found = []
        for index, name in enumerate(self.payment_terminals):
            if name in seen:
                found.append((f"payment_terminals.{index}", f'"{name}" is listed twice'))
            seen.add(name)
        if found:
            raise problems(found)
        return self


class AdvancedSettings(_Model):
    remove: list[SettingSpec] = Field(default_factory=lambda: [(14, 22), (88, 88), (105, 105)])

    def remove_numbers(self) -> list[int]:
        return sorted({n for first, last in self.remove for n in range(first, last + 1)})


class Rtdr(_Model):
    endpoint: Annotated[str, BeforeValidator(check_rtdr_endpoint)] = RTDR_ENDPOINT
    username: Annotated[str, BeforeValidator(check_rtdr_username)]
    private_key_env: EnvName = "RTDR_PRIVATE_KEY"
    password_env: EnvName = "RTDR_PASSWORD"

    @model_validator(mode="after")
    def _two_variables(self) -> Rtdr:
        if self.private_key_env == self.password_env:
            raise problems(
                [("password_env", f"must differ from private_key_env ({self.private_key_env})")]
            )
        return self


class Rollback(_Model):
    # Where `crm-robot rollback` reads the old value of secret Advanced Setting N, when not in
    # ROLLBACK_SETTING_<N>: `[rollback.secret_env]` with `16 = "OLD_MIPS_DP_PASSWORD"`.
    secret_env: dict[int, EnvName] = Field(default_factory=dict)


class ConversionPlan(_Model):
    """One biller's conversion, as read from its plan file."""

    biller: Biller
    go_live: Day
    jira_submitted: Day | None = None
    maintenance_window: MaintenanceWindow
    ftp_name: Annotated[str, BeforeValidator(check_ftp_name)]
    # The plan's key is `ftp_path`; the property of that name is what the robot types in.
    given_ftp_path: Annotated[str | None, BeforeValidator(check_ftp_path)] = Field(
        default=None, alias="ftp_path"
    )
    ftp_username: Annotated[str, BeforeValidator(check_ftp_username)]
    datapump: DataPump
    advanced_settings: AdvancedSettings = Field(default_factory=AdvancedSettings)
    rtdr: Rtdr
    invoice_format_guid: Guid = DEFAULT_INVOICE_FORMAT_GUID
    links: Links = Field(default_factory=Links)
    rollback: Rollback = Field(default_factory=Rollback)

    _warnings: list[str] = PrivateAttr(default_factory=list)
    _source: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _fill_defaults_and_warn(self) -> ConversionPlan:
        window = self.maintenance_window
        if window.description is None:
            window.description = f"IMT Spectrum Conversion ({self.go_live.isoformat()})"
        if window.message is None:
            window.message = CUSTOMER_MESSAGE.format(when=window.when_text())
        self._warnings = self._find_warnings()
        return self

    def _find_warnings(self) -> list[str]:
        if self.jira_submitted is None:
            return [
                "jira_submitted: not set; the procedure asks for the JIRA at least "
                f"{JIRA_LEAD_DAYS} days before go-live ({self.go_live.isoformat()})"
            ]
        lead = (self.go_live - self.jira_submitted).days
        if lead < JIRA_LEAD_DAYS:
            return [
                f"jira_submitted: {self.jira_submitted.isoformat()} is {lead} days before "
                f"go-live ({self.go_live.isoformat()}); the procedure asks for at least "
                f"{JIRA_LEAD_DAYS} days"
            ]
        return []

    # --- derived values used by the runner, the checks and the documents -----------------------

    @property
    def warnings(self) -> list[str]:
        return list(self._warnings)

    @property
    def source(self) -> str | None:
        """The plan file this plan was read from, if any."""
        return self._source

    @property
    def requires_prod_confirmation(self) -> bool:
        return self.biller.environment == "PROD"

    def confirm_environment(self, prod_confirmed: bool) -> None:
        """Refuse a PROD plan unless the user said `--prod` on the command line."""
        if self.requires_prod_confirmation and not prod_confirmed:
            raise UsageError(
                f"biller.environment: PROD plan for {self.biller.name} ({self.biller.id}); "
                "add --prod to confirm you mean to change production"
            )

    @property
    def target_partner(self) -> str:
        return TARGET_PARTNER

    @property
    def biller_slug(self) -> str:
        return slug_of(self.biller)

    @property
    def ftp_path(self) -> str:
        """The plan's `ftp_path` if given (a biller whose FTP layout differs), else the format."""
        if self.given_ftp_path is not None:
            return self.given_ftp_path
        # Two literal backslashes between parts, exactly as the procedure writes the path.
        return "\\\\".join([self.ftp_name, "ToInvoiceCloud", "PDFs"])

    def settings_to_set(self, key_password: SecretStr | None = None) -> dict[int, str | SecretStr]:
        """Advanced Settings 8-13; 10 and 13 hold `key|password` (PLANNED_SECRET when not given)."""
        secret: str | SecretStr = key_password if key_password is not None else PLANNED_SECRET
        endpoint, user = self.rtdr.endpoint, self.rtdr.username
        return {8: endpoint, 9: user, 10: secret, 11: endpoint, 12: user, 13: secret}


def slug_of(biller: Biller) -> str:
    """`prairie-pine-mutual`: the biller's folder name under the output root."""
    return re.sub(r"[^a-z0-9]+", "-", biller.name.lower()).strip("-") or biller.id


def load_plan(path: str | Path) -> ConversionPlan:
    """Read and validate a plan file; PlanError lists every problem, one per line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlanError(f"plan file not found: {path}") from None
    except OSError as exc:
        raise PlanError(f"plan file cannot be read: {path} ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanError("not UTF-8 text; save the plan file as UTF-8", source=str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(_toml_problem(exc, text), source=str(path)) from None
    return plan_from_dict(data, source=str(path))


def plan_from_dict(data: Mapping[str, Any], source: str | None = None) -> ConversionPlan:
    try:
        plan = ConversionPlan.model_validate(dict(data))
    except ValidationError as exc:
        raise PlanError(problem_lines(exc, ConversionPlan), source=source) from None
    plan._source = source
    return plan


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str) -> str:
    # tomllib writes "Invalid value (at line 3, column 9)"; lead with the position instead.
    message = str(exc)
    if match := re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", message):
        return f"line {match[2]}, column {match[3]}: TOML syntax error: {_lower_first(match[1])}"
    if match := re.fullmatch(r"(.*) \(at end of document\)", message):
        line = text.count("\n") + 1
        column = len(text.rsplit("\n", 1)[-1]) + 1
        return (
            f"line {line}, column {column}: TOML syntax error at the end of the file: "
            f"{_lower_first(match[1])}; is the file cut short?"
        )
    return f"TOML syntax error: {message}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
