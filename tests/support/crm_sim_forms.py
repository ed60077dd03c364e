"""Talking to crm_sim's forms from Flask's test client: sign in, post with the CSRF token."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

USERNAME = "pm.demo"
PASSWORD = "crm-demo-pass"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _TOKEN.search(html)
    if not match:
        raise AssertionError("the page has no csrf_token field")
    return match.group(1)


def sign_in(
    client: FlaskClient,
    username: str = USERNAME,
    password: str = PASSWORD,
    next_path: str = "/billers",
) -> TestResponse:
    token = csrf_token(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_path},
    )


def post_form(
    client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> TestResponse:
    """POST like the browser would: with the session's CSRF token (taken from /billers)."""
    token = csrf_token(client.get("/billers").text)
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)
