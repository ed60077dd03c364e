"""Sign-in, CSRF on every form, the session guard and its idle expiry (Flask test client)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.crm_sim_forms import csrf_token, post_form, sign_in


def test_signing_in_goes_to_next_page(app: Flask) -> None:
    client = app.test_client()
    response = sign_in(client, next_path="/billers/10482/obd")
    assert (response.status_code, response.headers["Location"]) == (303, "/billers/10482/obd")
    page = client.get("/billers/10482/obd").text
    assert "Signed in as pm.demo" in page
    assert "Last login: 2026-11-25 16:42:07 CST" in page


@pytest.mark.parametrize(
    ("username", "password"), [("pm.demo", "wrong"), ("someone", "crm-demo-pass"), ("", "")]
)
def test_wrong_credentials_are_refused(app: Flask, username: str, password: str) -> None:
    client = app.test_client()
    response = sign_in(client, username, password)
    assert response.status_code == 200
    assert 'role="alert">Invalid username or password.' in response.text
    assert client.get("/billers").status_code == 303


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_sign_in_without_the_right_csrf_token_is_refused(app: Flask, token: str | None) -> None:
    client = app.test_client()
    client.get("/login")
    data = {"username": "pm.demo", "password": "crm-demo-pass"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "Invalid CSRF token" in response.text


def test_sign_in_without_a_session_cookie_is_refused(app: Flask) -> None:
    token = csrf_token(app.test_client().get("/login").text)
    response = app.test_client().post(
        "/login", data={"username": "pm.demo", "password": "crm-demo-pass", "csrf_token": token}
    )
    assert response.status_code == 400


def test_a_form_without_csrf_token_is_refused_and_stores_nothing(
    client: FlaskClient, state: Callable[[str], dict[str, Any]]
) -> None:
    before = state("10482")
    response = client.post("/billers/10482/advanced-settings/14/delete", data={})
    assert response.status_code == 400
    assert "Invalid CSRF token" in response.text
    assert state("10482") == before


@pytest.mark.parametrize("path", ["/billers", "/billers/10482/advanced-settings?page=2"])
def test_signed_out_user_is_sent_to_login_with_next(app: Flask, path: str) -> None:
    response = app.test_client().get(path)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/login?next=")
    assert "expired" not in response.headers["Location"]


@pytest.mark.parametrize("next_path", ["https://elsewhere.example/", "//elsewhere.example/x"])
def test_sign_in_never_redirects_off_site(app: Flask, next_path: str) -> None:
    response = sign_in(app.test_client(), next_path=next_path)
    assert response.headers["Location"] == "/billers"


def test_idle_session_expires_and_login_says_so(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("crm_sim.sessions.time.monotonic", lambda: clock[0])
    app = make_app(session_idle=60)
    client = app.test_client()
    sign_in(client)
    clock[0] += 59
    assert client.get("/billers/10482/profile").status_code == 200
    clock[0] += 61
    response = client.get("/billers/10482/profile")
    assert response.headers["Location"] == "/login?next=%2Fbillers%2F10482%2Fprofile&expired=1"
    login = client.get(response.headers["Location"])
    assert "Your session has expired. Please sign in again." in login.text


def test_expire_session_fault_signs_the_user_out(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(faults="expire_session_every=4")
    client = app.test_client()
    sign_in(client)  # requests 1 and 2 (login page, sign-in)
    assert client.get("/billers").status_code == 200  # 3
    assert "expired=1" in client.get("/billers/10482/obd").headers["Location"]  # 4


def test_expired_post_returns_to_the_page_it_came_from(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [0.0]
    monkeypatch.setattr("crm_sim.sessions.time.monotonic", lambda: clock[0])
    client = make_app(session_idle=10).test_client()
    sign_in(client)
    token = csrf_token(client.get("/billers").text)
    clock[0] += 11
    response = client.post(
        "/billers/10482/datapump/payment",
        data={"csrf_token": token},
        headers={"Referer": "http://localhost/billers/10482/datapump"},
    )
    assert response.headers["Location"] == "/login?next=%2Fbillers%2F10482%2Fdatapump&expired=1"


def test_signing_out_ends_the_session(client: FlaskClient) -> None:
    assert post_form(client, "/logout").headers["Location"] == "/login"
    assert client.get("/billers").status_code == 303


@pytest.mark.parametrize("env", ["UAT", "PROD"])
def test_every_page_shows_the_environment(make_app: Callable[..., Flask], env: str) -> None:
    app = make_app(env=env)
    client = app.test_client()
    login = client.get("/login").text
    sign_in(client)
    expected = f'data-testid="env-banner" aria-label="Environment">{env}</span>'
    assert expected in login
    assert expected in client.get("/billers/10482/profile").text
