"""Settings from the environment and `.env` (the real environment wins over the file).

Every key is listed in `.env.example`. Secrets are `Secret` values: their repr and str are `***`,
and no message here ever holds one. `load_settings` reports every problem at once, one line each,
as `KEY: what is wanted (what was given)`, and raises SettingsError (exit 2).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, PrivateAttr

from robot.core.errors import SettingsError
from robot.core.secrets import Secret
from robot.core.validation import given

DEFAULT_BASE_URL = "http://127.0.0.1:8765"
DEFAULT_UAT_HOSTS = ("127.0.0.1", "localhost")
_HOST_ENTRY = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


# Environment key -> Settings field. Order is the order of .env.example.
ENV_KEYS: dict[str, str] = {
    "CRM_BASE_URL": "crm_base_url",
    "CRM_USERNAME": "crm_username",
    "CRM_PASSWORD": "crm_password",
    "RTDR_USERNAME": "rtdr_username",
    "RTDR_PRIVATE_KEY": "rtdr_private_key",
    "RTDR_PASSWORD": "rtdr_password",
    "CRM_ROBOT_HEADLESS": "headless",
    "CRM_ROBOT_SLOW_MO_MS": "slow_mo_ms",
    "CRM_ROBOT_TIMEOUT_MS": "timeout_ms",
    "CRM_ROBOT_BROWSER_EXECUTABLE": "browser_executable",
    "CRM_ROBOT_BROWSER_ENDPOINT": "browser_endpoint",
    "CRM_ROBOT_OUTPUT_DIR": "output_dir",
    "CRM_ROBOT_SELECTORS": "selectors",
    "CRM_UAT_HOSTS": "crm_uat_hosts",
    "CRM_PROD_HOSTS": "crm_prod_hosts",
}
SECRET_KEYS = frozenset({"CRM_PASSWORD", "RTDR_PRIVATE_KEY", "RTDR_PASSWORD"})


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    crm_base_url: str = DEFAULT_BASE_URL
    crm_username: str | None = None
    crm_password: Secret | None = None
    rtdr_username: str | None = None
    rtdr_private_key: Secret | None = None
    rtdr_password: Secret | None = None
    headless: bool = True
    slow_mo_ms: int = 0
    # How long the CRM may take to show an element; a page load may take three times as long.
    timeout_ms: int = 10_000
    browser_executable: Path | None = None
    browser_endpoint: str | None = None
    output_dir: Path = Path("screenshots")
    selectors: Path | None = None
    crm_uat_hosts: tuple[str, ...] = DEFAULT_UAT_HOSTS
    crm_prod_hosts: tuple[str, ...] = ()

    # The merged environment, for variables a plan names (one .env can serve many billers).
    _environ: dict[str, str] = PrivateAttr(default_factory=dict)

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
        parts = urlsplit(self.crm_base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return f"{(parts.hostname or '').lower()}:{port}"

    def allowed_hosts(self, environment: str) -> tuple[str, ...]:
        return self.crm_prod_hosts if environment == "PROD" else self.crm_uat_hosts

    def crm_host_allowed(self, environment: str) -> bool:
        """Is CRM_BASE_URL one of the hosts allowed for this environment (UAT or PROD)?

        An entry without a port allows any port of that host.
        """
        host, _, port = self.crm_host.rpartition(":")
        for entry in self.allowed_hosts(environment):
            entry_host, _, entry_port = entry.partition(":")
            if entry_host == host and entry_port in ("", port):
                return True
        return False

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

    values: dict[str, Any] = {}
    found: list[str] = []
    for key, field in ENV_KEYS.items():
        raw = merged.get(key, "")
        if raw == "":  # an empty line in .env means "not set"
            continue
        parse = _PARSERS.get(field)
        if parse is None:
            values[field] = Secret(raw) if key in SECRET_KEYS else raw
            continue
        try:
            values[field] = parse(raw)
        except ValueError as exc:
            found.append(f"{key}: {exc}")
    if found:
        raise SettingsError(found)
    settings = Settings(**values)
    settings._environ = dict(merged)
    return settings


def _parse_bool(raw: str) -> bool:
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ValueError(f"must be true or false (given {given(raw)})")


def _parse_slow_mo(raw: str) -> int:
    if not raw.strip().isdigit() or int(raw) > 60_000:
        raise ValueError(
            f"must be a whole number of milliseconds from 0 to 60000 (given {given(raw)})"
        )
    return int(raw)


def _parse_timeout(raw: str) -> int:
    if not raw.strip().isdigit() or not 100 <= int(raw) <= 600_000:
        raise ValueError(
            f"must be a whole number of milliseconds from 100 to 600000 (given {given(raw)})"
        )
    return int(raw)


def _parse_base_url(raw: str) -> str:
    try:
        parts = urlsplit(raw.strip())
    except ValueError:
        raise ValueError(f"must be an http(s) URL like {DEFAULT_BASE_URL}") from None
    if parts.username is not None or parts.password is not None:
        # Never echoed: the part before "@" is a credential.
        raise ValueError("must not hold credentials; set CRM_USERNAME and CRM_PASSWORD instead")
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise ValueError(f"must have a numeric port (given {given(raw)})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s) URL like {DEFAULT_BASE_URL} (given {given(raw)})")
    if parts.query or parts.fragment:
        raise ValueError(f"must not have a query or fragment (given {given(raw)})")
    return raw.strip().rstrip("/")


def is_browser_endpoint(raw: str) -> bool:
    """A Playwright browser server (ws://, wss://) or a Chrome DevTools endpoint (http://,
    https://) with a host: what CRM_ROBOT_BROWSER_ENDPOINT and --browser-endpoint take."""
    parts = urlsplit(raw.strip())
    return parts.scheme in ("ws", "wss", "http", "https") and bool(parts.hostname)


def _parse_browser_endpoint(raw: str) -> str:
    if not is_browser_endpoint(raw):
        raise ValueError(
            "must be a browser server URL like ws://127.0.0.1:3000/ (Playwright) or a Chrome "
            f"DevTools URL like http://127.0.0.1:9222 (given {given(raw)})"
        )
    return raw.strip()


def _parse_hosts(raw: str) -> tuple[str, ...]:
    entries = tuple(entry.strip().lower() for entry in raw.split(",") if entry.strip())
    bad = [entry for entry in entries if not _HOST_ENTRY.fullmatch(entry)]
    if bad:
        raise ValueError(
            "must be a comma list of host or host:port, like 127.0.0.1,localhost:8765 "
            f"(given {given(raw)})"
        )
    return entries


def _parse_existing_file(raw: str) -> Path:
    path = Path(raw).expanduser()
    if not path.is_file():
        raise ValueError(f"file not found (given {given(raw)})")
    return path


def _parse_dir(raw: str) -> Path:
    return Path(raw.strip()).expanduser()


_PARSERS: dict[str, Callable[[str], Any]] = {
    "crm_base_url": _parse_base_url,
    "headless": _parse_bool,
    "slow_mo_ms": _parse_slow_mo,
    "timeout_ms": _parse_timeout,
    "browser_executable": _parse_existing_file,
    "browser_endpoint": _parse_browser_endpoint,
    "output_dir": _parse_dir,
    "selectors": _parse_existing_file,
    "crm_uat_hosts": _parse_hosts,
    "crm_prod_hosts": _parse_hosts,
}
