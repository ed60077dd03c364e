"""Field checks for conversion plans: GUIDs, the RTDR endpoint, links, FTP names and paths,
Central Time.

Each check takes the raw value from the TOML file and either returns the normalised value or
raises ValueError with the wording the user sees after the field's dotted path: what is wanted,
then what was given. Tests pin these messages, so change them with the tests.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from robot.core.validation import given

CENTRAL = ZoneInfo("America/Chicago")

RTDR_ENDPOINT = "https://www.pdspectrum.com/wsSpectrumAPICore"
RTDR_HOST = "www.pdspectrum.com"
RTDR_PATH = "/wsSpectrumAPICore"
LINK_EXAMPLE = "https://app.box.com/f/abc123"

_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
NIL_GUID = "00000000-0000-0000-0000-000000000000"
_FTP_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Between two parts of an FTP path: two literal backslashes, as the procedure writes the path,
# or a slash.
_FTP_PATH_SEPARATOR = re.compile(r"\\\\|/")
FTP_PATH_EXAMPLE = r"prairiepinemutualftp\\ToInvoiceCloud\\PDFs"
MAX_FTP_PATH = 200
_FTP_USERNAME = re.compile(r"[A-Za-z0-9._@-]{1,64}")
_BILLER_ID = re.compile(r"[0-9]{1,12}")
_RTDR_USERNAME = re.compile(r"[^\s|]{1,100}")
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")
_SETTING_RANGE = re.compile(r"(\d{1,4})\s*-\s*(\d{1,4})")

# Settings 8-13 are written by the conversion; removing one of them would undo the work.
SET_SETTINGS = range(8, 14)
MAX_SETTING = 9999
MAX_WINDOW = timedelta(hours=24)


def check_guid(value: Any) -> str:
    """A GUID as 8-4-4-4-12 hex digits, nothing around it; returned in upper case."""
    if not isinstance(value, str) or not _GUID.fullmatch(value):
        raise ValueError(
            "must be a GUID of 32 hex digits grouped 8-4-4-4-12 with hyphens, "
            f"no braces or prefix, like XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX (given {given(value)})"
        )
    if value == NIL_GUID:
        raise ValueError(f"must not be the nil GUID (given {given(value)})")
    return value.upper()


def check_biller_id(value: Any) -> str:
    """The CRM's numeric Biller ID; TOML integers are accepted and kept as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _BILLER_ID.fullmatch(value):
        raise ValueError(f"must be the numeric Biller ID, like 10482 (given {given(value)})")
    return value


def check_environment(value: Any) -> str:
    if value not in ("UAT", "PROD"):
        raise ValueError(f'must be "UAT" or "PROD" (given {given(value)})')
    return str(value)


def check_date(value: Any) -> date:
    """A calendar date: a TOML date (2026-12-15) or the same as a string."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise ValueError(f"must be a date like 2026-12-15 (given {given(value)})")


def check_trimmed(value: Any) -> Any:
    """Exact names are compared character for character, so stray spaces are an error."""
    if isinstance(value, str) and value != value.strip():
        raise ValueError(f"must not start or end with spaces (given {given(value)})")
    return value


def check_ftp_name(value: Any) -> str:
    if not isinstance(value, str) or not _FTP_NAME.fullmatch(value):
        raise ValueError(
            f"must be 1 to 64 letters, digits, dots, hyphens or underscores (given {given(value)})"
        )
    if set(value) == {"."}:  # "." or "..": the FTP path would climb out of the biller's folder
        raise ValueError(f"must name a folder, not only dots (given {given(value)})")
    return value


def check_ftp_path(value: Any) -> str:
    """A path given in the plan, kept as written: it is typed into the CRM as it is."""
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_FTP_PATH:
        raise ValueError(
            f"must be a path of 1 to {MAX_FTP_PATH} characters, like {FTP_PATH_EXAMPLE} "
            f"(given {given(value)})"
        )
    if problem := _ftp_path_problem(value):
        raise ValueError(f"{problem} (given {given(value)})")
    return value


def _ftp_path_problem(path: str) -> str | None:
    if any(c.isspace() for c in path) or not path.isprintable():
        return "must not contain spaces or control characters"
    if path[0] in "\\/" or path[-1] in "\\/":
        return "must not start or end with \\ or /"
    parts = _FTP_PATH_SEPARATOR.split(path)
    if any("\\" in part for part in parts):
        # In a double-quoted TOML string "\\" is one backslash, so a path often loses half of them.
        return (
            f"must separate its parts by two backslashes, like {FTP_PATH_EXAMPLE}, or by /; "
            "in the plan write it in single quotes, which keep every backslash"
        )
    if ".." in parts:
        return 'must not have a ".." part'
    if "" in parts:
        return "must not have an empty part between two separators"
    return None


def check_ftp_username(value: Any) -> str:
    if not isinstance(value, str) or not _FTP_USERNAME.fullmatch(value):
        raise ValueError(
            "must be 1 to 64 letters, digits, dots, hyphens, underscores or @ "
            f"(given {given(value)})"
        )
    return value


def check_rtdr_username(value: Any) -> str:
    if not isinstance(value, str) or not _RTDR_USERNAME.fullmatch(value):
        raise ValueError(
            f'must be the provider\'s RTDR username: 1 to 100 characters, no spaces or "|" '
            f"(given {given(value)})"
        )
    return value


def check_env_name(value: Any) -> str:
    if not isinstance(value, str) or not _ENV_NAME.fullmatch(value):
        raise ValueError(
            "must be an environment variable name in upper case, like RTDR_PRIVATE_KEY "
            f"(given {given(value)})"
        )
    return value


def check_rtdr_endpoint(value: Any) -> str:
    """Only Spectrum's one endpoint is accepted: the value goes into settings 8 and 11."""
    if not isinstance(value, str):
        raise ValueError(f"must be {RTDR_ENDPOINT} (given {given(value)})")
    if not value.isascii() or not value.isprintable() or any(c in value for c in " \\"):
        raise ValueError(f"must be a plain https URL, {RTDR_ENDPOINT} (given {given(value)})")
    parts = urlsplit(value)
    if parts.scheme.lower() != "https":
        raise ValueError(f"must use https: {RTDR_ENDPOINT} (given {given(value)})")
    if "@" in parts.netloc:
        # The part before @ may be a credential: never echo it.
        raise ValueError(f"must not hold credentials; use {RTDR_ENDPOINT}")
    host, colon, _port = parts.netloc.partition(":")
    if colon:
        raise ValueError(f"must not name a port; use {RTDR_ENDPOINT} (given {given(value)})")
    if host.lower() != RTDR_HOST:
        raise ValueError(f"host must be exactly {RTDR_HOST} (given {given(host)})")
    if "?" in value or "#" in value:
        raise ValueError(
            f"must not have a query or fragment; use {RTDR_ENDPOINT} (given {given(value)})"
        )
    if parts.path != RTDR_PATH:
        raise ValueError(f"path must be exactly {RTDR_PATH} (given {given(parts.path)})")
    return RTDR_ENDPOINT


def check_link(value: Any) -> str:
    """An https address with a host, kept as written: documents show it for people to follow."""
    if not isinstance(value, str) or not value.isascii() or not value.isprintable() or " " in value:
        raise ValueError(
            f"must be an https URL in ASCII without spaces, like {LINK_EXAMPLE} "
            f"(given {given(value)})"
        )
    parts = urlsplit(value)
    if parts.scheme.lower() != "https":
        raise ValueError(f"must use https, like {LINK_EXAMPLE} (given {given(value)})")
    if "@" in parts.netloc:
        # The part before @ may be a credential: never echo it.
        raise ValueError("must not hold a user name or password before @; give the address alone")
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # not a number, or out of range
        port_ok = False
    if not parts.hostname or not port_ok:
        raise ValueError(
            f"must be an https URL with a host, like {LINK_EXAMPLE} (given {given(value)})"
        )
    return value


def parse_setting_spec(value: Any) -> tuple[int, int]:
    """A setting number (88) or an inclusive range ("14-22") as (first, last)."""
    if isinstance(value, int) and not isinstance(value, bool):
        first = last = value
    elif isinstance(value, str) and value.strip().isdigit():
        first = last = int(value)
    elif isinstance(value, str) and (match := _SETTING_RANGE.fullmatch(value.strip())):
        first, last = int(match[1]), int(match[2])
    else:
        raise ValueError(
            f'must be a setting number like 88 or a range like "14-22" (given {given(value)})'
        )
    if not 1 <= first <= last <= MAX_SETTING:
        raise ValueError(
            f"must be numbers from 1 to {MAX_SETTING}, a range low to high (given {given(value)})"
        )
    if first <= SET_SETTINGS[-1] and last >= SET_SETTINGS[0]:
        raise ValueError(
            f"must not include settings 8-13: the conversion sets them (given {given(value)})"
        )
    return first, last


def show_ct(moment: datetime) -> str:
    """`2026-12-15 01:00 CST`: how a Central Time moment is shown in messages and documents."""
    return moment.astimezone(CENTRAL).strftime("%Y-%m-%d %H:%M %Z")


def to_central(value: Any) -> datetime:
    """A local Central Time date-time (or one with an explicit offset) as an aware datetime.

    A local time skipped by the spring change does not exist; one repeated by the autumn change
    is ambiguous unless the offset says which of the two is meant.
    """
    raw = value
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = None
    if not isinstance(value, datetime):
        raise ValueError(
            f"must be a Central Time date and time like 2026-12-15T01:00 (given {given(raw)})"
        )
    if value.tzinfo is not None:
        local = value.astimezone(CENTRAL)
        if local.replace(tzinfo=None) != value.replace(tzinfo=None):
            raise ValueError(
                f"offset {value.strftime('%z')[:3]}:{value.strftime('%z')[3:]} is not Central "
                f"Time on that date; give the local time, like {local:%Y-%m-%dT%H:%M} "
                f"(given {given(raw)})"
            )
        return local
    first = value.replace(tzinfo=CENTRAL, fold=0)
    second = value.replace(tzinfo=CENTRAL, fold=1)
    wall = f"{value:%Y-%m-%d %H:%M}"
    # Through UTC and back: astimezone() to the same zone would return the value unchanged.
    round_trip = first.astimezone(UTC).astimezone(CENTRAL).replace(tzinfo=None)
    if round_trip != value:
        raise ValueError(
            f"{wall} does not exist in Central Time (clocks spring forward that night); "
            f"choose another time (given {given(raw)})"
        )
    if first.utcoffset() != second.utcoffset():
        raise ValueError(
            f"{wall} happens twice in Central Time (clocks fall back that night); "
            f"add the offset: {value:%Y-%m-%dT%H:%M:%S}-05:00 for the first (CDT) or "
            f"{value:%Y-%m-%dT%H:%M:%S}-06:00 for the second (CST) (given {given(raw)})"
        )
    return first


def window_problem(start: datetime, end: datetime) -> str | None:
    """What is wrong with a window's end, measured in real elapsed time, or None."""
    # Aware datetimes sharing one tzinfo subtract as wall clocks; UTC gives the real elapsed time.
    elapsed = end.astimezone(UTC) - start.astimezone(UTC)
    if elapsed <= timedelta(0):
        return f"must be after start ({show_ct(start)}) (given {show_ct(end)})"
    if elapsed > MAX_WINDOW:
        hours, rest = divmod(int(elapsed.total_seconds()) // 60, 60)
        return (
            f"must be at most 24 hours after start ({show_ct(start)}); the window is "
            f"{hours} h {rest:02d} min long (given {show_ct(end)})"
        )
    return None
