"""`--keep N`: only the newest N scheduled captures of a biller stay.

Two captures stay whatever N says: the baseline (the biller's first good capture, what every
later state can be traced back to) and the base of the next comparison (which may be older than
the newest N when the last runs failed or found a change nobody accepted yet). Only folders
named like a scheduled capture are ever removed; anything else a user put beside them is left
alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from robot.scheduled.store import baseline_of, comparison_base, list_captures


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove the scheduled captures under `folder` beyond the newest `keep`; return what went."""
    if keep < 1:
        raise ValueError("keep at least one capture")
    captures = list_captures(folder)
    kept = {c.folder for c in captures[-keep:]}
    for protected in (baseline_of(captures), comparison_base(captures)):
        if protected is not None:
            kept.add(protected.folder)
    removed = []
    for capture in captures:
        if capture.folder not in kept:
            shutil.rmtree(capture.folder, ignore_errors=True)
            removed.append(capture.folder)
    return removed
