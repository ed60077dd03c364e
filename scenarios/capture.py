"""Steps 1 and 10: the nine screenshots and their values, phase `before` or `after`.

The capture itself is the runner's (`ctx.capture(phase)`): a capture writes files, not CRM
fields. A phase already captured in this run's folder is not captured again on --resume.
"""

from __future__ import annotations

from pathlib import Path

from robot.core.capture_format import MANIFEST_FILE, SCREEN_STEMS
from scenarios.base import Change, Check
from scenarios.context import Context

SCREEN = "Nine screens"


def phase(ctx: Context) -> str:
    return "after" if ctx.step.id == "capture-after" else "before"


def folder(ctx: Context) -> Path | None:
    return ctx.run_dir / phase(ctx) if ctx.run_dir is not None else None


def _complete(where: Path | None) -> bool:
    if where is None or not (where / MANIFEST_FILE).is_file():
        return False
    return all((where / f"{stem}.png").is_file() for stem in SCREEN_STEMS)


def read(ctx: Context) -> bool:
    return _complete(folder(ctx))


def plan(ctx: Context, state: bool) -> list[Change]:
    if state:
        return []
    where = folder(ctx)
    return [Change(SCREEN, phase(ctx), None, str(where or phase(ctx)), action="capture")]


def apply(ctx: Context, changes: list[Change]) -> None:
    if not changes or ctx.capture is None:
        return
    take = ctx.capture
    ctx.write(changes, lambda: take(phase(ctx)))


def verify(ctx: Context) -> list[Check]:
    where = folder(ctx)
    found = "complete" if _complete(where) else "missing"
    return [Check(f"capture {phase(ctx)} in {where}", "complete", found)]
