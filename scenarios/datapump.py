"""Step 5, DataPump: the payment DataPump sends exactly the plan's terminals; the non-payment
DataPump has nothing selected."""

from __future__ import annotations

from dataclasses import dataclass

from pages.datapump import DataPumpPage
from robot.core.errors import BusinessRuleError
from scenarios.base import Change, Check
from scenarios.context import Context

SCREEN = "DataPump Management"
PAYMENT = "Payment DataPump"
NON_PAYMENT = "Non-payment DataPump"


@dataclass(frozen=True)
class State:
    payment: dict[str, bool]
    non_payment: dict[str, bool]


def read(ctx: Context) -> State:
    page = ctx.screen(DataPumpPage).open()
    return State(page.read_payment(), page.read_non_payment())


def _yes(on: bool) -> str:
    return "Yes" if on else "No"


def plan(ctx: Context, state: State) -> list[Change]:
    wanted = set(ctx.plan.datapump.payment_terminals)
    unknown = sorted(wanted - set(state.payment))
    if unknown:
        raise BusinessRuleError(
            f"{SCREEN}: {PAYMENT} has no terminal {', '.join(unknown)}; the biller's terminals "
            f"are {', '.join(state.payment) or 'none'}. Fix datapump.payment_terminals in the "
            "plan; nothing was changed"
        )
    changes = [
        Change(
            SCREEN,
            f"{PAYMENT} {t}",
            _yes(on),
            _yes(t in wanted),
            key=PAYMENT,
            note=f"{PAYMENT}: {'select' if t in wanted else 'clear'} {t}",
        )
        for t, on in state.payment.items()
        if on != (t in wanted)
    ]
    changes += [
        Change(
            SCREEN,
            f"{NON_PAYMENT} {option}",
            "Yes",
            "No",
            key=NON_PAYMENT,
            note=f"{NON_PAYMENT}: clear {option}",
        )
        for option, on in state.non_payment.items()
        if on
    ]
    return changes


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(DataPumpPage)
    payment = [c for c in changes if c.key == PAYMENT]
    non_payment = [c for c in changes if c.key == NON_PAYMENT]
    terminals = list(ctx.plan.datapump.payment_terminals)
    ctx.write(payment, lambda: page.set_payment_terminals(terminals))
    ctx.write(non_payment, lambda: page.set_non_payment([]))


def verify(ctx: Context) -> list[Check]:
    page = ctx.screen(DataPumpPage).reload()
    wanted = set(ctx.plan.datapump.payment_terminals)
    checks = [
        Check(f"{PAYMENT} {t}", _yes(t in wanted), _yes(on))
        for t, on in page.read_payment().items()
    ]
    checks += [
        Check(f"{NON_PAYMENT} {option}", "No", _yes(on))
        for option, on in page.read_non_payment().items()
    ]
    return checks
