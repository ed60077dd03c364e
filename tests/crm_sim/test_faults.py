"""Injected faults as the robot meets them: over the test client and over a real socket."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_sim.faults import FAULT_HEADER
from tests.support.crm_sim_forms import csrf_token, sign_in
from tests.support.crm_sim_http import call
from tests.support.crm_sim_http import sign_in as http_sign_in
from tests.support.crm_sim_server import CrmSimServer

DELETE_14 = "/billers/10482/advanced-settings/14/delete"


def signed_in(app: Flask) -> tuple[FlaskClient, str]:
    client = app.test_client()
    sign_in(client)
    return client, csrf_token(client.get("/billers").text)


@pytest.mark.parametrize(
    ("mode", "status", "stored"),
    [
        ("before_commit", 500, False),
        ("after_commit", 500, True),
    ],
)
def test_one_shot_server_error_before_or_after_commit(
    make_app: Callable[..., Flask],
    state: Callable[[str], dict[str, Any]],
    mode: str,
    status: int,
    stored: bool,
) -> None:
    app = make_app(faults=f"fail_once=POST:{DELETE_14}:{mode}")
    client, token = signed_in(app)
    response = client.post(DELETE_14, data={"csrf_token": token})
    assert response.status_code == status
    assert "<h1>Server Error</h1>" in response.text
    assert "An unexpected error occurred." in response.text
    assert ("14" not in state("10482")["advanced_settings"]) is stored
    assert client.post(DELETE_14, data={"csrf_token": token}).status_code == (
        404 if stored else 303
    )


@pytest.mark.parametrize(("mode", "stored"), [("drop", True), ("drop_before_commit", False)])
def test_dropped_connection_in_process_raises_connection_error(
    make_app: Callable[..., Flask],
    state: Callable[[str], dict[str, Any]],
    mode: str,
    stored: bool,
) -> None:
    client, token = signed_in(make_app(faults=f"fail_once=POST:{DELETE_14}:{mode}"))
    with pytest.raises(ConnectionAbortedError):
        client.post(DELETE_14, data={"csrf_token": token})
    assert ("14" not in state("10482")["advanced_settings"]) is stored


def test_faults_never_touch_the_api(make_app: Callable[..., Flask]) -> None:
    client = make_app(
        faults="error_rate=1,expire_session_every=1,fail_once=GET:/api/health"
    ).test_client()
    assert [client.get("/api/health").status_code for _ in range(3)] == [200, 200, 200]
    assert client.post("/api/reset").status_code == 200


def statuses(client: FlaskClient, token: str, count: int = 30) -> list[str]:
    seen = []
    for n in range(count):
        response = client.post(
            "/billers/10482/datapump/payment",
            data={"csrf_token": token, "option": ["Web"] if n % 2 else []},
        )
        seen.append(response.headers.get(FAULT_HEADER, str(response.status_code)))
    return seen


def test_fault_spec_can_be_replaced_at_runtime(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    client, token = signed_in(app)
    api = app.test_client()
    assert set(statuses(client, token, 5)) == {"303"}
    reply = api.post("/api/faults", json={"spec": "error_rate=1"})
    assert reply.get_json() == {"spec": "error_rate=1"}
    assert set(statuses(client, token, 5)) == {"error_before_commit"}
    assert api.get("/api/faults").get_json() == {"spec": "error_rate=1"}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"spec": "error_rate=9"}, 'bad fault spec part "error_rate=9"'),
        ({"faults": "x"}, 'send JSON like {"spec": "error_rate=0.05,seed=7"}'),
    ],
)
def test_bad_runtime_fault_spec_is_refused(app: Flask, body: dict[str, str], error: str) -> None:
    response = app.test_client().post("/api/faults", json=body)
    assert response.status_code == 400
    assert error in response.get_json()["error"]


RANDOM = "error_rate=0.2,commit_then_error=0.2,seed={seed}"


def test_same_seed_same_requests_same_faults(app: Flask) -> None:
    client, token = signed_in(app)
    api = app.test_client()
    runs = []
    for seed in (7, 7, 8):
        api.post("/api/faults", json={"spec": RANDOM.format(seed=seed)})
        runs.append(statuses(client, token))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert {"303", "error_before_commit", "error_after_commit"} == set(runs[0])


# --- over a real socket -----------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "stored"), [("drop", True), ("drop_before_commit", False)])
def test_dropped_connection_closes_the_socket_without_an_answer(
    crm_sim: CrmSimServer, mode: str, stored: bool
) -> None:
    cookie, token = http_sign_in(crm_sim.url)
    crm_sim.set_faults(f"fail_once=POST:{DELETE_14}:{mode}")
    form = {"csrf_token": token}
    with pytest.raises(http.client.RemoteDisconnected):
        call(crm_sim.url, "POST", DELETE_14, cookie=cookie, form=form)
    assert ("14" not in crm_sim.state("10482")["advanced_settings"]) is stored
    status, _, _ = call(crm_sim.url, "POST", DELETE_14, cookie=cookie, form=form)
    assert status == (404 if stored else 303)


def test_latency_holds_every_answer(crm_sim: CrmSimServer) -> None:
    crm_sim.set_faults("latency=200-250ms")
    started = time.monotonic()
    assert call(crm_sim.url, "GET", "/login")[0] == 200
    assert time.monotonic() - started >= 0.2


def test_faults_from_the_command_line_apply_from_the_start(
    start_crm_sim: Callable[..., CrmSimServer],
) -> None:
    server = start_crm_sim(faults="fail_once=GET:/login:before_commit")
    status, headers, page = call(server.url, "GET", "/login")
    assert (status, headers[FAULT_HEADER]) == (500, "error_before_commit")
    assert "<h1>Server Error</h1>" in page
    assert call(server.url, "GET", "/login")[0] == 200
