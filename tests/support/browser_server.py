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
import queue
import subprocess
import threading
from pathlib import Path
from typing import IO

from playwright._impl._driver import compute_driver_executable

SYSTEM_CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
START_TIMEOUT_S = 30.0
# Prints the endpoint once listening; closes the browser and exits when stdin ends.
_SCRIPT = """
const {chromium} = require(%(package)s);
chromium.launchServer(%(options)s).then((server) => {
  console.log(server.wsEndpoint());
  process.stdin.resume();
  process.stdin.on('end', () => server.close().then(() => process.exit(0)));
}).catch((error) => { console.error(String(error)); process.exit(1); });
"""


class BrowserServerError(RuntimeError):
    """The browser server did not start."""


def driver() -> tuple[str, Path]:
    """The bundled Node binary and the driver's package folder (which holds index.js)."""
    found = compute_driver_executable()
    if isinstance(found, tuple):
        node, cli = found
        return str(node), Path(cli).parent
    # Older Playwright: a shell wrapper beside node and package/.
    folder = Path(found).parent
    return str(folder / "node"), folder / "package"


def chromium_flags() -> list[str]:
    flags = list(FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")
    return flags


class BrowserServer:
    """Start with `start()` (or `with`), stop with `stop()`; `ws_endpoint` once started."""

    def __init__(self, executable: str | None = None, log_path: Path | None = None) -> None:
        self.executable = (
            executable or os.environ.get("CRM_ROBOT_BROWSER_EXECUTABLE") or SYSTEM_CHROMIUM
        )
        self.log_path = log_path
        self.ws_endpoint = ""
        self._process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None

    def start(self) -> BrowserServer:
        node, package = driver()
        options = {
            "executablePath": self.executable,
            "host": "127.0.0.1",
            "port": 0,
            "args": chromium_flags(),
        }
        script = _SCRIPT % {"package": json.dumps(str(package)), "options": json.dumps(options)}
        self._log = self.log_path.open("w") if self.log_path else None
        self._process = subprocess.Popen(
            [node, "-e", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log if self._log else subprocess.DEVNULL,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_pump, args=(self._process.stdout, lines), daemon=True).start()
        try:
            first = lines.get(timeout=START_TIMEOUT_S).strip()
        except queue.Empty:
            first = ""
        if not first.startswith("ws://"):
            self.stop()
            raise BrowserServerError(
                f"the browser server did not print its endpoint (got {first!r}); "
                f"see {self.log_path or 'its stderr'}"
            )
        self.ws_endpoint = first
        return self

    @property
    def pid(self) -> int | None:
        """The server's process (Chromium runs under it), while it runs."""
        return self._process.pid if self._process is not None else None

    def stop(self, timeout: float = 10.0) -> int | None:
        """Close stdin (the server closes its browser and exits), then wait; kill if stuck."""
        process, self._process = self._process, None
        code = None
        if process is not None:
            if process.stdin is not None:
                try:
                    process.stdin.close()
                except OSError:
                    pass
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                code = process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    def __enter__(self) -> BrowserServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _pump(stream: IO[str] | None, lines: queue.Queue[str]) -> None:
    if stream is None:
        return
    for line in stream:
        lines.put(line)
