"""Rollback: Integration Partner ID, the three invoicing flags and InvoiceFormatGUID as the
conversion found them (its crm-configuration step's writes)."""

from __future__ import annotations

from functools import partial

from pages.integration_summary import IntegrationSummaryPage
from pages.invoicing_advanced import InvoicingAdvancedPage
from pages.profile import ProfilePage
from scenarios import crm_configuration as conf
from scenarios.base import Change, Check
from scenarios.context import Context
from scenarios.ports import Written
from scenarios.undo import Current, checks, plan_restores, restore_change, undo_of

STEP = "crm-configuration"


def written(ctx: Context) -> list[Written]:
    return undo_of(ctx).of_steps(STEP)


def current(ctx: Context, *, fresh: bool = False) -> Current:
    """The three screens as the conversion journaled their fields."""
    writes = written(ctx)
    screens = {w.screen for w in writes}
    values: dict[tuple[str, str], str | None] = {}
    if conf.PROFILE in screens:
        profile = ctx.screen(ProfilePage)
        shown = (profile.reload() if fresh else profile.open()).read_values()
        values[(conf.PROFILE, conf.PARTNER)] = shown.get(conf.PARTNER, "")
    if conf.INVOICING in screens:
        invoicing = ctx.screen(InvoicingAdvancedPage)
        flags = (invoicing.reload() if fresh else invoicing.open()).read_flags()
        values.update({(conf.INVOICING, f): "Yes" if on else "No" for f, on in flags.items()})
    if conf.BIF in screens:
        summary = ctx.screen(IntegrationSummaryPage)
        values[(conf.BIF, conf.GUID)] = summary.read_invoice_format_guid(fresh=fresh)
    return values


def read(ctx: Context) -> Current:
    return current(ctx)


def plan(ctx: Context, state: Current) -> list[Change]:
    return plan_restores(ctx, written(ctx), state, restore_change)


def apply(ctx: Context, changes: list[Change]) -> None:
    partner = [c for c in changes if c.screen == conf.PROFILE]
    flags = [c for c in changes if c.screen == conf.INVOICING]
    guid = [c for c in changes if c.screen == conf.BIF]
    profile, summary = ctx.screen(ProfilePage), ctx.screen(IntegrationSummaryPage)
    for change in partner:
        ctx.write(change, partial(profile.set_integration_partner, change.new or ""))
    if flags:
        wanted = {c.field: c.new == "Yes" for c in flags}
        # One save for every flag, as the conversion ticked them.
        ctx.write(flags, lambda: ctx.screen(InvoicingAdvancedPage).set_flags(wanted))
    for change in guid:
        ctx.write(change, partial(summary.set_invoice_format_guid, change.new or ""))


def verify(ctx: Context) -> list[Check]:
    return checks(ctx, written(ctx), current(ctx, fresh=True))
