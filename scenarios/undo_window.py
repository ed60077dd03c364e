"""Rollback: the maintenance window as the conversion found it, and active while a rollback runs
inside the window's times.

`window-on` (undo_window_on) ticks Active on the plan's window when the rollback runs between its
start and end: the biller's customers see the maintenance message while it is rolled back. The
`restore-window` step then puts the window back as the conversion found it: a window the
conversion created is removed (deactivated where the CRM offers no Delete: the step says so),
one it changed gets its old Active.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from pages.maintenance_windows import MaintenanceWindowsPage, WindowRow
from scenarios import maintenance_window as mw
from scenarios.base import Change, Check
from scenarios.context import Context
from scenarios.ports import Written
from scenarios.undo import Current, checks, plan_restores, restore_change, undo_of

STEPS = ("maintenance-window", "go-live")  # the conversion steps that write the window
ACTIVE = ": Active"
REMOVED = "removed"
DELETED = "(deleted)"
DEACTIVATED = "deactivated (the CRM offers no Delete)"


def in_window(ctx: Context, now: datetime | None = None) -> bool:
    window = ctx.plan.maintenance_window
    moment = now or datetime.now(UTC)
    return window.start <= moment <= window.end


def written(ctx: Context) -> list[Written]:
    writes = undo_of(ctx).of_steps(*STEPS)
    if not in_window(ctx):
        return writes
    # Inside the window, window-on may have ticked Active for the rollback: that is not a change
    # made by someone else since the conversion.
    return [
        replace(w, after="Yes") if w.field.endswith(ACTIVE) and w.after == w.before else w
        for w in writes
    ]


def created(ctx: Context) -> Written | None:
    """The conversion's creation of the window, if it created one."""
    return next((w for w in written(ctx) if w.action == "create" and w.after), None)


def _row(windows: list[WindowRow], description: str | None) -> WindowRow | None:
    return next((w for w in windows if w.description == description), None)


def current(ctx: Context, *, fresh: bool = False) -> Current:
    writes = written(ctx)
    if not writes:
        return {}
    page = ctx.screen(MaintenanceWindowsPage)
    windows = (page.reload() if fresh else page.open()).read_windows()
    values: dict[tuple[str, str], str | None] = {}
    for w in writes:
        if w.action == "create":
            values[(w.screen, w.field)] = w.after if _row(windows, w.after) else ""
            continue
        row = _row(windows, w.field.removesuffix(ACTIVE))
        values[(w.screen, w.field)] = None if row is None else ("Yes" if row.active else "No")
    return values


def read(ctx: Context) -> Current:
    return current(ctx)


def _removal(ctx: Context, description: str) -> Change | None:
    """The window removed; deactivated where the CRM offers no Delete (None: it already is)."""
    page = ctx.screen(MaintenanceWindowsPage)
    if page.can_remove_window(description):
        return Change(
            mw.SCREEN,
            f"Maintenance window {description}",  # as the CRM's History names a removal
            description,
            DELETED,
            action="remove",
            note="remove the window",
        )
    row = page.find_window(description)
    if row is None or not row.active:
        return None
    ctx.progress(
        f'{mw.SCREEN}: the CRM offers no Delete for "{description}", so it is deactivated instead'
    )
    return Change(
        mw.SCREEN, f"{description}{ACTIVE}", "Yes", "No", action="deactivate", note="untick Active"
    )


def plan(ctx: Context, state: Current) -> list[Change]:
    mine = created(ctx)
    if mine is None:
        return plan_restores(ctx, written(ctx), state, restore_change)
    # The conversion created the window: removing it undoes its Active too.
    if not state.get((mine.screen, mine.field)):
        return []
    removal = _removal(ctx, mine.after or "")
    return [removal] if removal is not None else []


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(MaintenanceWindowsPage)
    for change in changes:
        if change.action == "remove":
            ctx.write(change, partial(page.remove_window, change.old or ""))
        else:
            description = change.field.removesuffix(ACTIVE)
            ctx.write(change, partial(page.set_window_active, description, change.new == "Yes"))


def verify(ctx: Context) -> list[Check]:
    state = current(ctx, fresh=True)
    mine = created(ctx)
    if mine is None:
        return checks(ctx, written(ctx), state)
    description = mine.after or ""
    name = f'{mw.SCREEN}: window "{description}"'
    if not state.get((mine.screen, mine.field)):
        return [Check(name, REMOVED, REMOVED)]
    page = ctx.screen(MaintenanceWindowsPage)
    if page.can_remove_window(description):
        return [Check(name, REMOVED, "present")]
    row = _row(page.read_windows(), description)
    return [Check(name, DEACTIVATED, DEACTIVATED if row and not row.active else "active")]
