"""The base of every CRM page object, composed of one module per job:

- pages/lookup.py: the session a page works in, and its locators by logical name;
- pages/problems.py: what stands in place of a screen (sign-in page, error page, spinner);
- pages/actions.py: acting on one element, and Playwright's failures as the robot's errors;
- pages/loading.py: loading a screen, signing in again once when the session expired;
- pages/saving.py: submitting forms, toasts, validation errors, confirm() dialogs.

Page objects never assert and never log a secret; they raise a RobotError when the CRM does not
show what the contract (docs/crm-screens.md) promises.
"""

from __future__ import annotations

from pages.entries import Text
from pages.lookup import BeforeAction, CrmSession, LastLoad, PageProblem
from pages.saving import PageSaving

__all__ = ["BasePage", "BeforeAction", "CrmSession", "LastLoad", "PageProblem"]


class BasePage(PageSaving):
    """A screen of the CRM (see the modules above for what each part does)."""

    # What the environment badge (`common.env_banner`) says for the plan's UAT and PROD.
    uat = Text("UAT")
    prod = Text("PROD")

    def environment(self) -> str:
        """The environment the badge names, in the plan's words (UAT, PROD); what it shows
        when it names neither, "" when there is no badge."""
        texts = self.env_banner.all_inner_texts()
        shown = texts[0].strip() if texts else ""
        return {self.uat: "UAT", self.prod: "PROD"}.get(shown, shown)
