"""Accept a scheduled capture that changed as the biller's new comparison base.

A scheduled capture that found an unplanned change is reported as changed, run after run, until
someone who knows the change is wanted accepts it. `baseline accept` records who (the system
user), when and why in the capture's status.json; the next scheduled run compares with it. With
no --capture, the biller's newest good capture is accepted.

Example:
  crm-robot baseline accept 90002 --reason "primary contact changed at the biller's request"
  crm-robot baseline accept 90002 --capture screenshots/sim-biller-002/scheduled/20261127T121503Z \\
      --reason "new contact" --out screenshots
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from robot.cli.common import (
    action_parser,
    add_env_file_option,
    add_out_option,
    command_parser,
    load_settings_from_args,
)
from robot.core.errors import ExitCode, UsageError
from robot.scheduled.accept import accept, choose


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(subparsers, "baseline", __doc__)
    help_text = "make a changed scheduled capture the biller's comparison base"
    accepting = action_parser(parser, "accept", help_text, __doc__)
    accepting.add_argument("biller_id", metavar="BILLER_ID", help="the biller's CRM ID")
    accepting.add_argument(
        "--capture",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="the capture to accept (default: the biller's newest good capture)",
    )
    accepting.add_argument(
        "--reason", required=True, metavar="TEXT", help="why the change is wanted (recorded)"
    )
    add_out_option(accepting, "the output root of the scheduled captures (default: settings)")
    add_env_file_option(accepting)
    accepting.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    reason = args.reason.strip()
    if not reason:
        raise UsageError('--reason: say why the change is wanted, e.g. --reason "new contact"')
    root: Path = args.out or load_settings_from_args(args).output_dir
    chosen = choose(root, args.biller_id, args.capture)
    status = accept(chosen.folder, getpass.getuser(), reason)
    assert status.accepted is not None
    print(
        f"biller {args.biller_id}: {chosen.folder} accepted as the comparison base by "
        f"{status.accepted.by} at {status.accepted.at:%Y-%m-%d %H:%M:%S}Z: {reason}"
    )
    return int(ExitCode.OK)
