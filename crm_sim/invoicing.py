"""Invoicing (General, Advanced Configuration) and Integration Summary (Summary, BIF)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, request

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

bp = Blueprint("invoicing", __name__)

# (database column, label exactly as on screen)
INVOICING_FLAGS = [
    ("real_time_data_refresh", "Real Time Data Refresh"),
    ("suppress_stale_balances", "Suppress Stale Balances"),
    ("apply_global_bif_customizations", "Apply Global BIF Customizations"),
    ("show_invoice_detail", "Show Invoice Detail"),
    ("allow_partial_payments", "Allow Partial Payments"),
]
GUID_RE = re.compile(r"^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$")
GUID_EXAMPLE = "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"


@bp.get("/billers/<biller_id>/invoicing")
def general(biller_id: str) -> Any:
    return biller_screen("invoicing_general.html", biller_id, "invoicing")


@bp.get("/billers/<biller_id>/invoicing/advanced")
def advanced(biller_id: str) -> Any:
    return biller_screen("invoicing_advanced.html", biller_id, "invoicing", flags=INVOICING_FLAGS)


@bp.post("/billers/<biller_id>/invoicing/advanced")
def advanced_save(biller_id: str) -> Any:
    biller = load_biller(biller_id)
    db = get_db()
    with transaction(db):
        for column, label in INVOICING_FLAGS:
            new = checked(request.form, column)
            db.execute(f"UPDATE billers SET {column} = ? WHERE id = ?", (int(new), biller_id))
            audit.record(db, biller_id, "Invoicing", label, bool(biller[column]), new)
    return saved(f"/billers/{biller_id}/invoicing/advanced")


def summary_values(biller_id: str) -> dict[str, str]:
    """The Integration Summary list, term -> shown value."""
    db = get_db()
    biller = load_biller(biller_id)
    endpoint = db.execute(
        "SELECT value FROM advanced_settings WHERE biller_id = ? AND number = 8", (biller_id,)
    ).fetchone()
    pdf = db.execute(
        "SELECT count(*) FROM pdf_settings WHERE biller_id = ?", (biller_id,)
    ).fetchone()[0]
    zips = db.execute(
        "SELECT count(*) FROM zip_settings WHERE biller_id = ?", (biller_id,)
    ).fetchone()[0]
    terminals = [
        r["option"]
        for r in db.execute(
            "SELECT option FROM datapump WHERE biller_id = ? AND kind = 'payment' AND selected = 1 "
            "ORDER BY position",
            (biller_id,),
        )
    ]
    values = {"Integration Partner ID": biller["integration_partner"]}
    for column, label in INVOICING_FLAGS[:3]:
        values[label] = "On" if biller[column] else "Off"
    values.update(
        {
            "InvoiceFormatGUID": biller["invoice_format_guid"],
            "RTDR Endpoint": endpoint["value"] if endpoint and endpoint["value"] else "None",
            "PDF Settings": str(pdf),
            "Zip File Settings": str(zips),
            "Payment DataPump": ", ".join(terminals) if terminals else "None",
        }
    )
    return values


@bp.get("/billers/<biller_id>/integration-summary")
def summary(biller_id: str) -> Any:
    return biller_screen(
        "integration_summary.html",
        biller_id,
        "integration-summary",
        values=summary_values(biller_id),
    )


@bp.get("/billers/<biller_id>/integration-summary/bif")
def bif(biller_id: str) -> Any:
    biller = load_biller(biller_id)
    return render_biller(
        "bif.html",
        biller,
        "integration-summary",
        value=biller["invoice_format_guid"],
        errors=FormErrors(),
    )


@bp.post("/billers/<biller_id>/integration-summary/bif")
def bif_save(biller_id: str) -> Any:
    biller = load_biller(biller_id)
    value = request.form.get("invoice_format_guid", "").strip()
    errors = FormErrors()
    if not value:
        errors["invoice_format_guid"] = "InvoiceFormatGUID is required."
    elif not GUID_RE.match(value):
        errors["invoice_format_guid"] = f"InvoiceFormatGUID must be a GUID like {GUID_EXAMPLE}."
    if errors:
        return render_biller(
            "bif.html", biller, "integration-summary", status=422, value=value, errors=errors
        )
    db = get_db()
    with transaction(db):
        db.execute("UPDATE billers SET invoice_format_guid = ? WHERE id = ?", (value, biller_id))
        audit.record(
            db,
            biller_id,
            "BIF Customizations",
            "InvoiceFormatGUID",
            biller["invoice_format_guid"],
            value,
        )
    return saved(f"/billers/{biller_id}/integration-summary/bif")
