"""07 Integration Summary (`/billers/<id>/integration-summary`) and its BIF Customizations tab."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.biller import BillerPage
from pages.readers import read_definition_list


class IntegrationSummaryPage(BillerPage):
    SCREEN = "integration_summary"
    TITLE = "Integration Summary"
    PATH = "/billers/{id}/integration-summary"
    BIF_PATH = "/billers/{id}/integration-summary/bif"
    ROUTE = (("menu", "menu_link"),)
    LOCATORS = {
        "menu_link": "role:link:Integration Summary",
        "summary": "label:Integration Summary",
        "summary_tab": "role:link:Summary",
        "bif_tab": "role:link:BIF Customizations",
        "invoice_format_guid": "role:textbox:InvoiceFormatGUID",
        "save": "role:button:Save",
    }

    @property
    def summary(self) -> Locator:
        return self.loc("summary")

    @property
    def invoice_format_guid_box(self) -> Locator:
        return self.loc("invoice_format_guid")

    @property
    def save_button(self) -> Locator:
        return self.loc("save")

    def read_values(self) -> dict[str, str]:
        """The summary list; flags read `On` / `Off`."""
        return self.read(read_definition_list, self.summary)

    def open_bif(self) -> IntegrationSummaryPage:
        """The BIF Customizations tab, through the Integration Summary's tabs."""
        if self.path() == self.BIF_PATH.format(id=self.biller_id) and not self.page_problem():
            return self
        self.open()
        tab = self.loc("bif_tab", within=self.nav.tabs)
        self.follow("open the BIF Customizations tab", tab)
        return self

    def read_invoice_format_guid(self) -> str:
        self.open_bif()
        value: str = self.invoice_format_guid_box.input_value()
        return value.strip()

    def set_invoice_format_guid(self, guid: str) -> bool:
        """Save `guid` as InvoiceFormatGUID; False when it already was (case as stored)."""
        if self.read_invoice_format_guid() == guid:
            return False
        self.fill("type the InvoiceFormatGUID", self.invoice_format_guid_box, guid)
        self.submit(f"save InvoiceFormatGUID {guid}", self.save_button)
        return True
