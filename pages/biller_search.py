"""Biller Search (`/billers`): find a biller by name, ID or GUID and open it."""

from __future__ import annotations

from dataclasses import dataclass

from pages.base import BasePage
from pages.entries import Address, Column, Loc, LocFor
from pages.readers import read_table
from robot.core.errors import ScreenChangedError


@dataclass(frozen=True)
class BillerResult:
    biller_id: str
    name: str
    guid: str
    integration_partner: str
    status: str


class BillerSearchPage(BasePage):
    SCREEN = "biller_search"
    TITLE = "Biller Search"
    address = Address("/billers")
    heading = Loc("role:heading:Biller Search")
    search_box = Loc("role:searchbox:Search billers")
    search_button = Loc("role:button:Search")
    results = Loc("role:table:Billers")
    result_link = LocFor("role:link:{name}")
    no_results = LocFor('text:No billers match "{query}".')
    id_column = Column("Biller ID")
    name_column = Column("Name")
    guid_column = Column("GUID")
    partner_column = Column("Integration Partner")
    status_column = Column("Status")

    def open(self) -> BillerSearchPage:
        if not self.at(self.address()) or self.page_problem() is not None:
            self.goto(self.address(), "open Biller Search")
        return self

    def search(self, query: str) -> list[BillerResult]:
        self.run_search(query)
        return self.read_results(query)

    def run_search(self, query: str) -> None:
        """Type `query` in the search box and search (the results are read separately)."""
        self.fill(f'type "{query}" in Search billers', self.search_box, query)
        self.navigate("search billers", self.search_button)

    def read_results(self, query: str | None = None) -> list[BillerResult]:
        """The results shown; none when the CRM says the search found nothing. After a search
        for `query`, a screen that shows neither is a screen the robot does not know."""
        if not self.results.count():
            if query is not None and not self.no_results(query=query).count():
                raise ScreenChangedError(
                    f"{self.TITLE} shows neither {self.describe(self.results)} nor "
                    f"{self.describe(self.no_results(query=query))} after searching "
                    f'"{query}": could not find the results'
                )
            return []
        table = self.as_table(self.read(read_table, self.results))
        return [
            BillerResult(
                r.cells.get("Biller ID", ""),
                r.cells.get("Name", ""),
                r.cells.get("GUID", ""),
                r.cells.get("Integration Partner", ""),
                r.cells.get("Status", ""),
            )
            for r in table.rows
        ]

    def read_values(self) -> dict[str, str]:
        return {f"Biller {r.biller_id}": r.name for r in self.read_results()}

    def select(self, name: str) -> None:
        """Open the result whose name is exactly `name` (not a namesake that starts alike)."""
        link = self.loc("result_link", within=self.results, name=name)
        self.navigate(f"open biller {name}", link)
