"""`crm-robot` run inside the test's own process.

The same `main(argv)` as the console command: the same parser, the same checks before a browser
opens, the same messages and exit codes. What it saves is a Python start-up and the imports of
pydantic and cryptography per call, most of a second on two cores, which made the CLI unit tests
the larger part of `make test-fast`. The environment, the working folder and the standard streams
are the call's own for its duration and are put back afterwards.

The console entry point itself (`crm-robot` as a process, a closed pipe) and every end-to-end test
start a real process; a test that needs a browser or a CRM does not use this.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from robot.cli.main import main


@dataclass(frozen=True)
class Done:
    """What a finished command left: the same three fields as `subprocess.CompletedProcess`."""

    returncode: int
    stdout: str
    stderr: str


def crm_robot(
    *args: str | Path, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Done:
    """Runs `crm-robot ARGS` in `cwd` with exactly `env` as its environment (this process's own
    when None), and returns its exit code and what it printed. A command that asks gets
    end-of-input, as from a process started without a terminal."""
    out, err = io.StringIO(), io.StringIO()
    environment = mock.patch.dict(os.environ, env or {}, clear=env is not None)
    folder = contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext()
    with environment, folder, mock.patch.object(sys, "stdin", io.StringIO("")):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = _exit_code(lambda: main([str(arg) for arg in args]))
    return Done(code, out.getvalue(), err.getvalue())


def _exit_code(command: Callable[[], int]) -> int:
    """The exit status the interpreter would give: argparse leaves through SystemExit."""
    try:
        return int(command())
    except SystemExit as leaving:
        if leaving.code is None or isinstance(leaving.code, int):
            return int(leaving.code or 0)
        print(leaving.code, file=sys.stderr)
        return 1
