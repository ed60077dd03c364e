"""Sign-in, sign-out, CSRF on every form, and the session guard with idle expiry."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
)
from werkzeug.wrappers import Response as BaseResponse

from crm_sim.db import get_db, transaction
from crm_sim.faults import Decision, is_exempt
from crm_sim.seed import check_password
from crm_sim.sessions import COOKIE_NAME, Session, SessionStore
from crm_sim.timefmt import server_time

bp = Blueprint("auth", __name__)
# sso.callback: the identity provider's ticket is what signs the browser in there.
PUBLIC_ENDPOINTS = {"auth.login", "auth.login_post", "sso.callback", "static"}


def store() -> SessionStore:
    sessions: SessionStore = current_app.extensions["crm_sim.sessions"]
    return sessions


def current_session() -> Session | None:
    session: Session | None = g.get("session")
    return session


def current_user() -> str:
    session = current_session()
    return session.user if session and session.user else ""


def set_toast(text: str) -> None:
    session = current_session()
    if session is not None:
        session.toast = text


def safe_next(value: str | None) -> str:
    """Only same-site paths; anything else goes to the biller search."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/billers"
    return value


def _next_for_this_request() -> str:
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.path and referrer.netloc == request.host:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return "/billers"


def load_session() -> BaseResponse | None:
    if is_exempt(request.path):
        return None
    g.session_expired = False
    session = store().get(request.cookies.get(COOKIE_NAME))
    decision: Decision | None = g.get("fault")
    if session is not None:
        force = bool(decision and decision.expire_session)
        if not store().touch(session, force_expiry=force):
            session, g.session_expired = None, True
    g.session = session
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if session is None or session.user is None:
        query = {"next": _next_for_this_request()}
        if g.session_expired:
            query["expired"] = "1"
        return redirect("/login?" + urlencode(query), 303)
    return None


def check_csrf() -> Response | None:
    if request.method != "POST" or is_exempt(request.path):
        return None
    session = current_session()
    sent = request.form.get("csrf_token", "")
    if session is None or not sent or sent != session.csrf_token:
        return Response(render_template("csrf_error.html"), 400)
    return None


def remember_cookie(response: Response) -> Response:
    session = current_session()
    if session is not None and request.cookies.get(COOKIE_NAME) != session.token:
        response.set_cookie(COOKIE_NAME, session.token, httponly=True, samesite="Lax", path="/")
    return response


def install(app: Flask) -> None:
    app.before_request(load_session)
    app.before_request(check_csrf)
    app.after_request(remember_cookie)
    app.register_blueprint(bp)


@bp.get("/")
def index() -> BaseResponse:
    return redirect("/billers", 303)


@bp.get("/login")
def login() -> Any:
    if current_session() is None:
        g.session = store().create()
    return render_template(
        "login.html",
        next=safe_next(request.args.get("next")),
        expired=request.args.get("expired") == "1",
        error=None,
    )


@bp.post("/login")
def login_post() -> Any:
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    target = safe_next(request.form.get("next"))
    if not check_password(get_db(), username, password):
        return render_template(
            "login.html", next=target, expired=False, error="Invalid username or password."
        ), 200
    start_session(username)
    return redirect(target, 303)


def start_session(username: str) -> None:
    """Sign `username` in. Always a new session token: one handed out before the sign-in
    must be worth nothing after it. The last login moves on."""
    db = get_db()
    with transaction(db):
        row = db.execute("SELECT last_login FROM users WHERE username = ?", (username,)).fetchone()
        db.execute("UPDATE users SET last_login = ? WHERE username = ?", (server_time(), username))
    old = current_session()
    if old is not None:
        store().drop(old.token)
    g.session = store().create(user=username, previous_login=row["last_login"] if row else "")


@bp.post("/logout")
def logout() -> BaseResponse:
    session = current_session()
    if session is not None:
        store().drop(session.token)
    g.session = store().create()
    return redirect("/login", 303)
