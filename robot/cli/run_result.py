"""How `convert` and `rollback` end: the run's summary on stdout, its problems on stderr, and
the exit code."""

from __future__ import annotations

import sys

from robot.core.errors import ExitCode
from robot.run.outcome import RunOutcome, summary_lines


def run_result(outcome: RunOutcome, *, dry_run: bool, report_problem: str) -> int:
    """`report_problem`: what a report with something unplanned or missing means to this run."""
    if dry_run:
        print("dry run: nothing was written", file=sys.stderr)
        return int(ExitCode.OK)
    print("\n".join(summary_lines(outcome)))
    problems = []
    if outcome.report_ok is False:
        problems.append(f"{report_problem}: {outcome.report}")
    if outcome.audit is not None and not outcome.audit.ok:
        problems.append("the audit found History entries and journal writes that do not match")
    for problem in problems:
        print(f"crm-robot: {problem}", file=sys.stderr)
    return int(ExitCode.PROBLEM_FOUND if problems else ExitCode.OK)
