"""Step 2, maintenance window: the active window for the cutover, in Central Time, all pages.

An existing window with the same description and times is the one this step wants (found, not
created again). A different window that overlaps those times stops the step before any write: two
windows for one night are for a person to sort out. A biller already on IMT Spectrum is past its
cutover; its window, if any, has been deactivated at go-live and stays so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pages.maintenance_windows import MaintenanceWindowsPage, WindowRow
from pages.profile import ProfilePage
from robot.core.errors import BusinessRuleError
from scenarios.base import Change, Check
from scenarios.context import Context

SCREEN = "Maintenance Windows"
SHOWN = "%Y-%m-%d %H:%M"  # how the grid shows Central Time


@dataclass(frozen=True)
class State:
    windows: list[WindowRow]
    partner: str


def shown_time(moment: datetime) -> str:
    return moment.strftime(SHOWN)


def wanted_times(ctx: Context) -> tuple[str, str]:
    window = ctx.plan.maintenance_window
    return shown_time(window.start), shown_time(window.end)


def description(ctx: Context) -> str:
    return ctx.plan.maintenance_window.description or ""


def read(ctx: Context) -> State:
    partner = ctx.screen(ProfilePage).open().read_values().get("Integration Partner ID", "")
    return State(ctx.screen(MaintenanceWindowsPage).open().read_windows(), partner)


def find(ctx: Context, windows: list[WindowRow]) -> WindowRow | None:
    start, end = wanted_times(ctx)
    return next(
        (w for w in windows if (w.description, w.start, w.end) == (description(ctx), start, end)),
        None,
    )


def past_cutover(ctx: Context, state: State) -> bool:
    return state.partner == ctx.plan.target_partner


def _overlaps(row: WindowRow, start: str, end: str) -> bool:
    # Same format, zero-padded: text order is time order.
    return row.start < end and start < row.end


def plan(ctx: Context, state: State) -> list[Change]:
    mine = find(ctx, state.windows)
    name = description(ctx)
    if mine is not None:
        if mine.active or past_cutover(ctx, state):
            return []
        return [Change(SCREEN, f"{name}: Active", "No", "Yes", action="set", note="tick Active")]
    if past_cutover(ctx, state):
        ctx.progress(
            f"{ctx.plan.biller.name} is already on {ctx.plan.target_partner}: the cutover is "
            "behind it, so no maintenance window is created"
        )
        return []
    start, end = wanted_times(ctx)
    for row in state.windows:
        if row.description == name:
            raise BusinessRuleError(
                f'{SCREEN}: a window "{name}" already exists for {row.start} to {row.end} (CT), '
                f"not {start} to {end} as planned. Correct the window in the CRM or "
                "maintenance_window in the plan; nothing was changed"
            )
        if _overlaps(row, start, end):
            raise BusinessRuleError(
                f'{SCREEN}: the window "{row.description}" ({row.start} to {row.end} CT) '
                f"overlaps the planned one ({start} to {end} CT). Remove or move it in the CRM, "
                "or change maintenance_window in the plan; nothing was changed"
            )
    return [
        Change(
            SCREEN,
            "New maintenance window",
            "",
            name,
            action="create",
            note="new maintenance window",
        )
    ]


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(MaintenanceWindowsPage)
    window = ctx.plan.maintenance_window
    for change in changes:
        if change.action == "create":
            ctx.write(
                change,
                lambda: page.create_window(
                    description(ctx),
                    window.message or "",
                    window.start_input,
                    window.end_input,
                    active=True,
                    all_pages=window.all_pages,
                ),
            )
        else:
            ctx.write(change, lambda: page.set_window_active(description(ctx), True))


def verify(ctx: Context) -> list[Check]:
    windows = ctx.screen(MaintenanceWindowsPage).reload().read_windows()
    profile = ctx.screen(ProfilePage).reload().read_values()
    state = State(windows, profile.get("Integration Partner ID", ""))
    mine = find(ctx, state.windows)
    name = description(ctx)
    if mine is None:
        if past_cutover(ctx, state):
            note = f"not needed: already on {ctx.plan.target_partner}"
            return [Check(f'window "{name}"', note, note)]
        return [Check(f'window "{name}"', "present", "absent")]
    start, end = wanted_times(ctx)
    # After the cutover the Active box belongs to go-live, which clears it.
    active = "Yes" if not past_cutover(ctx, state) else ("Yes" if mine.active else "No")
    return [
        Check(f'window "{name}"', "present", "present"),
        Check("start (CT)", start, mine.start),
        Check("end (CT)", end, mine.end),
        Check("Active", active, "Yes" if mine.active else "No"),
        Check(
            "Apply to all pages",
            "Yes" if ctx.plan.maintenance_window.all_pages else "No",
            "Yes" if mine.all_pages else "No",
        ),
    ]
