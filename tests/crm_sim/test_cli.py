"""`crm-sim serve`: the first stdout line, bad arguments, a clean stop."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.crm_sim_server import FIRST_LINE, CrmSimServer


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crm_sim", *args], capture_output=True, text=True, timeout=30
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--faults", "error_rate=2"],
            'argument --faults: bad fault spec part "error_rate=2": '
            "error_rate wants a number from 0 to 1",
        ),
        (["--env", "QA"], "argument --env: invalid choice: 'QA'"),
        (["--session-idle", "0"], "argument --session-idle: must be more than 0 seconds"),
        (["--port", "-1"], "argument --port: must be 0 or more"),
    ],
)
def test_bad_arguments_exit_2_and_say_what_is_wanted(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_cli("serve", "--db", str(tmp_path / "x.sqlite3"), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_busy_port_exits_2_with_advice(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--db", str(tmp_path / "x.sqlite3"))
    assert result.returncode == 2
    assert f"crm-sim: cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "use --port 0" in result.stderr


@pytest.mark.parametrize("env", ["UAT", "PROD"])
def test_first_line_names_the_url_and_environment(
    start_crm_sim: Callable[..., CrmSimServer], env: str
) -> None:
    server = start_crm_sim(env=env)
    assert FIRST_LINE.match(server.first_line)
    assert server.first_line == f"crm-sim: serving {server.url} ({env})"
    assert server.state("10482")["biller"]["environment"] == env


@pytest.mark.e2e
def test_sigterm_stops_cleanly_and_data_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "kept.sqlite3"
    first = CrmSimServer(db, tmp_path / "first.log").start()
    first.set_faults("")
    assert first.stop() == 0
    assert "crm-sim: stopped" in (tmp_path / "first.log").read_text()
    assert db.exists()


def test_help_shows_a_usage_example() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "crm-sim serve --port 0" in result.stdout
