"""A real Playwright browser server on 127.0.0.1, as a browser grid offers one.

The Playwright Python package bundles its Node driver; the driver's package exports `chromium`,
whose `launchServer` starts Chromium behind a `ws://` endpoint speaking Playwright's protocol
(what `chromium.connect` talks to). The server prints its endpoint on stdout and stops when its
stdin closes, so it never outlives the test that started it.

    with BrowserServer() as server:
        BrowserSession(settings, browser_endpoint=server.ws_endpoint)
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from playwright._impl._driver import compute_driver_executable

from robot.browser.launch import SYSTEM_CHROMIUM, launch_args, system_chromium
from robot.core.server_process import ServerProcess
from tests.support import e2e

ENDPOINT = re.compile(r"^ws://\S+$")
# Prints the endpoint once listening; closes the browser and exits when stdin ends.
_SCRIPT = """
const {chromium} = require(%(package)s);
chromium.launchServer(%(options)s).then((server) => {
  console.log(server.wsEndpoint());
  process.stdin.resume();
  process.stdin.on('end', () => server.close().then(() => process.exit(0)));
}).catch((error) => { console.error(String(error)); process.exit(1); });
"""


def driver() -> tuple[str, Path]:
    """The bundled Node binary and the driver's package folder (which holds index.js)."""
    node, cli = compute_driver_executable()  # (node, cli.js) since Playwright 1.43
    return str(node), Path(cli).parent


class BrowserServer:
    """Start with `start()` (or `with`), stop with `stop()`; `ws_endpoint` once started."""

    def __init__(self, executable: str | None = None, log_path: Path | None = None) -> None:
        self.executable = (
            executable
            or os.environ.get("CRM_ROBOT_BROWSER_EXECUTABLE")
            or str(system_chromium() or SYSTEM_CHROMIUM)
        )
        self.log_path = log_path
        self.ws_endpoint = ""
        node, package = driver()
        options = {
            "executablePath": self.executable,
            "host": "127.0.0.1",
            "port": 0,
            "args": launch_args(),  # the robot's own flags
        }
        script = _SCRIPT % {"package": json.dumps(str(package)), "options": json.dumps(options)}
        self._server = ServerProcess(
            "the browser server",
            [node, "-e", script],
            log_path=log_path,
            stop_by_closing_stdin=True,
        )

    def start(self) -> BrowserServer:
        e2e.check_may_start("a browser server")
        self.ws_endpoint = self._server.start(ENDPOINT).group(0)
        return self

    @property
    def pid(self) -> int | None:
        """The server's process (Chromium runs under it), while it runs."""
        return self._server.pid

    def stop(self, timeout: float = 10.0) -> int | None:
        """Close stdin (the server closes its browser and exits), then wait; kill if stuck."""
        return self._server.stop(timeout)

    def __enter__(self) -> BrowserServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
