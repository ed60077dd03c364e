"""Signing in to the CRM through a separate identity provider (`crm-sim serve --sso`).

With it the CRM has no sign-in form of its own: every sign-in, the expired one included, goes to
the provider (crm_sim/idp.py, its own app on its own port), which sends the browser back to
/sso/callback with a ticket. Tickets are single use and short lived, and are handed over in
memory: both apps run in one process and share one TicketStore.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, current_app, redirect, request
from werkzeug.wrappers import Response

from crm_sim.auth import safe_next, start_session

TICKET_LIFETIME_S = 60.0
CALLBACK_PATH = "/sso/callback"
EXTENSION = "crm_sim.sso"
FORM_REFUSED = "This CRM signs in through your company's identity provider."
TICKET_REFUSED = "The sign-in could not be completed. Sign in again."

bp = Blueprint("sso", __name__)


class TicketStore:
    """One-time tickets, each naming the user the identity provider signed in."""

    def __init__(
        self, lifetime_s: float = TICKET_LIFETIME_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.lifetime_s = lifetime_s
        self._clock = clock
        self._tickets: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def issue(self, username: str) -> str:
        ticket = secrets.token_urlsafe(24)
        now = self._clock()
        with self._lock:
            # Tickets nobody came back with would otherwise pile up for the life of the server.
            stale = [t for t, (_, at) in self._tickets.items() if now - at > self.lifetime_s]
            for old in stale:
                del self._tickets[old]
            self._tickets[ticket] = (username, now)
        return ticket

    def redeem(self, ticket: str) -> str | None:
        """The ticket's user, once: the ticket is gone afterwards, used or expired."""
        with self._lock:
            found = self._tickets.pop(ticket, None)
        if found is None:
            return None
        username, issued = found
        return username if self._clock() - issued <= self.lifetime_s else None


@dataclass
class SsoLink:
    """What the CRM and its identity provider know of each other. The origins are set once both
    servers listen: with port 0, the port is only known then."""

    tickets: TicketStore = field(default_factory=TicketStore)
    crm_origin: str = ""
    idp_origin: str = ""

    @property
    def callback_url(self) -> str:
        return self.crm_origin + CALLBACK_PATH


def link_of(app: Flask) -> SsoLink:
    """The link of a CRM made with `sso=True`."""
    found: SsoLink = app.extensions[EXTENSION]
    return found


def _authorize_url() -> str:
    link = link_of(current_app)
    query = {"return_to": link.callback_url, "next": safe_next(request.args.get("next"))}
    if request.args.get("expired") == "1":
        query["expired"] = "1"  # the provider says so, as the CRM's own sign-in page did
    return f"{link.idp_origin}/authorize?{urlencode(query)}"


def divert_sign_in() -> Response | None:
    """The CRM's sign-in page sends the browser to the provider; its form is refused. Before
    the session guard and CSRF check, so a form post is refused for what it is."""
    if request.endpoint == "auth.login":
        return redirect(_authorize_url(), 303)
    if request.endpoint == "auth.login_post":
        abort(403, description=FORM_REFUSED)
    return None


@bp.get(CALLBACK_PATH)
def callback() -> Any:
    username = link_of(current_app).tickets.redeem(request.args.get("ticket", ""))
    if username is None:
        abort(403, description=TICKET_REFUSED)
    start_session(username)
    return redirect(safe_next(request.args.get("next")), 303)


def install(app: Flask, link: SsoLink) -> None:
    app.extensions[EXTENSION] = link
    app.before_request(divert_sign_in)
    app.register_blueprint(bp)
