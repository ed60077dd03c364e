"""History (`/billers/<id>/history`): the CRM's audit of changes."""

from __future__ import annotations

from dataclasses import dataclass

from pages.biller import BillerPage
from pages.entries import Address, Column, Loc
from pages.readers import read_table


@dataclass(frozen=True)
class HistoryEntry:
    when: str
    user: str
    screen: str
    field: str
    old: str
    new: str


class HistoryPage(BillerPage):
    SCREEN = "history"
    TITLE = "History"
    address = Address("/billers/{id}/history")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:History")
    table = Loc("role:table:Change History")
    when_column = Column("When")
    user_column = Column("User")
    screen_column = Column("Screen")
    field_column = Column("Field")
    old_column = Column("Old Value")
    new_column = Column("New Value")

    def read_entries(self) -> list[HistoryEntry]:
        return [
            HistoryEntry(
                r["When"], r["User"], r["Screen"], r["Field"], r["Old Value"], r["New Value"]
            )
            for r in self.as_table(self.read(read_table, self.table)).rows
        ]

    def read_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for index, entry in enumerate(self.read_entries(), start=1):
            values[f"Change {index}"] = (
                f"{entry.when} {entry.user} {entry.screen} {entry.field}: "
                f"{entry.old} -> {entry.new}"
            )
        return values
