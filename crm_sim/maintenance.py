"""Biller Portal > Settings > Portal Customization > Maintenance Windows."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint, abort, request

from crm_sim import audit
from crm_sim.db import get_db, transaction
from crm_sim.rendering import (
    FormErrors,
    biller_screen,
    checked,
    load_biller,
    render_biller,
    saved,
)
from crm_sim.timefmt import parse_local, show_local

bp = Blueprint("maintenance", __name__)
DESCRIPTION_MAX = 200
MESSAGE_MAX = 1000
START, END = "Start (Central Time)", "End (Central Time)"


@bp.get("/billers/<biller_id>/portal")
def overview(biller_id: str) -> Any:
    return biller_screen("portal_overview.html", biller_id, "portal")


@bp.get("/billers/<biller_id>/portal/settings")
def settings(biller_id: str) -> Any:
    return biller_screen("portal_settings.html", biller_id, "portal")


@bp.get("/billers/<biller_id>/portal/settings/customization")
def customization(biller_id: str) -> Any:
    return biller_screen("portal_customization.html", biller_id, "portal")


@bp.get("/billers/<biller_id>/portal/settings/branding")
def branding(biller_id: str) -> Any:
    return biller_screen("portal_branding.html", biller_id, "portal")


def windows(biller_id: str) -> list[sqlite3.Row]:
    return (
        get_db()
        .execute("SELECT * FROM maintenance_windows WHERE biller_id = ? ORDER BY id", (biller_id,))
        .fetchall()
    )


@bp.get("/billers/<biller_id>/portal/maintenance-windows")
def list_windows(biller_id: str) -> Any:
    return biller_screen(
        "maintenance_windows.html", biller_id, "portal", rows=windows(biller_id), show=show_local
    )


def _form(
    biller: sqlite3.Row,
    values: dict[str, Any],
    errors: FormErrors,
    action: str,
    status: int = 200,
    *,
    editing: bool = False,
) -> Any:
    return render_biller(
        "maintenance_form.html",
        biller,
        "portal",
        status=status,
        values=values,
        errors=errors,
        action=action,
        editing=editing,
    )


def _window(biller_id: str, window_id: int) -> sqlite3.Row:
    row = (
        get_db()
        .execute(
            "SELECT * FROM maintenance_windows WHERE biller_id = ? AND id = ?",
            (biller_id, window_id),
        )
        .fetchone()
    )
    if row is None:
        abort(404)
    window: sqlite3.Row = row
    return window


@bp.get("/billers/<biller_id>/portal/maintenance-windows/new")
def new_form(biller_id: str) -> Any:
    values = {
        "description": "",
        "message": "",
        "start": "",
        "end": "",
        "active": True,
        "all_pages": False,
    }
    return _form(load_biller(biller_id), values, FormErrors(), request.path)


@bp.get("/billers/<biller_id>/portal/maintenance-windows/<int:window_id>/edit")
def edit_form(biller_id: str, window_id: int) -> Any:
    biller = load_biller(biller_id)
    values = dict(_window(biller_id, window_id))
    return _form(biller, values, FormErrors(), request.path, editing=True)


def _read() -> tuple[dict[str, Any], FormErrors]:
    values: dict[str, Any] = {
        "description": request.form.get("description", "").strip(),
        "message": request.form.get("message", "").strip(),
        "start": request.form.get("start", "").strip(),
        "end": request.form.get("end", "").strip(),
        "active": checked(request.form, "active"),
        "all_pages": checked(request.form, "all_pages"),
    }
    errors = FormErrors()
    if not values["description"]:
        errors["description"] = "Internal Description is required."
    elif len(values["description"]) > DESCRIPTION_MAX:
        errors["description"] = (
            f"Internal Description must be {DESCRIPTION_MAX} characters or fewer."
        )
    if len(values["message"]) > MESSAGE_MAX:
        errors["message"] = f"Customer-Facing Message must be {MESSAGE_MAX} characters or fewer."
    start, end = parse_local(values["start"]), parse_local(values["end"])
    for key, label, parsed in (("start", START, start), ("end", END, end)):
        if not values[key]:
            errors[key] = f"{label} is required."
        elif parsed is None:
            errors[key] = f"{label} must be a date and time like 2026-12-15T01:00."
    if start and end:
        if end <= start:
            errors["end"] = f"{END} must be after {START} ({show_local(values['start'])})."
        values["start"], values["end"] = (
            start.strftime("%Y-%m-%dT%H:%M"),
            end.strftime("%Y-%m-%dT%H:%M"),
        )
    return values, errors


_LABELS = {
    "description": "Internal Description",
    "message": "Customer-Facing Message",
    "start": START,
    "end": END,
    "active": "Active",
    "all_pages": "Apply to all pages",
}
_COLUMNS = list(_LABELS)


@bp.post("/billers/<biller_id>/portal/maintenance-windows/new")
def create(biller_id: str) -> Any:
    biller = load_biller(biller_id)
    values, errors = _read()
    if errors:
        return _form(biller, values, errors, request.path, 422)
    db = get_db()
    with transaction(db):
        db.execute(
            f"INSERT INTO maintenance_windows (biller_id, {', '.join(_COLUMNS)}) "
            "VALUES (?,?,?,?,?,?,?)",
            (biller_id, *[_db(values[c]) for c in _COLUMNS]),
        )
        audit.record(
            db,
            biller_id,
            "Maintenance Windows",
            "New maintenance window",
            "",
            values["description"],
        )
    return saved(f"/billers/{biller_id}/portal/maintenance-windows")


@bp.post("/billers/<biller_id>/portal/maintenance-windows/<int:window_id>/edit")
def update(biller_id: str, window_id: int) -> Any:
    biller = load_biller(biller_id)
    old = _window(biller_id, window_id)
    values, errors = _read()
    if errors:
        return _form(biller, values, errors, request.path, 422, editing=True)
    db = get_db()
    with transaction(db):
        db.execute(
            f"UPDATE maintenance_windows SET {', '.join(c + ' = ?' for c in _COLUMNS)} "
            "WHERE biller_id = ? AND id = ?",
            (*[_db(values[c]) for c in _COLUMNS], biller_id, window_id),
        )
        for column in _COLUMNS:
            before = bool(old[column]) if isinstance(values[column], bool) else old[column]
            audit.record(
                db,
                biller_id,
                "Maintenance Windows",
                f"{old['description']}: {_LABELS[column]}",
                before,
                values[column],
            )
    return saved(f"/billers/{biller_id}/portal/maintenance-windows")


@bp.post("/billers/<biller_id>/portal/maintenance-windows/<int:window_id>/delete")
def delete(biller_id: str, window_id: int) -> Any:
    load_biller(biller_id)
    window = _window(biller_id, window_id)
    db = get_db()
    with transaction(db):
        db.execute(
            "DELETE FROM maintenance_windows WHERE biller_id = ? AND id = ?",
            (biller_id, window_id),
        )
        audit.record(
            db,
            biller_id,
            "Maintenance Windows",
            f"Maintenance window {window['description']}",
            window["description"],
            "(deleted)",
        )
    return saved(f"/billers/{biller_id}/portal/maintenance-windows", "Deleted.")


def _db(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value
