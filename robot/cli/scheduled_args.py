"""The options of `crm-robot capture --phase scheduled`, and the call to robot.scheduled.run.

Options: --billers FILE, --workers N, --keep N, --summary FILE, --json, --strict, --notify URL
(scheduled only)
and --browser-endpoint URL (any phase). The work itself is robot/scheduled/run.py's.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from pages.overrides import SelectorOverrides
from robot.cli.common import progress
from robot.core.errors import ExitCode, LockedError, UsageError
from robot.core.settings import Settings
from robot.core.transport import endpoint_transport_problem, is_browser_endpoint
from robot.plan.watchlist import Watched
from robot.scheduled.notify import check_url

MAX_WORKERS = 32
SCHEDULED_ONLY = ("billers", "workers", "keep", "summary", "json", "strict", "notify")


def add_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("scheduled capture (--phase scheduled)")
    group.add_argument(
        "--billers",
        type=Path,
        default=None,
        metavar="FILE",
        help="a watch list of billers (CSV or TOML: id, guid, name, environment, optional "
        "expected_partner), instead of or besides plan files",
    )
    group.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help="billers captured at once, each with its own browser (default 1)",
    )
    group.add_argument(
        "--keep",
        type=_keep,
        default=None,
        metavar="N",
        help="keep the newest N captures per biller (the baseline and the last good one stay)",
    )
    group.add_argument(
        "--summary",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the per-biller summary as JSON to FILE",
    )
    group.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    group.add_argument(
        "--notify",
        type=check_url,
        default=None,
        metavar="URL",
        help="POST the run's JSON summary to URL once (never a secret; a receiver that is down "
        "never fails the run, the summary says so)",
    )
    group.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 (not 0) when another scheduled run holds the output folder",
    )
    parser.add_argument(
        "--browser-endpoint",
        type=browser_endpoint,
        default=None,
        metavar="URL",
        help="drive a remote browser: ws://... (Playwright browser server) or http://... "
        "(Chrome DevTools) (default: CRM_ROBOT_BROWSER_ENDPOINT, else launch Chromium)",
    )


def check_phase(args: argparse.Namespace) -> None:
    """UsageError when a scheduled-only option is given to a before/after capture."""
    if args.phase == "scheduled":
        return
    given = [name for name in SCHEDULED_ONLY if getattr(args, name, None) not in (None, False)]
    if given:
        flags = ", ".join(f"--{name}" for name in given)
        raise UsageError(f"{flags}: only for --phase scheduled (given --phase {args.phase})")


def run(
    args: argparse.Namespace,
    settings: Settings,
    plans: Sequence[Watched],
    selectors: SelectorOverrides,
    root: Path,
) -> int:
    # Imported here: the comparison and the report it brings cost a before/after capture
    # start-up time for nothing.
    from robot.scheduled.run import ScheduledOptions, run_scheduled

    options = ScheduledOptions(
        output_root=root,
        workers=args.workers or 1,
        keep=args.keep,
        browser_endpoint=args.browser_endpoint,
        headless=False if args.headed else None,
        selectors=selectors,
        summary_path=args.summary,
        notify_url=args.notify,
    )
    try:
        summary = run_scheduled(plans, settings, options, progress)
    except LockedError as exc:
        if args.strict:
            raise
        # Exit 0: cron mails any output of a failing job; an overlap is expected, not an alarm.
        progress(f"crm-robot: {exc.message}")
        return int(ExitCode.OK)
    if args.json:
        print(summary.model_dump_json(indent=2), flush=True)
    else:
        for biller in summary.billers:
            where = biller.report or biller.capture or ""
            print(f"{biller.status}\t{biller.biller_id}\t{where}", file=sys.stdout, flush=True)
    return summary.exit_code


def browser_endpoint(text: str) -> str:
    if not is_browser_endpoint(text):
        scheme = urlsplit(text.strip()).scheme
        raise argparse.ArgumentTypeError(
            "must be ws://HOST:PORT/... (a Playwright browser server) or http://HOST:PORT "
            f"(Chrome DevTools), given a URL with scheme {scheme or 'none'!r}"
        )
    if problem := endpoint_transport_problem(text):
        raise argparse.ArgumentTypeError(problem)
    return text.strip()


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"a whole number from 1 to {MAX_WORKERS}, given {text!r}")
    return int(text)


def _keep(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, given {text!r}")
    return int(text)
