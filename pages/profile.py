"""01 Profile (`/billers/<id>/profile`) and its Edit Profile form."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.biller import BillerPage
from pages.readers import read_definition_list


class ProfilePage(BillerPage):
    SCREEN = "profile"
    TITLE = "Profile"
    PATH = "/billers/{id}/profile"
    ROUTE = (("menu", "menu_link"),)
    LOCATORS = {
        "menu_link": "role:link:Profile",
        "details": "label:Profile",
        "edit": "role:link:Edit Profile",
        "partner": "label:Integration Partner ID",
        "primary_contact": "label:Primary Contact",
        "save": "role:button:Save",
        "cancel": "role:link:Cancel",
    }

    @property
    def details(self) -> Locator:
        return self.loc("details")

    @property
    def edit_button(self) -> Locator:
        return self.loc("edit")

    @property
    def partner_select(self) -> Locator:
        return self.loc("partner")

    @property
    def primary_contact_box(self) -> Locator:
        return self.loc("primary_contact")

    @property
    def save_button(self) -> Locator:
        return self.loc("save")

    def read_values(self) -> dict[str, str]:
        return self.read(read_definition_list, self.details)

    def read_integration_partner(self) -> str:
        return self.read_values().get("Integration Partner ID", "")

    def open_edit(self) -> None:
        self.open()
        self.navigate("click Edit Profile", self.edit_button)

    def set_integration_partner(self, name: str) -> bool:
        """Choose `name` as Integration Partner ID and save; False when it already was."""
        if self.open().read_integration_partner() == name:
            return False
        self.open_edit()
        self.choose_option(f"choose {name} as Integration Partner ID", self.partner_select, name)
        self.submit(f"save Integration Partner ID {name}", self.save_button)
        return True

    def set_primary_contact(self, contact: str) -> bool:
        if self.open().read_values().get("Primary Contact") == contact:
            return False
        self.open_edit()
        self.fill("type the Primary Contact", self.primary_contact_box, contact)
        self.submit("save the Primary Contact", self.save_button)
        return True
