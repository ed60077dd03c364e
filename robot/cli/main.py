"""Entry point of `crm-robot`.

Each command lives in its own module exposing `register(subparsers)`; the module's function takes
the parsed arguments and returns an exit code. RobotError becomes a message and an exit code here,
and nowhere else; `--traceback` shows the stack instead.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from robot.core.errors import ExitCode, RobotError

# Order is the order of `crm-robot --help`.
COMMAND_MODULES = [
    "robot.cli.demo_cmd",
    "robot.cli.plan_cmd",
    "robot.cli.convert_cmd",
    "robot.cli.rollback_cmd",
    "robot.cli.capture_cmd",
    "robot.cli.compare_cmd",
    "robot.cli.baseline_cmd",
    "robot.cli.docs_cmd",
    "robot.cli.doctor_cmd",
    "robot.cli.profile_cmd",
    "robot.cli.sign_in_cmd",
]


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on bad usage already; keep its one-line message."""


def _command_of(argv: Sequence[str]) -> str | None:
    """The module of the command named on the line, so that only it is imported (start-up time
    matters to scheduled runs); None when the line names none, e.g. `--help`."""
    words = [word for word in argv if not word.startswith("-")]
    if not words:
        return None
    module = f"robot.cli.{words[0].replace('-', '_')}_cmd"
    return module if module in COMMAND_MODULES else None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="crm-robot",
        description="Convert an InvoiceCloud biller from IMT MIPS APPS to IMT Spectrum in a real "
        "browser, with screenshots and a before/after report as proof.",
        epilog="Example: crm-robot plan check plans/prairie-pine-mutual.toml",
    )
    parser.add_argument(
        "--traceback", action="store_true", help="show the Python stack trace on errors"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in [only] if only else COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # the command is not built yet in this checkout
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=_command_of(words))
    args = parser.parse_args(words)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return ExitCode.BAD_INPUT
    try:
        return int(args.handler(args))
    except RobotError as exc:
        if args.traceback:
            traceback.print_exc()
        print(f"crm-robot: {exc.message}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("crm-robot: interrupted; resume the run with --resume RUN", file=sys.stderr)
        return int(ExitCode.PROBLEM_FOUND)


def run() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of stdout went away (`crm-robot profile list | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = int(ExitCode.OK)
    sys.exit(code)


if __name__ == "__main__":
    run()
