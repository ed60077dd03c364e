"""03 Credit/Debit Cards (`/billers/<id>/cards`): read-only."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.biller import BillerPage
from pages.readers import Table, read_table


class CardsPage(BillerPage):
    SCREEN = "cards"
    TITLE = "Credit/Debit Cards"
    PATH = "/billers/{id}/cards"
    ROUTE = (("menu", "menu_link"),)
    LOCATORS = {"menu_link": "role:link:Credit/Debit Cards", "table": "role:table:Card Types"}

    @property
    def table(self) -> Locator:
        return self.loc("table")

    def read_table(self) -> Table:
        return self.read(read_table, self.table)

    def read_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for row in self.read_table().rows:
            values[f"{row['Card']} Accepted"] = row["Accepted"]
            values[f"{row['Card']} Convenience Fee"] = row["Convenience Fee"]
        return values
