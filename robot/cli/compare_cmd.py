"""Compare two captures (or two PNG files) and write the before/after report.

Two capture folders give an HTML report (side by side, slider, diff, field changes marked
planned, missing or unplanned) and summary.json; the report's path goes to stdout. Exit 0 when
nothing is unplanned or missing, 1 when something is, 2 for bad input.

Two PNG files give the pixel comparison alone; with --json it goes to stdout as JSON. Exit 0 when
no pixel changed, 1 when some did, 2 for bad input.

Examples:
  crm-robot compare screenshots/prairie-pine-mutual/RUN/before \
      screenshots/prairie-pine-mutual/RUN/after --plan plans/prairie-pine-mutual.toml
  crm-robot compare before.png after.png --diff diff.png --json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from robot.core.errors import ComparisonInputError, ExitCode, UsageError

if TYPE_CHECKING:
    from robot.compare.regions import Box


def register(subparsers: Any) -> None:
    doc = __doc__ or ""
    parser = subparsers.add_parser(
        "compare",
        help="compare two captures (or two PNGs) and write the before/after report",
        description=doc.split("\n\nExamples:")[0],
        epilog="Examples:" + doc.split("Examples:")[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("before", type=Path, metavar="BEFORE", help="capture folder or PNG file")
    parser.add_argument("after", type=Path, metavar="AFTER", help="capture folder or PNG file")
    parser.add_argument(
        "--out", type=Path, help="report folder (default: the folder `report` beside AFTER)"
    )
    parser.add_argument(
        "--plan", type=Path, help="conversion plan: its changes count as planned, others not"
    )
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=0.1,
        help="colour distance still counted as equal, 0 to 1 (default 0.1, as pixelmatch)",
    )
    parser.add_argument(
        "--ignore",
        type=_box,
        action="append",
        default=[],
        metavar="X,Y,W,H",
        help="a region not to count, in pixels; repeat for more",
    )
    parser.add_argument("--title", help="report title (default: biller name and ID)")
    parser.add_argument(
        "--include-aa", action="store_true", help="PNG files: count anti-aliased pixels too"
    )
    parser.add_argument("--diff", type=Path, metavar="OUT.png", help="PNG files: write the diff")
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    before: Path = args.before
    after: Path = args.after
    if before.is_dir() and after.is_dir():
        return _compare_folders(args)
    if before.is_file() and after.is_file():
        return _compare_files(args)
    for path in (before, after):
        if not path.exists():
            raise ComparisonInputError(f"{path}: no such file or folder.")
    raise UsageError(
        f"compare two capture folders or two PNG files, not a folder and a file "
        f"({before}, {after})."
    )


def _compare_files(args: argparse.Namespace) -> int:
    for option in ("out", "plan", "title"):
        if getattr(args, option):
            raise UsageError(f"--{option} applies to capture folders, not to PNG files.")
    from robot.compare.images import compare_images  # numpy and Pillow only when comparing

    result = compare_images(
        args.before,
        args.after,
        threshold=args.threshold,
        include_aa=args.include_aa,
        ignore=args.ignore,
    )
    if args.diff:
        result.save_diff(args.diff)
    data = result.to_dict()
    if args.diff:
        data["diff"] = str(args.diff)
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        size = f"{result.width}x{result.height}"
        if result.size_changed:
            size = "{}x{} -> {}x{}".format(*result.before_size, *result.after_size)
        print(
            f"{result.changed_pixels} pixels changed ({result.changed_ratio:.4%}), "
            f"{len(result.regions)} regions, size {size}"
        )
    return ExitCode.OK if result.changed_pixels == 0 else ExitCode.PROBLEM_FOUND


def _compare_folders(args: argparse.Namespace) -> int:
    for option in ("diff", "include_aa"):
        if getattr(args, option):
            flag = "--" + option.replace("_", "-")
            raise UsageError(f"{flag} applies to two PNG files, not to capture folders.")
    from robot.compare.report import (
        build_report,  # Jinja2 and the report only when a report is made
    )

    expected = None
    if args.plan:
        from robot.core.capture_format import read_values
        from robot.plan.expectations import expected_after
        from robot.plan.model import load_plan

        plan = load_plan(args.plan)
        # What the plan leaves on each screen, as the conversion's own report expects it: it
        # depends on what the before capture shows (DataPump terminals, settings counts).
        expected = expected_after(plan, read_values(args.before))
    out = args.out or args.after.resolve().parent / "report"
    print(f"comparing {args.before} with {args.after} ...", file=sys.stderr)
    summary = build_report(
        args.before,
        args.after,
        out,
        expected=expected,
        threshold=args.threshold,
        ignore=args.ignore,
        title=args.title,
    )
    for screen in summary.screens:
        flag = "ok" if screen.ok else "CHECK"
        counts = (
            f"planned {screen.planned:>3}  missing {screen.missing:>3}  "
            f"unplanned {screen.unplanned:>3}  pixels {screen.changed_pixels:>9,}"
        )
        print(f"  {screen.stem:<28} {flag:<5} {counts}", file=sys.stderr)
    verdict = (
        "nothing unplanned or missing"
        if summary.ok
        else (f"{summary.unplanned} unplanned, {summary.missing} missing")
    )
    print(f"{verdict}; report: {summary.index_html}", file=sys.stderr)
    if args.json:
        print(summary.model_dump_json(indent=2))
    else:
        print(summary.index_html)
    return ExitCode.OK if summary.ok else ExitCode.PROBLEM_FOUND


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text}")
    return value


def _box(text: str) -> Box:
    from robot.compare.regions import Box

    try:
        return Box.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
