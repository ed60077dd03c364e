"""Test endpoints that give the PM a fresh password and a biller fresh RTDR credentials."""

from __future__ import annotations

import pytest
from flask import Flask

from crm_sim.db import connect
from crm_sim.refresh import run_data_refresh
from tests.support.crm_sim_forms import sign_in

NEW_PASSWORD = 'fresh "pass" & é'


def test_a_new_password_signs_in_and_the_old_one_no_longer_does(app: Flask) -> None:
    api = app.test_client()
    answer = api.post("/api/users/pm.demo/password", json={"password": NEW_PASSWORD})
    assert (answer.status_code, answer.json) == (200, {"ok": True})
    assert sign_in(app.test_client()).status_code == 200  # the demo password: refused
    assert sign_in(app.test_client(), password=NEW_PASSWORD).status_code == 303


def test_reset_brings_the_demo_password_back(app: Flask) -> None:
    api = app.test_client()
    api.post("/api/users/pm.demo/password", json={"password": NEW_PASSWORD})
    api.post("/api/reset", json={})
    assert sign_in(app.test_client()).status_code == 303


def test_provider_credentials_decide_what_data_refresh_accepts(app: Flask) -> None:
    api = app.test_client()
    answer = api.post("/api/provider/20731", json={"private_key": "K-1", "password": "p 2"})
    assert answer.status_code == 200
    with app.app_context():
        assert run_data_refresh("20731") is None  # the seeded key|password no longer match
        conn = connect(app.config["CRM_DB_PATH"])
        try:
            for number in (10, 13):
                conn.execute(
                    "UPDATE advanced_settings SET value = 'K-1|p 2' "
                    "WHERE biller_id = '20731' AND number = ?",
                    (number,),
                )
        finally:
            conn.close()
        assert run_data_refresh("20731")


@pytest.mark.parametrize(
    ("path", "body", "status", "error"),
    [
        ("/api/users/nobody/password", {"password": "x"}, 404, "no user nobody"),
        ("/api/users/pm.demo/password", {"password": ""}, 400, 'send JSON like {"password"'),
        ("/api/provider/30915", {"private_key": "k", "password": "p"}, 404, "no Spectrum account"),
        ("/api/provider/10482", {"private_key": "k"}, 400, 'send JSON like {"private_key"'),
    ],
)
def test_bad_requests_say_what_is_wanted(
    app: Flask, path: str, body: dict[str, str], status: int, error: str
) -> None:
    answer = app.test_client().post(path, json=body)
    assert answer.status_code == status
    assert error in answer.get_json()["error"]


def test_the_test_endpoints_answer_on_loopback_only(app: Flask) -> None:
    answer = app.test_client().post(
        "/api/users/pm.demo/password",
        json={"password": NEW_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert answer.status_code == 403
    assert sign_in(app.test_client()).status_code == 303
