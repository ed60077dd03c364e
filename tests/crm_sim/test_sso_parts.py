"""The parts of `crm-sim serve --sso`: one-time codes, tickets, settings, the CLI's first line,
the test API that ends sessions; and one end-to-end round trip over real HTTP, both ports of one
process."""

from __future__ import annotations

import base64
import http.cookiejar
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer

from crm_sim import cli
from crm_sim.config import SimConfig
from crm_sim.sso import TicketStore, link_of
from crm_sim.totp import SeedError, code_is_valid, decode_seed, totp_code
from tests.support.crm_sim_forms import PASSWORD, USERNAME, sign_in
from tests.support.crm_sim_server import FIRST_LINE, CrmSimServer

RFC_SEED = base64.b32encode(b"12345678901234567890").decode()
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
EXPIRED_NOTICE = "Your session has expired. Please sign in again."


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (59, "287082"),
        (1111111109, "081804"),
        (1111111111, "050471"),
        (1234567890, "005924"),
        (2000000000, "279037"),
        (20000000000, "353130"),
    ],
)
def test_codes_match_the_rfc_6238_vectors(at: float, code: str) -> None:
    assert totp_code(RFC_SEED, at) == code


@pytest.mark.parametrize(("offset", "accepted"), [(-60, False), (-30, True), (0, True),
                                                  (30, True), (60, False)])  # fmt: skip
def test_a_code_is_taken_one_step_either_side(offset: int, accepted: bool) -> None:
    at = 1_000_000_005.0
    assert code_is_valid(RFC_SEED, totp_code(RFC_SEED, at + offset), at) is accepted


@pytest.mark.parametrize("seed", [RFC_SEED.lower(), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"])
def test_seeds_are_read_as_authenticator_apps_show_them(seed: str) -> None:
    assert decode_seed(seed) == b"12345678901234567890"


@pytest.mark.parametrize("seed", ["", "JBSWY3DP1", "NOT-BASE32", "A"])
def test_a_seed_that_is_not_base32_is_refused(seed: str) -> None:
    with pytest.raises(SeedError):
        decode_seed(seed)
    with pytest.raises(ValueError):
        SimConfig(totp_seed=seed or "=")


def test_a_ticket_is_good_once_and_for_a_minute() -> None:
    clock = [100.0]
    tickets = TicketStore(clock=lambda: clock[0])
    first, second, third = (tickets.issue(name) for name in ("pm.demo", "ops", "late"))
    assert first != second
    clock[0] += 60
    assert tickets.redeem(first) == "pm.demo"
    assert tickets.redeem(first) is None
    clock[0] += 0.5
    assert tickets.redeem(second) is None
    assert tickets.redeem(third) is None  # an expired ticket is gone, not kept for later
    assert tickets.redeem("made-up") is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sso", "--totp-seed", "0189"], "argument --totp-seed: not a base32 secret"),
        (["--sso", "--idp-port", "-1"], "argument --idp-port: must be 0 or more"),
        (["--idp-port", "9000"], "--idp-port and --totp-seed need --sso"),
        (["--totp-seed", SEED], "--idp-port and --totp-seed need --sso"),
    ],
)
def test_bad_sso_arguments_exit_2_and_say_what_is_wanted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["serve", "--db", str(tmp_path / "x.sqlite3"), *args])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "line"),
    [
        ([], r"crm-sim: serving http://127\.0\.0\.1:\d+ \(UAT\)"),
        (["--env", "PROD"], r"crm-sim: serving http://127\.0\.0\.1:\d+ \(PROD\)"),
        (
            ["--sso"],
            r"crm-sim: serving http://127\.0\.0\.1:(\d+) \(UAT\) sign-in at http://127\.0\.0\.1:\d+",
        ),
    ],
)
def test_the_first_line_names_the_crm_and_with_sso_its_provider(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    line: str,
) -> None:
    bound: list[BaseWSGIServer] = []

    def close_instead_of_serving(servers: list[BaseWSGIServer]) -> None:
        bound.extend(servers)
        for server in servers:
            server.server_close()

    monkeypatch.setattr(cli, "_serve_until_stopped", close_instead_of_serving)
    db = str(tmp_path / "x.sqlite3")
    assert cli.main(["serve", "--port", "0", "--db", db, *args]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert re.fullmatch(line, first)
    assert FIRST_LINE.match(first)
    ports = [str(server.server_port) for server in bound]
    assert re.findall(r":(\d+)", first) == ports
    if "--sso" in args:
        crm = bound[0].app
        assert isinstance(crm, Flask)
        link = link_of(crm)
        assert (link.crm_origin, link.idp_origin) == tuple(f"http://127.0.0.1:{p}" for p in ports)


def test_expiring_sessions_without_sso_signs_everyone_out(app: Flask) -> None:
    signed_in = [app.test_client(), app.test_client()]
    for client in signed_in:
        sign_in(client)
    app.test_client().get("/login")  # a session that never signed in: nothing to expire
    api = app.test_client()
    assert api.post("/api/sessions/expire").json == {"expired": 2}
    assert api.post("/api/sessions/expire").json == {"expired": 0}
    for client in signed_in:
        answer = client.get("/billers")
        assert answer.headers["Location"] == "/login?next=%2Fbillers&expired=1"
        assert EXPIRED_NOTICE in client.get(answer.headers["Location"]).text
    assert sign_in(signed_in[0]).status_code == 303
    assert signed_in[0].get("/billers").status_code == 200


class Walker:
    """urllib with one cookie jar, following redirects, as a browser walks the sign-in."""

    def __init__(self) -> None:
        processor = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self._opener = urllib.request.build_opener(processor)

    def open(self, url: str, form: dict[str, str] | None = None) -> tuple[str, str]:
        data = None if form is None else urlencode(form).encode()
        with self._opener.open(url, data=data, timeout=15) as response:
            final: str = response.geturl()
            return final, response.read().decode()


@pytest.mark.e2e
def test_a_round_trip_over_http_uses_both_ports_of_one_process(
    start_crm_sim: Callable[..., Any],
) -> None:
    server: CrmSimServer = start_crm_sim(sso=True, totp_seed=SEED)
    assert server.idp_url and server.idp_url != server.url
    browser = Walker()
    where, page = browser.open(f"{server.url}/billers/10482/obd")
    assert where.startswith(f"{server.idp_url}/authorize?")
    assert "Sign in with your company account" in page
    where, page = browser.open(f"{server.idp_url}/authorize", {"username": USERNAME})
    assert "Username: pm.demo" in page
    where, page = browser.open(f"{server.idp_url}/password", {"password": PASSWORD})
    assert '<label for="code">One-time code</label>' in page
    where, page = browser.open(f"{server.idp_url}/verify", {"code": totp_code(SEED)})
    assert where == f"{server.url}/billers/10482/obd"
    assert "Signed in as pm.demo" in page
    assert server.expire_sessions() == 1
    where, page = browser.open(f"{server.url}/billers")
    assert parse_qs(urlsplit(where).query)["expired"] == ["1"]
    assert EXPIRED_NOTICE in page
    assert server.stop() == 0
