"""07 Integration Summary (`/billers/<id>/integration-summary`) and its BIF Customizations tab."""

from __future__ import annotations

from pages.biller import BillerPage
from pages.entries import Address, Field, Loc, Text
from pages.readers import read_definition_list, read_text_box
from robot.core.conversion import (
    APPLY_GLOBAL_BIF_CUSTOMIZATIONS,
    CONVERSION_FLAGS,
    REAL_TIME_DATA_REFRESH,
    SUPPRESS_STALE_BALANCES,
)


class IntegrationSummaryPage(BillerPage):
    SCREEN = "integration_summary"
    TITLE = "Integration Summary"
    address = Address("/billers/{id}/integration-summary")
    bif_address = Address("/billers/{id}/integration-summary/bif")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:Integration Summary")
    summary = Loc("label:Integration Summary")
    summary_tab = Loc("role:link:Summary")
    bif_tab = Loc("role:link:BIF Customizations")
    invoice_format_guid = Loc("role:textbox:InvoiceFormatGUID")
    save = Loc("role:button:Save")
    # The terms of the summary list the robot checks.
    partner_term = Field("Integration Partner ID")
    invoice_format_guid_term = Field("InvoiceFormatGUID")
    rtdr_endpoint_term = Field("RTDR Endpoint")
    pdf_settings_term = Field("PDF Settings")
    zip_settings_term = Field("Zip File Settings")
    payment_datapump_term = Field("Payment DataPump")
    real_time_data_refresh = Field(REAL_TIME_DATA_REFRESH)
    suppress_stale_balances = Field(SUPPRESS_STALE_BALANCES)
    apply_global_bif_customizations = Field(APPLY_GLOBAL_BIF_CUSTOMIZATIONS)
    # What the summary says of a flag that is on, and off.
    on = Text("On")
    off = Text("Off")

    def read_values(self) -> dict[str, str]:
        """The summary list; flags read `On` / `Off` whatever words the CRM uses."""
        values = self.as_fields(self.read(read_definition_list, self.summary))
        words = {self.on: "On", self.off: "Off"}
        for flag in CONVERSION_FLAGS:
            if flag in values:
                values[flag] = words.get(values[flag], values[flag])
        return values

    def open_bif(self) -> IntegrationSummaryPage:
        """The BIF Customizations tab, through the Integration Summary's tabs."""
        if self._on_bif_tab() and not self.page_problem():
            return self
        self.open()
        tab = self.loc("bif_tab", within=self.nav.tabs)
        self.follow("open the BIF Customizations tab", tab)
        return self

    def read_invoice_format_guid(self, *, fresh: bool = False) -> str:
        """The InvoiceFormatGUID on the BIF Customizations tab. `fresh`: as the CRM holds it now,
        from the tab loaded again through the summary, or from the CRM's answer to a save on the
        tab, which shows it already."""
        if fresh and not (self._on_bif_tab() and self.shows_saved_answer()):
            self.reload()
        self.open_bif()
        return self.read(read_text_box, self.invoice_format_guid)

    def _on_bif_tab(self) -> bool:
        return self.at(self.bif_address(id=self.biller_id))

    def set_invoice_format_guid(self, guid: str) -> bool:
        """Save `guid` as InvoiceFormatGUID; False when it already was (case as stored)."""
        if self.read_invoice_format_guid() == guid:
            return False
        self.fill("type the InvoiceFormatGUID", self.invoice_format_guid, guid)
        self.submit(f"save InvoiceFormatGUID {guid}", self.save)
        return True
