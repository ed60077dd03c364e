"""DataPump Management: the payment DataPump (per terminal) and the non-payment DataPump."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request

from crm_sim import audit
from crm_sim.db import get_db, transaction
from crm_sim.rendering import biller_screen, load_biller, saved

bp = Blueprint("datapump", __name__)
KINDS = {
    "payment": ("payment", "Payment DataPump"),
    "non-payment": ("non_payment", "Non-payment DataPump"),
}


def options(biller_id: str, kind: str) -> list[Any]:
    return (
        get_db()
        .execute(
            "SELECT option, selected FROM datapump WHERE biller_id = ? AND kind = ? "
            "ORDER BY position",
            (biller_id, kind),
        )
        .fetchall()
    )


@bp.get("/billers/<biller_id>/datapump")
def screen(biller_id: str) -> Any:
    return biller_screen(
        "datapump.html",
        biller_id,
        "datapump",
        payment=options(biller_id, "payment"),
        non_payment=options(biller_id, "non_payment"),
    )


@bp.post("/billers/<biller_id>/datapump/<slug>")
def save(biller_id: str, slug: str) -> Any:
    load_biller(biller_id)
    if slug not in KINDS:
        abort(404)
    kind, title = KINDS[slug]
    chosen = set(request.form.getlist("option"))
    db = get_db()
    with transaction(db):
        for row in options(biller_id, kind):
            new = row["option"] in chosen
            db.execute(
                "UPDATE datapump SET selected = ? WHERE biller_id = ? AND kind = ? AND option = ?",
                (int(new), biller_id, kind, row["option"]),
            )
            audit.record(
                db,
                biller_id,
                "DataPump Management",
                f"{title} {row['option']}",
                bool(row["selected"]),
                new,
            )
    return saved(f"/billers/{biller_id}/datapump")
