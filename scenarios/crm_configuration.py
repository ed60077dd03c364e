"""Step 3, CRM configuration: Integration Partner ID, the three invoicing flags, the BIF GUID."""

from __future__ import annotations

from dataclasses import dataclass

from pages.integration_summary import IntegrationSummaryPage
from pages.invoicing_advanced import InvoicingAdvancedPage
from pages.profile import ProfilePage
from robot.core.conversion import CONVERSION_FLAGS
from scenarios.base import Change, Check
from scenarios.context import Context

PROFILE = "Profile"
INVOICING = "Invoicing"
BIF = "BIF Customizations"
PARTNER = "Integration Partner ID"
GUID = "InvoiceFormatGUID"


@dataclass(frozen=True)
class State:
    partner: str
    flags: dict[str, bool]
    guid: str


def read(ctx: Context) -> State:
    partner = ctx.screen(ProfilePage).open().read_values().get(PARTNER, "")
    flags = ctx.screen(InvoicingAdvancedPage).open().read_flags()
    guid = ctx.screen(IntegrationSummaryPage).read_invoice_format_guid()
    return State(partner, flags, guid)


def plan(ctx: Context, state: State) -> list[Change]:
    changes: list[Change] = []
    target = ctx.plan.target_partner
    if state.partner != target:
        changes.append(
            Change(PROFILE, PARTNER, state.partner, target, key="partner", note=f"{PARTNER}")
        )
    for flag in CONVERSION_FLAGS:
        if not state.flags.get(flag, False):
            changes.append(Change(INVOICING, flag, "No", "Yes", key="flag", note=f"tick {flag}"))
    if state.guid != ctx.plan.invoice_format_guid:
        changes.append(Change(BIF, GUID, state.guid, ctx.plan.invoice_format_guid, key="guid"))
    return changes


def apply(ctx: Context, changes: list[Change]) -> None:
    by_key: dict[str, list[Change]] = {}
    for change in changes:
        by_key.setdefault(change.key, []).append(change)
    if "partner" in by_key:
        profile = ctx.screen(ProfilePage)
        ctx.write(
            by_key["partner"], lambda: profile.set_integration_partner(ctx.plan.target_partner)
        )
    if "flag" in by_key:
        flags = [c.field for c in by_key["flag"]]
        invoicing = ctx.screen(InvoicingAdvancedPage)
        # One save holds every flag, as a PM ticks them all and saves once.
        ctx.write(by_key["flag"], lambda: invoicing.enable(*flags))
    if "guid" in by_key:
        summary = ctx.screen(IntegrationSummaryPage)
        guid = ctx.plan.invoice_format_guid
        ctx.write(by_key["guid"], lambda: summary.set_invoice_format_guid(guid))


def verify(ctx: Context) -> list[Check]:
    # The BIF tab first: the step saves it last, and the CRM's answer there shows what it holds.
    guid = ctx.screen(IntegrationSummaryPage).read_invoice_format_guid(fresh=True)
    profile = ctx.screen(ProfilePage).reload().read_values()
    flags = ctx.screen(InvoicingAdvancedPage).reload().read_flags()
    checks = [Check(f"{PROFILE} {PARTNER}", ctx.plan.target_partner, profile.get(PARTNER, ""))]
    checks += [
        Check(f"{INVOICING} {flag}", "Yes", "Yes" if flags.get(flag) else "No")
        for flag in CONVERSION_FLAGS
    ]
    checks.append(Check(f"{BIF} {GUID}", ctx.plan.invoice_format_guid, guid))
    return checks
