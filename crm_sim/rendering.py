"""What every screen shares: the banner context, biller lookup, form errors, saved redirects."""

from __future__ import annotations

import random
import sqlite3
from typing import Any

from flask import Flask, Response, abort, current_app, g, render_template
from werkzeug.datastructures import MultiDict

from crm_sim.auth import current_session, set_toast
from crm_sim.db import get_db
from crm_sim.faults import FaultInjector
from crm_sim.timefmt import server_time

TIPS = [
    "Use the filter above Advanced Settings to find a setting by number, name or value.",
    "Maintenance windows are entered in Central Time.",
    "Change History lists every saved change with the user who made it.",
    "Data Refresh asks the integration partner for current invoices and balances.",
    "Keep FTP paths exactly as the partner spells them, backslashes included.",
    "Screenshots for a conversion are taken from PROD before and after go-live.",
    "A biller's GUID never changes; its name sometimes does.",
]

NAV_ITEMS = [
    ("Profile", "profile"),
    ("Products", "products"),
    ("Credit/Debit Cards", "cards"),
    ("OBD", "obd"),
    ("Cloud IVR Connect Invoice Types", "ivr-invoice-types"),
    ("Invoicing", "invoicing"),
    ("Integration Summary", "integration-summary"),
    ("FTP Management", "ftp"),
    ("DataPump Management", "datapump"),
    ("Advanced Settings", "advanced-settings"),
    ("Biller Portal", "portal"),
    ("Search", "search"),
    ("History", "history"),
]


class FormErrors(dict[str, str]):
    """Field name -> message naming the field. Empty means the form is valid."""


def ui_variants() -> frozenset[str]:
    injector: FaultInjector = current_app.extensions["crm_sim.faults"]
    return injector.spec.ui


def banner_context() -> dict[str, Any]:
    session = current_session()
    toast = None
    if session is not None and session.toast:
        toast, session.toast = session.toast, None
    return {
        "environment": current_app.config["CRM_ENV"],
        "user": session.user if session else None,
        "csrf_token": session.csrf_token if session else "",
        "previous_login": session.previous_login if session else "",
        "server_time": server_time(),
        "toast": toast,
        "ui": ui_variants(),
    }


def install(app: Flask) -> None:
    app.context_processor(banner_context)


def load_biller(biller_id: str) -> sqlite3.Row:
    row = get_db().execute("SELECT * FROM billers WHERE id = ?", (biller_id,)).fetchone()
    if row is None:
        abort(404)
    biller: sqlite3.Row = row
    return biller


def render_biller(
    template: str, biller: sqlite3.Row, nav: str, status: int = 200, **context: Any
) -> Response:
    """A biller screen: heading, left navigation, tip of the day, then the screen itself."""
    g.biller = biller
    html = render_template(
        template, biller=biller, nav=nav, nav_items=NAV_ITEMS, tip=random.choice(TIPS), **context
    )
    return Response(html, status)


def biller_screen(template: str, biller_id: str, nav: str, **context: Any) -> Response:
    """The screen of the biller a route names (404 when there is none)."""
    return render_biller(template, load_biller(biller_id), nav, **context)


def saved(url: str, toast: str = "Saved.") -> Response:
    """Post/redirect/get: the toast shows on the screen the redirect lands on."""
    set_toast(toast)
    response = Response(status=303)
    response.headers["Location"] = url
    return response


def checked(form: MultiDict[str, str], name: str) -> bool:
    return form.get(name) in ("on", "1", "true", "yes")
