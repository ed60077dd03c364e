"""Settings from the environment and `.env` (the real environment wins over the file).

Every key is listed in `.env.example`; each is one field of `Settings` under its environment
name, with one validator holding its rule. Secrets are `Secret` values: their repr and str are
`***`, and no message here ever holds one. `load_settings` reports every problem at once, one line
each, as `KEY: what is wanted (what was given)`, and raises SettingsError (exit 2).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import dotenv_values
from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from robot.core.errors import SettingsError
from robot.core.secrets import Secret
from robot.core.sign_in_settings import CaBundle, SessionKey, SignInFlow, SignInWait
from robot.core.transport import (
    endpoint_transport_problem,
    host_listed,
    host_port,
    is_browser_endpoint,
    is_loopback,
)
from robot.core.validation import given, problem_lines, problems

DEFAULT_BASE_URL = "http://127.0.0.1:8765"
DEFAULT_UAT_HOSTS = ("127.0.0.1", "localhost")
_HOST_ENTRY = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Settings(BaseSettings):
    """The robot's settings. Fields are in the order of `.env.example`.

    Each validator checks the text of its key as it comes from the environment or `.env`; a value
    built by hand in code (a Path, an int, a Secret) goes straight to the field's type.
    """

    # populate_by_name: code and tests build Settings(crm_base_url=...) by field name.
    model_config = SettingsConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    crm_base_url: str = Field(default=DEFAULT_BASE_URL, validation_alias="CRM_BASE_URL")
    crm_username: str | None = Field(default=None, validation_alias="CRM_USERNAME")
    crm_password: Secret | None = Field(default=None, validation_alias="CRM_PASSWORD")
    rtdr_username: str | None = Field(default=None, validation_alias="RTDR_USERNAME")
    rtdr_private_key: Secret | None = Field(default=None, validation_alias="RTDR_PRIVATE_KEY")
    rtdr_password: Secret | None = Field(default=None, validation_alias="RTDR_PASSWORD")
    headless: bool = Field(default=True, validation_alias="CRM_ROBOT_HEADLESS")
    slow_mo_ms: int = Field(default=0, validation_alias="CRM_ROBOT_SLOW_MO_MS")
    # How long the CRM may take to show an element; a page load may take three times as long.
    timeout_ms: int = Field(default=10_000, validation_alias="CRM_ROBOT_TIMEOUT_MS")
    browser_executable: Path | None = Field(
        default=None, validation_alias="CRM_ROBOT_BROWSER_EXECUTABLE"
    )
    browser_endpoint: str | None = Field(
        default=None, validation_alias="CRM_ROBOT_BROWSER_ENDPOINT"
    )
    output_dir: Path = Field(default=Path("screenshots"), validation_alias="CRM_ROBOT_OUTPUT_DIR")
    selectors: Path | None = Field(default=None, validation_alias="CRM_ROBOT_SELECTORS")
    crm_uat_hosts: tuple[str, ...] = Field(
        default=DEFAULT_UAT_HOSTS, validation_alias="CRM_UAT_HOSTS"
    )
    crm_prod_hosts: tuple[str, ...] = Field(default=(), validation_alias="CRM_PROD_HOSTS")
    # How the robot signs in (robot/browser/signin.py) and where an identity provider may be.
    # Their rules are in robot/core/sign_in_settings.py.
    crm_sign_in: SignInFlow = Field(default="form", validation_alias="CRM_SIGN_IN")
    crm_sso_hosts: tuple[str, ...] = Field(default=(), validation_alias="CRM_SSO_HOSTS")
    sign_in_wait_s: SignInWait = Field(default=300, validation_alias="CRM_ROBOT_SIGN_IN_WAIT_S")
    session_key: SessionKey | None = Field(default=None, validation_alias="CRM_ROBOT_SESSION_KEY")
    session_file: Path | None = Field(default=None, validation_alias="CRM_ROBOT_SESSION_FILE")
    ca_bundle: CaBundle | None = Field(default=None, validation_alias="CRM_ROBOT_CA_BUNDLE")

    # The merged environment, for variables a plan names (one .env can serve many billers).
    _environ: dict[str, str] = PrivateAttr(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only the values passed in. `load_settings` merges `.env` and the environment it is
        # given (a test gives a dict), so Settings(...) built in code never picks up the
        # process environment behind the caller's back.
        return (init_settings,)

    # --- one rule per key --------------------------------------------------------------------

    @field_validator("crm_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            parts = urlsplit(value.strip())
        except ValueError:
            raise ValueError(f"must be an http(s) URL like {DEFAULT_BASE_URL}") from None
        if parts.username is not None or parts.password is not None:
            # Never echoed: the part before "@" is a credential.
            raise ValueError("must not hold credentials; set CRM_USERNAME and CRM_PASSWORD instead")
        try:
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number
        except ValueError:
            raise ValueError(f"must have a numeric port (given {given(value)})") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"must be an http(s) URL like {DEFAULT_BASE_URL} (given {given(value)})"
            )
        if parts.query or parts.fragment:
            raise ValueError(f"must not have a query or fragment (given {given(value)})")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise ValueError(
                "must be https:// for a CRM that is not on this machine: the robot types the "
                "CRM password and the RTDR secrets into its pages, and plain http:// would send "
                f"them over the network unencrypted (given {given(value)}); http:// is for "
                "127.0.0.1, ::1 or localhost only"
            )
        return value.strip().rstrip("/")

    @field_validator("headless", mode="before")
    @classmethod
    def _headless(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        word = value.strip().lower()
        if word not in _TRUE | _FALSE:
            raise ValueError(f"must be true or false (given {given(value)})")
        return word in _TRUE

    @field_validator("slow_mo_ms", mode="before")
    @classmethod
    def _slow_mo(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if not value.strip().isdigit() or int(value) > 60_000:
            raise ValueError(
                f"must be a whole number of milliseconds from 0 to 60000 (given {given(value)})"
            )
        return int(value)

    @field_validator("timeout_ms", mode="before")
    @classmethod
    def _timeout(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if not value.strip().isdigit() or not 100 <= int(value) <= 600_000:
            raise ValueError(
                f"must be a whole number of milliseconds from 100 to 600000 (given {given(value)})"
            )
        return int(value)

    @field_validator("browser_executable", "selectors", mode="before")
    @classmethod
    def _existing_file(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        path = Path(value).expanduser()
        if not path.is_file():
            raise ValueError(f"file not found (given {given(value)})")
        return path

    @field_validator("browser_endpoint", mode="before")
    @classmethod
    def _browser_endpoint(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if not is_browser_endpoint(value):
            raise ValueError(
                "must be a browser server URL like ws://127.0.0.1:3000/ (Playwright) or a Chrome "
                f"DevTools URL like http://127.0.0.1:9222 (given {given(value)})"
            )
        if problem := endpoint_transport_problem(value):
            raise ValueError(problem)
        return value.strip()

    @field_validator("output_dir", "session_file", mode="before")
    @classmethod
    def _output_dir(cls, value: Any) -> Any:
        return Path(value.strip()).expanduser() if isinstance(value, str) else value

    @field_validator("crm_uat_hosts", "crm_prod_hosts", "crm_sso_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        entries = tuple(entry.strip().lower() for entry in value.split(",") if entry.strip())
        if not all(_HOST_ENTRY.fullmatch(entry) for entry in entries):
            raise ValueError(
                "must be a comma list of host or host:port, like 127.0.0.1,localhost:8765 "
                f"(given {given(value)})"
            )
        return entries

    @model_validator(mode="after")
    def _sso_needs_its_host(self) -> Settings:
        if self.crm_sign_in == "sso" and not self.crm_sso_hosts:
            raise problems(
                [
                    (
                        "CRM_SSO_HOSTS",
                        "required when CRM_SIGN_IN=sso; name the identity provider's host (the "
                        "robot types the CRM password there and nowhere else)",
                    )
                ]
            )
        return self

    # --- reading them --------------------------------------------------------------------------

    def env_value(self, name: str) -> str | None:
        """A non-secret variable from the environment or .env; None when unset or empty."""
        return self._environ.get(name) or None

    def secret_value(self, name: str) -> Secret | None:
        """A secret variable from the environment or .env; None when unset or empty."""
        value = self._environ.get(name)
        return Secret(value) if value else None

    @property
    def crm_host(self) -> str:
        """`127.0.0.1:8765`: host and port of CRM_BASE_URL (port from the scheme if omitted)."""
        return host_port(self.crm_base_url)

    def allowed_hosts(self, environment: str) -> tuple[str, ...]:
        return self.crm_prod_hosts if environment == "PROD" else self.crm_uat_hosts

    def crm_host_allowed(self, environment: str) -> bool:
        """Is CRM_BASE_URL one of the hosts allowed for this environment (UAT or PROD)?

        An entry without a port allows any port of that host.
        """
        return host_listed(self.crm_base_url, self.allowed_hosts(environment))

    def require_crm_login(self) -> tuple[str, Secret]:
        """The CRM username and password, or SettingsError naming what is missing."""
        missing = [
            f"{key}: required to sign in to the CRM; set it in .env or the environment"
            for key, value in (
                ("CRM_USERNAME", self.crm_username),
                ("CRM_PASSWORD", self.crm_password),
            )
            if value is None
        ]
        if missing:
            raise SettingsError(missing)
        assert self.crm_username is not None and self.crm_password is not None
        return self.crm_username, self.crm_password


# Environment key -> Settings field, in the order of .env.example.
ENV_KEYS: dict[str, str] = {
    str(field.validation_alias): name for name, field in Settings.model_fields.items()
}


def check_output_dir(path: Path) -> None:
    """SettingsError unless a run can write under `path` (checked before anything is written:
    the nearest folder that exists must be a folder this user may write in)."""
    probe = path
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    why = None
    if not probe.is_dir():
        why = "is not a folder"
    elif not os.access(probe, os.W_OK | os.X_OK):
        why = "is not writable"
    if why:
        raise SettingsError(
            f"CRM_ROBOT_OUTPUT_DIR: {probe} {why}, so {path} cannot be created; point "
            "CRM_ROBOT_OUTPUT_DIR at a folder this user can write to"
        )


def load_settings(
    env_file: str | Path | None = ".env",
    environ: Mapping[str, str] = os.environ,
    *,
    must_exist: bool = False,
) -> Settings:
    """Settings from `env_file` (if it exists) overridden by `environ`.

    `must_exist` is for a file the user named (`--env-file`): a missing one is then an error.
    """
    merged: dict[str, str] = {}
    if env_file is not None:
        path = Path(env_file)
        if path.is_file():
            # No interpolation: a password holding "$" must reach the CRM unchanged.
            file_values = dotenv_values(path, interpolate=False)
            merged.update({k: v for k, v in file_values.items() if v is not None})
        elif must_exist:
            raise SettingsError(f"env file not found: {path}; create it from .env.example")
    merged.update(environ)
    # Merged first, so that an empty variable in the environment hides the file's value too:
    # an empty value means "not set".
    values: dict[str, Any] = {key: merged[key] for key in ENV_KEYS if merged.get(key)}
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        raise SettingsError(problem_lines(exc, Settings)) from None
    settings._environ = merged
    return settings
