"""Signing in without a browser: the transport rules, the saved session file, the flow checks."""

from __future__ import annotations

import base64
import hashlib
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from robot.browser.saved_session import load, save, session_path
from robot.browser.signin import check_sign_in
from robot.core.errors import ExitCode, SettingsError
from robot.core.settings import Settings, load_settings
from robot.core.transport import certificate_error, request_problem, spki_hashes
from tests.support.certificates import make_ca

CRM = "http://127.0.0.1:8765"
KEY = Fernet.generate_key().decode()
STATE = {"cookies": [{"name": "crm_session", "value": "cookie-canary-5b1e", "domain": "x"}]}


@pytest.mark.parametrize(
    ("url", "method", "refused"),
    [
        ("https://login.example.com/authorize", "GET", None),
        ("https://login.example.com/authorize", "POST", None),
        ("http://127.0.0.1:9000/authorize", "POST", None),
        ("http://localhost:9000/authorize", "GET", None),
        ("https://cdn.example.net/app.js", "GET", None),
        ("http://login.example.com/authorize", "GET", "over plain http://"),
        ("http://login.example.com/authorize", "POST", "over plain http://"),
        ("https://evil.example.org/collect", "POST", "neither the CRM"),
        ("http://127.0.0.2:9000/authorize", "POST", "neither the CRM"),
        ("data:text/html,hello", "GET", None),
    ],
)
def test_the_browser_goes_only_where_the_transport_rules_allow(
    url: str, method: str, refused: str | None
) -> None:
    problem = request_problem(url, method, ("login.example.com", "127.0.0.1:9000"))
    if refused is None:
        assert problem is None
    else:
        assert problem is not None and refused in problem


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (
            "Page.goto: net::ERR_CERT_AUTHORITY_INVALID at https://127.0.0.1:8443/login",
            "net::ERR_CERT_AUTHORITY_INVALID",
        ),
        ("net::ERR_CERT_COMMON_NAME_INVALID at https://crm/", "net::ERR_CERT_COMMON_NAME_INVALID"),
        ("Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/", None),
    ],
)
def test_a_certificate_error_is_told_from_other_failures(message: str, code: str | None) -> None:
    assert certificate_error(message) == code


def test_the_ca_bundle_trusts_exactly_the_keys_of_its_certificates(tmp_path: Path) -> None:
    ca = make_ca(tmp_path, "127.0.0.1")
    der = ca.ca_certificate.public_key().public_bytes(
        Encoding.DER, PublicFormat.SubjectPublicKeyInfo
    )
    expected = base64.b64encode(hashlib.sha256(der).digest()).decode()
    assert spki_hashes(ca.bundle) == [expected]
    settings = load_settings(None, {"CRM_ROBOT_CA_BUNDLE": str(ca.bundle)})
    assert settings.ca_bundle == ca.bundle
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("hello")
    with pytest.raises(SettingsError) as caught:
        load_settings(None, {"CRM_ROBOT_CA_BUNDLE": str(not_pem)})
    assert caught.value.problems == [
        "CRM_ROBOT_CA_BUNDLE: holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the "
        "PEM file of your company's CA"
    ]


def settings_with(tmp_path: Path, **environ: str) -> Settings:
    base = {
        "CRM_BASE_URL": CRM,
        "CRM_ROBOT_OUTPUT_DIR": str(tmp_path / "screenshots"),
        "CRM_ROBOT_SESSION_FILE": str(tmp_path / "state" / "crm.session"),
        "CRM_ROBOT_SESSION_KEY": KEY,
    }
    return load_settings(None, {**base, **environ})


def test_a_saved_session_is_encrypted_private_and_read_back(tmp_path: Path) -> None:
    settings = settings_with(tmp_path)
    saved = save(settings, STATE)
    assert saved.path == tmp_path / "state" / "crm.session"
    assert stat.S_IMODE(saved.path.stat().st_mode) == 0o600
    body = saved.path.read_bytes()
    assert b"cookie-canary-5b1e" not in body
    assert b"cookie-canary-5b1e" not in base64.urlsafe_b64decode(body)
    loaded = load(settings)
    assert loaded is not None and loaded.state == STATE and loaded.made == saved.made


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"CRM_ROBOT_SESSION_KEY": ""}, "CRM_ROBOT_SESSION_KEY: required to use the saved session"),
        (
            {"CRM_ROBOT_SESSION_KEY": Fernet.generate_key().decode()},
            "CRM_ROBOT_SESSION_KEY: does not open the saved session",
        ),
        ({"CRM_BASE_URL": "http://127.0.0.1:9999"}, "holds a session of 127.0.0.1:8765"),
    ],
)
def test_a_saved_session_that_cannot_be_used_is_refused_before_a_browser_opens(
    tmp_path: Path, change: dict[str, str], says: str
) -> None:
    save(settings_with(tmp_path), STATE)
    with pytest.raises(SettingsError) as caught:
        load(settings_with(tmp_path, **change))
    assert caught.value.exit_code == ExitCode.BAD_INPUT
    assert says in caught.value.message
    assert "crm-robot sign-in" in caught.value.message  # what to do next


def test_the_saved_session_never_lives_in_the_output_folder(tmp_path: Path) -> None:
    inside = str(tmp_path / "screenshots" / "session.bin")
    settings = settings_with(tmp_path, CRM_ROBOT_SESSION_FILE=inside)
    with pytest.raises(SettingsError) as caught:
        save(settings, STATE)
    assert "is inside CRM_ROBOT_OUTPUT_DIR" in caught.value.message
    assert not Path(inside).exists()


def test_each_crm_host_has_its_own_default_session_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    uat = load_settings(None, {"CRM_BASE_URL": "https://uat.crm.example.com"})
    prod = load_settings(None, {"CRM_BASE_URL": "https://crm.example.com:8443"})
    assert session_path(uat) == tmp_path / "crm-robot" / "uat.crm.example.com-443.session"
    assert session_path(prod) == tmp_path / "crm-robot" / "crm.example.com-8443.session"


@pytest.mark.parametrize(
    ("environ", "headed", "says"),
    [
        ({"CRM_SIGN_IN": "manual"}, False, "CRM_SIGN_IN: manual needs a headed run"),
        ({"CRM_SIGN_IN": "form"}, True, "CRM_PASSWORD: required to sign in"),
        (
            {"CRM_SIGN_IN": "sso", "CRM_SSO_HOSTS": "127.0.0.1:9000"},
            False,
            "CRM_USERNAME: required to sign in",
        ),
    ],
)
def test_a_flow_without_what_it_needs_is_refused_before_a_browser_opens(
    tmp_path: Path, environ: dict[str, str], headed: bool, says: str
) -> None:
    settings = settings_with(tmp_path, **environ)
    with pytest.raises(SettingsError) as caught:
        check_sign_in(settings, headed=headed)
    assert says in caught.value.message


def test_a_saved_session_stands_in_for_the_password_and_the_pm(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, CRM_SIGN_IN="manual")
    save(settings, STATE)
    saved = check_sign_in(settings, headed=False)
    assert saved is not None and saved.state == STATE
    elsewhere = settings_with(tmp_path / "elsewhere", CRM_SIGN_IN="manual")
    assert check_sign_in(elsewhere, headed=True) is None
