"""Search > Files > Invoice Files > History, and its Data Refresh through the Spectrum service."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect

from crm_sim import spectrum
from crm_sim.auth import current_session
from crm_sim.db import get_db
from crm_sim.rendering import biller_screen, load_biller, render_biller

bp = Blueprint("refresh", __name__)
RESULT_KEY = "data_refresh"


@bp.get("/billers/<biller_id>/search")
def payments(biller_id: str) -> Any:
    return biller_screen("search_payments.html", biller_id, "search")


@bp.get("/billers/<biller_id>/search/files")
def files(biller_id: str) -> Any:
    return biller_screen("search_files.html", biller_id, "search")


@bp.get("/billers/<biller_id>/search/files/payment-files")
def payment_files(biller_id: str) -> Any:
    return biller_screen("payment_files.html", biller_id, "search")


@bp.get("/billers/<biller_id>/search/files/invoice-files")
def invoice_files(biller_id: str) -> Any:
    return biller_screen("invoice_files.html", biller_id, "search")


@bp.get("/billers/<biller_id>/search/files/invoice-files/history")
def history(biller_id: str) -> Any:
    biller = load_biller(biller_id)
    session = current_session()
    results = session.data.pop(RESULT_KEY, {}) if session else {}
    result = results.get(biller_id) if isinstance(results, dict) else None
    return render_biller("invoice_history.html", biller, "search", result=result)


def run_data_refresh(biller_id: str) -> list[spectrum.Invoice] | None:
    """What the CRM does on Data Refresh: RTDR must be on, then settings 8-10 are sent as-is."""
    db = get_db()
    biller = load_biller(biller_id)
    if not biller["real_time_data_refresh"]:
        return None
    settings = {
        row["number"]: row["value"]
        for row in db.execute(
            "SELECT number, value FROM advanced_settings "
            "WHERE biller_id = ? AND number IN (8, 9, 10)",
            (biller_id,),
        )
    }
    return spectrum.query(
        db,
        endpoint=settings.get(8, ""),
        username=settings.get(9, ""),
        credential=settings.get(10, ""),
        biller_id=biller_id,
    )


@bp.post("/billers/<biller_id>/search/files/invoice-files/history/refresh")
def data_refresh(biller_id: str) -> Any:
    invoices = run_data_refresh(biller_id)
    session = current_session()
    if session is not None:
        found = None if invoices is None else [vars(i) for i in invoices]
        session.data[RESULT_KEY] = {biller_id: {"invoices": found}}
    return redirect(f"/billers/{biller_id}/search/files/invoice-files/history", 303)
