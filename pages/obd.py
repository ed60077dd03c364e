"""04 OBD (`/billers/<id>/obd`): read-only."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.biller import BillerPage
from pages.readers import read_definition_list


class ObdPage(BillerPage):
    SCREEN = "obd"
    TITLE = "OBD"
    PATH = "/billers/{id}/obd"
    ROUTE = (("menu", "menu_link"),)
    LOCATORS = {"menu_link": "role:link:OBD", "details": "label:OBD"}

    @property
    def details(self) -> Locator:
        return self.loc("details")

    def read_values(self) -> dict[str, str]:
        return self.read(read_definition_list, self.details)
