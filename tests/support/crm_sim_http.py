"""Plain HTTP against a running crm_sim, one connection per request (no browser, no cookies jar)."""

from __future__ import annotations

import http.client
from urllib.parse import urlencode, urlsplit

from tests.support.crm_sim_forms import PASSWORD, USERNAME, csrf_token


def call(
    base_url: str,
    method: str,
    path: str,
    *,
    cookie: str = "",
    form: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    """One request on its own connection, closed whatever happens: (status, headers, body)."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        body = None if form is None else urlencode(form)
        conn.request(method, path, body=body, headers=headers)
        with conn.getresponse() as response:
            return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def sign_in(base_url: str, password: str = PASSWORD) -> tuple[str, str]:
    """Sign in as the PM; returns (Cookie header value, CSRF token of the session)."""
    _, headers, page = call(base_url, "GET", "/login")
    cookie = headers["Set-Cookie"].split(";")[0]
    form = {"username": USERNAME, "password": password, "csrf_token": csrf_token(page)}
    _, headers, _ = call(base_url, "POST", "/login", cookie=cookie, form=form)
    cookie = headers["Set-Cookie"].split(";")[0]
    _, _, page = call(base_url, "GET", "/billers", cookie=cookie)
    return cookie, csrf_token(page)
