"""A signed-in BrowserSession for end-to-end tests, on the test's browser and crm_sim."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Request

from robot.browser.session import BrowserSession
from robot.core.secrets import Secret
from robot.core.settings import Settings

USERNAME = "pm.demo"
PASSWORD = "crm-demo-pass"
SAMPLE_BILLER = "10482"
# Generous for a loaded CI machine, short enough that a wrong locator fails quickly.
ACTION_TIMEOUT_MS = 5_000


def robot_settings(url: str, **fields: Any) -> Settings:
    values: dict[str, Any] = {
        "crm_base_url": url,
        "crm_username": USERNAME,
        "crm_password": Secret(PASSWORD),
    }
    values.update(fields)
    return Settings(**values)


@contextmanager
def signed_in(url: str, browser: Browser, **options: Any) -> Iterator[BrowserSession]:
    options.setdefault("action_timeout_ms", ACTION_TIMEOUT_MS)
    settings = robot_settings(url, **options.pop("settings", {}))
    with BrowserSession(settings, browser=browser, **options) as session:
        yield session


def db_rows(db_path: Path, query: str, *params: object) -> list[sqlite3.Row]:
    """Rows of the crm_sim database, read-only (for screens the state API does not report)."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        connection.row_factory = sqlite3.Row
        return connection.execute(query, params).fetchall()
    finally:
        connection.close()


def page_loads(session: BrowserSession) -> list[str]:
    """The URLs of the pages the session's page loads from now on, in order."""
    loads: list[str] = []

    def on_request(request: Request) -> None:
        if request.is_navigation_request():
            loads.append(request.url)

    session.page.on("request", on_request)
    return loads
