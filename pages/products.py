"""02 Products (`/billers/<id>/products`): read-only."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.biller import BillerPage
from pages.readers import Table, read_table


class ProductsPage(BillerPage):
    SCREEN = "products"
    TITLE = "Products"
    PATH = "/billers/{id}/products"
    ROUTE = (("menu", "menu_link"),)
    LOCATORS = {"menu_link": "role:link:Products", "table": "role:table:Products"}

    @property
    def table(self) -> Locator:
        return self.loc("table")

    def read_table(self) -> Table:
        return self.read(read_table, self.table)

    def read_values(self) -> dict[str, str]:
        return {f"Product {r['Product']}": r["Active"] for r in self.read_table().rows}
