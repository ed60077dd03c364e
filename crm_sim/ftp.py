"""FTP Management: PDF settings and Zip File settings, each a grid with New and Edit forms and
a Delete (after a confirm()) on each row."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, request

from crm_sim import audit
from crm_sim.db import get_db, transaction
from crm_sim.rendering import FormErrors, biller_screen, checked, load_biller, render_biller, saved

bp = Blueprint("ftp", __name__)
MOVE_ACTIONS = ["None", "Move to Archive", "Move to Filename Pending"]
PATH_MAX = 260


@dataclass(frozen=True)
class Kind:
    slug: str  # in paths: pdf, zip
    table: str
    title: str  # "PDF setting", "Zip File setting"
    checkboxes: tuple[tuple[str, str], ...]  # (column, label)
    has_move_action: bool


KINDS = {
    "pdf": Kind(
        "pdf", "pdf_settings", "PDF setting", (("backup", "Backup"), ("active", "Active")), True
    ),
    "zip": Kind(
        "zip",
        "zip_settings",
        "Zip File setting",
        (("backup", "Backup"), ("delete_zip_files", "Delete Zip Files"), ("active", "Active")),
        False,
    ),
}


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        abort(404)
    return KINDS[slug]


@bp.get("/billers/<biller_id>/ftp")
def overview(biller_id: str) -> Any:
    db = get_db()
    pdf = db.execute(
        "SELECT * FROM pdf_settings WHERE biller_id = ? ORDER BY id", (biller_id,)
    ).fetchall()
    zips = db.execute(
        "SELECT * FROM zip_settings WHERE biller_id = ? ORDER BY id", (biller_id,)
    ).fetchall()
    return biller_screen("ftp.html", biller_id, "ftp", pdf_rows=pdf, zip_rows=zips)


def _existing(kind: Kind, biller_id: str, setting_id: int) -> sqlite3.Row:
    row = (
        get_db()
        .execute(
            f"SELECT * FROM {kind.table} WHERE biller_id = ? AND id = ?", (biller_id, setting_id)
        )
        .fetchone()
    )
    if row is None:
        abort(404)
    setting: sqlite3.Row = row
    return setting


def _form(
    biller: sqlite3.Row,
    kind: Kind,
    values: dict[str, Any],
    errors: FormErrors,
    action: str,
    status: int = 200,
) -> Any:
    return render_biller(
        "ftp_form.html",
        biller,
        "ftp",
        status=status,
        kind=kind,
        values=values,
        errors=errors,
        action=action,
        move_actions=MOVE_ACTIONS,
    )


@bp.get("/billers/<biller_id>/ftp/<slug>/new")
def new_form(biller_id: str, slug: str) -> Any:
    biller, kind = load_biller(biller_id), _kind(slug)
    values: dict[str, Any] = {
        "ftp_username": "",
        "path": "",
        "move_action": "None",
        **{column: False for column, _ in kind.checkboxes},
    }
    return _form(biller, kind, values, FormErrors(), f"/billers/{biller_id}/ftp/{slug}/new")


@bp.get("/billers/<biller_id>/ftp/<slug>/<int:setting_id>/edit")
def edit_form(biller_id: str, slug: str, setting_id: int) -> Any:
    biller, kind = load_biller(biller_id), _kind(slug)
    values = dict(_existing(kind, biller_id, setting_id))
    return _form(
        biller, kind, values, FormErrors(), f"/billers/{biller_id}/ftp/{slug}/{setting_id}/edit"
    )


def _read_form(kind: Kind) -> dict[str, Any]:
    values: dict[str, Any] = {
        "ftp_username": request.form.get("ftp_username", "").strip(),
        "path": request.form.get("path", "").strip(),
    }
    if kind.has_move_action:
        values["move_action"] = request.form.get("move_action", "None")
    for column, _ in kind.checkboxes:
        values[column] = checked(request.form, column)
    return values


def _validate(
    kind: Kind, biller_id: str, values: dict[str, Any], setting_id: int | None
) -> FormErrors:
    errors = FormErrors()
    if not values["ftp_username"]:
        errors["ftp_username"] = "FTP Username is required."
    if not values["path"]:
        errors["path"] = "Path is required."
    elif len(values["path"]) > PATH_MAX:
        errors["path"] = f"Path must be {PATH_MAX} characters or fewer."
    else:
        clash = (
            get_db()
            .execute(
                f"SELECT 1 FROM {kind.table} WHERE biller_id = ? AND lower(path) = lower(?) "
                "AND id IS NOT ?",
                (biller_id, values["path"], setting_id),
            )
            .fetchone()
        )
        if clash:
            errors["path"] = f"A {kind.title} for this path already exists."
    if kind.has_move_action and values["move_action"] not in MOVE_ACTIONS:
        errors["move_action"] = "Move Action must be one of the listed options."
    return errors


def _columns(kind: Kind) -> list[str]:
    return [
        "ftp_username",
        "path",
        *(["move_action"] if kind.has_move_action else []),
        *[column for column, _ in kind.checkboxes],
    ]


_LABELS = {"ftp_username": "FTP Username", "path": "Path", "move_action": "Move Action"}


@bp.post("/billers/<biller_id>/ftp/<slug>/new")
def create(biller_id: str, slug: str) -> Any:
    biller, kind = load_biller(biller_id), _kind(slug)
    values = _read_form(kind)
    errors = _validate(kind, biller_id, values, None)
    if errors:
        return _form(biller, kind, values, errors, request.path, 422)
    columns = _columns(kind)
    db = get_db()
    with transaction(db):
        db.execute(
            f"INSERT INTO {kind.table} (biller_id, {', '.join(columns)}) "
            f"VALUES (?{', ?' * len(columns)})",
            (biller_id, *[_db_value(values[c]) for c in columns]),
        )
        screen = "FTP Management"
        audit.record(db, biller_id, screen, f"New {kind.title}", "", values["path"])
    return saved(f"/billers/{biller_id}/ftp")


@bp.post("/billers/<biller_id>/ftp/<slug>/<int:setting_id>/edit")
def update(biller_id: str, slug: str, setting_id: int) -> Any:
    biller, kind = load_biller(biller_id), _kind(slug)
    old = _existing(kind, biller_id, setting_id)
    values = _read_form(kind)
    errors = _validate(kind, biller_id, values, setting_id)
    if errors:
        return _form(biller, kind, values, errors, request.path, 422)
    columns = _columns(kind)
    labels = {**_LABELS, **dict(kind.checkboxes)}
    db = get_db()
    with transaction(db):
        db.execute(
            f"UPDATE {kind.table} SET {', '.join(c + ' = ?' for c in columns)} "
            "WHERE biller_id = ? AND id = ?",
            (*[_db_value(values[c]) for c in columns], biller_id, setting_id),
        )
        for column in columns:
            old_value = bool(old[column]) if isinstance(values[column], bool) else old[column]
            audit.record(
                db,
                biller_id,
                "FTP Management",
                f"{kind.title} {old['path']} {labels[column]}",
                old_value,
                values[column],
            )
    return saved(f"/billers/{biller_id}/ftp")


@bp.post("/billers/<biller_id>/ftp/<slug>/<int:setting_id>/delete")
def delete(biller_id: str, slug: str, setting_id: int) -> Any:
    load_biller(biller_id)
    kind = _kind(slug)
    setting = _existing(kind, biller_id, setting_id)
    db = get_db()
    with transaction(db):
        db.execute(
            f"DELETE FROM {kind.table} WHERE biller_id = ? AND id = ?", (biller_id, setting_id)
        )
        # Named as an edit of the same setting names it, so History reads as one story per path.
        field = f"{kind.title} {setting['path']}"
        audit.record(db, biller_id, "FTP Management", field, setting["path"], "(deleted)")
    return saved(f"/billers/{biller_id}/ftp", "Deleted.")


def _db_value(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value
