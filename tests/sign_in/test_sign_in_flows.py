"""Signing in the way a company CRM wants it, end to end: crm_sim behind its own identity
provider (`crm-sim serve --sso`, a second port on 127.0.0.1), the real CLI, real Chromium.

- a conversion signs in through the provider (username, Next, password) and again each time
  the CRM ends its session mid-run;
- a PM signs in by hand in a headed browser, one-time code included (the test is the PM);
  `crm-robot sign-in --manual` saves the session, and a headless scheduled capture with no
  password anywhere uses it; once the CRM ends that session, the capture fails with exit 3 and
  says to sign in again; a PM who starts signing in and walks away is told, once the wait
  (CRM_ROBOT_SIGN_IN_WAIT_S) is over, to run again, and nothing is saved;
- no file any of these runs wrote holds the password, the one-time code's seed, the session key
  or the session cookie, in any encoding.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, Page, sync_playwright

from crm_sim.totp import totp_code
from robot.browser.headed import SIGN_IN_BANNER_ID
from robot.browser.signin import SIGN_IN_PROMPT
from robot.core.errors import ExitCode
from tests.conversion.support import BILLER, PLAN, ROOT, RUN_TIMEOUT_S, Cli, assert_converted
from tests.reliability.canaries import Canary, RunSecrets, Scanner, assert_no_leaks
from tests.support.crm_sim_server import CrmSimServer

pytestmark = [pytest.mark.e2e]
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the PM's authenticator app holds the same
USERNAME = "pm.demo"
# What a conversion needs besides the sign-in (the sample plan's RTDR credentials).
RTDR = {
    "RTDR_USERNAME": "ppm_spectrum_api",
    "RTDR_PRIVATE_KEY": "PPM-DEMO-PRIVATE-KEY-7f3a",
    "RTDR_PASSWORD": "ppm-demo-rtdr-pass",
}


def idp_host(server: CrmSimServer) -> str:
    return urlsplit(server.idp_url).netloc


@dataclass(frozen=True)
class SavedSessionCase:
    """A crm_sim behind its identity provider, the PM's fresh password, and where the robot
    keeps the saved session (encrypted with `key`)."""

    server: CrmSimServer
    password: Canary
    key: str
    session_file: Path
    cli: Cli

    @classmethod
    def start(
        cls, start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path, **options: str
    ) -> SavedSessionCase:
        server = start_crm_sim(sso=True, **options)
        password = RunSecrets.fresh().crm_password
        server.set_password(password.value)
        key = Fernet.generate_key().decode()
        cli = Cli(server.url, tmp_path / "out")
        return cls(server, password, key, tmp_path / "state" / "crm.session", cli)

    def env(self, **extra: str) -> dict[str, str]:
        return self.cli.env(
            CRM_SSO_HOSTS=idp_host(self.server),
            CRM_ROBOT_SESSION_KEY=self.key,
            CRM_ROBOT_SESSION_FILE=str(self.session_file),
            **extra,
        )

    def session_cookie(self) -> str:
        body = json.loads(Fernet(self.key.encode()).decrypt(self.session_file.read_bytes()))
        (cookie,) = [c["value"] for c in body["state"]["cookies"] if c["name"] == "crm_session"]
        return str(cookie)


def robot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`crm-robot ARGS` in its own process, as a PM would run it."""
    return subprocess.run(
        [sys.executable, "-m", "robot.cli.main", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.slow
def test_a_conversion_signs_in_through_the_identity_provider_and_again_when_the_session_ends(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    server: CrmSimServer = start_crm_sim(sso=True)
    secrets = RunSecrets.fresh()
    server.set_password(secrets.crm_password.value)
    server.set_provider(BILLER, secrets.rtdr_key.value, secrets.rtdr_password.value)
    server.set_faults("expire_session_every=120")
    cli = Cli(server.url, tmp_path / "out")
    # plan named, so that no key of the secrets' environment could be taken for it
    result = cli.run(
        "--yes", plan=PLAN, CRM_SIGN_IN="sso", CRM_SSO_HOSTS=idp_host(server), **secrets.env()
    )
    assert result.returncode == ExitCode.OK, result.stderr
    assert_converted(server.state(BILLER), secrets.key_password)
    assert "signed in again" in result.stderr, "the CRM never ended the session mid-run"
    scanner = Scanner(secrets.canaries()).folder(cli.out)
    assert_no_leaks(scanner.text("stdout", result.stdout).text("stderr", result.stderr))


def test_sign_in_to_a_provider_not_in_the_settings_is_refused_before_the_password_is_typed(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    server: CrmSimServer = start_crm_sim(sso=True)
    cli = Cli(server.url, tmp_path / "out")
    result = cli.run("--yes", CRM_SIGN_IN="sso", CRM_SSO_HOSTS="login.example.com")
    assert result.returncode == ExitCode.BAD_INPUT, result.stderr
    assert f"a form would post to {server.idp_url}" in result.stderr
    assert "add its host to CRM_SSO_HOSTS" in result.stderr
    assert server.state(BILLER)["integration_partner"] == "IMT MIPS APPS"


def _sign_in_by_hand(
    env: dict[str, str], endpoint: str, pm: Callable[[], None]
) -> tuple[int, str, str]:
    """`crm-robot sign-in --manual` in the headed browser at `endpoint`, while `pm` (the test,
    in the page) does what the PM does; its exit code, stdout and stderr."""
    with subprocess.Popen(
        [sys.executable, "-m", "robot.cli.main", "sign-in", "--manual"],
        cwd=ROOT, env={**env, "CRM_ROBOT_BROWSER_ENDPOINT": endpoint},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as signing:  # fmt: skip
        with ThreadPoolExecutor(1) as pool:
            done = pool.submit(pm)
            out, err = signing.communicate(timeout=RUN_TIMEOUT_S)
            done.result()  # the PM's own failure, if any, rather than the robot's wait
    return signing.returncode, out, err


def _be_the_pm(endpoint: str, server: CrmSimServer, password: str) -> None:
    """Sign in on the identity provider's pages of the robot's browser, as the PM would."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(endpoint)
        page = _provider_page(browser, server)
        banner = page.locator(f"#{SIGN_IN_BANNER_ID}")
        banner.wait_for()
        assert banner.inner_text() == SIGN_IN_PROMPT
        page.get_by_label("Username").fill(USERNAME)
        page.get_by_role("button", name="Next").click()
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("One-time code").fill(totp_code(SEED))
        page.get_by_role("button", name="Verify").click()


def _provider_page(browser: Browser, server: CrmSimServer) -> Page:
    """The robot's page, once the CRM has sent it to the identity provider."""
    any_page = browser.contexts[0].pages[0]
    for _ in range(600):
        for context in browser.contexts:
            for page in context.pages:
                if page.url.startswith(server.idp_url):
                    return page
        # The polling interval of a look at the robot's pages (it runs Playwright's events).
        any_page.wait_for_timeout(50)
    raise AssertionError("the robot's browser never showed the identity provider")


@pytest.mark.slow
def test_a_pm_signs_in_by_hand_then_headless_captures_use_the_saved_session_until_it_ends(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path, headed_chromium: str
) -> None:
    case = SavedSessionCase.start(start_crm_sim, tmp_path, totp_seed=SEED)
    server = case.server
    env = case.env(CRM_SIGN_IN="manual", CRM_ROBOT_SIGN_IN_WAIT_S="60")
    code, out, err = _sign_in_by_hand(
        env, headed_chromium, lambda: _be_the_pm(headed_chromium, server, case.password.value)
    )
    assert code == ExitCode.OK, err
    assert f"session saved to {case.session_file}" in out
    # No password anywhere: neither in the environment nor in a .env file.
    assert not {"CRM_USERNAME", "CRM_PASSWORD"} & set(env)
    no_env = ("--env-file", str(tmp_path / "empty.env"))
    (tmp_path / "empty.env").write_text("")
    capture = ("capture", str(PLAN), "--phase", "scheduled", "--json", *no_env)

    windows = len(server.state(BILLER)["maintenance_windows"])
    first = robot(*capture, env=env)
    assert first.returncode == ExitCode.OK, first.stderr
    assert json.loads(first.stdout)["billers"][0]["status"] == "baseline"
    # A conversion step uses the saved session too: it posts its forms with it.
    window = robot(
        "convert", str(PLAN), *no_env, "--yes", "--only", "maintenance-window", env={**env, **RTDR}
    )
    assert window.returncode == ExitCode.OK, window.stderr
    assert len(server.state(BILLER)["maintenance_windows"]) == windows + 1
    # The CRM ends the session in the middle of the next capture: no password flow can stand
    # in, so the biller fails, once, saying what to do.
    server.set_faults("expire_session_every=5")
    expired = robot(*capture, env=env)
    assert expired.returncode == ExitCode.CRM_FAILED, expired.stderr
    assert "the saved session has expired: run crm-robot sign-in again" in expired.stderr
    assert expired.stderr.count("the saved session has expired") <= 2, "it tried over and over"
    canaries = [
        case.password,
        Canary("one-time code seed", SEED),
        Canary("session key", case.key),
        Canary("session cookie", case.session_cookie()),
    ]
    scanner = Scanner(canaries).folder(case.cli.out)
    for run in (first, window, expired):
        scanner.text("stdout", run.stdout).text("stderr", run.stderr)
    assert_no_leaks(scanner.text("sign-in stdout", out).text("sign-in stderr", err))


def test_a_pm_who_never_finishes_signing_in_is_told_when_the_wait_is_over(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path, headed_chromium: str
) -> None:
    case = SavedSessionCase.start(start_crm_sim, tmp_path, totp_seed=SEED)
    env = case.env(CRM_SIGN_IN="manual", CRM_ROBOT_SIGN_IN_WAIT_S="10")  # the shortest allowed
    code, _, err = _sign_in_by_hand(
        env, headed_chromium, lambda: _walk_away(headed_chromium, case.server)
    )
    assert code == ExitCode.CRM_FAILED, err
    assert (
        "Sign in: nobody finished signing in within 10 s (CRM_ROBOT_SIGN_IN_WAIT_S); "
        "run again and sign in in the browser window"
    ) in err
    assert "Traceback" not in err
    assert not case.session_file.exists()
    assert case.server.sign_ins() == 0


def _walk_away(endpoint: str, server: CrmSimServer) -> None:
    """The PM is asked in the page, types the username, and walks away."""
    with sync_playwright() as playwright:
        page = _provider_page(playwright.chromium.connect_over_cdp(endpoint), server)
        page.locator(f"#{SIGN_IN_BANNER_ID}").wait_for()
        page.get_by_label("Username").fill(USERNAME)
        page.get_by_role("button", name="Next").click()
        page.get_by_label("Password").wait_for()


def test_sign_in_through_the_provider_saves_an_encrypted_private_session(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    case = SavedSessionCase.start(start_crm_sim, tmp_path)
    env = case.env(CRM_SIGN_IN="sso", CRM_USERNAME=USERNAME, CRM_PASSWORD=case.password.value)
    signed = robot("sign-in", env=env)
    assert signed.returncode == ExitCode.OK, signed.stderr
    assert f"session saved to {case.session_file} (encrypted, made " in signed.stdout
    assert stat.S_IMODE(case.session_file.stat().st_mode) == 0o600
    cookie = case.session_cookie()
    scanner = Scanner(
        [case.password, Canary("session cookie", cookie), Canary("session key", case.key)]
    )
    scanner.data(str(case.session_file), case.session_file.read_bytes())
    assert_no_leaks(scanner.text("stdout", signed.stdout).text("stderr", signed.stderr))
