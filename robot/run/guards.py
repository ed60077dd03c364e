"""Safety checks before the first write. Each failure is a GuardError (exit 1); nothing is written.

Before the browser opens: a PROD plan needs `--prod` and the biller's name typed back (or
`--confirm-biller NAME`), and the CRM's host must be one allowed for the plan's environment.
In the CRM: the environment badge matches the plan, the selected biller's ID, GUID and name on the
Profile screen match the plan exactly (a near namesake is refused), and its Integration Partner is
the expected one (IMT MIPS APPS) or already IMT Spectrum.
"""

from __future__ import annotations

from collections.abc import Callable

from pages.base import BasePage, CrmSession
from pages.biller_search import BillerSearchPage
from pages.profile import ProfilePage
from robot.core.errors import GuardError, ScreenChangedError
from robot.core.settings import Settings
from robot.plan.model import ConversionPlan


def check_prod_confirmation(
    plan: ConversionPlan,
    *,
    prod: bool,
    confirm_biller: str | None,
    interactive: bool,
    ask: Callable[[str], str],
) -> None:
    """A PROD plan: `--prod`, then the biller's exact name typed (or given non-interactively)."""
    if plan.biller.environment != "PROD":
        return
    name = plan.biller.name
    if not prod:
        raise GuardError(
            f"PROD plan for {name} ({plan.biller.id}): add --prod to confirm you mean to change "
            "production. Nothing was written"
        )
    if confirm_biller is None:
        if not interactive:
            raise GuardError(
                f"PROD: type-back confirmation needed for {name} ({plan.biller.id}), but this run "
                f'cannot ask; add --confirm-biller "{name}". Nothing was written'
            )
        try:
            confirm_biller = ask(f"PROD: type the biller's name to change it ({name}): ")
        except EOFError:
            confirm_biller = ""
    if confirm_biller.strip() != name:
        raise GuardError(
            f'PROD: "{confirm_biller.strip()}" is not the plan\'s biller name "{name}"; '
            "nothing was written. Type the name exactly, or check the plan"
        )


def check_host(plan: ConversionPlan, settings: Settings) -> None:
    env = plan.biller.environment
    if settings.crm_host_allowed(env):
        return
    allowed = ", ".join(settings.allowed_hosts(env)) or "none"
    key = "CRM_PROD_HOSTS" if env == "PROD" else "CRM_UAT_HOSTS"
    raise GuardError(
        f"CRM_BASE_URL: {settings.crm_host} is not a {env} host (allowed for {env}: {allowed}); "
        f"the plan is for {env}. Point CRM_BASE_URL at the {env} CRM, or add the host to {key} "
        "if it really is one. Nothing was written"
    )


def check_environment_badge(session: CrmSession, plan: ConversionPlan) -> None:
    page = BasePage(session)
    if not page.env_banner.count():
        raise ScreenChangedError(
            f"could not find {page.describe(page.env_banner)}, the banner that says which "
            "environment the CRM is; nothing was written"
        )
    shown = page.environment()  # in the plan's words, whatever the CRM's
    wanted = plan.biller.environment
    if shown != wanted:
        raise GuardError(
            f"the CRM says it is {shown or 'no environment'} but the plan is for {wanted}; "
            "nothing was written. Check CRM_BASE_URL and biller.environment in the plan"
        )


def select_biller(session: CrmSession, plan: ConversionPlan) -> None:
    """Search by Biller ID and open the result whose ID, name and GUID are the plan's."""
    biller = plan.biller
    search = BillerSearchPage(session).open()
    results = search.search(biller.id)
    match = next((r for r in results if r.biller_id == biller.id), None)
    if match is None:
        raise GuardError(
            f"the CRM has no biller with ID {biller.id}; nothing was written. Check biller.id "
            "in the plan"
        )
    if match.name != biller.name:
        raise GuardError(
            f'biller {biller.id} is "{match.name}" in the CRM, not "{biller.name}" as the plan '
            "says; nothing was written. A biller with a similar name is not the same biller: "
            "check biller.id and biller.name in the plan"
        )
    if match.guid.upper() != biller.guid.upper():
        raise GuardError(
            f"biller {biller.id} has GUID {match.guid} in the CRM, not {biller.guid}; "
            "nothing was written. Check biller.guid in the plan"
        )
    search.select(biller.name)


def check_profile(session: CrmSession, plan: ConversionPlan) -> str:
    """The Profile screen shows exactly the plan's biller; returns its Integration Partner."""
    biller = plan.biller
    values = ProfilePage(session, biller.id).open().read_values()
    shown = {
        "Biller ID": values.get("Biller ID", ""),
        "Biller Name": values.get("Biller Name", ""),
        "Biller GUID": values.get("Biller GUID", "").upper(),
    }
    wanted = {"Biller ID": biller.id, "Biller Name": biller.name, "Biller GUID": biller.guid}
    wrong = [
        f"{k} is {shown[k]!r}, plan says {wanted[k]!r}" for k in wanted if shown[k] != wanted[k]
    ]
    if wrong:
        raise GuardError(
            f"the Profile screen does not show the plan's biller ({'; '.join(wrong)}); "
            "nothing was written. Check the [biller] table of the plan"
        )
    partner = values.get("Integration Partner ID", "")
    allowed = (biller.expected_partner, plan.target_partner)
    if partner not in allowed:
        raise GuardError(
            f"{biller.name} ({biller.id}) is on {partner!r}, not {biller.expected_partner} or "
            f"{plan.target_partner}; this conversion does not apply. Nothing was written"
        )
    return partner
