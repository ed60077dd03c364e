"""What a conversion run prints as it goes: progress on stderr; the dry-run listing and a table
that is a step's output on stdout; a failed step's table and lines on stderr. The summary at the
end is robot/run/outcome.py's."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from robot.core.steps import STEPS, Step
from scenarios.base import Change, Check

TABLE_CELL = 60  # widest cell of the verification table; longer ones end in "..."


def check_table(checks: list[Check]) -> str:
    """The verification table as aligned text columns: check, expected, found, result."""
    rows = [("check", "expected", "found", "result"), *(c.row() for c in checks)]
    widths = [min(max(len(r[i]) for r in rows), TABLE_CELL) for i in range(4)]
    lines = []
    for row in rows:
        cells = [
            cell if len(cell) <= TABLE_CELL else cell[: TABLE_CELL - 3] + "..." for cell in row
        ]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


@dataclass
class Printer:
    out: TextIO = sys.stdout  # data: the dry-run listing, the verify table
    err: TextIO = sys.stderr  # progress and problems
    total: int = len(STEPS)  # steps of the run's procedure

    def progress(self, text: str) -> None:
        print(text, file=self.err, flush=True)

    def dry_run(self, step: Step, changes: list[Change]) -> None:
        """What a step would change, one line each; secrets masked (Change.shown)."""
        head = f"{step.number}/{self.total} {step.title} ({step.id})"
        if not changes:
            print(f"{head}: nothing to change", file=self.out)
            return
        print(f"{head}: would make {len(changes)} change(s)", file=self.out)
        for change in changes:
            print(f"  {change.shown()}", file=self.out)

    def checks(self, checks: list[Check], *, output: bool) -> None:
        """The verification table: on stdout when it is the step's output, else on stderr."""
        print(check_table(checks), file=self.out if output else self.err)

    def failure(self, step: Step, message: str, *, shot: Path | None, resume: str | None) -> None:
        """A failed step: what went wrong, what was expected, where to look, how to go on."""
        lines = [
            f"step {step.number}/{self.total} {step.title} ({step.id}) failed: {message}",
            f"  expected: {step.summary}",
            f"  check: {step.what_to_check}",
        ]
        if shot is not None:
            lines.append(f"  screenshot: {shot}")
        if resume is not None:
            lines.append(f"  then continue with: {resume}")
        print("\n".join(lines), file=self.err)
