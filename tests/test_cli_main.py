"""The command-line edge: errors become one message and the contract's exit code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from robot.cli import main as cli
from robot.core.errors import (
    BadInputError,
    CrmError,
    ExitCode,
    GuardError,
    PlanError,
    RobotError,
    ScreenChangedError,
)
from tests.support.cli import crm_robot

# Each command in turn, in one fresh interpreter, with every robot module unloaded before it: a
# command that only parses when another was loaded first fails here (a process per command would
# prove the same at a Python start-up each).
EACH_COMMAND_ALONE = """
import contextlib, io, sys
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "robot" or m.startswith("robot.")]:
        del sys.modules[loaded]
    from robot.cli.main import main
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        try:
            code = main([name, "--help"])
        except SystemExit as leaving:
            code = leaving.code
    print(name, code, f"crm-robot {name}" in shown.getvalue())
"""


def test_help_as_a_process_lists_the_commands_and_exits_zero() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "robot.cli.main", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "crm-robot" in result.stdout
    assert "--traceback" in result.stdout


def test_unknown_command_is_bad_input() -> None:
    result = crm_robot("frobnicate")
    assert result.returncode == ExitCode.BAD_INPUT
    assert "invalid choice" in result.stderr


def test_no_command_prints_help_and_exits_two() -> None:
    result = crm_robot()
    assert result.returncode == ExitCode.BAD_INPUT
    assert "usage: crm-robot" in result.stderr


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (PlanError(["go_live: must be a date (YYYY-MM-DD)"]), ExitCode.BAD_INPUT),
        (BadInputError("--threshold: must be between 0 and 1"), ExitCode.BAD_INPUT),
        (GuardError("biller.name: Profile shows 'Water'"), ExitCode.PROBLEM_FOUND),
        (ScreenChangedError("no button named 'Save'"), ExitCode.CRM_FAILED),
        (CrmError(), ExitCode.CRM_FAILED),
    ],
)
def test_errors_become_their_exit_code_and_one_message(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: RobotError,
    code: ExitCode,
) -> None:
    def fail(_args: object) -> int:
        raise error

    parser = cli.build_parser()
    real_parse = parser.parse_args

    def parse(argv: object = None) -> object:
        namespace = real_parse([])
        namespace.handler = fail
        return namespace

    monkeypatch.setattr(cli, "build_parser", lambda only=None: parser)
    monkeypatch.setattr(parser, "parse_args", parse)
    assert cli.main([]) == code
    err = capsys.readouterr().err
    assert err.startswith("crm-robot: ")
    assert error.message in err
    assert "Traceback" not in err


def test_screen_changed_tells_what_to_do_next() -> None:
    message = ScreenChangedError("two buttons named 'Save'").message
    assert message.startswith("the CRM screen changed: two buttons named 'Save'")
    assert "--selectors" in message


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["compare", "a.png", "b.png", "--json"], "robot.cli.compare_cmd"),
        (["--traceback", "convert", "plan.toml"], "robot.cli.convert_cmd"),
        (["sign-in", "--manual"], "robot.cli.sign_in_cmd"),
        (["--help"], None),
        (["frobnicate"], None),
    ],
)
def test_only_the_named_command_is_loaded(argv: list[str], module: str | None) -> None:
    assert cli._command_of(argv) == module


def test_every_command_still_parses_when_loaded_alone() -> None:
    names = [
        module.rsplit(".", 1)[1].removesuffix("_cmd").replace("_", "-")
        for module in cli.COMMAND_MODULES
    ]
    result = subprocess.run(
        [sys.executable, "-c", EACH_COMMAND_ALONE, *names],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{name} 0 True" for name in names]
