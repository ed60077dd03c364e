"""02 Products (`/billers/<id>/products`): read-only."""

from __future__ import annotations

from pages.biller import BillerTablePage
from pages.entries import Address, Column, Loc


class ProductsPage(BillerTablePage):
    SCREEN = "products"
    TITLE = "Products"
    address = Address("/billers/{id}/products")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:Products")
    table = Loc("role:table:Products")
    product_column = Column("Product")
    active_column = Column("Active")

    def read_values(self) -> dict[str, str]:
        return {f"Product {r['Product']}": r["Active"] for r in self.read_table().rows}
