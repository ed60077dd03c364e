"""crm_sim in-process, through Flask's test client: fast, one fresh database per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect

from crm_sim.api import biller_state
from crm_sim.app import create_app
from crm_sim.db import connect
from tests.support.crm_sim_forms import sign_in
from tests.support.crm_sim_http import sign_in as http_sign_in
from tests.support.crm_sim_server import CrmSimServer


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Flask]:
    def make(**config: Any) -> Flask:
        settings = {
            "db_path": tmp_path / "crm.sqlite3",
            "reset": True,
            "save_delay_ms": 0,
            **config,
        }
        app = create_app(settings)
        app.config["TESTING"] = True
        return app

    return make


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A signed-in PM."""
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 303
    return client


@pytest.fixture
def state(app: Flask) -> Callable[[str], dict[str, Any]]:
    """What the state API would say about a biller, read straight from the database."""

    def read(biller_id: str) -> dict[str, Any]:
        conn = connect(app.config["CRM_DB_PATH"])
        try:
            with app.app_context():
                found = biller_state(conn, biller_id)
        finally:
            conn.close()
        assert found is not None
        return found

    return read


@pytest.fixture
def signed_in_page(page: Page, crm_sim: CrmSimServer) -> Page:
    """A browser page signed in to the worker's freshly reset crm_sim, on Biller Search.

    The PM signs in over plain HTTP and the page is handed the session cookie: a session of its
    own, as a sign-in in the page would give, without typing into the sign-in screen each time
    (the tests that are about that screen use `page`)."""
    cookie, _ = http_sign_in(crm_sim.url)
    name, _, value = cookie.partition("=")
    page.context.add_cookies(
        [{"name": name, "value": value, "url": crm_sim.url, "httpOnly": True, "sameSite": "Lax"}]
    )
    page.goto(crm_sim.url + "/billers")
    expect(page.get_by_role("heading", name="Biller Search", level=1)).to_be_visible()
    return page
