"""Scheduled capture through a remote browser: a real Playwright browser server on 127.0.0.1,
reached at its ws:// endpoint by every worker, gives what a locally launched browser gives."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.scheduled.support import Scheduler
from tests.support.browser_server import BrowserServer


@pytest.fixture
def browser_server(tmp_path: Path) -> Iterator[BrowserServer]:
    with BrowserServer(log_path=tmp_path / "browser-server.log") as server:
        yield server


@pytest.mark.e2e
@pytest.mark.slow
def test_capture_through_a_browser_server_matches_the_local_browser(
    scheduler: Callable[..., Scheduler], browser_server: BrowserServer
) -> None:
    run = scheduler(billers=2)
    local = run.run()
    assert local.code == 0, local.stderr
    assert local.summary["browser"] == "launched"

    endpoint = browser_server.ws_endpoint
    remote = run.run("--workers", "2", "--browser-endpoint", endpoint)
    assert remote.code == 0, remote.stderr
    port = urlsplit(endpoint).port
    # The summary names the server, never the endpoint's path (a grid puts its token there).
    assert remote.summary["browser"] == f"ws://127.0.0.1:{port}"
    assert urlsplit(endpoint).path not in remote.stdout + remote.stderr
    for biller in remote.summary["billers"]:
        # Compared with the local capture: the same pictures, the same values.
        assert biller["status"] == "unchanged"
        assert biller["screens_changed"] == []
        local_manifest = json.loads((Path(biller["compared_with"]) / "manifest.json").read_text())
        manifest = json.loads((Path(biller["capture"]) / "manifest.json").read_text())
        assert manifest["browser_version"] == local_manifest["browser_version"]

    # The workers did use the server: without it, nothing can be captured.
    browser_server.stop()
    gone = run.run("--workers", "2", "--browser-endpoint", endpoint)
    assert gone.code == 3
    assert set(gone.statuses().values()) == {"failed"}
    for biller in gone.summary["billers"]:
        assert biller["attempts"] == 2  # a browser that failed to start is tried once more
        assert biller["error"].startswith(
            f"CRM_ROBOT_BROWSER_ENDPOINT: no browser answered at ws://127.0.0.1:{port} ("
        )
    assert urlsplit(endpoint).path not in gone.stdout + gone.stderr
