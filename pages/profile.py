"""01 Profile (`/billers/<id>/profile`) and its Edit Profile form."""

from __future__ import annotations

from pages.biller import BillerPage
from pages.entries import Address, Field, Loc
from pages.readers import read_definition_list


class ProfilePage(BillerPage):
    SCREEN = "profile"
    TITLE = "Profile"
    address = Address("/billers/{id}/profile")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:Profile")
    details = Loc("label:Profile")
    edit = Loc("role:link:Edit Profile")
    partner = Loc("label:Integration Partner ID", role="combobox")
    primary_contact = Loc("label:Primary Contact")
    save = Loc("role:button:Save")
    cancel = Loc("role:link:Cancel")
    # The terms of the Profile list the robot reads (the guards check the first three).
    id_term = Field("Biller ID")
    name_term = Field("Biller Name")
    guid_term = Field("Biller GUID")
    partner_term = Field("Integration Partner ID")
    primary_contact_term = Field("Primary Contact")

    def read_values(self) -> dict[str, str]:
        return self.as_fields(self.read(read_definition_list, self.details))

    def read_integration_partner(self) -> str:
        return self.read_values().get("Integration Partner ID", "")

    def open_edit(self) -> None:
        self.open()
        self.navigate("click Edit Profile", self.edit)

    def set_integration_partner(self, name: str) -> bool:
        """Choose `name` as Integration Partner ID and save; False when it already was."""
        if self.open().read_integration_partner() == name:
            return False
        self.open_edit()
        self.choose_option(f"choose {name} as Integration Partner ID", self.partner, name)
        self.submit(f"save Integration Partner ID {name}", self.save)
        return True

    def set_primary_contact(self, contact: str) -> bool:
        if self.open().read_values().get("Primary Contact") == contact:
            return False
        self.open_edit()
        self.fill("type the Primary Contact", self.primary_contact, contact)
        self.submit("save the Primary Contact", self.save)
        return True
