"""The worker's crm_sim over plain HTTP: CSRF refusal, state API, reset."""

from __future__ import annotations

import json

from tests.support.crm_sim_http import call, sign_in
from tests.support.crm_sim_server import CrmSimServer

MIPS_ONLY = {str(n) for n in [*range(14, 23), 88, 105]}


def test_post_without_csrf_token_is_refused_over_http(crm_sim: CrmSimServer) -> None:
    cookie, token = sign_in(crm_sim.url)
    path = "/billers/10482/advanced-settings/88/delete"
    for form in ({}, {"csrf_token": token[::-1]}):
        status, _, page = call(crm_sim.url, "POST", path, cookie=cookie, form=form)
        assert (status, "Invalid CSRF token" in page) == (400, True)
    assert "88" in crm_sim.state("10482")["advanced_settings"]
    status, headers, _ = call(crm_sim.url, "POST", path, cookie=cookie, form={"csrf_token": token})
    assert (status, headers["Location"]) == (303, "/billers/10482/advanced-settings")
    assert "88" not in crm_sim.state("10482")["advanced_settings"]


def test_sign_in_without_csrf_token_is_refused_over_http(crm_sim: CrmSimServer) -> None:
    _, headers, _ = call(crm_sim.url, "GET", "/login")
    cookie = headers["Set-Cookie"].split(";")[0]
    form = {"username": "pm.demo", "password": "crm-demo-pass"}
    status, _, page = call(crm_sim.url, "POST", "/login", cookie=cookie, form=form)
    assert (status, "Invalid CSRF token" in page) == (400, True)


def test_state_api_reports_the_sample_biller_on_mips(crm_sim: CrmSimServer) -> None:
    state = crm_sim.state("10482")
    assert state["integration_partner"] == "IMT MIPS APPS"
    assert MIPS_ONLY <= set(state["advanced_settings"])
    assert state["biller"]["name"] == "Prairie Pine Mutual"
    assert list(state) == [
        "biller",
        "integration_partner",
        "invoicing",
        "invoice_format_guid",
        "pdf_settings",
        "zip_settings",
        "datapump",
        "advanced_settings",
        "maintenance_windows",
        "history",
    ]


def test_state_api_answers_404_json_for_unknown_billers(crm_sim: CrmSimServer) -> None:
    status, headers, body = call(crm_sim.url, "GET", "/api/state/4242")
    assert (status, headers["Content-Type"]) == (404, "application/json")
    assert json.loads(body) == {"error": "no biller with ID 4242"}


def test_health_answers_ok(crm_sim: CrmSimServer) -> None:
    status, _, body = call(crm_sim.url, "GET", "/api/health")
    assert (status, json.loads(body)) == (200, {"ok": True})


def test_each_sign_in_is_counted_and_an_anonymous_visit_is_not(crm_sim: CrmSimServer) -> None:
    before = crm_sim.sign_ins()
    call(crm_sim.url, "GET", "/login")
    assert crm_sim.sign_ins() == before
    sign_in(crm_sim.url)
    sign_in(crm_sim.url)
    crm_sim.reset()
    assert crm_sim.sign_ins() == before + 2
