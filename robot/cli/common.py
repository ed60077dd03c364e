"""Options and loading shared by several commands, defined once.

`add_*` functions add an option to a command's parser; `load_*` functions turn the parsed
arguments into validated objects, raising the robot's errors (exit 2) before any browser opens.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from robot.core.errors import BadInputError, ExitCode, PlanError, SettingsError
from robot.core.settings import Settings, load_settings
from robot.plan.model import ConversionPlan, load_plan

DEFAULT_ENV_FILE = ".env"


def command_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    doc: str | None,
) -> argparse.ArgumentParser:
    """A command's parser whose help is its module docstring (first line: the summary)."""
    text = (doc or "").strip()
    return subparsers.add_parser(
        name,
        help=text.splitlines()[0] if text else None,
        description=text,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_plan_argument(
    parser: argparse.ArgumentParser, *, many: bool = False, optional: bool = False
) -> None:
    """PLAN.toml: one, or with `many` one or more (`optional`: none is fine too)."""
    parser.add_argument(
        "plan",
        metavar="PLAN.toml",
        nargs=("*" if optional else "+") if many else None,
        type=Path,
        help="conversion plan file(s)" if many else "conversion plan file",
    )


def add_env_file_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--env-file",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"settings file (default: {DEFAULT_ENV_FILE} if present; the environment wins)",
    )


def add_out_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help=help_text)


def action_parser(
    parser: argparse.ArgumentParser, name: str, help_text: str, doc: str | None
) -> argparse.ArgumentParser:
    """The parser of a command's action (`plan check`, `profile list`); the command named
    without its action prints the command's help and exits 2."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    def usage(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return int(ExitCode.BAD_INPUT)

    parser.set_defaults(handler=usage)
    return actions.add_parser(
        name,
        help=help_text,
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_selectors_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--selectors",
        type=Path,
        default=None,
        metavar="FILE",
        help="selector override file, TOML (default: CRM_ROBOT_SELECTORS)",
    )


def add_headed_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """--headed: a visible browser; what else it means is the command's to say."""
    parser.add_argument("--headed", action="store_true", help=help_text)


def add_prod_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--prod",
        action="store_true",
        help="confirm that a PROD plan may change production",
    )


def _slow_mo(value: str) -> int:
    if not value.isdigit() or int(value) > 60_000:
        raise argparse.ArgumentTypeError("must be milliseconds from 0 to 60000, like 250")
    return int(value)


def add_slow_mo_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--slow-mo",
        type=_slow_mo,
        default=None,
        metavar="MS",
        help="wait MS milliseconds between browser actions (default: CRM_ROBOT_SLOW_MO_MS)",
    )


def add_confirm_biller_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--confirm-biller",
        metavar="NAME",
        default=None,
        help="PROD without a terminal: the biller's exact name, as typed confirmation",
    )


def load_settings_from_args(args: argparse.Namespace) -> Settings:
    env_file = getattr(args, "env_file", None)
    if env_file is None:
        return load_settings(DEFAULT_ENV_FILE)
    return load_settings(env_file, must_exist=True)


def load_plan_and_settings(args: argparse.Namespace) -> tuple[ConversionPlan, Settings]:
    """Both inputs of a single-plan command; when both are bad, every problem is reported."""
    plan: ConversionPlan | None = None
    settings: Settings | None = None
    errors: list[PlanError | SettingsError] = []
    try:
        plan = load_plan(args.plan)
    except PlanError as exc:
        errors.append(exc)
    try:
        settings = load_settings_from_args(args)
    except SettingsError as exc:
        errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BadInputError("\n".join(error.message for error in errors))
    assert plan is not None and settings is not None
    return plan, settings


def print_warnings(plan: ConversionPlan, stream: TextIO | None = None) -> None:
    for warning in plan.warnings:
        print(f"warning: {warning}", file=stream or sys.stderr)


def progress(message: str) -> None:
    """Progress goes to stderr; stdout is kept for data."""
    print(message, file=sys.stderr, flush=True)
