"""Rollback, first: the conversion's maintenance window active again while the rollback runs,
when it runs between the window's start and end (scenarios/undo_window.py puts it back after)."""

from __future__ import annotations

from pages.maintenance_windows import MaintenanceWindowsPage, WindowRow
from scenarios import maintenance_window as mw
from scenarios.base import Change, Check
from scenarios.context import Context
from scenarios.undo_window import ACTIVE, in_window


def read(ctx: Context) -> WindowRow | None:
    if not in_window(ctx):
        return None
    return ctx.screen(MaintenanceWindowsPage).find_window(mw.description(ctx))


def plan(ctx: Context, state: WindowRow | None) -> list[Change]:
    if state is None or state.active:
        if not in_window(ctx):
            ctx.progress("the rollback runs outside the maintenance window's times: not activated")
        return []
    name = f"{state.description}{ACTIVE}"
    return [Change(mw.SCREEN, name, "No", "Yes", note="tick Active for the rollback")]


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(MaintenanceWindowsPage)
    description = mw.description(ctx)
    ctx.write(changes, lambda: page.set_window_active(description, True))


def verify(ctx: Context) -> list[Check]:
    if not in_window(ctx):
        return []
    row = ctx.screen(MaintenanceWindowsPage).find_window(mw.description(ctx))
    found = "absent" if row is None else ("Yes" if row.active else "No")
    return [Check(f'window "{mw.description(ctx)}" Active', found if row is None else "Yes", found)]
