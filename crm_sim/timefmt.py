"""Central Time, the CRM's clock: every time a user sees is in it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

CENTRAL = ZoneInfo("America/Chicago")
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what a datetime-local input sends


def server_time() -> str:
    return datetime.now(CENTRAL).strftime("%Y-%m-%d %H:%M:%S %Z")


def parse_local(value: str) -> datetime | None:
    """A datetime-local value (`2026-12-15T01:00`, seconds allowed), or None if it is not one."""
    for fmt in (LOCAL_INPUT_FORMAT, LOCAL_INPUT_FORMAT + ":%S"):
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    return None


def show_local(value: str) -> str:
    """`2026-12-15T01:00` as the grids show it: `2026-12-15 01:00`."""
    parsed = parse_local(value)
    return parsed.strftime("%Y-%m-%d %H:%M") if parsed else value
