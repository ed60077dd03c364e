"""Rollback: the PDF and Zip File settings the conversion created are removed (deactivated where
the CRM offers no Delete: the step says so); fields it changed on a setting that was there get
their old values.

The conversion wrote fields named as the CRM's History names them: `New PDF setting` (a creation,
its value the path) and `PDF setting <path> <column>` (an edit of the setting on the plan's path).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from pages.ftp_management import FtpManagementPage
from scenarios import ftp_setup as ftp
from scenarios.base import Change, Check
from scenarios.context import Context
from scenarios.ports import Written
from scenarios.undo import Current, checks, plan_restores, undo_of

STEP = "ftp-setup"
DELETED = "(deleted)"
REMOVED = "removed"
DEACTIVATED = "deactivated (the CRM offers no Delete)"
ACTIVE = "Active"


@dataclass(frozen=True)
class Kind:
    title: str  # as the CRM's History names the setting
    slug: str  # pdf, zip

    def fields(self, page: FtpManagementPage) -> dict[str, dict[str, str]]:
        """path -> the setting's fields, as the conversion journaled them."""
        if self.slug == "pdf":
            return {s.path: ftp.pdf_fields(s) for s in page.read_pdf_settings()}
        return {s.path: ftp.zip_fields(s) for s in page.read_zip_settings()}

    def active(self, page: FtpManagementPage, path: str) -> bool | None:
        """Whether the setting on `path` is active; None when there is none."""
        found = page.read_pdf_settings() if self.slug == "pdf" else page.read_zip_settings()
        return next((s.active for s in found if s.path == path), None)

    def can_remove(self, page: FtpManagementPage) -> Callable[[str], bool]:
        return page.can_remove_pdf_setting if self.slug == "pdf" else page.can_remove_zip_setting

    def remove(self, page: FtpManagementPage) -> Callable[[str], bool]:
        return page.remove_pdf_setting if self.slug == "pdf" else page.remove_zip_setting


KINDS = (Kind(ftp.PDF_TITLE, "pdf"), Kind(ftp.ZIP_TITLE, "zip"))


def written(ctx: Context) -> list[Written]:
    return undo_of(ctx).of_steps(STEP)


def _kind_of(written: Written) -> Kind:
    return next(k for k in KINDS if written.field.startswith((f"New {k.title}", f"{k.title} ")))


def _label(ctx: Context, kind: Kind, field: str) -> str:
    """The column of an edit: `PDF setting <plan's path> <column>`."""
    return field.removeprefix(f"{kind.title} {ctx.plan.ftp_path} ")


def current(ctx: Context, *, fresh: bool = False) -> Current:
    writes = written(ctx)
    if not writes:
        return {}
    page = ctx.screen(FtpManagementPage)
    page.reload() if fresh else page.open()
    found = {k.slug: k.fields(page) for k in KINDS}
    values: dict[tuple[str, str], str | None] = {}
    for w in writes:
        kind = _kind_of(w)
        settings = found[kind.slug]
        if w.action == "create":
            values[(w.screen, w.field)] = w.after if w.after in settings else ""
        else:
            setting = settings.get(ctx.plan.ftp_path, {})
            values[(w.screen, w.field)] = setting.get(_label(ctx, kind, w.field))
    return values


def read(ctx: Context) -> Current:
    return current(ctx)


def _removal(ctx: Context, kind: Kind, path: str) -> Change | None:
    """The setting removed; deactivated where the CRM offers no Delete (None: it already is)."""
    page = ctx.screen(FtpManagementPage)
    if kind.can_remove(page)(path):
        # Named as the CRM's History names a removal.
        field = f"{kind.title} {path}"
        return Change(ftp.SCREEN, field, path, DELETED, action="remove", key=kind.slug)
    if not kind.active(page, path):
        return None
    ctx.progress(
        f"{ftp.SCREEN}: the CRM offers no Delete for the {kind.title} on {path}, so it is "
        "deactivated instead"
    )
    field = f"{kind.title} {path} {ACTIVE}"
    return Change(ftp.SCREEN, field, "Yes", "No", action="deactivate", key=kind.slug)


def plan(ctx: Context, state: Current) -> list[Change]:
    removals: list[Change | None] = []

    def make(written: Written, now: str | None) -> Change:
        kind = _kind_of(written)
        if written.action == "create":
            removals.append(_removal(ctx, kind, now or ""))
            return Change(written.screen, written.field, now, written.before, action="create")
        return Change(written.screen, written.field, now, written.before, key=kind.slug)

    edits = [c for c in plan_restores(ctx, written(ctx), state, make) if c.action != "create"]
    return [c for c in removals if c is not None] + edits


def _edit(page: FtpManagementPage, kind: Kind, path: str, fields: dict[str, str]) -> None:
    yes = {label: value == "Yes" for label, value in fields.items()}
    if kind.slug == "pdf":
        page.edit_pdf_setting(
            path,
            ftp_username=fields["FTP Username"],
            backup=yes["Backup"],
            move_action=fields["Move Action"],
            active=yes[ACTIVE],
        )
    else:
        page.edit_zip_setting(
            path,
            ftp_username=fields["FTP Username"],
            backup=yes["Backup"],
            delete_zip_files=yes["Delete Zip Files"],
            active=yes[ACTIVE],
        )


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(FtpManagementPage)
    path = ctx.plan.ftp_path
    for kind in KINDS:
        mine = [c for c in changes if c.key == kind.slug]
        for change in (c for c in mine if c.action == "remove"):
            ctx.write(change, partial(kind.remove(page), change.old or ""))
        edits = [c for c in mine if c.action != "remove"]
        if not edits:
            continue
        fields = dict(kind.fields(page.open()).get(path, {}))
        for change in edits:
            fields[_label(ctx, kind, change.field)] = change.new or ""
        # One save per setting, as a PM edits it once.
        ctx.write(edits, partial(_edit, page, kind, path, fields))


def _created_check(ctx: Context, written: Written, state: Current) -> Check:
    kind, path = _kind_of(written), written.after or ""
    name = f"{ftp.SCREEN}: {kind.title} on {path}"
    if not state.get((written.screen, written.field)):
        return Check(name, REMOVED, REMOVED)
    page = ctx.screen(FtpManagementPage)
    if kind.can_remove(page)(path):
        return Check(name, REMOVED, "present")
    return Check(name, DEACTIVATED, "active" if kind.active(page, path) else DEACTIVATED)


def verify(ctx: Context) -> list[Check]:
    state = current(ctx, fresh=True)
    rows = []
    for w in written(ctx):
        if w.action == "create":
            rows.append(_created_check(ctx, w, state))
        else:
            rows += checks(ctx, [w], state)
    return rows
