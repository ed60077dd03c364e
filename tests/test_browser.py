"""The browser session: which Chromium, the fixed context, a trace without the typed password,
and a remote browser reached through its endpoint."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from robot.browser.launch import chromium_executable, launch_args
from robot.browser.session import BrowserSession
from robot.core.errors import BrowserError
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import PASSWORD, robot_settings, signed_in


def test_chromium_flags_are_quiet_and_sandboxless_as_root() -> None:
    args = launch_args()
    assert args[:4] == [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    assert ("--no-sandbox" in args) == (os.geteuid() == 0)


def test_a_configured_chromium_that_does_not_exist_is_refused(
    playwright: Playwright, tmp_path: Path
) -> None:
    missing = tmp_path / "chromium"
    with pytest.raises(BrowserError, match=f"CRM_ROBOT_BROWSER_EXECUTABLE: {missing} does not"):
        chromium_executable(missing, playwright)


@pytest.mark.e2e
def test_the_context_has_the_fixed_viewport_locale_zone_and_motion(
    crm_sim: CrmSimServer, browser: Browser
) -> None:
    with signed_in(crm_sim.url, browser) as session:
        seen = session.page.evaluate(
            """() => [innerWidth, innerHeight, navigator.language,
                      Intl.DateTimeFormat().resolvedOptions().timeZone,
                      matchMedia('(prefers-reduced-motion: reduce)').matches]"""
        )
        assert session.page.url == crm_sim.url + "/billers"  # signed in
    assert seen == [1280, 900, "en-US", "America/Chicago", True]


@pytest.mark.e2e
def test_a_trace_is_recorded_without_the_typed_password(
    crm_sim: CrmSimServer, browser: Browser, tmp_path: Path
) -> None:
    trace = tmp_path / "trace.zip"
    with signed_in(crm_sim.url, browser, trace_path=trace) as session:
        session.page.goto(crm_sim.url + "/billers/10482/profile")
    # One chunk before the password was typed, one after the sign-in.
    assert session.trace_files == [trace, tmp_path / "trace-2.zip"]
    for path in session.trace_files:
        with zipfile.ZipFile(path) as archive:
            assert archive.namelist()
            for name in archive.namelist():
                assert PASSWORD.encode() not in archive.read(name), f"{path.name}:{name}"


@pytest.mark.e2e
def test_a_remote_browser_is_driven_through_its_endpoint(
    crm_sim: CrmSimServer, playwright: Playwright, tmp_path: Path
) -> None:
    executable = chromium_executable(os.environ.get("CRM_ROBOT_BROWSER_EXECUTABLE"), playwright)
    remote = subprocess.Popen(
        [
            str(executable),
            "--headless",
            "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
        ]
        + [f"--user-data-dir={tmp_path / 'profile'}", *launch_args(), "about:blank"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert remote.stderr is not None
    drain = threading.Thread(target=remote.stderr.read, daemon=True)
    try:
        endpoint = None
        for line in remote.stderr:  # Chromium names its DevTools address on stderr at start
            if match := re.search(r"DevTools listening on ws://(127\.0\.0\.1:\d+)/", line):
                endpoint = f"http://{match[1]}"
                break
        assert endpoint is not None
        # Keep reading what Chromium writes, so that a full pipe never blocks it.
        drain.start()
        settings = robot_settings(crm_sim.url)
        with BrowserSession(settings, browser_endpoint=endpoint, playwright=playwright) as session:
            assert session.browser_version
            assert session.page.url == crm_sim.url + "/billers"
    finally:
        remote.terminate()
        remote.wait(timeout=10)
        if drain.is_alive():
            drain.join(timeout=10)  # ends at end of file, now that Chromium is gone
        remote.stderr.close()
