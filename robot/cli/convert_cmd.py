"""Convert one biller from IMT MIPS APPS to IMT Spectrum, step by step, in a real browser.

The ten steps of the procedure run in order: capture-before, maintenance-window,
crm-configuration, ftp-setup, datapump, advanced-settings, rtdr-test, verify, go-live,
capture-after. Each reads the screen first and changes only what is not yet as planned, so a
second run changes nothing. Safety checks come before any write: environment, CRM host, the
biller's ID, GUID and name, its partner; a PROD plan needs --prod and the biller's name typed.

Go-live needs the provider's confirmation: a headed run asks at the terminal, --yes gives it; a
run that can do neither stops there, and --resume RUN continues from it. Go-live also reads back
every planned value and runs the RTDR test again first; a failed check refuses it (the
maintenance window stays active), unless --go-live-anyway, which --yes never implies.

Everything lands in <output>/<biller-slug>/<run-id>/: before/, after/, journal.jsonl (every
step, write and checkpoint), report/index.html, summary.html (the run on one printable page), and
a screenshot of any failure. Progress goes to stderr; the summary (and with --dry-run the changes)
to stdout.

Exit 0 done; 1 a problem found (safety check, verification, unplanned change, stopped at a
checkpoint, biller locked by another run); 2 bad input; 3 the CRM or browser failed after retries.

Examples:
  crm-robot convert plans/prairie-pine-mutual.toml --dry-run
  crm-robot convert plans/prairie-pine-mutual.toml --headed --slow-mo 250
  crm-robot convert plans/prairie-pine-mutual.toml --yes
  crm-robot convert plans/prairie-pine-mutual.toml --resume 20261126T140311Z-ab12 --yes
"""

from __future__ import annotations

import argparse
import sys
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
    print_warnings,
)
from robot.cli.run_result import run_result
from robot.core.errors import UsageError
from robot.core.steps import STEP_IDS
from robot.run.outcome import RunOptions
from robot.run.runner import run_conversion
from scenarios import go_live


def _step(value: str) -> str:
    if value not in STEP_IDS:
        raise argparse.ArgumentTypeError(
            f"unknown step {value!r}; choose one of: {', '.join(STEP_IDS)}"
        )
    return value


def register(subparsers: Any) -> None:
    parser = command_parser(subparsers, "convert", __doc__)
    add_plan_argument(parser)
    add_headed_option(
        parser, "show the browser (also CRM_ROBOT_HEADLESS=false); ask at checkpoints"
    )
    add_slow_mo_option(parser)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="read everything and print the changes it would make; write nothing",
    )
    parser.add_argument(
        "--yes", action="store_true", help="answer continue at every checkpoint (go-live too)"
    )
    parser.add_argument(
        "--resume",
        metavar="RUN",
        default=None,
        help="continue a failed or stopped run (its id or folder) at its first unfinished step",
    )
    parser.add_argument("--only", type=_step, metavar="STEP", default=None, help="run one step")
    parser.add_argument(
        "--from",
        dest="from_step",
        type=_step,
        metavar="STEP",
        default=None,
        help="run from this step to the end",
    )
    parser.add_argument(
        go_live.OVERRIDE,
        action="store_true",
        help="deactivate the maintenance window although a check read back at go-live failed "
        "(recorded in the journal with who asked)",
    )
    add_prod_option(parser)
    add_confirm_biller_option(parser)
    parser.add_argument(
        "--trace",
        action="store_true",
        help="record a Playwright trace into the run folder (paused while secrets are typed "
        "or shown)",
    )
    add_selectors_option(parser)
    add_env_file_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.resume and (args.only or args.from_step):
        raise UsageError("--resume continues where the run stopped; drop --only/--from")
    if args.only and args.from_step:
        raise UsageError("use --only STEP or --from STEP, not both")
    plan, settings = load_plan_and_settings(args)
    print_warnings(plan)
    options = RunOptions(
        plan_path=args.plan,
        headed=bool(args.headed) or not settings.headless,
        slow_mo_ms=args.slow_mo,
        dry_run=bool(args.dry_run),
        yes=bool(args.yes),
        resume=args.resume,
        only=args.only,
        from_step=args.from_step,
        prod=bool(args.prod),
        confirm_biller=args.confirm_biller,
        trace=bool(args.trace),
        selectors=args.selectors or settings.selectors,
        interactive=sys.stdin.isatty(),
        go_live_anyway=bool(args.go_live_anyway),
    )
    outcome = run_conversion(plan, settings, options)
    return run_result(
        outcome,
        dry_run=options.dry_run,
        report_problem="the report shows unplanned or missing changes",
    )
