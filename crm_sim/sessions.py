"""Server-side sessions kept in memory: sign-in, CSRF token, idle expiry, the next toast.

They live outside the database on purpose: reseeding the data (`POST /api/reset`) does not sign
anyone out, while restarting the server does, as with the real CRM.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

COOKIE_NAME = "crm_session"


@dataclass
class Session:
    token: str
    csrf_token: str
    last_seen: float
    user: str | None = None
    previous_login: str = ""
    toast: str | None = None
    # Ended from outside (the test API): expires on its next request, like an idle session.
    ended: bool = False
    data: dict[str, Any] = field(default_factory=dict)


class SessionStore:
    def __init__(self, idle_seconds: float) -> None:
        self.idle_seconds = idle_seconds
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        # Sign-ins since the server started: what a robot that signs in once per browser costs.
        self.sign_ins = 0

    def create(self, user: str | None = None, previous_login: str = "") -> Session:
        session = Session(
            secrets.token_urlsafe(24),
            secrets.token_urlsafe(24),
            time.monotonic(),
            user=user,
            previous_login=previous_login,
        )
        with self._lock:
            self._sessions[session.token] = session
            if user is not None:
                self.sign_ins += 1
        return session

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self._lock:
            return self._sessions.get(token)

    def drop(self, token: str) -> None:
        with self._lock:
            self._sessions.pop(token, None)

    def end_signed_in(self) -> int:
        """End every signed-in session; each expires on its next request. Returns how many were
        still going."""
        with self._lock:
            going = [s for s in self._sessions.values() if s.user is not None and not s.ended]
            for session in going:
                session.ended = True
        return len(going)

    def touch(self, session: Session, *, force_expiry: bool = False) -> bool:
        """Mark the session used now; False (and the session gone) when it had expired."""
        now = time.monotonic()
        expired = session.user is not None and (
            force_expiry or session.ended or now - session.last_seen > self.idle_seconds
        )
        if expired:
            self.drop(session.token)
            return False
        session.last_seen = now
        return True
