"""03 Credit/Debit Cards (`/billers/<id>/cards`): read-only."""

from __future__ import annotations

from pages.biller import BillerTablePage
from pages.entries import Address, Column, Loc


class CardsPage(BillerTablePage):
    SCREEN = "cards"
    TITLE = "Credit/Debit Cards"
    address = Address("/billers/{id}/cards")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:Credit/Debit Cards")
    table = Loc("role:table:Card Types")
    card_column = Column("Card")
    accepted_column = Column("Accepted")
    fee_column = Column("Convenience Fee")

    def read_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for row in self.read_table().rows:
            values[f"{row['Card']} Accepted"] = row["Accepted"]
            values[f"{row['Card']} Convenience Fee"] = row["Convenience Fee"]
        return values
