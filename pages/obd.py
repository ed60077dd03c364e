"""04 OBD (`/billers/<id>/obd`): read-only."""

from __future__ import annotations

from pages.biller import BillerPage
from pages.entries import Address, Loc
from pages.readers import read_definition_list


class ObdPage(BillerPage):
    SCREEN = "obd"
    TITLE = "OBD"
    address = Address("/billers/{id}/obd")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:OBD")
    details = Loc("label:OBD")

    def read_values(self) -> dict[str, str]:
        return self.as_fields(self.read(read_definition_list, self.details))
