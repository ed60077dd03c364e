"""The company identity provider of `crm-sim serve --sso`: a small app of its own on its own port.

Step 1 asks for the username, step 2 for the password and, when a TOTP seed is set, step 3 for a
one-time code; then the browser goes back to the CRM's /sso/callback with a single-use ticket.
Passwords are checked against the CRM's users table, as a company directory and its CRM agree.
How far a browser has got is kept here, under the `idp_session` cookie, so that the browser
never holds a claim about what it has proved.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, redirect, render_template, request
from werkzeug.wrappers import Response

from crm_sim.config import SimConfig
from crm_sim.db import close_db, get_db
from crm_sim.seed import check_password
from crm_sim.sso import SsoLink
from crm_sim.totp import code_is_valid

COOKIE_NAME = "idp_session"
# A sign-in left half-way is forgotten after this long; it then starts again from the CRM.
FLOW_LIFETIME_S = 600.0
ENTER_USERNAME = "Enter your username."
WRONG_PASSWORD = "Incorrect username or password."
WRONG_CODE = "That code is not valid. Enter the current code from your authenticator app."
UNKNOWN_APPLICATION = "Unknown application"
FLOW_LOST = (
    "This sign-in cannot go on: it timed out, or a step was skipped. Go back to the application "
    "and sign in again."
)


@dataclass
class Flow:
    """One browser's way through the steps."""

    return_to: str
    next: str
    expired: bool
    started: float
    username: str = ""
    password_ok: bool = False
    token: str = ""  # the idp_session cookie's value


class FlowStore:
    def __init__(self) -> None:
        self._flows: dict[str, Flow] = {}
        self._lock = threading.Lock()

    def start(self, flow: Flow) -> str:
        flow.token = token = secrets.token_urlsafe(24)
        with self._lock:
            stale = [t for t, f in self._flows.items() if self._too_old(f, flow.started)]
            for old in stale:
                del self._flows[old]
            self._flows[token] = flow
        return token

    def get(self, token: str | None) -> Flow | None:
        with self._lock:
            flow = self._flows.get(token or "")
        return None if flow is None or self._too_old(flow, time.monotonic()) else flow

    def drop(self, token: str) -> None:
        with self._lock:
            self._flows.pop(token, None)

    @staticmethod
    def _too_old(flow: Flow, now: float) -> bool:
        return now - flow.started > FLOW_LIFETIME_S


def create_idp_app(config: SimConfig, link: SsoLink) -> Flask:
    """The identity provider of the CRM `link` belongs to, with the CRM's settings `config`."""
    app = Flask(__name__, template_folder="templates/idp", static_folder=None)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.config.update(CRM_DB_PATH=config.db_path, IDP_TOTP_SEED=config.totp_seed)
    app.extensions["crm_sim.sso"] = link
    app.extensions["crm_sim.idp_flows"] = FlowStore()
    app.teardown_appcontext(close_db)
    app.add_url_rule("/authorize", "authorize", authorize, methods=["GET"])
    app.add_url_rule("/authorize", "username", username_step, methods=["POST"])
    app.add_url_rule("/password", "password", password_step, methods=["POST"])
    app.add_url_rule("/verify", "verify", code_step, methods=["POST"])
    app.add_url_rule("/favicon.ico", "favicon", lambda: ("", 204))
    return app


def _link() -> SsoLink:
    link: SsoLink = current_app.extensions["crm_sim.sso"]
    return link


def _flows() -> FlowStore:
    flows: FlowStore = current_app.extensions["crm_sim.idp_flows"]
    return flows


def _page(step: str, flow: Flow, error: str | None = None) -> str:
    return render_template(
        "sign_in.html", step=step, username=flow.username, expired=flow.expired, error=error
    )


def _current_flow() -> Flow | None:
    return _flows().get(request.cookies.get(COOKIE_NAME))


def _lost() -> tuple[str, int]:
    return render_template("error.html", title="Sign-in interrupted", message=FLOW_LOST), 400


def authorize() -> Any:
    """Step 1, for the one application this provider knows: the CRM it was started with."""
    return_to = request.args.get("return_to", "")
    if not _link().crm_origin or return_to != _link().callback_url:
        message = "The sign-in request came from an application this provider does not know."
        return render_template("error.html", title=UNKNOWN_APPLICATION, message=message), 400
    flow = Flow(
        return_to=return_to,
        next=request.args.get("next", ""),
        expired=request.args.get("expired") == "1",
        started=time.monotonic(),
    )
    _flows().start(flow)
    response = current_app.make_response(_page("username", flow))
    response.set_cookie(COOKIE_NAME, flow.token, httponly=True, samesite="Lax", path="/")
    return response


def username_step() -> Any:
    flow = _current_flow()
    if flow is None:
        return _lost()
    username = request.form.get("username", "").strip()
    if not username:
        return _page("username", flow, ENTER_USERNAME)
    # Any name goes on to the password, so that the steps never tell who has an account.
    flow.username, flow.password_ok = username, False
    return _page("password", flow)


def password_step() -> Any:
    flow = _current_flow()
    if flow is None or not flow.username:
        return _lost()
    if not check_password(get_db(), flow.username, request.form.get("password", "")):
        flow.password_ok = False
        return _page("password", flow, WRONG_PASSWORD)
    if current_app.config["IDP_TOTP_SEED"]:
        flow.password_ok = True
        return _page("code", flow)
    return _back_to_application(flow)


def code_step() -> Any:
    flow = _current_flow()
    if flow is None or not flow.password_ok:
        return _lost()
    if not code_is_valid(current_app.config["IDP_TOTP_SEED"], request.form.get("code", "")):
        return _page("code", flow, WRONG_CODE)
    return _back_to_application(flow)


def _back_to_application(flow: Flow) -> Response:
    _flows().drop(flow.token)
    ticket = _link().tickets.issue(flow.username)
    query = urlencode({"ticket": ticket, "next": flow.next})
    response = redirect(f"{flow.return_to}?{query}", 303)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response
