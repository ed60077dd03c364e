"""Step 4, FTP setup: a PDF setting and a Zip File setting on the plan's FTP path
(`<ftp name>\\\\ToInvoiceCloud\\\\PDFs`, two backslashes between parts).

A setting already on that path is kept and corrected field by field; none is created twice (the
CRM would refuse a second one on the same path anyway).
"""

from __future__ import annotations

from dataclasses import dataclass

from pages.ftp_management import FtpManagementPage, PdfSetting, ZipSetting
from robot.plan.changes import PDF_MOVE_ACTION
from scenarios.base import Change, Check
from scenarios.context import Context

SCREEN = "FTP Management"
PDF_TITLE = "PDF setting"
ZIP_TITLE = "Zip File setting"


@dataclass(frozen=True)
class State:
    pdf: list[PdfSetting]
    zips: list[ZipSetting]


def read(ctx: Context) -> State:
    page = ctx.screen(FtpManagementPage).open()
    return State(page.read_pdf_settings(), page.read_zip_settings())


def _yes(on: bool) -> str:
    return "Yes" if on else "No"


def _wanted_pdf(ctx: Context) -> dict[str, str]:
    return {
        "FTP Username": ctx.plan.ftp_username,
        "Backup": "Yes",
        "Move Action": PDF_MOVE_ACTION,
        "Active": "Yes",
    }


def _wanted_zip(ctx: Context) -> dict[str, str]:
    return {
        "FTP Username": ctx.plan.ftp_username,
        "Backup": "Yes",
        "Delete Zip Files": "Yes",
        "Active": "Yes",
    }


def pdf_fields(setting: PdfSetting) -> dict[str, str]:
    return {
        "FTP Username": setting.ftp_username,
        "Backup": _yes(setting.backup),
        "Move Action": setting.move_action,
        "Active": _yes(setting.active),
    }


def zip_fields(setting: ZipSetting) -> dict[str, str]:
    return {
        "FTP Username": setting.ftp_username,
        "Backup": _yes(setting.backup),
        "Delete Zip Files": _yes(setting.delete_zip_files),
        "Active": _yes(setting.active),
    }


def _changes(
    title: str, key: str, path: str, found: dict[str, str] | None, wanted: dict[str, str]
) -> list[Change]:
    if found is None:
        # The CRM's History names a creation "New PDF setting" with the path as its value.
        return [
            Change(SCREEN, f"New {title}", "", path, action="create", key=key, note=f"new {title}")
        ]
    return [
        Change(
            SCREEN,
            f"{title} {path} {label}",
            found[label],
            value,
            key=key,
            note=f"{title}: {label}",
        )
        for label, value in wanted.items()
        if found[label] != value
    ]


def plan(ctx: Context, state: State) -> list[Change]:
    path = ctx.plan.ftp_path
    pdf = next((s for s in state.pdf if s.path == path), None)
    zips = next((s for s in state.zips if s.path == path), None)
    changes = _changes(PDF_TITLE, "pdf", path, pdf_fields(pdf) if pdf else None, _wanted_pdf(ctx))
    changes += _changes(
        ZIP_TITLE, "zip", path, zip_fields(zips) if zips else None, _wanted_zip(ctx)
    )
    return changes


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(FtpManagementPage)
    path, user = ctx.plan.ftp_path, ctx.plan.ftp_username
    pdf = [c for c in changes if c.key == "pdf"]
    zips = [c for c in changes if c.key == "zip"]
    if pdf:
        if pdf[0].action == "create":
            ctx.write(pdf, lambda: page.add_pdf_setting(user, path))
        else:
            ctx.write(
                pdf,
                lambda: page.edit_pdf_setting(
                    path, ftp_username=user, backup=True, move_action=PDF_MOVE_ACTION, active=True
                ),
            )
    if zips:
        if zips[0].action == "create":
            ctx.write(zips, lambda: page.add_zip_setting(user, path))
        else:
            ctx.write(
                zips,
                lambda: page.edit_zip_setting(
                    path, ftp_username=user, backup=True, delete_zip_files=True, active=True
                ),
            )


def verify(ctx: Context) -> list[Check]:
    page = ctx.screen(FtpManagementPage).reload()
    path = ctx.plan.ftp_path
    pdfs = [s for s in page.read_pdf_settings() if s.path == path]
    zips = [s for s in page.read_zip_settings() if s.path == path]
    checks = [
        Check(f"PDF settings on {path}", "1", str(len(pdfs))),
        Check(f"Zip File settings on {path}", "1", str(len(zips))),
    ]
    if pdfs:
        found = pdf_fields(pdfs[0])
        checks += [Check(f"PDF {label}", v, found[label]) for label, v in _wanted_pdf(ctx).items()]
    if zips:
        found = zip_fields(zips[0])
        checks += [Check(f"Zip {label}", v, found[label]) for label, v in _wanted_zip(ctx).items()]
    return checks
