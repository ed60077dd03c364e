"""Search > Files > Invoice Files > History (`/billers/<id>/search/files/invoice-files/history`)
and its Data Refresh, which asks the simulated Spectrum service for invoices."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pages.biller import BillerPage
from pages.entries import Address, Loc, Text
from pages.readers import read_table
from robot.core.errors import ScreenChangedError


@dataclass(frozen=True)
class DataRefreshResult:
    returned_data: bool
    count: int
    message: str
    invoices: list[dict[str, str]] = field(default_factory=list)


class InvoiceHistoryPage(BillerPage):
    SCREEN = "invoice_history"
    TITLE = "Invoice Files > History"
    address = Address("/billers/{id}/search/files/invoice-files/history")
    ROUTE = (
        ("menu", "menu_link"),
        ("tabs", "files_tab"),
        ("page", "invoice_files_link"),
        ("tabs", "history_tab"),
    )
    menu_link = Loc("role:link:Search")
    files_tab = Loc("role:link:Files")
    invoice_files_link = Loc("role:link:Invoice Files")
    history_tab = Loc("role:link:History")
    data_refresh = Loc("role:button:Data Refresh")
    invoices = Loc("role:table:Refreshed Invoices")
    no_data = Loc("role:alert")
    # What the CRM says after a Data Refresh that returned invoices; {count} is their number,
    # and a final "s" is optional (1 invoice, 2 invoices).
    returned = Text("Data Refresh returned {count} invoices.")

    def run_data_refresh(self) -> DataRefreshResult:
        """Click Data Refresh and read what came back; never raises for "no data"."""
        self.open()
        with self.session.routed():  # a form post
            self.navigate("click Data Refresh", self.data_refresh)
        return self.read_result()

    def read_result(self) -> DataRefreshResult:
        if self.invoices.count():
            invoices = [dict(r.cells) for r in self.read(read_table, self.invoices).rows]
            pattern = self._returned_pattern()
            message = next(
                (t.strip() for t in self.page.get_by_text(pattern).all_inner_texts()),
                self.returned.format(count=len(invoices)),
            )
            match = pattern.match(message)
            count = int(match[1]) if match else len(invoices)
            return DataRefreshResult(count > 0, count, message, invoices)
        alerts = [t.strip() for t in self.no_data.all_inner_texts() if t.strip()]
        if not alerts:
            raise ScreenChangedError(
                f"{self.TITLE} shows neither {self.describe(self.invoices)} nor "
                f"{self.describe(self.no_data)} after Data Refresh: could not find its result"
            )
        return DataRefreshResult(False, 0, alerts[0])

    def _returned_pattern(self) -> re.Pattern[str]:
        """The returned-invoices message as a pattern: {count} a number, a plural "s." optional."""
        before, _, after = self.returned.partition("{count}")
        tail = re.escape(after)
        if after.endswith("s."):
            tail = re.escape(after[:-2]) + r"s?\."
        return re.compile(rf"^{re.escape(before)}(\d+){tail}$")

    def read_values(self) -> dict[str, str]:
        result = self.read_result()
        return {"Data Refresh": result.message}
