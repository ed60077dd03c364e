"""Take the nine required screenshots of one or more billers.

Each biller's capture goes to `<out>/<biller-slug>/<run-id>/<phase>/` (before, after) or
`<out>/<biller-slug>/scheduled/<time>/` (scheduled): nine PNGs with secrets and volatile regions
masked, values.json (secret values as fingerprints) and manifest.json. Billers are captured one
after the other in one browser. Progress goes to stderr (one line per screen); each finished
capture folder is printed on stdout.

Exit 0 when every capture was written, 1 when a screen showed another biller, 2 for bad input
(plan, settings, selector file), 3 when the CRM or the browser failed after a retry.

--phase scheduled compares each biller's capture with its comparison base (the first good one is
the baseline; one with an unplanned change becomes the base only once `crm-robot baseline accept`
says so) and writes the report into the capture folder; what crm-robot's own runs wrote since is
planned. --billers FILE takes the billers from a watch list (CSV or TOML) instead of or besides
plan files; --workers N captures N billers at once, --keep N keeps the newest N captures per
biller, --summary FILE and --json give the per-biller summary, --notify URL posts it; the run's
overview page is `<out>/scheduled/<time>/index.html`. Exit 0 when nothing unplanned changed, 1
when something did, 3 when a biller could not be captured after retries (the others still are).
A run while another holds the output folder exits at once (0, or 1 with --strict). See
docs/scheduled.md.

Examples:
  crm-robot capture plans/prairie-pine-mutual.toml --phase before
  crm-robot capture plans/*.toml --phase scheduled --out /var/lib/crm-robot/screenshots
  crm-robot capture plans/*.toml --phase scheduled --workers 2 --keep 30 --summary summary.json
  crm-robot capture plans/*.toml --phase scheduled --browser-endpoint wss://grid.example.com/
  crm-robot capture --billers watch.csv --phase scheduled --workers 2 --notify https://hooks.example.com/x
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pages.biller import FIRST_PAGE
from pages.overrides import load_overrides
from robot.browser.session import BrowserSession
from robot.browser.signin import check_sign_in
from robot.capture.screens import PHASES, CaptureResult, ScreenProgress, capture_biller, capture_dir
from robot.cli import scheduled_args
from robot.cli.common import (
    add_env_file_option,
    add_headed_option,
    add_out_option,
    add_plan_argument,
    add_selectors_option,
    command_parser,
    load_settings_from_args,
    progress,
)
from robot.core.capture_format import SCHEDULED_DIR
from robot.core.errors import ExitCode, PlanError, RobotError, UsageError
from robot.core.fingerprint import load_or_create_salt
from robot.plan.model import ConversionPlan, load_plan
from robot.plan.watchlist import Watched, load_watch_list
from robot.run.journal import new_run_id


def register(subparsers: Any) -> None:
    parser = command_parser(subparsers, "capture", __doc__)
    add_plan_argument(parser, many=True, optional=True)
    parser.add_argument("--phase", required=True, choices=PHASES, help="which capture this is")
    add_out_option(parser, "output root (default: CRM_ROBOT_OUTPUT_DIR, else screenshots)")
    add_selectors_option(parser)
    parser.add_argument(
        "--run-id",
        type=_run_id,
        default=None,
        metavar="RUN",
        help="before/after: the run folder to capture into (default: a new run id)",
    )
    add_headed_option(parser, "show the browser window")
    scheduled_args.add_options(parser)
    add_env_file_option(parser)
    parser.set_defaults(handler=run)


def _run_id(text: str) -> str:
    """The name of one folder beside the biller's other runs: never a path, never the folder
    that holds its scheduled captures."""
    if text in ("", ".", "..", SCHEDULED_DIR) or any(sep in text for sep in "/\\"):
        raise argparse.ArgumentTypeError(
            f"the name of one run folder, like 20261126T140311Z-ab12, and not '{SCHEDULED_DIR}' "
            f"(where the scheduled captures go); given {text!r}"
        )
    return text


def run(args: argparse.Namespace) -> int:
    scheduled_args.check_phase(args)
    settings = load_settings_from_args(args)
    if not args.plan and args.billers is None:
        raise UsageError("give the billers to capture: PLAN.toml file(s), or --billers FILE")
    plans = _load_plans(args.plan)
    selectors = load_overrides(args.selectors or settings.selectors)
    root: Path = args.out or settings.output_dir
    phase = args.phase
    if phase == "scheduled":
        watched: list[Watched] = [*plans]
        if args.billers is not None:
            watched += load_watch_list(args.billers)
        return scheduled_args.run(args, settings, watched, selectors, root)
    run_id = None if phase == "scheduled" else (args.run_id or new_run_id())
    salt = load_or_create_salt(root)
    worst = ExitCode.OK
    headless = False if args.headed else None
    saved = check_sign_in(settings, headed=args.headed or not settings.headless)
    # Where the first capture starts: the biller's first page, at the profile's address.
    first_page = selectors.text(FIRST_PAGE).format(id=plans[0].biller.id)
    with BrowserSession(
        settings,
        headless=headless,
        selectors=selectors,
        start_path=first_page,
        browser_endpoint=args.browser_endpoint,
        fingerprints_root=root,
        saved=saved,
    ) as session:
        for plan in plans:
            folder = capture_dir(root, plan.biller_slug, phase, run_id=run_id)
            progress(f"{plan.biller.name} ({plan.biller.id}): capture {phase} -> {folder}")
            try:
                result = capture_biller(
                    session, plan, phase, folder, run_id=run_id, salt=salt, on_screen=_show
                )
            except RobotError as exc:
                if len(plans) == 1:
                    raise
                progress(f"crm-robot: {plan.biller.name} ({plan.biller.id}): {exc.message}")
                worst = max(worst, exc.exit_code)
                continue
            _done(result)
    return int(worst)


def _load_plans(paths: list[Path]) -> list[ConversionPlan]:
    """Every plan, or PlanError with every problem of every file, before a browser opens."""
    plans: list[ConversionPlan] = []
    problems: list[str] = []
    for path in paths:
        try:
            plans.append(load_plan(path))
        except PlanError as exc:
            problems.append(exc.message)
    if problems:
        raise PlanError(problems)
    return plans


def _show(step: ScreenProgress) -> None:
    retry = f" (after {step.attempts - 1} retry)" if step.attempts > 1 else ""
    progress(f"  [{step.index}/{step.total}] {step.stem:<28} ok {step.seconds:5.2f}s{retry}")


def _done(result: CaptureResult) -> None:
    print(result.folder, file=sys.stdout, flush=True)
