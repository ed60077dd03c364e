"""`crm-robot plan check` and `crm-robot docs` through the command line's own `main`.

A random canary secret is put in the settings environment; it must appear in no output and no
file, in any usual encoding, unless --include-secrets asks for it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from robot.core.errors import ExitCode
from tests.support.cli import Done, crm_robot

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "plans" / "prairie-pine-mutual.toml"
DOC_NAMES = {
    "email-provider-initial-setup.txt",
    "team-note-maintenance-window-active.txt",
    "jira.txt",
    "integration-coding-form.md",
    "integration-coding-form.html",
    "customer-message.txt",
    "email-provider-go-live-readiness.txt",
    "email-provider-window-removed.txt",
    "salesforce-go-live-note.txt",
    "email-provider-rollback-done.txt",
}


@pytest.fixture
def canary() -> dict[str, str]:
    """Secrets with characters that change under URL, JSON and base64 encoding."""
    token = secrets.token_hex(8)
    return {
        "CRM_PASSWORD": f'crm/{token}+"pw"=',
        "RTDR_PRIVATE_KEY": f"KEY {token}/+=\\",
        "RTDR_PASSWORD": f'pass&{token}?"',
    }


def encodings(value: str) -> list[str]:
    raw = value.encode()
    return [
        value,
        quote(value, safe=""),
        quote_plus(value),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
        json.dumps(value)[1:-1],
        value.encode("unicode_escape").decode(),
    ]


def leaked(text: str, secrets_: dict[str, str]) -> list[str]:
    values = list(secrets_.values())
    values.append(f"{secrets_['RTDR_PRIVATE_KEY']}|{secrets_['RTDR_PASSWORD']}")
    return [form for value in values for form in encodings(value) if form in text]


def run_cli(*args: str, cwd: Path, extra_env: dict[str, str] | None = None) -> Done:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CRM_", "RTDR_"))}
    env.update(extra_env or {})
    return crm_robot(*args, cwd=cwd, env=env)


def test_plan_check_prints_every_step_and_its_changes(
    tmp_path: Path, canary: dict[str, str]
) -> None:
    result = run_cli("plan", "check", str(SAMPLE), cwd=tmp_path, extra_env=canary)
    assert result.returncode == ExitCode.OK, result.stderr
    out = result.stdout
    for number, step_id in enumerate(
        [
            "capture-before",
            "maintenance-window",
            "crm-configuration",
            "ftp-setup",
            "datapump",
            "advanced-settings",
            "rtdr-test",
            "verify",
            "go-live",
            "capture-after",
        ],
        start=1,
    ):
        assert f"{number:2d}. " in out and f"({step_id})" in out
    assert "    Profile / Integration Partner ID -> IMT Spectrum\n" in out
    assert "    Advanced Settings / Setting 10 (RTDR Key or Password) -> ***\n" in out
    assert "    Advanced Settings / Setting 14 -> (removed)\n" in out
    assert (
        "    FTP Management > PDF Settings / Path -> "
        "prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs\n" in out
    )
    assert "    Maintenance Windows / Start (Central Time) -> 2026-12-15 01:00 CST\n" in out
    assert (
        "FTP path: prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs (from ftp_name)\n"
        "Links:\n"
        "  confluence_guide: https://invoicecloud.atlassian.net/wiki/x/FADghQ\n"
        "  pdf_remote_link_guide: "
        "https://app.getguru.com/card/iEMxq7pT/PDF-Remote-Link-Guide-IMT-Spectrum\n"
        "  prior_spectrum_jira: not given; documents show [link: prior Spectrum integration JIRA]\n"
        "  box_upload: not given; documents show [link: Box secure upload link]\n"
    ) in out
    assert "Warnings:" not in out
    assert leaked(result.stdout + result.stderr, canary) == []


def test_plan_check_says_how_to_roll_the_conversion_back(tmp_path: Path) -> None:
    result = run_cli("plan", "check", str(SAMPLE), cwd=tmp_path)
    assert result.returncode == ExitCode.OK, result.stderr
    out = result.stdout
    rollback = (
        "\nRollback, should go-live be called off:\n"
        f"  crm-robot rollback {SAMPLE} <RUN>\n"
        "  (RUN: the conversion's run id, a folder under screenshots/prairie-pine-mutual/)\n"
        "  It asks for the old value of each secret setting the conversion changes or removes,\n"
        "  in .env or the environment:\n"
        "    ROLLBACK_SETTING_10, ROLLBACK_SETTING_13: settings 10 and 13, if the biller already "
        "has them\n"
        "    ROLLBACK_SETTING_<N>: each removed setting N (14-22, 88, 105) whose name\n"
        '      contains "password" (in any case)\n'
    )
    assert rollback in out
    # After the steps it is about, before the warnings.
    assert out.index("(capture-after)") < out.index(rollback) < out.index("Warnings:")


def test_plan_check_names_no_removed_secret_when_the_plan_removes_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "keep.toml"
    plan.write_text(
        SAMPLE.read_text(encoding="utf-8").replace('remove = ["14-22", 88, 105]', "remove = []"),
        encoding="utf-8",
    )
    result = run_cli("plan", "check", str(plan), cwd=tmp_path)
    assert result.returncode == ExitCode.OK, result.stderr
    assert f"  crm-robot rollback {plan} <RUN>\n" in result.stdout
    assert "    ROLLBACK_SETTING_10, ROLLBACK_SETTING_13: " in result.stdout
    assert "ROLLBACK_SETTING_<N>" not in result.stdout


def test_plan_check_prints_warnings_and_still_succeeds(tmp_path: Path) -> None:
    plan = tmp_path / "late.toml"
    plan.write_text(
        SAMPLE.read_text(encoding="utf-8").replace(
            "jira_submitted = 2026-11-10", "jira_submitted = 2026-12-01"
        ),
        encoding="utf-8",
    )
    result = run_cli("plan", "check", str(plan), cwd=tmp_path)
    assert result.returncode == ExitCode.OK, result.stderr
    assert (
        "  - jira_submitted: 2026-12-01 is 14 days before go-live (2026-12-15); the procedure "
        "asks for at least 30 days\n"
    ) in result.stdout
    assert (
        "  - RTDR_PRIVATE_KEY: required for Prairie Pine Mutual (10482), the provider's RTDR key; "
        "set it in .env or the environment (convert needs it)"
    ) in result.stdout


@pytest.mark.parametrize(
    ("args", "extra_env", "stderr_line"),
    [
        pytest.param(
            ["plan", "check", "nope.toml"],
            {},
            "crm-robot: plan file not found: nope.toml",
            id="missing-plan",
        ),
        pytest.param(
            ["plan", "check", str(SAMPLE)],
            {"CRM_ROBOT_SLOW_MO_MS": "soon"},
            "crm-robot: CRM_ROBOT_SLOW_MO_MS: must be a whole number of milliseconds from 0 to "
            '60000 (given "soon")',
            id="bad-setting",
        ),
        pytest.param(
            ["plan", "check", str(SAMPLE)],
            {"RTDR_PRIVATE_KEY": "[PrivateKey]"},
            "crm-robot: RTDR_PRIVATE_KEY: is the placeholder [PrivateKey]; set the provider's "
            "real value",
            id="placeholder-secret",
        ),
        pytest.param(
            ["docs", str(SAMPLE), "--include-secrets"],
            {"RTDR_PASSWORD": ""},
            "crm-robot: RTDR_PASSWORD: required for Prairie Pine Mutual (10482), the provider's "
            "RTDR password; set it in .env or the environment",
            id="docs-secrets-missing",
        ),
        pytest.param(
            ["plan", "check", str(SAMPLE), "--env-file", "missing.env"],
            {},
            "crm-robot: env file not found: missing.env; create it from .env.example",
            id="named-env-file-missing",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_secret(
    tmp_path: Path,
    canary: dict[str, str],
    args: list[str],
    extra_env: dict[str, str],
    stderr_line: str,
) -> None:
    env = {**canary, **extra_env}
    result = run_cli(*args, cwd=tmp_path, extra_env=env)
    assert result.returncode == ExitCode.BAD_INPUT
    assert stderr_line in result.stderr.splitlines()
    assert result.stdout == ""
    assert leaked(result.stdout + result.stderr, canary) == []


def test_bad_plan_and_bad_settings_are_reported_together(tmp_path: Path) -> None:
    plan = tmp_path / "bad.toml"
    plan.write_text(
        SAMPLE.read_text(encoding="utf-8").replace('environment = "UAT"', 'environment = "QA"'),
        encoding="utf-8",
    )
    result = run_cli(
        "plan", "check", str(plan), cwd=tmp_path, extra_env={"CRM_ROBOT_HEADLESS": "perhaps"}
    )
    assert result.returncode == ExitCode.BAD_INPUT
    assert result.stderr.splitlines() == [
        f'crm-robot: {plan}: biller.environment: must be "UAT" or "PROD" (given "QA")',
        'CRM_ROBOT_HEADLESS: must be true or false (given "perhaps")',
    ]


def test_secret_in_a_bad_value_is_not_echoed(tmp_path: Path, canary: dict[str, str]) -> None:
    env = {**canary, "RTDR_PRIVATE_KEY": f"{canary['RTDR_PRIVATE_KEY']}|{canary['RTDR_PASSWORD']}"}
    result = run_cli("docs", str(SAMPLE), "--include-secrets", cwd=tmp_path, extra_env=env)
    assert result.returncode == ExitCode.BAD_INPUT
    assert 'RTDR_PRIVATE_KEY: must not contain "|"' in result.stderr
    assert leaked(result.stdout + result.stderr, canary) == []


def test_docs_write_every_document_without_secrets(tmp_path: Path, canary: dict[str, str]) -> None:
    out = tmp_path / "docs"
    result = run_cli("docs", str(SAMPLE), "--out", str(out), cwd=tmp_path, extra_env=canary)
    assert result.returncode == ExitCode.OK, result.stderr
    assert {Path(line).name for line in result.stdout.splitlines()} == DOC_NAMES
    assert {path.name for path in out.iterdir()} == DOC_NAMES
    assert "wrote 10 documents for Prairie Pine Mutual to" in result.stderr
    everything = result.stdout + result.stderr
    everything += "".join(path.read_text(encoding="utf-8") for path in out.iterdir())
    assert leaked(everything, canary) == []
    assert "kept in .env as RTDR_PRIVATE_KEY" in (out / "jira.txt").read_text(encoding="utf-8")
    rollback = (out / "email-provider-rollback-done.txt").read_text(encoding="utf-8")
    assert "Prairie Pine Mutual (Biller ID 10482)" in rollback
    assert "We have rolled the biller back to IMT MIPS APPS" in rollback


LAST_LINE = 'password_env = "RTDR_PASSWORD"'
FTP_USERNAME = 'ftp_username = "prairiepinemutual"'
BOX = "https://app.box.com/f/0a1b2c3d4e5f"
PRIOR_JIRA = "https://invoicecloud.atlassian.net/browse/INT-4242"


def plan_with(tmp_path: Path, ftp_path: str = "", links: str = "") -> Path:
    """The sample plan with an `ftp_path` line and `[links]` lines (TOML), when given."""
    text = SAMPLE.read_text(encoding="utf-8")
    if ftp_path:
        text = text.replace(FTP_USERNAME, f"{FTP_USERNAME}\nftp_path = {ftp_path}", 1)
    if links:
        text = text.replace(LAST_LINE, f"{LAST_LINE}\n\n[links]\n{links}", 1)
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_docs_use_the_plans_links_and_ftp_path(tmp_path: Path) -> None:
    links = f'box_upload = "{BOX}"\nprior_spectrum_jira = "{PRIOR_JIRA}"'
    plan = plan_with(tmp_path, ftp_path=r"'ppmftp\\Inbound\\PDFs'", links=links)
    out = tmp_path / "docs"
    result = run_cli("docs", str(plan), "--out", str(out), cwd=tmp_path)
    assert result.returncode == ExitCode.OK, result.stderr
    assert {path.name for path in out.iterdir()} == DOC_NAMES
    email = (out / "email-provider-initial-setup.txt").read_text(encoding="utf-8")
    assert f"secure upload link:\n{BOX}\n" in email
    jira = (out / "jira.txt").read_text(encoding="utf-8")
    assert f"  Prior Spectrum integrations: {PRIOR_JIRA}\n" in jira
    assert "  FTP path: ppmftp\\\\Inbound\\\\PDFs\n" in jira


def test_plan_check_shows_the_plans_links_and_ftp_path(tmp_path: Path) -> None:
    links = f'box_upload = "{BOX}"\nprior_spectrum_jira = "{PRIOR_JIRA}"'
    plan = plan_with(tmp_path, ftp_path="'ppmftp/Inbound/PDFs'", links=links)
    result = run_cli("plan", "check", str(plan), cwd=tmp_path)
    assert result.returncode == ExitCode.OK, result.stderr
    assert "FTP path: ppmftp/Inbound/PDFs (given as ftp_path)\n" in result.stdout
    assert f"  prior_spectrum_jira: {PRIOR_JIRA}\n  box_upload: {BOX}\n" in result.stdout
    assert "    FTP Management > PDF Settings / Path -> ppmftp/Inbound/PDFs\n" in result.stdout


@pytest.mark.parametrize("command", [["plan", "check"], ["docs"]], ids=["plan-check", "docs"])
@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        pytest.param(
            {"links": 'box_upload = "http://app.box.com/f/abc"'},
            "links.box_upload: must use https, like https://app.box.com/f/abc123 (given "
            '"http://app.box.com/f/abc")',
            id="bad-link",
        ),
        pytest.param(
            {"ftp_path": "'ppmftp/../PDFs'"},
            'ftp_path: must not have a ".." part (given "ppmftp/../PDFs")',
            id="bad-ftp-path",
        ),
    ],
)
def test_bad_link_or_ftp_path_exits_2_naming_the_key(
    tmp_path: Path, command: list[str], edit: dict[str, str], problem: str
) -> None:
    plan = plan_with(tmp_path, **edit)
    out = tmp_path / "docs"
    result = run_cli(
        *command, str(plan), *(["--out", str(out)] if command == ["docs"] else []), cwd=tmp_path
    )
    assert result.returncode == ExitCode.BAD_INPUT
    assert result.stderr.splitlines() == [f"crm-robot: {plan}: {problem}"]
    assert result.stdout == ""
    assert not out.exists()


def test_docs_default_folder_is_under_the_output_root(tmp_path: Path) -> None:
    result = run_cli("docs", str(SAMPLE), cwd=tmp_path, extra_env={"CRM_ROBOT_OUTPUT_DIR": "out"})
    assert result.returncode == ExitCode.OK, result.stderr
    folder = tmp_path / "out" / "prairie-pine-mutual" / "docs"
    assert {path.name for path in folder.iterdir()} == DOC_NAMES


def test_docs_include_secrets_only_when_asked(tmp_path: Path) -> None:
    env = {"RTDR_PRIVATE_KEY": "PPM-DEMO-PRIVATE-KEY-7f3a", "RTDR_PASSWORD": "ppm-demo-rtdr-pass"}
    out = tmp_path / "docs"
    result = run_cli(
        "docs", str(SAMPLE), "--out", str(out), "--include-secrets", cwd=tmp_path, extra_env=env
    )
    assert result.returncode == ExitCode.OK, result.stderr
    jira = (out / "jira.txt").read_text(encoding="utf-8")
    assert "  Private key: PPM-DEMO-PRIVATE-KEY-7f3a\n" in jira
    assert os.stat(out / "jira.txt").st_mode & 0o777 == 0o600
    assert "hold credentials" in result.stderr
    assert "PPM-DEMO-PRIVATE-KEY-7f3a" not in result.stdout + result.stderr


def test_env_file_is_read_from_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CRM_ROBOT_OUTPUT_DIR=from-dotenv\n", encoding="utf-8")
    result = run_cli("docs", str(SAMPLE), cwd=tmp_path)
    assert result.returncode == ExitCode.OK, result.stderr
    assert (tmp_path / "from-dotenv" / "prairie-pine-mutual" / "docs" / "jira.txt").is_file()


def test_help_shows_a_usage_example(tmp_path: Path) -> None:
    for command in (["plan", "check"], ["docs"]):
        result = run_cli(*command, "--help", cwd=tmp_path)
        assert result.returncode == 0
        assert "Example:" in result.stdout


@pytest.mark.parametrize(
    ("args", "extra_env", "says"),
    [
        (
            ["convert", str(SAMPLE), "--yes"],
            {"CRM_BASE_URL": "http://crm.example.com", "CRM_UAT_HOSTS": "crm.example.com"},
            "CRM_BASE_URL: must be https:// for a CRM that is not on this machine",
        ),
        (
            ["plan", "check", str(SAMPLE)],
            {"CRM_BASE_URL": "http://crm.example.com", "CRM_UAT_HOSTS": "crm.example.com"},
            "CRM_BASE_URL: must be https:// for a CRM that is not on this machine",
        ),
        (
            ["capture", str(SAMPLE), "--phase", "scheduled"],
            {"CRM_ROBOT_BROWSER_ENDPOINT": "ws://grid.example.com:3000/"},
            "CRM_ROBOT_BROWSER_ENDPOINT: must be wss:// for a browser on another machine",
        ),
        (
            ["capture", str(SAMPLE), "--phase", "scheduled"]
            + ["--browser-endpoint", "ws://grid.example.com:3000/"],
            {},
            "must be wss:// for a browser on another machine",
        ),
    ],
)
def test_a_crm_or_browser_reached_in_clear_is_refused_before_anything_starts(
    tmp_path: Path, canary: dict[str, str], args: list[str], extra_env: dict[str, str], says: str
) -> None:
    result = run_cli(*args, cwd=tmp_path, extra_env={**canary, **extra_env})
    assert result.returncode == ExitCode.BAD_INPUT, result.stderr
    assert says in result.stderr
    assert list(tmp_path.iterdir()) == []  # no run folder, no capture: nothing started


@pytest.mark.parametrize(
    ("extra_env", "line"),
    [
        (
            {},
            "Sign-in: form (the CRM's own sign-in page, as CRM_USERNAME); a session saved by "
            "`crm-robot sign-in` is used first",
        ),
        (
            {"CRM_SIGN_IN": "sso", "CRM_SSO_HOSTS": "login.example.com"},
            "Sign-in: sso (the identity provider at login.example.com, as CRM_USERNAME); a "
            "session saved by `crm-robot sign-in` is used first",
        ),
        (
            {"CRM_SIGN_IN": "manual"},
            "Sign-in: manual (the PM, in a headed browser); a session saved by `crm-robot "
            "sign-in` is used first",
        ),
    ],
)
def test_plan_check_names_the_sign_in_flow(
    tmp_path: Path, extra_env: dict[str, str], line: str
) -> None:
    result = run_cli("plan", "check", str(SAMPLE), cwd=tmp_path, extra_env=extra_env)
    assert result.returncode == ExitCode.OK, result.stderr
    assert f"\n{line}\n" in result.stdout


def test_sign_in_makes_a_key_and_refuses_to_start_without_one(tmp_path: Path) -> None:
    made = run_cli("sign-in", "--new-key", cwd=tmp_path)
    assert made.returncode == ExitCode.OK, made.stderr
    key = made.stdout.strip()
    assert len(key) == 44 and base64.urlsafe_b64decode(key)
    session = tmp_path / "state" / "crm.session"
    refused = run_cli(
        "sign-in",
        cwd=tmp_path,
        extra_env={"CRM_ROBOT_SESSION_FILE": str(session), "CRM_PASSWORD": "pw"},
    )
    assert refused.returncode == ExitCode.BAD_INPUT
    assert refused.stderr.startswith(
        f"crm-robot: CRM_ROBOT_SESSION_KEY: required to save the session in {session} encrypted"
    )
    assert "crm-robot sign-in --new-key" in refused.stderr
    manual_headless = run_cli(
        "sign-in",
        cwd=tmp_path,
        extra_env={
            "CRM_ROBOT_SESSION_FILE": str(session),
            "CRM_ROBOT_SESSION_KEY": key,
            "CRM_SIGN_IN": "manual",
        },
    )
    assert manual_headless.returncode == ExitCode.BAD_INPUT
    assert "CRM_SIGN_IN: manual needs a headed run" in manual_headless.stderr
    assert not session.parent.exists()  # nothing written, no browser opened
