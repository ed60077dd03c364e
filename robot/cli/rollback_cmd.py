"""Roll a biller back to IMT MIPS APPS from a conversion run's own record.

RUN is the conversion run (its id or folder, as `convert --resume` takes it). Every field the run
changed goes back to the value it found before it wrote: Integration Partner ID, the three
invoicing flags, InvoiceFormatGUID, the PDF and Zip File settings it created (removed, or
deactivated where the CRM offers no Delete), the DataPump selections, the Advanced Settings it
removed (back with their numbers, names and values) or changed, and the maintenance window (active
while a rollback runs inside its times; removed at the end when the run created it). Fields the
run did not touch stay as they are.

Secret settings: their old values were never written anywhere, so setting N's comes from
ROLLBACK_SETTING_<N> (.env or the environment); a missing one stops the rollback before the
browser opens (exit 2), naming each variable.

The same discipline as a conversion: the guards (environment, exact biller, PROD confirmation),
the biller's lock, a journal (--resume continues a rollback that stopped), checkpoints, the audit
against the CRM's History, captures before and after, and a report that marks every field
restored, still different, or unplanned against the conversion's own before capture. A second
rollback changes nothing. A field someone changed since the conversion (it reads neither what the
run found nor what it wrote) is left alone and named, exit 1 after the others; --force-field NAME
restores it anyway.

Exit 0 restored; 1 a problem found (a field left alone, the report or the audit); 2 bad input
(plan, RUN, a missing ROLLBACK_SETTING_<N>); 3 the CRM or browser failed after retries.

Examples:
  crm-robot rollback plans/prairie-pine-mutual.toml 20261126T140311Z-ab12 --dry-run
  crm-robot rollback plans/prairie-pine-mutual.toml 20261126T140311Z-ab12 --yes
  crm-robot rollback plans/prairie-pine-mutual.toml 20261126T140311Z-ab12 --headed
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from robot.cli.common import (
    add_confirm_biller_option,
    add_env_file_option,
    add_headed_option,
    add_plan_argument,
    add_prod_option,
    add_selectors_option,
    add_slow_mo_option,
    command_parser,
    load_plan_and_settings,
)
from robot.cli.run_result import run_result
from robot.core.errors import ExitCode
from robot.core.steps import ROLLBACK
from robot.run.outcome import RunOptions
from robot.run.rollback import load_undo
from robot.run.runner import run_conversion


def register(subparsers: Any) -> None:
    parser = command_parser(subparsers, "rollback", __doc__)
    add_plan_argument(parser)
    parser.add_argument("run", metavar="RUN", help="the conversion run to undo: its id or folder")
    add_headed_option(
        parser, "show the browser (also CRM_ROBOT_HEADLESS=false); ask at checkpoints"
    )
    add_slow_mo_option(parser)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="read everything and print what it would restore; write nothing",
    )
    parser.add_argument("--yes", action="store_true", help="answer continue at every checkpoint")
    parser.add_argument(
        "--resume",
        metavar="ROLLBACK",
        default=None,
        help="continue a rollback that failed or stopped (its run id or folder)",
    )
    parser.add_argument(
        "--force-field",
        action="append",
        default=[],
        metavar="NAME",
        help="restore this field although someone changed it since the conversion (as the "
        'rollback names it, e.g. "Integration Partner ID"); may be repeated',
    )
    add_prod_option(parser)
    add_confirm_biller_option(parser)
    add_selectors_option(parser)
    add_env_file_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    plan, settings = load_plan_and_settings(args)
    biller_dir = Path(settings.output_dir) / plan.biller_slug
    undo, source = load_undo(args.run, plan, settings, biller_dir, args.force_field)
    if not undo.writes:
        print(f"run {undo.run_id} wrote nothing to the CRM: there is nothing to roll back")
        return int(ExitCode.OK)
    options = RunOptions(
        plan_path=args.plan,
        headed=bool(args.headed) or not settings.headless,
        slow_mo_ms=args.slow_mo,
        dry_run=bool(args.dry_run),
        yes=bool(args.yes),
        resume=args.resume,
        prod=bool(args.prod),
        confirm_biller=args.confirm_biller,
        selectors=args.selectors or settings.selectors,
        interactive=sys.stdin.isatty(),
        procedure=ROLLBACK,
        undo=undo,
        rollback_of=source,
    )
    outcome = run_conversion(plan, settings, options)
    return run_result(
        outcome,
        dry_run=options.dry_run,
        report_problem="the report shows fields not restored or unplanned",
    )
