"""08 FTP Management (`/billers/<id>/ftp`): PDF settings and Zip File settings, each added and
edited through a form and deleted through a confirm()."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator

from pages.biller import BillerPage
from pages.entries import Address, Column, Field, Loc, LocFor, Text, TextFor
from pages.readers import read_table


@dataclass(frozen=True)
class PdfSetting:
    ftp_username: str
    path: str
    backup: bool
    move_action: str
    active: bool


@dataclass(frozen=True)
class ZipSetting:
    ftp_username: str
    path: str
    backup: bool
    delete_zip_files: bool
    active: bool


MOVE_TO_FILENAME_PENDING = "Move to Filename Pending"


class FtpManagementPage(BillerPage):
    SCREEN = "ftp_management"
    TITLE = "FTP Management"
    address = Address("/billers/{id}/ftp")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:FTP Management")
    pdf_table = Loc("role:table:PDF Settings")
    zip_table = Loc("role:table:Zip File Settings")
    new_pdf = Loc("role:button:New PDF Setting")
    new_zip = Loc("role:button:New Zip File Setting")
    edit_pdf = LocFor("role:link:Edit PDF setting {path}")
    edit_zip = LocFor("role:link:Edit Zip File setting {path}")
    delete_pdf = LocFor("role:button:Delete PDF setting {path}")
    delete_zip = LocFor("role:button:Delete Zip File setting {path}")
    ftp_username = Loc("role:textbox:FTP Username")
    path_box = Loc("role:textbox:Path", name="path")
    backup = Loc("role:checkbox:Backup")
    move_action = Loc("label:Move Action", role="combobox")
    delete_zip_files = Loc("role:checkbox:Delete Zip Files")
    active = Loc("role:checkbox:Active")
    save = Loc("role:button:Save")
    # The Move Action option the conversion chooses, and the columns the robot reads.
    filename_pending = Field(MOVE_TO_FILENAME_PENDING)
    username_column = Column("FTP Username")
    path_column = Column("Path")
    backup_column = Column("Backup")
    move_action_column = Column("Move Action")
    delete_zip_files_column = Column("Delete Zip Files")
    active_column = Column("Active")
    # The confirm() before a delete (its start: the CRM may add more after the path) and the
    # toast after.
    confirm_delete_pdf = TextFor("Delete PDF setting {path}?")
    confirm_delete_zip = TextFor("Delete Zip File setting {path}?")
    deleted = Text("Deleted.")

    def read_pdf_settings(self) -> list[PdfSetting]:
        return [
            PdfSetting(
                r["FTP Username"],
                r["Path"],
                r["Backup"] == self.yes,
                self.robot_name(r["Move Action"]),
                r["Active"] == self.yes,
            )
            for r in self.as_table(self.read(read_table, self.pdf_table)).rows
        ]

    def read_zip_settings(self) -> list[ZipSetting]:
        return [
            ZipSetting(
                r["FTP Username"],
                r["Path"],
                r["Backup"] == self.yes,
                r["Delete Zip Files"] == self.yes,
                r["Active"] == self.yes,
            )
            for r in self.as_table(self.read(read_table, self.zip_table)).rows
        ]

    def read_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for pdf in self.as_table(self.read(read_table, self.pdf_table)).rows:
            for column in ("FTP Username", "Backup", "Move Action", "Active"):
                shown = pdf[column]
                # The option the robot chooses is reported under its name, whatever the CRM's.
                move = column == "Move Action"
                values[f"PDF {pdf['Path']} {column}"] = self.robot_name(shown) if move else shown
        for zip_ in self.as_table(self.read(read_table, self.zip_table)).rows:
            for column in ("FTP Username", "Backup", "Delete Zip Files", "Active"):
                values[f"Zip {zip_['Path']} {column}"] = zip_[column]
        return values

    def add_pdf_setting(
        self,
        ftp_username: str,
        path: str,
        *,
        backup: bool = True,
        move_action: str = MOVE_TO_FILENAME_PENDING,
        active: bool = True,
    ) -> None:
        """New PDF Setting with these values. The CRM refuses a second one on the same path."""
        self.open()
        self.navigate("click New PDF Setting", self.loc("new_pdf"))
        self._fill_pdf_form(ftp_username, path, backup, move_action, active)
        self.submit(f"save the PDF setting for {path}", self.save)

    def edit_pdf_setting(
        self, path: str, *, ftp_username: str, backup: bool, move_action: str, active: bool
    ) -> None:
        self.open()
        self.navigate(f"edit the PDF setting for {path}", self.loc("edit_pdf", path=path))
        self._fill_pdf_form(ftp_username, path, backup, move_action, active)
        self.submit(f"save the PDF setting for {path}", self.save)

    def add_zip_setting(
        self,
        ftp_username: str,
        path: str,
        *,
        backup: bool = True,
        delete_zip_files: bool = True,
        active: bool = True,
    ) -> None:
        """New Zip File Setting with these values."""
        self.open()
        self.navigate("click New Zip File Setting", self.loc("new_zip"))
        self._fill_zip_form(ftp_username, path, backup, delete_zip_files, active)
        self.submit(f"save the Zip File setting for {path}", self.save)

    def edit_zip_setting(
        self, path: str, *, ftp_username: str, backup: bool, delete_zip_files: bool, active: bool
    ) -> None:
        self.open()
        self.navigate(f"edit the Zip File setting for {path}", self.loc("edit_zip", path=path))
        self._fill_zip_form(ftp_username, path, backup, delete_zip_files, active)
        self.submit(f"save the Zip File setting for {path}", self.save)

    def can_remove_pdf_setting(self, path: str) -> bool:
        """Whether the PDF setting on `path` offers a Delete (read-only); False when the CRM
        offers none, or there is no setting on that path."""
        if not self._has_pdf_setting(path):
            return False
        return self.delete_pdf(within=self.pdf_table, path=path).count() > 0

    def can_remove_zip_setting(self, path: str) -> bool:
        """Whether the Zip File setting on `path` offers a Delete (read-only); False when the
        CRM offers none, or there is no setting on that path."""
        if not self._has_zip_setting(path):
            return False
        return self.delete_zip(within=self.zip_table, path=path).count() > 0

    def remove_pdf_setting(self, path: str) -> bool:
        """Delete the PDF setting on `path`, answering OK to the CRM's confirm(); False when
        there is none."""
        if not self._has_pdf_setting(path):
            return False
        button = self.delete_pdf(within=self.pdf_table, path=path)
        self._delete(
            f"delete the PDF setting for {path}", button, type(self).confirm_delete_pdf, path
        )
        return True

    def remove_zip_setting(self, path: str) -> bool:
        """Delete the Zip File setting on `path`, answering OK to the CRM's confirm(); False
        when there is none."""
        if not self._has_zip_setting(path):
            return False
        button = self.delete_zip(within=self.zip_table, path=path)
        self._delete(
            f"delete the Zip File setting for {path}", button, type(self).confirm_delete_zip, path
        )
        return True

    def _has_pdf_setting(self, path: str) -> bool:
        self.open()
        return any(setting.path == path for setting in self.read_pdf_settings())

    def _has_zip_setting(self, path: str) -> bool:
        self.open()
        return any(setting.path == path for setting in self.read_zip_settings())

    def _delete(self, description: str, button: Locator, question: TextFor, path: str) -> None:
        with self.confirming(question.name, path=path):
            self.submit(description, button, toast=type(self).deleted.name)

    def _fill_pdf_form(
        self, ftp_username: str, path: str, backup: bool, move_action: str, active: bool
    ) -> None:
        self._fill_common(ftp_username, path, backup)
        self.choose_option(
            f"choose {move_action} as Move Action",
            self.loc("move_action"),
            self.shown_name(move_action),
        )
        self.set_checked("set Active", self.loc("active"), active)

    def _fill_zip_form(
        self, ftp_username: str, path: str, backup: bool, delete_zip_files: bool, active: bool
    ) -> None:
        self._fill_common(ftp_username, path, backup)
        self.set_checked("set Delete Zip Files", self.loc("delete_zip_files"), delete_zip_files)
        self.set_checked("set Active", self.loc("active"), active)

    def _fill_common(self, ftp_username: str, path: str, backup: bool) -> None:
        self.fill("type the FTP Username", self.loc("ftp_username"), ftp_username)
        self.fill("type the Path", self.loc("path"), path)
        self.set_checked("set Backup", self.loc("backup"), backup)
