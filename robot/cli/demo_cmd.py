"""Run the whole conversion of the sample biller against the embedded CRM.

Starts crm_sim on a free 127.0.0.1 port with fresh data, converts Prairie Pine Mutual with
plans/prairie-pine-mutual.toml and the demo credentials of .env.example (go-live confirmed, as
with --yes), captures before and after, writes the run folder under the output root
(screenshots/ unless CRM_ROBOT_OUTPUT_DIR says otherwise), prints a summary and stops crm_sim.

Exit codes as for `convert`.

Examples:
  crm-robot demo
  crm-robot demo --headed
  crm-robot demo --keep-server     # then browse the CRM it converted; Ctrl-C stops it
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from robot.cli.common import command_parser
from robot.core.errors import ExitCode
from robot.run.demo import embedded_crm, run_demo, serve_until_interrupted
from robot.run.outcome import summary_lines


def register(subparsers: Any) -> None:
    parser = command_parser(subparsers, "demo", __doc__)
    parser.add_argument(
        "--headed", action="store_true", help="show the browser, slowed down, with step banners"
    )
    parser.add_argument(
        "--keep-server",
        action="store_true",
        help="leave the embedded CRM running after the run, until Ctrl-C",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with embedded_crm() as sim:
        print(f"demo: embedded CRM at {sim.url} (pid {sim.pid})", file=sys.stderr, flush=True)
        outcome = run_demo(sim, headed=bool(args.headed))
        print("\n".join(summary_lines(outcome)), flush=True)
        if args.keep_server:
            serve_until_interrupted(sim)
    if outcome.report_ok is False or (outcome.audit is not None and not outcome.audit.ok):
        return int(ExitCode.PROBLEM_FOUND)
    return int(ExitCode.OK)
