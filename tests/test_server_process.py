"""The one helper that starts a local server and stops it (robot/core/server_process.py), with a
few lines of Python standing in for the server."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from robot.core.server_process import ServerProcess, ServerStartError

SERVING = re.compile(r"^serving (\S+)$")


def server(script: str, tmp_path: Path, *, by_stdin: bool = False) -> ServerProcess:
    command = [sys.executable, "-c", script]
    log = tmp_path / "server.log"
    return ServerProcess("the test server", command, log_path=log, stop_by_closing_stdin=by_stdin)


def test_the_first_line_says_where_it_serves_and_sigterm_stops_it(tmp_path: Path) -> None:
    script = "import sys, time\nprint('serving http://here', flush=True)\ntime.sleep(60)"
    started = server(script, tmp_path)
    assert started.start(SERVING).group(1) == "http://here"
    assert started.first_line == "serving http://here"
    assert started.returncode is None and started.pid is not None
    assert started.stop() == -15  # SIGTERM
    assert started.stop() is None  # stopping twice does nothing


def test_a_server_that_ends_with_its_stdin_is_stopped_by_closing_it(tmp_path: Path) -> None:
    script = "import sys\nprint('serving x', flush=True)\nsys.stdin.read()\nsys.exit(0)"
    started = server(script, tmp_path, by_stdin=True)
    started.start(SERVING)
    assert started.stop() == 0


def test_a_server_deaf_to_sigterm_is_killed(tmp_path: Path) -> None:
    script = (
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "print('serving x', flush=True)\ntime.sleep(60)"
    )
    started = server(script, tmp_path)
    started.start(SERVING)
    assert started.stop(timeout_s=0.5) == -9  # SIGKILL


def test_what_it_prints_later_never_blocks_it(tmp_path: Path) -> None:
    script = "print('serving x', flush=True)\nprint('y' * 1_000_000)"
    started = server(script, tmp_path)
    started.start(SERVING)
    assert started.wait() == 0
    assert started.stop() == 0  # ended by itself: the log and the pipe are closed


@pytest.mark.parametrize(
    ("script", "says"),
    [
        ("import sys; sys.stderr.write('no port'); sys.exit(2)", "exited before it printed"),
        ("print('listening somewhere')", "did not start ('listening somewhere')"),
        ("import time; time.sleep(60)", "printed nothing in 0 s"),
    ],
    ids=["exits", "another line", "silent"],
)
def test_a_server_that_does_not_start_is_stopped_and_named_with_its_log(
    tmp_path: Path, script: str, says: str
) -> None:
    failed = server(script, tmp_path)
    with pytest.raises(ServerStartError, match=re.escape(f"the test server {says}")) as raised:
        failed.start(SERVING, timeout_s=0.3)
    assert raised.value.message.endswith(f"; see {tmp_path / 'server.log'}")
    assert failed.pid is None  # stopped
