"""05 Cloud IVR Connect Invoice Types (`/billers/<id>/ivr-invoice-types`): read-only."""

from __future__ import annotations

from pages.biller import BillerTablePage
from pages.entries import Address, Column, Loc


class IvrInvoiceTypesPage(BillerTablePage):
    SCREEN = "ivr_invoice_types"
    TITLE = "Cloud IVR Connect Invoice Types"
    address = Address("/billers/{id}/ivr-invoice-types")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:Cloud IVR Connect Invoice Types")
    table = Loc("role:table:Invoice Types")
    type_column = Column("Invoice Type")
    code_column = Column("IVR Code")
    enabled_column = Column("Enabled")

    def read_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for row in self.read_table().rows:
            values[f"{row['Invoice Type']} IVR Code"] = row["IVR Code"]
            values[f"{row['Invoice Type']} Enabled"] = row["Enabled"]
        return values
