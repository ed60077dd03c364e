"""A local server in a subprocess that says where it listens on its first stdout line.

The embedded CRM (`crm-sim serve --port 0`) and the tests' browser server both pick a free port
and print their address first; the demo and the tests start them through this one class:

    server = ServerProcess("the embedded CRM", [sys.executable, "-m", "crm_sim", "serve", ...])
    url = server.start(re.compile(r"^crm-sim: serving (\\S+) ")).group(1)
    ...
    server.stop()  # SIGTERM (or closing stdin), then a kill if it does not end in time
"""

from __future__ import annotations

import queue
import re
import subprocess
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, NoReturn

from robot.core.errors import RobotError

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


class ServerStartError(RobotError):
    """The server printed nothing in time, or not the line it announces itself with."""

    default_message = "The server did not start."


class ServerProcess:
    """One server process: `start()` it, read `first_line`, `stop()` it.

    `stop_by_closing_stdin` is for servers that end when their stdin closes (Playwright's
    browser server script) instead of on SIGTERM. stderr goes to `log_path` when given (else it
    is dropped); stdout is read to its end by a thread of its own, so that the pipe never fills.
    """

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        log_path: Path | None = None,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        stop_by_closing_stdin: bool = False,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.log_path = log_path
        self.cwd = cwd
        self.env = dict(env) if env is not None else None
        self.stop_by_closing_stdin = stop_by_closing_stdin
        self.first_line = ""
        self._process: subprocess.Popen[str] | None = None
        self._pump: threading.Thread | None = None
        self._log: IO[str] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def returncode(self) -> int | None:
        """None while the server runs (or before it started)."""
        return None if self._process is None else self._process.poll()

    def start(
        self, announcement: re.Pattern[str], timeout_s: float = START_TIMEOUT_S
    ) -> re.Match[str]:
        """Start the server and wait for its first line, which must match `announcement`.
        On failure the server is stopped and ServerStartError names the log to read."""
        self._log = self.log_path.open("w") if self.log_path is not None else None
        try:
            self._process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE if self.stop_by_closing_stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=self._log if self._log is not None else subprocess.DEVNULL,
                text=True,
                cwd=self.cwd,
                env=self.env,
            )
        except OSError:
            self.stop()  # closes the log
            raise
        lines: queue.Queue[str] = queue.Queue()
        self._pump = threading.Thread(target=_pump, args=(self._process.stdout, lines), daemon=True)
        self._pump.start()
        first = _first(lines, timeout_s)
        if first is None:
            self._fail(f"printed nothing in {timeout_s:.0f} s")
        if not first:  # stdout ended: the server exited before it said anything
            self._fail("exited before it printed anything")
        self.first_line = first.rstrip("\n")
        match = announcement.match(self.first_line)
        if match is None:
            self._fail(f"did not start ({self.first_line!r})")
        return match

    def _fail(self, what: str) -> NoReturn:
        where = self.log_path or "its stderr"
        self.stop()
        raise ServerStartError(f"{self.name} {what}; see {where}")

    def wait(self) -> int | None:
        """Until the server ends by itself (Ctrl-C interrupts the wait)."""
        return self._process.wait() if self._process is not None else None

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> int | None:
        """Ask the server to end, wait, kill it if it is stuck; its exit code. Idempotent."""
        process, self._process = self._process, None
        code = None
        if process is not None:
            code = _end(process, timeout_s, self.stop_by_closing_stdin)
            if self._pump is not None:
                self._pump.join(timeout_s)  # stdout reaches its end once the process is gone
            if process.stdout is not None:
                process.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None
        return code


def _end(process: subprocess.Popen[str], timeout_s: float, by_closing_stdin: bool) -> int:
    if by_closing_stdin and process.stdin is not None:
        try:
            process.stdin.close()
        except OSError:
            pass  # the server is gone already
    elif process.poll() is None:
        process.terminate()
    try:
        return process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def _first(lines: queue.Queue[str], timeout_s: float) -> str | None:
    try:
        return lines.get(timeout=timeout_s)
    except queue.Empty:
        return None


def _pump(stream: IO[str] | None, lines: queue.Queue[str]) -> None:
    """Hand over the first line; read the rest to the end, so the server never blocks on a
    full pipe whatever it prints later."""
    if stream is None:
        return
    lines.put(stream.readline())  # "" at the end of the stream: the server exited
    for _ in stream:
        pass
