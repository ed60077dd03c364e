"""Settings from the environment and .env: precedence, validation wording, secrets kept hidden."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from robot.core.errors import ExitCode, SettingsError
from robot.core.fingerprint import SALT_FILE, fingerprint, load_or_create_salt
from robot.core.secrets import Secret
from robot.core.settings import load_settings
from robot.plan.credentials import key_password_problems, resolve_credentials
from robot.plan.model import ConversionPlan, load_plan

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "plans" / "prairie-pine-mutual.toml"


@pytest.fixture(scope="module")
def sample() -> ConversionPlan:
    return load_plan(SAMPLE)


def settings_problems(environ: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        load_settings(None, environ)
    assert caught.value.exit_code == ExitCode.BAD_INPUT
    return caught.value.problems


def test_defaults_without_any_setting() -> None:
    settings = load_settings(None, {})
    assert settings.crm_base_url == "http://127.0.0.1:8765"
    assert settings.headless is True
    assert settings.slow_mo_ms == 0
    assert settings.output_dir == Path("screenshots")
    assert settings.crm_uat_hosts == ("127.0.0.1", "localhost")
    assert settings.crm_prod_hosts == ()
    assert settings.crm_password is None


@pytest.mark.parametrize(
    "endpoint",
    [
        "ws://127.0.0.1:3000/playwright?token=x",
        "wss://grid:443/",
        "http://127.0.0.1:9222",
        "http://localhost:9222",
        "ws://[::1]:3000/",
        "https://grid.example.com:9222",
    ],
)
def test_browser_endpoint_takes_a_browser_server_or_a_devtools_url(endpoint: str) -> None:
    # the same two forms as --browser-endpoint
    settings = load_settings(None, {"CRM_ROBOT_BROWSER_ENDPOINT": endpoint})
    assert settings.browser_endpoint == endpoint


def test_real_environment_wins_over_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "CRM_USERNAME=from-file\nCRM_ROBOT_SLOW_MO_MS=250\nCRM_PASSWORD=pa$$word\n",
        encoding="utf-8",
    )
    settings = load_settings(env_file, {"CRM_USERNAME": "from-env"})
    assert settings.crm_username == "from-env"
    assert settings.slow_mo_ms == 250
    # No interpolation: "$" in a password reaches the CRM unchanged.
    assert settings.crm_password is not None
    assert settings.crm_password.get_secret_value() == "pa$$word"


def test_named_env_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^env file not found: .*missing\.env; create it"):
        load_settings(tmp_path / "missing.env", {}, must_exist=True)
    assert load_settings(tmp_path / "missing.env", {}).crm_username is None


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        pytest.param(
            {"CRM_ROBOT_HEADLESS": "maybe"},
            ['CRM_ROBOT_HEADLESS: must be true or false (given "maybe")'],
            id="headless",
        ),
        pytest.param(
            {"CRM_ROBOT_SLOW_MO_MS": "-5"},
            [
                "CRM_ROBOT_SLOW_MO_MS: must be a whole number of milliseconds from 0 to 60000 "
                '(given "-5")'
            ],
            id="slow-mo",
        ),
        pytest.param(
            {"CRM_BASE_URL": "ftp://127.0.0.1"},
            [
                "CRM_BASE_URL: must be an http(s) URL like http://127.0.0.1:8765 "
                '(given "ftp://127.0.0.1")'
            ],
            id="base-url-scheme",
        ),
        pytest.param(
            {"CRM_BASE_URL": "http://pm.demo:crm-demo-pass@127.0.0.1:8765"},
            ["CRM_BASE_URL: must not hold credentials; set CRM_USERNAME and CRM_PASSWORD instead"],
            id="base-url-credentials-not-echoed",
        ),
        pytest.param(
            {"CRM_UAT_HOSTS": "127.0.0.1, http://uat.example"},
            [
                "CRM_UAT_HOSTS: must be a comma list of host or host:port, like "
                '127.0.0.1,localhost:8765 (given "127.0.0.1, http://uat.example")'
            ],
            id="hosts",
        ),
        pytest.param(
            {"CRM_ROBOT_BROWSER_ENDPOINT": "ftp://127.0.0.1:3000"},
            [
                "CRM_ROBOT_BROWSER_ENDPOINT: must be a browser server URL like "
                "ws://127.0.0.1:3000/ (Playwright) or a Chrome DevTools URL like "
                'http://127.0.0.1:9222 (given "ftp://127.0.0.1:3000")'
            ],
            id="browser-endpoint",
        ),
        pytest.param(
            {"CRM_SIGN_IN": "saml"},
            [
                "CRM_SIGN_IN: must be form (the CRM's own sign-in page), sso (a company identity "
                'provider) or manual (the PM signs in in a headed browser) (given "saml")'
            ],
            id="sign-in-flow",
        ),
        pytest.param(
            {"CRM_SIGN_IN": "sso"},
            [
                "CRM_SSO_HOSTS: required when CRM_SIGN_IN=sso; name the identity provider's "
                "host (the robot types the CRM password there and nowhere else)"
            ],
            id="sso-needs-its-host",
        ),
        pytest.param(
            {"CRM_ROBOT_SIGN_IN_WAIT_S": "5"},
            [
                "CRM_ROBOT_SIGN_IN_WAIT_S: must be a whole number of seconds from 10 to 3600 "
                '(given "5")'
            ],
            id="sign-in-wait",
        ),
        pytest.param(
            {"CRM_ROBOT_SESSION_KEY": "hunter2-not-a-key"},
            [
                "CRM_ROBOT_SESSION_KEY: must be a key made by `crm-robot sign-in --new-key` (44 "
                "characters of URL-safe base64)"
            ],
            id="session-key-not-echoed",
        ),
        pytest.param(
            {"CRM_ROBOT_CA_BUNDLE": "/nonexistent/company-ca.pem"},
            ['CRM_ROBOT_CA_BUNDLE: file not found (given "/nonexistent/company-ca.pem")'],
            id="ca-bundle-missing",
        ),
        pytest.param(
            {"CRM_ROBOT_HEADLESS": "2", "CRM_ROBOT_SLOW_MO_MS": "fast"},
            [
                'CRM_ROBOT_HEADLESS: must be true or false (given "2")',
                "CRM_ROBOT_SLOW_MO_MS: must be a whole number of milliseconds from 0 to 60000 "
                '(given "fast")',
            ],
            id="all-problems-at-once",
        ),
    ],
)
def test_bad_setting_names_the_key_and_what_is_wanted(
    environ: dict[str, str], expected: list[str]
) -> None:
    assert settings_problems(environ) == expected


def test_missing_selector_file_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "selectors.toml"
    assert settings_problems({"CRM_ROBOT_SELECTORS": str(missing)}) == [
        f'CRM_ROBOT_SELECTORS: file not found (given "{missing}")'
    ]


def test_secrets_show_as_stars_in_repr_and_str() -> None:
    settings = load_settings(
        None, {"CRM_PASSWORD": "hunter2-x", "RTDR_PRIVATE_KEY": "k-x", "RTDR_PASSWORD": "p-x"}
    )
    shown = repr(settings) + str(settings) + str(settings.crm_password)
    assert "hunter2-x" not in shown and "k-x" not in shown and "p-x" not in shown
    assert "Secret('***')" in repr(settings)
    assert str(Secret("anything")) == "***"


@pytest.mark.parametrize(
    ("base_url", "environment", "extra", "allowed"),
    [
        pytest.param("http://127.0.0.1:8765", "UAT", {}, True, id="uat-default-loopback"),
        pytest.param("http://localhost:9000", "UAT", {}, True, id="uat-default-any-port"),
        pytest.param("https://crm.example.com", "UAT", {}, False, id="uat-other-host"),
        pytest.param("http://127.0.0.1:8765", "PROD", {}, False, id="prod-none-by-default"),
        pytest.param(
            "https://crm.example.com",
            "PROD",
            {"CRM_PROD_HOSTS": "crm.example.com:443"},
            True,
            id="prod-host-with-default-port",
        ),
        pytest.param(
            "https://crm.example.com:8443",
            "PROD",
            {"CRM_PROD_HOSTS": "crm.example.com:443"},
            False,
            id="prod-port-must-match",
        ),
    ],
)
def test_crm_host_is_checked_against_the_environments_list(
    base_url: str, environment: str, extra: dict[str, str], allowed: bool
) -> None:
    settings = load_settings(None, {"CRM_BASE_URL": base_url, **extra})
    assert settings.crm_host_allowed(environment) is allowed


def test_crm_login_is_required_only_when_asked() -> None:
    settings = load_settings(None, {"CRM_USERNAME": "pm.demo"})
    with pytest.raises(SettingsError) as caught:
        settings.require_crm_login()
    assert caught.value.problems == [
        "CRM_PASSWORD: required to sign in to the CRM; set it in .env or the environment"
    ]


# --- RTDR credentials of a plan -----------------------------------------------------------


def test_credentials_join_key_and_password(sample: ConversionPlan) -> None:
    settings = load_settings(
        None,
        {"RTDR_PRIVATE_KEY": "PPM-DEMO-PRIVATE-KEY-7f3a", "RTDR_PASSWORD": "ppm-demo-rtdr-pass"},
    )
    credentials = resolve_credentials(sample, settings)
    assert credentials.username == "ppm_spectrum_api"
    assert credentials.key_password.get_secret_value() == (
        "PPM-DEMO-PRIVATE-KEY-7f3a|ppm-demo-rtdr-pass"
    )
    assert "PPM-DEMO" not in repr(credentials)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        pytest.param(
            {},
            [
                "RTDR_PRIVATE_KEY: required for Prairie Pine Mutual (10482), the provider's RTDR "
                "key; set it in .env or the environment",
                "RTDR_PASSWORD: required for Prairie Pine Mutual (10482), the provider's RTDR "
                "password; set it in .env or the environment",
            ],
            id="both-missing",
        ),
        pytest.param(
            {"RTDR_PRIVATE_KEY": "KEY-one|pass-one", "RTDR_PASSWORD": "pass-one"},
            [
                'RTDR_PRIVATE_KEY: must not contain "|"; settings 10 and 13 join the private key '
                'and the password with one "|" (put the password in its own variable)'
            ],
            id="pipe-in-key",
        ),
        pytest.param(
            {"RTDR_PRIVATE_KEY": "KEY-one", "RTDR_PASSWORD": "pa|ss"},
            [
                'RTDR_PASSWORD: must not contain "|"; settings 10 and 13 join the private key '
                'and the password with one "|" (put the private key in its own variable)'
            ],
            id="pipe-in-password",
        ),
        pytest.param(
            {"RTDR_PRIVATE_KEY": "[PrivateKey]", "RTDR_PASSWORD": "[Password]"},
            [
                "RTDR_PRIVATE_KEY: is the placeholder [PrivateKey]; set the provider's real value",
                "RTDR_PASSWORD: is the placeholder [Password]; set the provider's real value",
            ],
            id="placeholders",
        ),
        pytest.param(
            {"RTDR_PRIVATE_KEY": "KEY-one ", "RTDR_PASSWORD": "pass-one"},
            ["RTDR_PRIVATE_KEY: must not start or end with spaces"],
            id="trailing-space",
        ),
        pytest.param(
            {
                "RTDR_PRIVATE_KEY": "KEY-one",
                "RTDR_PASSWORD": "pass-one",
                "RTDR_USERNAME": "sim001_api",
            },
            [
                "RTDR_USERNAME: must match rtdr.username in the plan (ppm_spectrum_api); the .env "
                'may belong to another biller (given "sim001_api")'
            ],
            id="username-of-another-biller",
        ),
    ],
)
def test_bad_credentials_name_the_variable_never_the_value(
    sample: ConversionPlan, environ: dict[str, str], expected: list[str]
) -> None:
    settings = load_settings(None, environ)
    with pytest.raises(SettingsError) as caught:
        resolve_credentials(sample, settings)
    assert caught.value.problems == expected
    for name in ("RTDR_PRIVATE_KEY", "RTDR_PASSWORD"):
        value = environ.get(name, "")
        if value and not value.startswith("["):
            assert value not in str(caught.value)


def test_plan_can_name_its_own_secret_variables(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace('"RTDR_PRIVATE_KEY"', '"PPM_KEY"').replace('"RTDR_PASSWORD"', '"PPM_PASS"')
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    settings = load_settings(
        None, {"PPM_KEY": "k1", "PPM_PASS": "p1", "RTDR_PRIVATE_KEY": "other", "RTDR_PASSWORD": "o"}
    )
    credentials = resolve_credentials(load_plan(path), settings)
    assert credentials.key_password.get_secret_value() == "k1|p1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("KEY|PASS", [], id="good"),
        pytest.param(
            "KEYPASS",
            ['must be <private key>|<password> with exactly one "|" (0 found)'],
            id="none",
        ),
        pytest.param(
            "K|P|Q", ['must be <private key>|<password> with exactly one "|" (2 found)'], id="two"
        ),
        pytest.param("|PASS", ['the private key before "|" is empty'], id="empty-key"),
        pytest.param("KEY|", ['the password after "|" is empty'], id="empty-password"),
        pytest.param(
            "[PrivateKey]|[Password]",
            [
                "is the placeholder [PrivateKey]; set the provider's real value",
                "is the placeholder [Password]; set the provider's real value",
            ],
            id="placeholders",
        ),
    ],
)
def test_joined_key_password_value_is_checked(value: str, expected: list[str]) -> None:
    assert key_password_problems(value) == expected


# --- fingerprints --------------------------------------------------------------------------


def test_fingerprint_is_stable_per_salt_and_hides_the_value(tmp_path: Path) -> None:
    salt = load_or_create_salt(tmp_path)
    assert load_or_create_salt(tmp_path) == salt
    assert os.stat(tmp_path / SALT_FILE).st_mode & 0o777 == 0o600
    first = fingerprint("KEY|PASS", salt)
    assert first == fingerprint("KEY|PASS", salt)
    assert first != fingerprint("KEY|PASS2", salt)
    assert first != fingerprint("KEY|PASS", b"another salt")
    assert first.startswith("secret:") and len(first) == len("secret:") + 16
    int(first.removeprefix("secret:"), 16)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("CRM_BASE_URL", "http://crm.example.com", "CRM_BASE_URL: must be https:// for a CRM"),
        ("CRM_BASE_URL", "http://10.0.0.7:8080", "CRM_BASE_URL: must be https:// for a CRM"),
        (
            "CRM_ROBOT_BROWSER_ENDPOINT",
            "ws://grid.example.com:3000/",
            "CRM_ROBOT_BROWSER_ENDPOINT: must be wss:// for a browser on another machine",
        ),
        (
            "CRM_ROBOT_BROWSER_ENDPOINT",
            "http://192.168.1.20:9222",
            "CRM_ROBOT_BROWSER_ENDPOINT: must be https:// for a browser on another machine",
        ),
    ],
)
def test_a_secret_never_crosses_the_network_in_clear(key: str, value: str, says: str) -> None:
    (problem,) = settings_problems({key: value})
    assert problem.startswith(says)
    assert "127.0.0.1, ::1 or localhost only" in problem


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8765", "http://localhost:8765", "https://crm.example.com"]
)
def test_loopback_http_and_any_https_crm_stay_allowed(url: str) -> None:
    assert load_settings(None, {"CRM_BASE_URL": url}).crm_base_url == url
