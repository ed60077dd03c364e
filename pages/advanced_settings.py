"""06 Advanced Settings (`/billers/<id>/advanced-settings`): a paged grid of numbered settings,
edited through a dialog and deleted through a confirm()."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator
from pydantic import SecretStr

from pages.biller import BillerPage
from pages.entries import Address, Column, Loc, LocFor, Text, TextFor
from pages.readers import (
    TableRow,
    read_chosen_option,
    read_option_labels,
    read_table,
    read_text_box,
)
from robot.core.conversion import SECRET_SETTINGS
from robot.core.errors import BusinessRuleError, ScreenChangedError
from robot.core.secrets import MASKED

# The grid shows 25 rows a page and about 120 rows: a page walk longer than this is a loop.
MAX_PAGES = 100


@dataclass(frozen=True)
class SettingRow:
    number: int
    name: str
    value: str
    secret: bool = False

    def __repr__(self) -> str:
        shown = MASKED if self.secret else repr(self.value)
        return f"SettingRow(number={self.number}, name={self.name!r}, value={shown})"


class AdvancedSettingsPage(BillerPage):
    SCREEN = "advanced_settings"
    TITLE = "Advanced Settings"
    address = Address("/billers/{id}/advanced-settings")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:Advanced Settings")
    table = Loc("role:table:Advanced Settings")
    filter = Loc("role:searchbox:Filter settings")
    filter_button = Loc("role:button:Filter")
    rows_per_page = Loc("label:Rows per page", role="combobox")
    pagination = Loc("role:navigation:Pagination")
    next = Loc("role:link:Next")
    page_link = LocFor("role:link:Page {page}")
    current_page = Loc("css:[aria-current=page]")  # the page shown, within the pagination
    edit = LocFor("role:button:Edit setting {number}")
    delete = LocFor("role:button:Delete setting {number}")
    edit_dialog = LocFor("role:dialog:Edit setting {number}")
    value = Loc("role:textbox:Value")
    save = Loc("role:button:Save")
    cancel = Loc("role:button:Cancel")
    new = Loc("role:button:New Setting")
    new_dialog = Loc("role:dialog:New setting")
    number = Loc("label:Number")
    name = Loc("label:Name")
    # Texts the CRM shows: the grid's columns, the rows-per-page options that show every row
    # and one page of rows (where the robot changes rows: see `_show_pages`),
    # the confirm() before a delete (its start: the setting's name follows) and the toast after.
    # The value cell of a setting: settings 10 and 13 are painted over whatever the CRM marks.
    value_cell = LocFor("role:table:Advanced Settings >> row:{number} >> css:td >> nth:3")
    number_column = Column("#")
    name_column = Column("Setting")
    value_column = Column("Value")
    all_rows = Text("All")
    page_rows = Text("25")
    confirm_delete = TextFor("Delete setting {number} (")
    deleted = Text("Deleted.")

    @property
    def next_link(self) -> Locator:
        return self.loc("next", within=self.pagination)

    def edit_button(self, number: int) -> Locator:
        return self.edit(within=self.table, number=number)

    def delete_button(self, number: int) -> Locator:
        return self.delete(within=self.table, number=number)

    # --- reading -------------------------------------------------------------------------------

    def read_page(self) -> list[SettingRow]:
        """The rows on the page shown. A column the grid lacks is named by its entry: read as
        empty, a value would look like a setting that differs from the plan. (Rows that carry
        their number in a data attribute need no number column.)"""
        table = self.read(read_table, self.table)
        shown = list(table.headers)
        if all("setting" in row.data for row in table.rows):
            shown.append(self.number_column)
        missing = self.missing_fields(shown)
        if missing and table.rows:
            raise ScreenChangedError(
                f"{self.TITLE} shows no column {', '.join(missing)} (its columns: "
                f"{', '.join(table.headers) or 'none'}): could not read the settings"
            )
        return [self._setting(row) for row in table.rows]

    def shows_all_rows(self) -> bool:
        return self.is_open() and self._all_rows_chosen() and not self._filtered()

    def show_all_rows(self) -> AdvancedSettingsPage:
        """Rows per page: All, so that every setting is on one page (and on the screenshot)."""
        if self.shows_all_rows():
            return self
        self.open()
        if self._filtered():
            self._apply_filter("")
        if not self._all_rows_chosen():
            self._choose_rows_per_page(self.all_rows)
        return self

    def read_settings(self, *, fresh: bool = False) -> dict[int, SettingRow]:
        """Every setting, by number (the grid switched to All rows). `fresh`: from a page loaded
        for this read, where switching to All rows does not load one already."""
        if fresh and self.shows_all_rows():
            self.reload()
        self.show_all_rows()
        return {row.number: row for row in self.read_page()}

    def read_values(self) -> dict[str, str]:
        """`Setting N` -> value for every row (secret values in clear: fingerprint them)."""
        return {f"Setting {n}": row.value for n, row in sorted(self.read_settings().items())}

    def find_setting(self, number: int, *, use_filter: bool = True) -> SettingRow | None:
        """The row numbered exactly `number` (8 is not 88), paging through the grid: filtered
        by the number (fewer pages), or from page 1 of the whole grid with `use_filter=False`.

        Looks on the page shown first, then on the grid's first page (where the settings the
        conversion sets are: after a filtered search, the next row costs no search), then
        searches. Leaves the grid on the page that shows the row.
        """
        self.open()
        row = self._on_page(number)
        if row is None and self._first_unfiltered_page():
            row = self._on_page(number)
        if row is not None:
            return row
        if use_filter:
            self._apply_filter(str(number))
        for _ in range(MAX_PAGES):
            if (row := self._on_page(number)) is not None:
                return row
            if not self._next_page():
                return None
        raise ScreenChangedError(f"{self.TITLE}: the pages do not end after {MAX_PAGES} pages")

    # --- changing ------------------------------------------------------------------------------

    def set_setting(self, number: int, value: str | SecretStr) -> bool:
        """Save `value` in setting `number` through its Edit dialog; False when it already was.

        A secret value (SecretStr) is typed with tracing paused and never named in messages.
        """
        self._show_pages()
        row = self.find_setting(number)
        if row is None:
            raise BusinessRuleError(
                f"{self.TITLE} has no setting {number}; add it in the CRM (New Setting), "
                "then run again"
            )
        secret = isinstance(value, SecretStr)
        wanted = value.get_secret_value() if isinstance(value, SecretStr) else value
        if row.value == wanted:
            return False
        what = f"setting {number}" + (" (secret)" if secret else "")
        self.click(f"click Edit setting {number}", self.edit_button(number))
        dialog = self.edit_dialog(number=number)
        box = self.loc("value", within=dialog)
        if isinstance(value, SecretStr):
            # Paused until the dialog is gone: a trace snapshot would hold the typed value.
            with self.session.paused_tracing():
                self.fill_secret(f"type the new value of {what}", box, value)
                self.submit(f"save {what}", self.loc("save", within=dialog))
        else:
            self.fill(f"type {value} in {what}", box, value)
            self.submit(f"save {what}", self.loc("save", within=dialog))
        return True

    def remove_setting(self, number: int) -> bool:
        """Delete setting `number`, answering OK to the CRM's confirm(); False when absent."""
        self._show_pages()
        row = self.find_setting(number)
        if row is None:
            return False
        with self.confirming(type(self).confirm_delete.name, number=number):
            self.submit(
                f"delete setting {number} ({row.name})",
                self.delete_button(number),
                toast=type(self).deleted.name,
            )
        return True

    def add_setting(self, number: int, name: str, value: str | SecretStr) -> None:
        """New Setting with this number, name and value."""
        self.open()
        self.click("click New Setting", self.loc("new"))
        dialog = self.loc("new_dialog")
        self.fill(f"type {number} as Number", self.loc("number", within=dialog), str(number))
        self.fill(f"type {name} as Name", self.loc("name", within=dialog), name)
        box = self.loc("value", within=dialog)
        save = self.loc("save", within=dialog)
        if isinstance(value, SecretStr):
            with self.session.paused_tracing():
                self.fill_secret(f"type the value of setting {number} (secret)", box, value)
                self.submit(f"save new setting {number}", save)
        else:
            self.fill(f"type {value} as Value", box, value)
            self.submit(f"save new setting {number}", save)

    def _setting(self, row: TableRow) -> SettingRow:
        cells = self.as_fields(row.cells)
        number_text = cells.get("#", "") or row.data.get("setting", "")
        try:
            number = int(number_text)
        except ValueError:
            raise ScreenChangedError(
                f'{self.TITLE} shows a row whose number is "{number_text}"'
            ) from None
        secret = self.shown_name("Value") in row.secret_columns
        return SettingRow(number, cells.get("Setting", ""), cells.get("Value", ""), secret)

    def masks(self) -> dict[str, list[Locator]]:
        masks = super().masks()
        masks["secret"] += [self.value_cell(number=n) for n in sorted(SECRET_SETTINGS)]
        return masks

    def close_dialog(self, dialog: Locator) -> None:
        """Leave a dialog without saving (Escape, as a PM would)."""
        self.act("close the dialog", dialog, _press_escape)

    # --- the grid's controls -------------------------------------------------------------------

    def _apply_filter(self, text: str) -> None:
        self.fill(f'type "{text}" in Filter settings', self.filter, text)
        self.navigate("apply the filter", self.filter_button)

    def _choose_rows_per_page(self, label: str) -> None:
        """The select reloads the grid on change, as the CRM's page script does."""
        description = f"choose {label} rows per page"
        select = self.rows_per_page
        self.navigate(description, select, lambda: self.choose_option(description, select, label))

    def _show_pages(self) -> None:
        """From All rows back to pages of `page_rows` rows, where the option is offered.

        The CRM answers a change with the grid as it was shown, and a page of 25 rows loads
        several times faster than all of them; the rows are found by number either way. The
        CRM's answer to a save here shows the grid as the robot left it: already done.
        """
        if not self.is_open() or self.shows_saved_answer() or not self._all_rows_chosen():
            return
        if self.page_rows in self.rows_per_page_offered():
            self._choose_rows_per_page(self.page_rows)

    def rows_per_page_offered(self) -> list[str]:
        """The choices of the rows-per-page select, as the CRM shows them."""
        return self.read(read_option_labels, self.rows_per_page)

    def _on_page(self, number: int) -> SettingRow | None:
        return next((row for row in self.read_page() if row.number == number), None)

    # The grid's state is read from the page itself, where every CRM shows it: one that keeps
    # it in a post-back rather than in the address shows it in the select and the filter box
    # all the same. (Choosing the option already chosen would wait for a page that never loads.)
    def _all_rows_chosen(self) -> bool:
        return self.read(read_chosen_option, self.rows_per_page) == self.all_rows

    def _filtered(self) -> bool:
        """Whether the grid shows only the rows matching a filter. A grid without the filter box
        shows them all (finding a row by filter then names the missing box)."""
        box = self.filter
        return box.count() > 0 and bool(self.read(read_text_box, box))

    def _first_unfiltered_page(self) -> bool:
        """Go to the first page of the whole grid; False when it is the page shown."""
        if self._filtered():
            self._apply_filter("")
        elif not self._on_first_page():
            link = self.loc("page_link", within=self.pagination, page=1)
            self.navigate("open page 1", link)
        else:
            return False
        return True

    def _on_first_page(self) -> bool:
        """Whether the grid shows its first page, as its pagination marks the page shown (a CRM
        marks it whether or not its address says); a grid without pages shows its first."""
        current = self.loc("current_page", within=self.pagination)
        shown = [text.strip() for text in current.all_inner_texts()]
        if len(shown) > 1:  # which one is shown is a guess the robot does not make
            raise self._failure("read which page the grid shows", current)
        return not shown or shown[0] == "1"

    def _next_page(self) -> bool:
        link = self.next_link
        if not link.count() or link.get_attribute("aria-disabled") == "true":
            return False
        self.navigate("open the next page", link)
        return True


def _press_escape(dialog: Locator) -> None:
    dialog.press("Escape")
