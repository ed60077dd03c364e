"""JSON endpoints for tests and checks: state, health, faults, reset. Loopback only, no login."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.wrappers import Response

from crm_sim.db import get_db
from crm_sim.faults import FaultInjector, FaultSpecError, parse_fault_spec
from crm_sim.invoicing import INVOICING_FLAGS
from crm_sim.seed import restore_seed, set_password, set_provider_credentials
from crm_sim.sessions import SessionStore

bp = Blueprint("api", __name__, url_prefix="/api")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@bp.before_request
def loopback_only() -> Response | None:
    if request.remote_addr not in LOOPBACK:
        response: Response = jsonify({"error": "the API answers on loopback only"})
        response.status_code = 403
        return response
    return None


@bp.get("/health")
def health() -> Any:
    return jsonify({"ok": True})


def biller_state(db: sqlite3.Connection, biller_id: str) -> dict[str, Any] | None:
    biller = db.execute("SELECT * FROM billers WHERE id = ?", (biller_id,)).fetchone()
    if biller is None:
        return None

    def rows(sql: str) -> list[sqlite3.Row]:
        return db.execute(sql, (biller_id,)).fetchall()

    datapump: dict[str, dict[str, bool]] = {"payment": {}, "non_payment": {}}
    for row in rows("SELECT * FROM datapump WHERE biller_id = ? ORDER BY kind, position"):
        datapump[row["kind"]][row["option"]] = bool(row["selected"])
    return {
        "biller": {
            "id": biller["id"],
            "guid": biller["guid"],
            "name": biller["name"],
            "ftp_name": biller["ftp_name"],
            "environment": current_app.config["CRM_ENV"],
        },
        "integration_partner": biller["integration_partner"],
        "invoicing": {column: bool(biller[column]) for column, _ in INVOICING_FLAGS},
        "invoice_format_guid": biller["invoice_format_guid"],
        "pdf_settings": [
            {
                "ftp_username": r["ftp_username"],
                "path": r["path"],
                "backup": bool(r["backup"]),
                "move_action": r["move_action"],
                "active": bool(r["active"]),
            }
            for r in rows("SELECT * FROM pdf_settings WHERE biller_id = ? ORDER BY id")
        ],
        "zip_settings": [
            {
                "ftp_username": r["ftp_username"],
                "path": r["path"],
                "backup": bool(r["backup"]),
                "delete_zip_files": bool(r["delete_zip_files"]),
                "active": bool(r["active"]),
            }
            for r in rows("SELECT * FROM zip_settings WHERE biller_id = ? ORDER BY id")
        ],
        "datapump": datapump,
        "advanced_settings": {
            str(r["number"]): {"name": r["name"], "value": r["value"]}
            for r in rows("SELECT * FROM advanced_settings WHERE biller_id = ? ORDER BY number")
        },
        "maintenance_windows": [
            {
                "id": r["id"],
                "description": r["description"],
                "message": r["message"],
                "start": r["start"],
                "end": r["end"],
                "active": bool(r["active"]),
                "all_pages": bool(r["all_pages"]),
            }
            for r in rows("SELECT * FROM maintenance_windows WHERE biller_id = ? ORDER BY id")
        ],
        "history": [
            {
                "when": r["at"],
                "user": r["user"],
                "screen": r["screen"],
                "field": r["field"],
                "old": r["old"],
                "new": r["new"],
            }
            for r in rows("SELECT * FROM history WHERE biller_id = ? ORDER BY id")
        ],
    }


@bp.get("/state/<biller_id>")
def state(biller_id: str) -> Any:
    found = biller_state(get_db(), biller_id)
    if found is None:
        return jsonify({"error": f"no biller with ID {biller_id}"}), 404
    return jsonify(found)


def _injector() -> FaultInjector:
    injector: FaultInjector = current_app.extensions["crm_sim.faults"]
    return injector


@bp.get("/faults")
def faults() -> Any:
    return jsonify({"spec": _injector().spec.text})


@bp.post("/faults")
def set_faults() -> Any:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("spec"), str):
        return jsonify({"error": 'send JSON like {"spec": "error_rate=0.05,seed=7"}'}), 400
    try:
        spec = parse_fault_spec(body["spec"])
    except FaultSpecError as error:
        return jsonify({"error": str(error)}), 400
    _injector().replace(spec)
    return jsonify({"spec": spec.text})


@bp.post("/reset")
def reset() -> Any:
    restore_seed(get_db(), extra_billers=current_app.config["CRM_EXTRA_BILLERS"])
    return jsonify({"ok": True})


@bp.post("/sessions/expire")
def expire_sessions() -> Any:
    """Sign everyone out as an idle expiry would: the next request goes to sign-in, expired=1."""
    sessions: SessionStore = current_app.extensions["crm_sim.sessions"]
    return jsonify({"expired": sessions.end_signed_in()})


@bp.get("/sessions/sign-ins")
def sign_ins() -> Any:
    """How many times someone signed in since the server started (a reset keeps the count)."""
    sessions: SessionStore = current_app.extensions["crm_sim.sessions"]
    return jsonify({"sign_ins": sessions.sign_ins})


def _strings(*keys: str) -> dict[str, str] | None:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in keys):
        return None
    return {k: body[k] for k in keys}


@bp.post("/users/<username>/password")
def user_password(username: str) -> Any:
    """Tests give the PM a fresh password per run (the reset seeds the demo one again)."""
    body = _strings("password")
    if body is None or not body["password"]:
        return jsonify({"error": 'send JSON like {"password": "..."}'}), 400
    if not set_password(get_db(), username, body["password"]):
        return jsonify({"error": f"no user {username}"}), 404
    return jsonify({"ok": True})


@bp.post("/provider/<biller_id>")
def provider_credentials(biller_id: str) -> Any:
    """The RTDR private key and password the simulated Spectrum service accepts for a biller."""
    body = _strings("private_key", "password")
    if body is None or not body["private_key"] or not body["password"]:
        return jsonify({"error": 'send JSON like {"private_key": "...", "password": "..."}'}), 400
    if not set_provider_credentials(get_db(), biller_id, body["private_key"], body["password"]):
        return jsonify({"error": f"no Spectrum account for biller {biller_id}"}), 404
    return jsonify({"ok": True})
