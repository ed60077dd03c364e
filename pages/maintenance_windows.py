"""Biller Portal > Settings > Portal Customization > Maintenance Windows
(`/billers/<id>/portal/maintenance-windows`): windows added and edited through a form and deleted
through a confirm()."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pages.biller import BillerPage
from pages.entries import Address, Column, Loc, LocFor, Text, TextFor
from pages.readers import read_table
from robot.core.errors import BusinessRuleError


@dataclass(frozen=True)
class WindowRow:
    description: str
    start: str  # as shown, Central Time: "2026-12-15 01:00"
    end: str
    active: bool
    all_pages: bool


def _input_value(moment: datetime | str) -> str:
    """`2026-12-15T01:00`, what a datetime-local input takes (Central Time, no zone)."""
    if isinstance(moment, datetime):
        return f"{moment:%Y-%m-%dT%H:%M}"
    return moment.strip().replace(" ", "T")


class MaintenanceWindowsPage(BillerPage):
    SCREEN = "maintenance_windows"
    TITLE = "Maintenance Windows"
    address = Address("/billers/{id}/portal/maintenance-windows")
    ROUTE = (
        ("menu", "menu_link"),
        ("tabs", "settings_tab"),
        ("page", "customization_link"),
        ("page", "windows_link"),
    )
    menu_link = Loc("role:link:Biller Portal")
    settings_tab = Loc("role:link:Settings")
    customization_link = Loc("role:link:Portal Customization")
    windows_link = Loc("role:link:Maintenance Windows")
    table = Loc("role:table:Maintenance Windows")
    new = Loc("role:button:New Maintenance Window")
    edit = LocFor("role:link:Edit maintenance window {description}")
    delete = LocFor("role:button:Delete maintenance window {description}")
    description = Loc("label:Internal Description")
    message = Loc("label:Customer-Facing Message")
    start = Loc("label:Start (Central Time)")
    end = Loc("label:End (Central Time)")
    active = Loc("role:checkbox:Active")
    all_pages = Loc("role:checkbox:Apply to all pages")
    save = Loc("role:button:Save")
    description_column = Column("Internal Description")
    start_column = Column("Start (CT)")
    end_column = Column("End (CT)")
    active_column = Column("Active")
    all_pages_column = Column("All Pages")
    # The confirm() before a delete (its start: the CRM may add more after the description) and
    # the toast after.
    confirm_delete = TextFor("Delete maintenance window {description}?")
    deleted = Text("Deleted.")

    def read_windows(self) -> list[WindowRow]:
        return [
            WindowRow(
                r["Internal Description"],
                r["Start (CT)"],
                r["End (CT)"],
                r["Active"] == self.yes,
                r["All Pages"] == self.yes,
            )
            for r in self.as_table(self.read(read_table, self.table)).rows
        ]

    def read_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for row in self.as_table(self.read(read_table, self.table)).rows:
            name = row["Internal Description"]
            for column in ("Start (CT)", "End (CT)", "Active", "All Pages"):
                values[f"Window {name} {column}"] = row[column]
        return values

    def find_window(self, description: str) -> WindowRow | None:
        self.open()
        return next((w for w in self.read_windows() if w.description == description), None)

    def create_window(
        self,
        description: str,
        message: str,
        start: datetime | str,
        end: datetime | str,
        *,
        active: bool = True,
        all_pages: bool = True,
    ) -> None:
        """New Maintenance Window; start and end are Central Time wall-clock times."""
        self.open()
        self.navigate("click New Maintenance Window", self.loc("new"))
        self.fill("type the Internal Description", self.loc("description"), description)
        self.fill("type the Customer-Facing Message", self.loc("message"), message)
        self.fill("type the start (Central Time)", self.loc("start"), _input_value(start))
        self.fill("type the end (Central Time)", self.loc("end"), _input_value(end))
        self.set_checked("set Active", self.loc("active"), active)
        self.set_checked("set Apply to all pages", self.loc("all_pages"), all_pages)
        self.submit(f"save maintenance window {description}", self.save)

    def set_window_active(self, description: str, active: bool) -> bool:
        """Tick or clear Active on the window; False when it already was so."""
        row = self.find_window(description)
        if row is None:
            raise BusinessRuleError(
                f'{self.TITLE} has no window "{description}"; create it first (step '
                "maintenance-window), then run again"
            )
        if row.active == active:
            return False
        edit = self.loc("edit", within=self.table, description=description)
        self.navigate(f"edit maintenance window {description}", edit)
        self.set_checked("set Active", self.loc("active"), active)
        verb = "activate" if active else "deactivate"
        self.submit(f"{verb} maintenance window {description}", self.save)
        return True

    def can_remove_window(self, description: str) -> bool:
        """Whether the window offers a Delete (read-only); False when the CRM offers none, or
        there is no such window."""
        if self.find_window(description) is None:
            return False
        return self.delete(within=self.table, description=description).count() > 0

    def remove_window(self, description: str) -> bool:
        """Delete the window, answering OK to the CRM's confirm(); False when there is none."""
        if self.find_window(description) is None:
            return False
        with self.confirming(type(self).confirm_delete.name, description=description):
            self.submit(
                f"delete maintenance window {description}",
                self.delete(within=self.table, description=description),
                toast=type(self).deleted.name,
            )
        return True
