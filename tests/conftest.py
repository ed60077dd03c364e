"""Shared fixtures: a crm_sim server per test worker, fresh data per test, and the browser."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.crm_sim_server import CrmSimServer

CHROMIUM_FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SYSTEM_CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def crm_sim_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrmSimServer]:
    """One crm_sim per xdist worker (session scope is per worker), fast saves."""
    folder = tmp_path_factory.mktemp("crm_sim")
    with CrmSimServer(folder / "crm.sqlite3", folder / "crm_sim.log") as server:
        yield server


@pytest.fixture
def crm_sim(crm_sim_server: CrmSimServer) -> CrmSimServer:
    """The worker's crm_sim with freshly seeded data and no faults."""
    crm_sim_server.set_faults("")
    crm_sim_server.reset()
    return crm_sim_server


@pytest.fixture
def start_crm_sim(tmp_path: Path) -> Iterator[Callable[..., CrmSimServer]]:
    """Start a private crm_sim: `start_crm_sim(env="PROD", session_idle=2, faults="...")`."""
    started: list[CrmSimServer] = []

    def start(**options: Any) -> CrmSimServer:
        name = f"crm_sim_{len(started)}"
        server = CrmSimServer(tmp_path / f"{name}.sqlite3", tmp_path / f"{name}.log", **options)
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


def _chromium_executable(playwright: Any) -> str:
    configured = os.environ.get("CRM_ROBOT_BROWSER_EXECUTABLE")
    if configured:
        return configured
    own = playwright.chromium.executable_path
    return own if own and Path(own).exists() else SYSTEM_CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], playwright: Any
) -> dict[str, Any]:
    flags = list(CHROMIUM_FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")
    return {
        **browser_type_launch_args,
        "executable_path": _chromium_executable(playwright),
        "args": flags,
    }


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """Same as pytest-playwright's fallback, which pytest 9 warns about (an instance method)."""
    configured: str | None = (
        pytestconfig.getoption("--base-url") or pytestconfig.getini("base_url") or None
    )
    return configured


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": VIEWPORT,
        "locale": "en-US",
        "timezone_id": "America/Chicago",
    }
