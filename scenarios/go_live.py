"""Step 9, go-live: readiness read back, a checkpoint, then the maintenance window is deactivated.

The window comes down only on a verified configuration: before asking, the step reads back every
planned value (the verify step's checks) and runs the RTDR test again (Data Refresh writes
nothing). When the verify and RTDR steps passed earlier in the same run and no write has come
since, their checks stand and nothing is read twice. A failed check refuses go-live, names the
checks and leaves the window active, however the step was reached (a whole run, `--only`,
`--from`, `--resume`).
`--go-live-anyway` overrides that on purpose: the journal records who asked and which checks had
failed. `--yes` never implies it.

Only a person can say the provider confirmed go-live readiness: a headed run asks, `--yes` says
so; a run that can do neither stops before this step, and `--resume` continues here. The
question and that rule are the step's facts (robot/core/steps.py).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from pages.maintenance_windows import MaintenanceWindowsPage
from robot.core.errors import VerificationError
from scenarios import maintenance_window as mw
from scenarios import rtdr_test
from scenarios import verify as qa
from scenarios.base import Change, Check
from scenarios.context import Context

OVERRIDE = "--go-live-anyway"
OVERRIDDEN_EVENT = "go-live-anyway"  # the journal's record of an override
OVERRIDDEN = "go-live.overridden"  # scratch: the override is journaled once per step


@dataclass(frozen=True)
class State:
    window: mw.State
    # The readiness checks that failed; read only while the window is active (else moot).
    failed: list[Check] = field(default_factory=list)


def read(ctx: Context) -> State:
    window = mw.read(ctx)
    ours = mw.find(ctx, window.windows)
    if ctx.dry_run or ours is None or not ours.active:
        return State(window)
    return State(window, [c for c in readiness(ctx) if not c.ok])


def readiness(ctx: Context) -> list[Check]:
    """Every planned value as the CRM shows it, and the RTDR test's answer: as the verify and
    RTDR steps of this run found them when no write has come since, else read now."""
    standing = ctx.standing()
    verified = standing.get(qa)
    refreshed = standing.get(rtdr_test)
    stood = [name for name, checks in (("verify", verified), ("RTDR test", refreshed)) if checks]
    if stood:
        ctx.progress(
            f"readiness: the {' and '.join(stood)} checks of this run stand (no write since)"
        )
    return [
        *(verified if verified else qa.verify(ctx)),
        *(refreshed if refreshed else [rtdr_test.check_again(ctx)]),
    ]


def _deactivate(ctx: Context) -> Change:
    return Change(
        mw.SCREEN,
        f"{mw.description(ctx)}: Active",
        "Yes",
        "No",
        action="deactivate",
        note="untick Active",
    )


def plan(ctx: Context, state: State) -> list[Change]:
    window = mw.find(ctx, state.window.windows)
    if window is None and ctx.dry_run and not mw.past_cutover(ctx, state.window):
        # A dry run has not created the window; go-live would deactivate it once it exists.
        return [_deactivate(ctx)]
    if window is None or not window.active:
        return []
    if state.failed:
        _refuse_or_override(ctx, state.failed)
    return [_deactivate(ctx)]


def _refuse_or_override(ctx: Context, failed: list[Check]) -> None:
    for check in failed:
        ctx.progress(
            f"FAIL {check.name}: the plan wants {check.expected}, the CRM shows {check.found}"
        )
    more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
    names = ", ".join(c.name for c in failed[:5]) + more
    if not ctx.go_live_anyway:
        raise VerificationError(
            f"go-live refused: {len(failed)} check(s) read back failed ({names}); the maintenance "
            f"window stays active. Put them right (`--only STEP` redoes a step), then run again; "
            f"{OVERRIDE} goes live regardless"
        )
    if ctx.scratch.get(OVERRIDDEN):
        return
    ctx.scratch[OVERRIDDEN] = True
    by = getpass.getuser()
    ctx.journal.event(OVERRIDDEN_EVENT, step=ctx.step.id, by=by, failed=[c.name for c in failed])
    ctx.progress(f"going live regardless ({OVERRIDE}, asked by {by}) although {names} failed")


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(MaintenanceWindowsPage)
    ctx.write(changes, lambda: page.set_window_active(mw.description(ctx), False))


def verify(ctx: Context) -> list[Check]:
    window = mw.find(ctx, ctx.screen(MaintenanceWindowsPage).reload().read_windows())
    name = f'maintenance window "{mw.description(ctx)}" Active'
    if window is None:
        return [Check(name, "No (or no window)", "No (or no window)")]
    return [Check(name, "No", "Yes" if window.active else "No")]
