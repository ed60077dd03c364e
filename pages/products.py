"""02 Products (`/billers/<id>/products`): read-only."""

from __future__ import annotations

from pages.biller import BillerTablePage


class ProductsPage(BillerTablePage):
    SCREEN = "products"
    TITLE = "Products"
    PATH = "/billers/{id}/products"
    ROUTE = (("menu", "menu_link"),)
    LOCATORS = {"menu_link": "role:link:Products", "table": "role:table:Products"}

    def read_values(self) -> dict[str, str]:
        return {f"Product {r['Product']}": r["Active"] for r in self.read_table().rows}
