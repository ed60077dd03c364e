"""Step 9, go-live: a checkpoint, then the maintenance window is deactivated.

Only a person can say the provider confirmed go-live readiness: a headed run asks, `--yes` says
so; a run that can do neither stops before this step, and `--resume` continues here. The
question and that rule are the step's facts (robot/core/steps.py).
"""

from __future__ import annotations

from pages.maintenance_windows import MaintenanceWindowsPage
from scenarios import maintenance_window as mw
from scenarios.base import Change, Check
from scenarios.context import Context


def read(ctx: Context) -> mw.State:
    return mw.read(ctx)


def _deactivate(ctx: Context) -> Change:
    return Change(
        mw.SCREEN,
        f"{mw.description(ctx)}: Active",
        "Yes",
        "No",
        action="deactivate",
        note="untick Active",
    )


def plan(ctx: Context, state: mw.State) -> list[Change]:
    window = mw.find(ctx, state.windows)
    if window is None and ctx.dry_run and not mw.past_cutover(ctx, state):
        # A dry run has not created the window; go-live would deactivate it once it exists.
        return [_deactivate(ctx)]
    if window is None or not window.active:
        return []
    return [_deactivate(ctx)]


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(MaintenanceWindowsPage)
    ctx.write(changes, lambda: page.set_window_active(mw.description(ctx), False))


def verify(ctx: Context) -> list[Check]:
    window = mw.find(ctx, ctx.screen(MaintenanceWindowsPage).reload().read_windows())
    name = f'maintenance window "{mw.description(ctx)}" Active'
    if window is None:
        return [Check(name, "No (or no window)", "No (or no window)")]
    return [Check(name, "No", "Yes" if window.active else "No")]
