"""The crm_sim application factory."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from crm_sim import (
    advanced,
    api,
    audit,
    auth,
    billers,
    datapump,
    faults,
    ftp,
    invoicing,
    maintenance,
    refresh,
    rendering,
    skins,
    sso,
)
from crm_sim.addresses import WebFormsAddresses
from crm_sim.config import SimConfig
from crm_sim.db import close_db
from crm_sim.seed import ensure_database
from crm_sim.sessions import SessionStore


def create_app(config: SimConfig | Mapping[str, Any] | None = None) -> Flask:
    """Build the CRM. `config` is a SimConfig or a mapping of its fields (for tests). With
    `sso`, its identity provider is `crm_sim.idp.create_idp_app(config, sso.link_of(app))`."""
    settings = SimConfig.from_any(config)
    spec = faults.parse_fault_spec(settings.faults)
    ensure_database(settings.db_path, reset=settings.reset, extra_billers=settings.extra_billers)

    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented key order
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.config.update(
        CRM_DB_PATH=settings.db_path,
        CRM_ENV=settings.env,
        CRM_SAVE_DELAY_MS=settings.save_delay_ms,
        CRM_EXTRA_BILLERS=settings.extra_billers,
        CRM_SETTINGS=settings,
        # The style sheet and script are cached for an hour, as a production CRM's are: a page
        # load is then one request, not three.
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.extensions["crm_sim.faults"] = faults.FaultInjector(spec)
    app.extensions["crm_sim.sessions"] = SessionStore(settings.session_idle)
    app.wsgi_app = faults.DropConnectionMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    if settings.skin == "legacy":
        # Outermost: everything inside sees the CRM's own addresses.
        app.wsgi_app = WebFormsAddresses(app.wsgi_app)  # type: ignore[method-assign]

    # Order matters: faults decide first (latency, expiry), then (with --sso) the sign-in is
    # diverted to the identity provider, then the session guard and CSRF.
    faults.install_fault_hooks(app)
    if settings.sso:
        sso.install(app, sso.SsoLink())
    auth.install(app)
    rendering.install(app)
    skins.install(app, settings.skin)
    app.after_request(_hold_saves)
    app.teardown_appcontext(close_db)
    for blueprint in (
        billers.bp,
        invoicing.bp,
        advanced.bp,
        ftp.bp,
        datapump.bp,
        maintenance.bp,
        refresh.bp,
        audit.bp,
        api.bp,
    ):
        app.register_blueprint(blueprint)
    app.add_url_rule("/favicon.ico", "favicon", lambda: ("", 204))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)
    return app


def _hold_saves(response: Response) -> Response:
    """Saves answer after the save delay, as the real CRM's do, so the spinner is seen."""
    if request.method == "POST" and request.blueprint not in ("api", "auth"):
        time.sleep(current_app.config["CRM_SAVE_DELAY_MS"] / 1000.0)
    return response


def _http_error(error: HTTPException) -> Any:
    if request.path.startswith("/api/"):
        return {"error": error.description}, error.code
    return render_template("http_error.html", error=error), error.code


def _server_error(error: Exception) -> Any:
    if isinstance(error, HTTPException):
        return _http_error(error)
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return render_template("error.html"), 500
