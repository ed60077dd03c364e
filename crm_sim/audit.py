"""Change history per biller: who changed what, old -> new. Secrets are never recorded."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint

from crm_sim.auth import current_user
from crm_sim.db import get_db
from crm_sim.rendering import biller_screen
from crm_sim.timefmt import server_time

bp = Blueprint("audit", __name__)
SECRET_MARK = "changed"


def record(
    db: sqlite3.Connection,
    biller_id: str,
    screen: str,
    field: str,
    old: Any,
    new: Any,
    *,
    secret: bool = False,
) -> None:
    """One history row, only when the value really changed. Call inside the write transaction."""
    old_text, new_text = _text(old), _text(new)
    if old_text == new_text:
        return
    if secret:
        old_text = new_text = SECRET_MARK
    db.execute(
        "INSERT INTO history (biller_id, at, user, screen, field, old, new) VALUES (?,?,?,?,?,?,?)",
        (biller_id, server_time(), current_user() or "system", screen, field, old_text, new_text),
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def history_rows(db: sqlite3.Connection, biller_id: str) -> list[sqlite3.Row]:
    return db.execute(
        "SELECT * FROM history WHERE biller_id = ? ORDER BY id DESC", (biller_id,)
    ).fetchall()


@bp.get("/billers/<biller_id>/history")
def history(biller_id: str) -> Any:
    return biller_screen(
        "history.html", biller_id, "history", rows=history_rows(get_db(), biller_id)
    )
