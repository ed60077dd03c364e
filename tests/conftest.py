"""Shared fixtures: a crm_sim server per test worker, fresh data per test, and the browser.

A test that needs a browser or a crm_sim server is end-to-end: it is marked `e2e` (by itself,
or here when it asks for one of the fixtures below that start them), and `make test-fast`
(`pytest -m "not e2e"`) leaves it out. A test that starts a server without the mark fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Playwright

from robot.browser.launch import chromium_executable, context_options, launch_args
from tests.support import e2e
from tests.support.crm_sim_server import CrmSimServer

pytest_plugins = ["tests.support.xdist_groups", "tests.support.longest_first"]
# Asking for one of these (directly or through another fixture) makes a test end-to-end.
E2E_FIXTURES = frozenset(
    {"browser", "context", "page", "crm_sim_server", "start_crm_sim", "headed_chromium"}
)


def pytest_configure(config: pytest.Config) -> None:
    # A saved session (robot/browser/saved_session.py) of the person running the tests is
    # never offered to a test's robot: the default session files live in a folder of the tests.
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="crm-robot-tests-state-")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    with e2e.running(item):
        return (yield)


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


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], playwright: Any
) -> dict[str, Any]:
    """The robot's Chromium with the robot's flags (robot/browser/launch.py)."""
    e2e.check_may_start("a browser")
    configured = os.environ.get("CRM_ROBOT_BROWSER_EXECUTABLE")
    return {
        **browser_type_launch_args,
        "executable_path": str(chromium_executable(configured, playwright)),
        "args": launch_args(),
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
    """The context the robot's own captures use: viewport, zone, locale, no motion."""
    return {**browser_context_args, **context_options()}


@pytest.fixture
def headed_chromium(tmp_path: Path, playwright: Playwright) -> Iterator[str]:
    """A headed Chromium on a virtual display, reachable over DevTools on 127.0.0.1."""
    if shutil.which("xvfb-run") is None:
        message = "xvfb-run is not installed (make setup installs it when run as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    configured = os.environ.get("CRM_ROBOT_BROWSER_EXECUTABLE")
    executable = str(chromium_executable(configured, playwright, headless=False))
    profile = tmp_path / "chromium-profile"
    browser = subprocess.Popen(
        ["xvfb-run", "-a", "-s", "-screen 0 1400x1000x24", executable, *launch_args(),
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", "--window-size=1400,1000", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{_devtools_port(profile, browser)}"
    finally:
        os.killpg(browser.pid, signal.SIGKILL)
        browser.wait()


def _devtools_port(profile: Path, browser: subprocess.Popen[bytes]) -> str:
    """Chromium writes the port it chose into the profile once it listens."""
    announced = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if browser.poll() is not None:
            raise AssertionError(f"Chromium under Xvfb exited ({browser.returncode})")
        lines = announced.read_text().split() if announced.exists() else []
        if lines:
            return lines[0]
        time.sleep(0.05)  # polling interval for a file Chromium writes, not a stand-in for a wait
    raise AssertionError("Chromium under Xvfb never listened for DevTools")
