"""Biller search, Profile (and its edit form) and the read-only screens 02-05."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request

from crm_sim import audit
from crm_sim.db import get_db, transaction
from crm_sim.rendering import FormErrors, biller_screen, load_biller, render_biller, saved

bp = Blueprint("billers", __name__)
PARTNERS = ["IMT MIPS APPS", "IMT Spectrum", "Paymentus Connect", "None"]
CONTACT_MAX = 100


@bp.get("/billers")
def search() -> Any:
    q = request.args.get("q", "").strip()
    sql = "SELECT * FROM billers"
    params: tuple[str, ...] = ()
    if q:
        like = f"%{q.lower()}%"
        sql += " WHERE lower(name) LIKE ? OR id LIKE ? OR lower(guid) LIKE ?"
        params = (like, like, like)
    rows = get_db().execute(sql + " ORDER BY position", params).fetchall()
    return render_template("billers.html", q=q, rows=rows)


@bp.get("/billers/<biller_id>")
def biller_home(biller_id: str) -> Any:
    load_biller(biller_id)
    return redirect(f"/billers/{biller_id}/profile", 303)


@bp.get("/billers/<biller_id>/profile")
def profile(biller_id: str) -> Any:
    return biller_screen("profile.html", biller_id, "profile")


@bp.get("/billers/<biller_id>/profile/edit")
def profile_edit(biller_id: str) -> Any:
    biller = load_biller(biller_id)
    values = {
        "integration_partner": biller["integration_partner"],
        "primary_contact": biller["primary_contact"],
    }
    return render_biller(
        "profile_edit.html",
        biller,
        "profile",
        values=values,
        errors=FormErrors(),
        partners=PARTNERS,
    )


@bp.post("/billers/<biller_id>/profile/edit")
def profile_save(biller_id: str) -> Any:
    biller = load_biller(biller_id)
    values = {
        "integration_partner": request.form.get("integration_partner", "").strip(),
        "primary_contact": request.form.get("primary_contact", "").strip(),
    }
    errors = FormErrors()
    if values["integration_partner"] not in PARTNERS:
        errors["integration_partner"] = "Integration Partner ID must be one of the listed options."
    if not values["primary_contact"]:
        errors["primary_contact"] = "Primary Contact is required."
    elif len(values["primary_contact"]) > CONTACT_MAX:
        errors["primary_contact"] = f"Primary Contact must be {CONTACT_MAX} characters or fewer."
    if errors:
        return render_biller(
            "profile_edit.html",
            biller,
            "profile",
            status=422,
            values=values,
            errors=errors,
            partners=PARTNERS,
        )
    db = get_db()
    with transaction(db):
        db.execute(
            "UPDATE billers SET integration_partner = ?, primary_contact = ? WHERE id = ?",
            (values["integration_partner"], values["primary_contact"], biller_id),
        )
        audit.record(
            db,
            biller_id,
            "Profile",
            "Integration Partner ID",
            biller["integration_partner"],
            values["integration_partner"],
        )
        audit.record(
            db,
            biller_id,
            "Profile",
            "Primary Contact",
            biller["primary_contact"],
            values["primary_contact"],
        )
    return saved(f"/billers/{biller_id}/profile")


def _rows(sql: str, biller_id: str) -> list[Any]:
    return get_db().execute(sql, (biller_id,)).fetchall()


@bp.get("/billers/<biller_id>/products")
def products(biller_id: str) -> Any:
    rows = _rows("SELECT * FROM products WHERE biller_id = ? ORDER BY position", biller_id)
    return biller_screen("products.html", biller_id, "products", rows=rows)


@bp.get("/billers/<biller_id>/cards")
def cards(biller_id: str) -> Any:
    rows = _rows("SELECT * FROM cards WHERE biller_id = ? ORDER BY position", biller_id)
    return biller_screen("cards.html", biller_id, "cards", rows=rows)


@bp.get("/billers/<biller_id>/obd")
def obd(biller_id: str) -> Any:
    return biller_screen("obd.html", biller_id, "obd")


@bp.get("/billers/<biller_id>/ivr-invoice-types")
def ivr_invoice_types(biller_id: str) -> Any:
    rows = _rows("SELECT * FROM ivr_invoice_types WHERE biller_id = ? ORDER BY position", biller_id)
    return biller_screen("ivr.html", biller_id, "ivr-invoice-types", rows=rows)
