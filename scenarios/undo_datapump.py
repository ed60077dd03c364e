"""Rollback: the payment and non-payment DataPump selections as the conversion found them (its
datapump step's writes); options the conversion did not touch stay as they are."""

from __future__ import annotations

from pages.datapump import DataPumpPage
from scenarios import datapump as dp
from scenarios.base import Change, Check
from scenarios.context import Context
from scenarios.ports import Written
from scenarios.undo import Current, checks, plan_restores, restore_change, undo_of

STEP = "datapump"


def written(ctx: Context) -> list[Written]:
    return undo_of(ctx).of_steps(STEP)


def current(ctx: Context, *, fresh: bool = False) -> Current:
    if not written(ctx):
        return {}
    page = ctx.screen(DataPumpPage)
    shown = (page.reload() if fresh else page.open()).read_values()
    return {(dp.SCREEN, name): value for name, value in shown.items()}


def read(ctx: Context) -> Current:
    return current(ctx)


def plan(ctx: Context, state: Current) -> list[Change]:
    return plan_restores(ctx, written(ctx), state, restore_change)


def _selection(state: Current, group: str, changes: list[Change]) -> list[str]:
    """The options of `group` selected once `changes` are made, the others as they are."""
    prefix = f"{group} "
    selected = {
        field.removeprefix(prefix): value == "Yes"
        for (_, field), value in state.items()
        if field.startswith(prefix)
    }
    for change in changes:
        selected[change.field.removeprefix(prefix)] = change.new == "Yes"
    return [option for option, on in selected.items() if on]


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(DataPumpPage)
    state = current(ctx)
    payment = [c for c in changes if c.field.startswith(f"{dp.PAYMENT} ")]
    non_payment = [c for c in changes if c.field.startswith(f"{dp.NON_PAYMENT} ")]
    terminals = _selection(state, dp.PAYMENT, payment)
    options = _selection(state, dp.NON_PAYMENT, non_payment)
    ctx.write(payment, lambda: page.set_payment_terminals(terminals))
    ctx.write(non_payment, lambda: page.set_non_payment(options))


def verify(ctx: Context) -> list[Check]:
    return checks(ctx, written(ctx), current(ctx, fresh=True))
