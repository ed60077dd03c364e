"""`crm-sim serve --sso`: the CRM signs in through its identity provider (Flask test clients).

The two apps are made as the CLI makes them, with made-up origins: the test clients never open
a port, so the origins only have to agree between the apps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from crm_sim.idp import create_idp_app
from crm_sim.sso import link_of
from crm_sim.totp import totp_code
from tests.support.crm_sim_forms import PASSWORD, USERNAME

CRM = "http://127.0.0.1:8765"
IDP = "http://127.0.0.1:8766"
CALLBACK = f"{CRM}/sso/callback"
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
EXPIRED_NOTICE = "Your session has expired. Please sign in again."


@dataclass
class Browser:
    """One browser: its cookies for the CRM and for the provider, each in its own jar."""

    crm: FlaskClient
    idp: FlaskClient

    def to_provider(self, path: str = "/billers") -> TestResponse:
        """Open a CRM page signed out and follow the CRM to the provider's first step."""
        response = self.crm.get(path)
        while response.status_code == 303 and not response.headers["Location"].startswith(IDP):
            response = self.crm.get(response.headers["Location"])
        assert response.status_code == 303, response.text
        return self.idp.get(local(response.headers["Location"]))

    def username(self, name: str = USERNAME) -> TestResponse:
        return self.idp.post("/authorize", data={"username": name})

    def password(self, password: str = PASSWORD) -> TestResponse:
        return self.idp.post("/password", data={"password": password})

    def code(self, code: str) -> TestResponse:
        return self.idp.post("/verify", data={"code": code})

    def back_to_crm(self, provider_answer: TestResponse) -> TestResponse:
        assert provider_answer.status_code == 303, provider_answer.text
        return self.crm.get(local(provider_answer.headers["Location"]))


def local(url: str) -> str:
    """The path and query of `url`: each test client keeps its cookies for its own host."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def make_pm(make_app: Callable[..., Flask]) -> Callable[..., Browser]:
    def make(totp_seed: str = "") -> Browser:
        crm = make_app(sso=True, totp_seed=totp_seed)
        link = link_of(crm)
        link.crm_origin, link.idp_origin = CRM, IDP
        idp = create_idp_app(crm.config["CRM_SETTINGS"], link)
        idp.config["TESTING"] = True
        return Browser(crm.test_client(), idp.test_client())

    return make


@pytest.fixture
def pm(make_pm: Callable[..., Browser]) -> Browser:
    return make_pm()


def test_the_round_trip_signs_in_and_lands_on_the_page_asked_for(pm: Browser) -> None:
    step1 = pm.to_provider("/billers/10482/obd")
    assert "idp_session=" in step1.headers["Set-Cookie"]
    step2 = pm.username()
    assert "Username: pm.demo" in step2.text
    assert "Signed in as" not in step2.text
    answer = pm.password()
    assert answer.status_code == 303
    location = urlsplit(answer.headers["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    assert query["next"] == ["/billers/10482/obd"]
    assert len(query["ticket"][0]) >= 20
    landed = pm.back_to_crm(answer)
    assert (landed.status_code, landed.headers["Location"]) == (303, "/billers/10482/obd")
    billers = pm.crm.get("/billers")
    assert "<h1>Biller Search</h1>" in billers.text
    assert "Signed in as pm.demo" in billers.text
    assert "Last login: 2026-11-25 16:42:07 CST" in billers.text


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (
            "username",
            [
                "<title>Company sign-in</title>",
                "<h1>Sign in with your company account</h1>",
                '<label for="username">Username</label>',
                '<input id="username" name="username" type="text"',
                '<button type="submit">Next</button>',
            ],
        ),
        (
            "password",
            [
                "<title>Company sign-in</title>",
                "<h1>Sign in with your company account</h1>",
                "Username: pm.demo",
                '<label for="password">Password</label>',
                '<input id="password" name="password" type="password"',
                '<button type="submit">Sign in</button>',
            ],
        ),
        (
            "code",
            [
                "<title>Company sign-in</title>",
                "<h1>Sign in with your company account</h1>",
                '<label for="code">One-time code</label>',
                'name="code" type="text" inputmode="numeric" autocomplete="one-time-code"',
                '<button type="submit">Verify</button>',
            ],
        ),
    ],
)
def test_each_step_is_a_labelled_form(
    make_pm: Callable[..., Browser], step: str, expected: list[str]
) -> None:
    pm = make_pm(totp_seed=SEED)
    pages = {"username": pm.to_provider()}
    pages["password"] = pm.username()
    pages["code"] = pm.password()
    assert pages[step].status_code == 200
    for snippet in expected:
        assert snippet in pages[step].text
    assert 'role="alert"' not in pages[step].text


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_username_asks_again(pm: Browser, name: str) -> None:
    pm.to_provider()
    answer = pm.username(name)
    assert answer.status_code == 200
    assert '<p class="alert" role="alert">Enter your username.</p>' in answer.text
    assert '<label for="username">Username</label>' in answer.text


@pytest.mark.parametrize(("name", "password"), [(USERNAME, "wrong"), ("nobody", PASSWORD)])
def test_a_wrong_password_asks_again_and_signs_nobody_in(
    pm: Browser, name: str, password: str
) -> None:
    pm.to_provider()
    pm.username(name)
    answer = pm.password(password)
    assert answer.status_code == 200
    assert 'role="alert">Incorrect username or password.</p>' in answer.text
    assert f"Username: {name}" in answer.text
    assert '<label for="password">Password</label>' in answer.text
    assert pm.crm.get("/billers").status_code == 303


def _not_a_current_code() -> str:
    """A well-formed code the provider cannot take now (none of the three it accepts)."""
    now = [totp_code(SEED, at) for at in _around_now()]
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in now)


def _around_now() -> list[float]:
    return [time.time() + offset for offset in (-30, 0, 30)]


@pytest.mark.parametrize("wrong", ["", "12345", "abcdef", "not current"])
def test_a_wrong_one_time_code_asks_again(make_pm: Callable[..., Browser], wrong: str) -> None:
    pm = make_pm(totp_seed=SEED)
    pm.to_provider()
    pm.username()
    assert '<label for="code">One-time code</label>' in pm.password().text
    answer = pm.code(_not_a_current_code() if wrong == "not current" else wrong)
    assert answer.status_code == 200
    alert = "That code is not valid. Enter the current code from your authenticator app."
    assert f'role="alert">{alert}</p>' in answer.text
    assert '<label for="code">One-time code</label>' in answer.text
    landed = pm.back_to_crm(pm.code(totp_code(SEED)))
    assert landed.headers["Location"] == "/billers"
    assert "Signed in as pm.demo" in pm.crm.get("/billers").text


def test_the_code_step_needs_the_password_first(make_pm: Callable[..., Browser]) -> None:
    pm = make_pm(totp_seed=SEED)
    pm.to_provider()
    pm.username()
    pm.password("wrong")
    answer = pm.code(totp_code(SEED))
    assert answer.status_code == 400
    assert "Go back to the application and sign in again." in answer.text


@pytest.mark.parametrize("step", ["/authorize", "/password", "/verify"])
def test_a_step_without_a_started_sign_in_is_refused(pm: Browser, step: str) -> None:
    answer = pm.idp.post(step, data={"username": USERNAME, "password": PASSWORD})
    assert answer.status_code == 400
    assert "Go back to the application and sign in again." in answer.text


def test_a_ticket_signs_in_once(pm: Browser) -> None:
    pm.to_provider()
    pm.username()
    answer = pm.password()
    assert pm.back_to_crm(answer).status_code == 303
    for client in (pm.crm, pm.crm.application.test_client()):
        again = client.get(local(answer.headers["Location"]))
        assert again.status_code == 403
        assert "The sign-in could not be completed. Sign in again." in again.text


@pytest.mark.parametrize("query", ["", "?ticket=", "?ticket=made-up&next=/billers"])
def test_a_callback_without_a_real_ticket_is_refused(pm: Browser, query: str) -> None:
    answer = pm.crm.get(f"/sso/callback{query}")
    assert answer.status_code == 403
    assert "The sign-in could not be completed. Sign in again." in answer.text
    assert pm.crm.get("/billers").status_code == 303


@pytest.mark.parametrize(
    "return_to",
    [
        "https://elsewhere.example/sso/callback",
        f"{CRM}/billers",
        f"{IDP}/sso/callback",
        "http://127.0.0.1:9999/sso/callback",
        "",
    ],
)
def test_a_return_to_that_is_not_the_crm_is_refused(pm: Browser, return_to: str) -> None:
    query = f"?return_to={return_to}&next=/billers" if return_to else ""
    answer = pm.idp.get(f"/authorize{query}")
    assert answer.status_code == 400
    assert "Unknown application" in answer.text
    assert "Set-Cookie" not in answer.headers


@pytest.mark.parametrize("with_session", [False, True])
def test_the_crm_refuses_its_own_sign_in_form(pm: Browser, with_session: bool) -> None:
    if with_session:
        pm.crm.get("/billers")
    answer = sign_in_form_post(pm.crm)
    assert answer.status_code == 403
    assert "This CRM signs in through your company&#39;s identity provider." in answer.text
    assert pm.crm.get("/billers").status_code == 303


def sign_in_form_post(client: FlaskClient) -> TestResponse:
    return client.post("/login", data={"username": USERNAME, "password": PASSWORD})


@pytest.mark.parametrize(
    ("path", "expected_next"),
    [("/login", "/billers"), ("/login?next=//elsewhere.example/", "/billers")],
)
def test_the_crm_sends_sign_in_to_the_provider_with_a_safe_next(
    pm: Browser, path: str, expected_next: str
) -> None:
    answer = pm.crm.get(path)
    assert answer.status_code == 303
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{IDP}/authorize"
    assert parse_qs(location.query) == {"return_to": [CALLBACK], "next": [expected_next]}


def test_an_expired_session_says_so_on_the_provider(pm: Browser) -> None:
    assert EXPIRED_NOTICE not in pm.to_provider().text
    pm.username()
    pm.back_to_crm(pm.password())
    assert pm.crm.get("/billers/10482/profile").status_code == 200
    assert pm.crm.post("/api/sessions/expire").json == {"expired": 1}
    expired = pm.crm.get("/billers/10482/profile")
    assert expired.headers["Location"] == "/login?next=%2Fbillers%2F10482%2Fprofile&expired=1"
    provider = pm.crm.get(expired.headers["Location"]).headers["Location"]
    assert parse_qs(urlsplit(provider).query)["expired"] == ["1"]
    step1 = pm.idp.get(local(provider))
    assert f'role="status">{EXPIRED_NOTICE}</p>' in step1.text
    assert EXPIRED_NOTICE not in pm.username().text
    landed = pm.back_to_crm(pm.password())
    assert landed.headers["Location"] == "/billers/10482/profile"
