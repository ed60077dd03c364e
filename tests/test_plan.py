"""The plan file: what a valid plan means, and the exact line a user sees for each mistake."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from robot.core.errors import ExitCode, PlanError, UsageError
from robot.core.secrets import PLANNED_SECRET as SECRET
from robot.core.steps import SCREEN_STEMS, STEP_IDS, STEPS, Step, step_by_id
from robot.plan.changes import expected_values, non_payment_expectations, planned_changes
from robot.plan.model import ConversionPlan, load_plan

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "plans" / "prairie-pine-mutual.toml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
GUID = "3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C90"
GUID_WANTED = (
    "biller.guid: must be a GUID of 32 hex digits grouped 8-4-4-4-12 with hyphens, no braces "
    "or prefix, like XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX"
)
START = "start = 2026-12-15T01:00:00"
END = "end = 2026-12-15T05:00:00"


def write_plan(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """The sample plan with each (old, new) text replaced; every `old` must be in it."""
    text = SAMPLE_TEXT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert caught.value.exit_code == ExitCode.BAD_INPUT
    return caught.value.problems


@pytest.fixture(scope="module")
def sample() -> ConversionPlan:
    return load_plan(SAMPLE)


# --- the sample plan ------------------------------------------------------------------------


def test_sample_plan_is_valid_and_has_no_warnings(sample: ConversionPlan) -> None:
    assert sample.biller.id == "10482"
    assert sample.biller.guid == GUID
    assert sample.biller.name == "Prairie Pine Mutual"
    assert sample.biller.expected_partner == "IMT MIPS APPS"
    assert sample.biller.environment == "UAT"
    assert sample.warnings == []
    assert sample.requires_prod_confirmation is False
    assert sample.biller_slug == "prairie-pine-mutual"


def test_sample_plan_fills_in_window_description_and_customer_message(
    sample: ConversionPlan,
) -> None:
    window = sample.maintenance_window
    assert window.description == "IMT Spectrum Conversion (2026-12-15)"
    assert window.message == (
        "Biller payment portal will be unavailable on December 15, 2026 from 1:00 AM to 5:00 AM "
        "Central Time. Customers will be unable to process payments or access payment "
        "information. Site availability will resume immediately after the maintenance window. "
        "We appreciate your patience and understanding. Thank you."
    )
    assert (window.start_text, window.end_text) == ("2026-12-15 01:00 CST", "2026-12-15 05:00 CST")
    assert (window.start_input, window.end_input) == ("2026-12-15T01:00", "2026-12-15T05:00")
    assert window.all_pages is True


def test_ftp_path_has_two_literal_backslashes_between_parts(sample: ConversionPlan) -> None:
    assert sample.ftp_path == r"prairiepinemutualftp\\ToInvoiceCloud\\PDFs"
    assert sample.ftp_path.count("\\") == 4


def test_defaults_apply_when_optional_keys_are_left_out(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        ('invoice_format_guid = "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"\n', ""),
        ('expected_partner = "IMT MIPS APPS"\n', ""),
        ('remove = ["14-22", 88, 105]\n', ""),
        ('endpoint = "https://www.pdspectrum.com/wsSpectrumAPICore"\n', ""),
        ('private_key_env = "RTDR_PRIVATE_KEY"\n', ""),
        ('password_env = "RTDR_PASSWORD"\n', ""),
        ("all_pages = true\n", ""),
    )
    plan = load_plan(path)
    assert plan.invoice_format_guid == "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"
    assert plan.biller.expected_partner == "IMT MIPS APPS"
    assert plan.advanced_settings.remove_numbers() == [*range(14, 23), 88, 105]
    assert plan.rtdr.endpoint == "https://www.pdspectrum.com/wsSpectrumAPICore"
    assert (plan.rtdr.private_key_env, plan.rtdr.password_env) == (
        "RTDR_PRIVATE_KEY",
        "RTDR_PASSWORD",
    )
    assert plan.maintenance_window.all_pages is True


def test_guid_is_normalised_to_upper_case(tmp_path: Path) -> None:
    plan = load_plan(write_plan(tmp_path, (GUID, GUID.lower())))
    assert plan.biller.guid == GUID


def test_biller_id_may_be_a_toml_integer(tmp_path: Path) -> None:
    plan = load_plan(write_plan(tmp_path, ('id = "10482"', "id = 10482")))
    assert plan.biller.id == "10482"


# --- bad input: one exact line per problem -----------------------------------------------------


def bad(*args: object, id: str) -> object:  # noqa: A002 - pytest's own name for it
    """A case: the (old, new) replacements, then the exact problem lines."""
    *replacements, expected = args
    return pytest.param(replacements, expected, id=id)


BAD = [
    # GUIDs
    bad((GUID, "{" + GUID + "}"), [f'{GUID_WANTED} (given "{{{GUID}}}")'], id="guid-braces"),
    bad((GUID, f"urn:uuid:{GUID}"), [f'{GUID_WANTED} (given "urn:uuid:{GUID}")'], id="guid-urn"),
    bad(
        (GUID, GUID.replace("-", "")),
        [f'{GUID_WANTED} (given "{GUID.replace("-", "")}")'],
        id="guid-no-hyphens",
    ),
    bad(
        (GUID, "3F2B8C1D-6E4A4-B7F-9C2D-8A1E5F6B7C90"),
        [f'{GUID_WANTED} (given "3F2B8C1D-6E4A4-B7F-9C2D-8A1E5F6B7C90")'],
        id="guid-misplaced-hyphen",
    ),
    bad(
        (GUID, "3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C9G"),
        [f'{GUID_WANTED} (given "3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C9G")'],
        id="guid-not-hex",
    ),
    bad(
        (GUID, "00000000-0000-0000-0000-000000000000"),
        ['biller.guid: must not be the nil GUID (given "00000000-0000-0000-0000-000000000000")'],
        id="guid-nil",
    ),
    bad(
        ('"A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"', '"A7DA43F3-9D20-45C9-8DC5"'),
        [
            "invoice_format_guid: must be a GUID of 32 hex digits grouped 8-4-4-4-12 with "
            "hyphens, no braces or prefix, like XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX "
            '(given "A7DA43F3-9D20-45C9-8DC5")'
        ],
        id="invoice-format-guid-short",
    ),
    # RTDR endpoint
    bad(
        (
            "https://www.pdspectrum.com/wsSpectrumAPICore",
            "http://www.pdspectrum.com/wsSpectrumAPICore",
        ),
        [
            "rtdr.endpoint: must use https: https://www.pdspectrum.com/wsSpectrumAPICore "
            '(given "http://www.pdspectrum.com/wsSpectrumAPICore")'
        ],
        id="endpoint-http",
    ),
    bad(
        ("www.pdspectrum.com/", "www.pdspectrum.com.evil.io/"),
        [
            "rtdr.endpoint: host must be exactly www.pdspectrum.com "
            '(given "www.pdspectrum.com.evil.io")'
        ],
        id="endpoint-lookalike-suffix",
    ),
    bad(
        ("www.pdspectrum.com/", "pdspectrum.co/"),
        ['rtdr.endpoint: host must be exactly www.pdspectrum.com (given "pdspectrum.co")'],
        id="endpoint-other-tld",
    ),
    bad(
        ("www.pdspectrum.com/", "www.xn--pdspectrm-b6a.com/"),
        [
            "rtdr.endpoint: host must be exactly www.pdspectrum.com "
            '(given "www.xn--pdspectrm-b6a.com")'
        ],
        id="endpoint-punycode",
    ),
    bad(
        ("www.pdspectrum.com/", "www.pdspectrum.c\u043em/"),
        [
            "rtdr.endpoint: must be a plain https URL, "
            "https://www.pdspectrum.com/wsSpectrumAPICore "
            '(given "https://www.pdspectrum.c\\u043em/wsSpectrumAPICore")'
        ],
        id="endpoint-unicode-lookalike",
    ),
    bad(
        ("www.pdspectrum.com/", "www.pdspectrum.com:8443/"),
        [
            "rtdr.endpoint: must not name a port; use https://www.pdspectrum.com/wsSpectrumAPICore "
            '(given "https://www.pdspectrum.com:8443/wsSpectrumAPICore")'
        ],
        id="endpoint-port",
    ),
    bad(
        ("https://www.pdspectrum.com/", "https://ppm:s3cret@www.pdspectrum.com/"),
        [
            "rtdr.endpoint: must not hold credentials; "
            "use https://www.pdspectrum.com/wsSpectrumAPICore"
        ],
        id="endpoint-credentials-not-echoed",
    ),
    bad(
        ('wsSpectrumAPICore"', 'wsSpectrumAPICore?debug=1"'),
        [
            "rtdr.endpoint: must not have a query or fragment; use "
            "https://www.pdspectrum.com/wsSpectrumAPICore "
            '(given "https://www.pdspectrum.com/wsSpectrumAPICore?debug=1")'
        ],
        id="endpoint-query",
    ),
    bad(
        ('wsSpectrumAPICore"', 'wsSpectrumAPICore#top"'),
        [
            "rtdr.endpoint: must not have a query or fragment; use "
            "https://www.pdspectrum.com/wsSpectrumAPICore "
            '(given "https://www.pdspectrum.com/wsSpectrumAPICore#top")'
        ],
        id="endpoint-fragment",
    ),
    bad(
        ('wsSpectrumAPICore"', 'wsSpectrumAPICore/"'),
        ['rtdr.endpoint: path must be exactly /wsSpectrumAPICore (given "/wsSpectrumAPICore/")'],
        id="endpoint-path",
    ),
    # FTP name
    bad(
        ('ftp_name = "prairiepinemutualftp"', 'ftp_name = "prairie pine"'),
        [
            "ftp_name: must be 1 to 64 letters, digits, dots, hyphens or underscores "
            '(given "prairie pine")'
        ],
        id="ftp-name-space",
    ),
    bad(
        ('ftp_name = "prairiepinemutualftp"', "ftp_name = 'ppm\\ftp'"),
        [
            "ftp_name: must be 1 to 64 letters, digits, dots, hyphens or underscores "
            '(given "ppm\\\\ftp")'
        ],
        id="ftp-name-backslash",
    ),
    bad(
        ('ftp_name = "prairiepinemutualftp"', 'ftp_name = ""'),
        ['ftp_name: must be 1 to 64 letters, digits, dots, hyphens or underscores (given "")'],
        id="ftp-name-empty",
    ),
    bad(
        ('ftp_name = "prairiepinemutualftp"', f'ftp_name = "{"f" * 65}"'),
        [
            "ftp_name: must be 1 to 64 letters, digits, dots, hyphens or underscores "
            f'(given "{"f" * 65}")'
        ],
        id="ftp-name-too-long",
    ),
    *(
        bad(
            ('ftp_name = "prairiepinemutualftp"', f'ftp_name = "{dots}"'),
            [f'ftp_name: must name a folder, not only dots (given "{dots}")'],
            id=f"ftp-name-{len(dots)}-dots",
        )
        for dots in (".", "..")
    ),
    # maintenance window and daylight saving time in America/Chicago
    bad(
        (END, "end = 2026-12-15T00:30:00"),
        [
            "maintenance_window.end: must be after start (2026-12-15 01:00 CST) "
            "(given 2026-12-15 00:30 CST)"
        ],
        id="window-end-before-start",
    ),
    bad(
        (END, "end = 2026-12-15T01:00:00"),
        [
            "maintenance_window.end: must be after start (2026-12-15 01:00 CST) "
            "(given 2026-12-15 01:00 CST)"
        ],
        id="window-empty",
    ),
    bad(
        (END, "end = 2026-12-16T01:01:00"),
        [
            "maintenance_window.end: must be at most 24 hours after start (2026-12-15 01:00 CST); "
            "the window is 24 h 01 min long (given 2026-12-16 01:01 CST)"
        ],
        id="window-longer-than-a-day",
    ),
    bad(
        (START, "start = 2026-03-08T02:30:00"),
        [
            "maintenance_window.start: 2026-03-08 02:30 does not exist in Central Time (clocks "
            "spring forward that night); choose another time (given 2026-03-08T02:30:00)"
        ],
        id="dst-spring-time-does-not-exist",
    ),
    bad(
        (START, "start = 2026-11-01T01:30:00"),
        [
            "maintenance_window.start: 2026-11-01 01:30 happens twice in Central Time (clocks "
            "fall back that night); add the offset: 2026-11-01T01:30:00-05:00 for the first "
            "(CDT) or 2026-11-01T01:30:00-06:00 for the second (CST) (given 2026-11-01T01:30:00)"
        ],
        id="dst-autumn-time-is-ambiguous",
    ),
    bad(
        (START, "start = 2026-11-01T00:00:00"),
        (END, "end = 2026-11-01T23:30:00"),
        [
            "maintenance_window.end: must be at most 24 hours after start (2026-11-01 00:00 CDT); "
            "the window is 24 h 30 min long (given 2026-11-01 23:30 CST)"
        ],
        id="dst-autumn-day-is-25-hours-long",
    ),
    bad(
        (START, "start = 2026-11-01T01:30:00-06:00"),
        (END, "end = 2026-11-01T01:40:00-05:00"),
        [
            "maintenance_window.end: must be after start (2026-11-01 01:30 CST) "
            "(given 2026-11-01 01:40 CDT)"
        ],
        id="dst-autumn-second-0130-is-after-first-0140",
    ),
    bad(
        (START, "start = 2026-12-15T01:00:00+02:00"),
        [
            "maintenance_window.start: offset +02:00 is not Central Time on that date; give the "
            "local time, like 2026-12-14T17:00 (given 2026-12-15T01:00:00+02:00)"
        ],
        id="window-offset-not-central",
    ),
    bad(
        (START, 'start = "tonight"'),
        [
            "maintenance_window.start: must be a Central Time date and time like "
            '2026-12-15T01:00 (given "tonight")'
        ],
        id="window-start-not-a-time",
    ),
    # other fields
    bad(
        ('environment = "UAT"', 'environment = "uat"'),
        ['biller.environment: must be "UAT" or "PROD" (given "uat")'],
        id="environment-case",
    ),
    bad(
        ('id = "10482"', 'id = "10482a"'),
        ['biller.id: must be the numeric Biller ID, like 10482 (given "10482a")'],
        id="biller-id-not-numeric",
    ),
    bad(
        ('name = "Prairie Pine Mutual"', 'name = "Prairie Pine Mutual "'),
        ['biller.name: must not start or end with spaces (given "Prairie Pine Mutual ")'],
        id="biller-name-trailing-space",
    ),
    bad(
        ("go_live = 2026-12-15", 'go_live = "soon"'),
        ['go_live: must be a date like 2026-12-15 (given "soon")'],
        id="go-live-not-a-date",
    ),
    bad(
        ('remove = ["14-22", 88, 105]', 'remove = ["14-22", 10, "x", "30-20"]'),
        [
            "advanced_settings.remove[1]: must not include settings 8-13: the conversion sets "
            "them (given 10)",
            'advanced_settings.remove[2]: must be a setting number like 88 or a range like "14-22" '
            '(given "x")',
            "advanced_settings.remove[3]: must be numbers from 1 to 9999, a range low to high "
            '(given "30-20")',
        ],
        id="settings-to-remove",
    ),
    bad(
        ('"Walk-in Counter"]', '"Web"]'),
        ['datapump.payment_terminals[2]: "Web" is listed twice'],
        id="terminal-twice",
    ),
    bad(
        ('username = "ppm_spectrum_api"', 'username = "ppm spectrum"'),
        [
            "rtdr.username: must be the provider's RTDR username: 1 to 100 characters, no "
            'spaces or "|" (given "ppm spectrum")'
        ],
        id="rtdr-username-with-space",
    ),
    bad(
        ("all_pages = true", 'all_pages = "yes"'),
        ['maintenance_window.all_pages: must be a valid boolean (given "yes")'],
        id="all-pages-not-a-boolean",
    ),
    bad(
        ('"Walk-in Counter"]', '""]'),
        ['datapump.payment_terminals[2]: must have at least 1 character (given "")'],
        id="terminal-empty",
    ),
    bad(
        ('password_env = "RTDR_PASSWORD"', 'password_env = "RTDR_PRIVATE_KEY"'),
        ["rtdr.password_env: must differ from private_key_env (RTDR_PRIVATE_KEY)"],
        id="secret-variables-the-same",
    ),
    bad(
        ('private_key_env = "RTDR_PRIVATE_KEY"', 'private_key_env = "rtdr key"'),
        [
            "rtdr.private_key_env: must be an environment variable name in upper case, like "
            'RTDR_PRIVATE_KEY (given "rtdr key")'
        ],
        id="secret-variable-name",
    ),
    bad(
        ('username = "ppm_spectrum_api"', 'username = "ppm_spectrum_api"\ncolour = "blue"'),
        [
            "rtdr.colour: unknown key; remove it or fix its spelling (allowed here: endpoint, "
            "username, private_key_env, password_env)"
        ],
        id="unknown-key-named",
    ),
    bad(
        ('username = "ppm_spectrum_api"', 'private_key = "PASTED-BY-MISTAKE"'),
        [
            "rtdr.username: required; add it",
            "rtdr.private_key: unknown key; remove it or fix its spelling (allowed here: "
            "endpoint, username, private_key_env, password_env)",
        ],
        id="secret-pasted-into-plan-is-not-echoed",
    ),
]


@pytest.mark.parametrize(("replacements", "expected"), BAD)
def test_bad_plan_names_the_field_and_what_is_wanted(
    tmp_path: Path, replacements: list[tuple[str, str]], expected: list[str]
) -> None:
    assert problems_of(write_plan(tmp_path, *replacements)) == expected


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        (GUID, "{" + GUID + "}"),
        ('ftp_name = "prairiepinemutualftp"', 'ftp_name = "bad name"'),
        ("www.pdspectrum.com/", "www.pdspectrum.com.evil.io/"),
        ('environment = "UAT"', 'environment = "TEST"'),
    )
    found = problems_of(path)
    assert [line.split(":")[0] for line in found] == [
        "biller.guid",
        "biller.environment",
        "ftp_name",
        "rtdr.endpoint",
    ]


def test_error_message_starts_each_line_with_the_file(tmp_path: Path) -> None:
    path = write_plan(tmp_path, ('ftp_name = "prairiepinemutualftp"', 'ftp_name = "a b"'))
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert str(caught.value) == (
        f"{path}: ftp_name: must be 1 to 64 letters, digits, dots, hyphens or underscores "
        '(given "a b")'
    )


def test_missing_plan_file_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(PlanError, match=r"^plan file not found: .*nope\.toml$"):
        load_plan(missing)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            SAMPLE_TEXT[: SAMPLE_TEXT.index('"Prairie Pine Mutual"') + 8],
            "line 27, column 16: TOML syntax error at the end of the file: unterminated string; "
            "is the file cut short?",
            id="truncated-in-a-string",
        ),
        pytest.param(
            'go_live = 2026-12-15\n[biller\nid = "1"\n',
            "line 2, column 8: TOML syntax error: expected ']' at the end of a table declaration",
            id="unclosed-table",
        ),
        pytest.param(
            "go_live = 2026-12-15\ngo_live = 2026-12-16\n",
            "line 2, column 21: TOML syntax error: cannot overwrite a value",
            id="duplicate-key",
        ),
    ],
)
def test_toml_syntax_error_is_one_line_with_file_line_and_column(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert str(caught.value) == f"{path}: {expected}"


# --- window edge cases that are accepted ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "shown", "hours"),
    [
        pytest.param(
            "2026-11-01T01:30:00-05:00",
            "2026-11-01T01:30:00-06:00",
            ("2026-11-01 01:30 CDT", "2026-11-01 01:30 CST"),
            1,
            id="ambiguous-times-with-offsets",
        ),
        pytest.param(
            "2026-11-01T00:00:00",
            "2026-11-01T23:00:00",
            ("2026-11-01 00:00 CDT", "2026-11-01 23:00 CST"),
            24,
            id="autumn-day-exactly-24-hours",
        ),
        pytest.param(
            "2026-03-08T01:59:00",
            "2026-03-08T03:00:00",
            ("2026-03-08 01:59 CST", "2026-03-08 03:00 CDT"),
            1 / 60,
            id="spring-one-real-minute",
        ),
        pytest.param(
            '"2026-12-15 01:00"',
            '"2026-12-15 05:00"',
            ("2026-12-15 01:00 CST", "2026-12-15 05:00 CST"),
            4,
            id="times-as-strings",
        ),
    ],
)
def test_window_is_measured_in_real_elapsed_time(
    tmp_path: Path, start: str, end: str, shown: tuple[str, str], hours: float
) -> None:
    plan = load_plan(write_plan(tmp_path, (START, f"start = {start}"), (END, f"end = {end}")))
    window = plan.maintenance_window
    assert (window.start_text, window.end_text) == shown
    assert window.duration == timedelta(hours=hours)


# --- warnings and PROD -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "warnings"),
    [
        pytest.param("jira_submitted = 2026-11-15", [], id="exactly-30-days"),
        pytest.param(
            "jira_submitted = 2026-11-20",
            [
                "jira_submitted: 2026-11-20 is 25 days before go-live (2026-12-15); the "
                "procedure asks for at least 30 days"
            ],
            id="late-jira",
        ),
        pytest.param(
            "",
            [
                "jira_submitted: not set; the procedure asks for the JIRA at least 30 days "
                "before go-live (2026-12-15)"
            ],
            id="no-jira-date",
        ),
    ],
)
def test_late_jira_is_a_warning_not_a_failure(
    tmp_path: Path, line: str, warnings: list[str]
) -> None:
    plan = load_plan(write_plan(tmp_path, ("jira_submitted = 2026-11-10", line)))
    assert plan.warnings == warnings


def test_prod_plan_needs_explicit_confirmation(tmp_path: Path) -> None:
    plan = load_plan(write_plan(tmp_path, ('environment = "UAT"', 'environment = "PROD"')))
    assert plan.requires_prod_confirmation is True
    with pytest.raises(UsageError, match=r"^biller.environment: PROD plan .*add --prod"):
        plan.confirm_environment(prod_confirmed=False)
    plan.confirm_environment(prod_confirmed=True)


# --- what the plan changes -----------------------------------------------------------------


def test_steps_are_the_ten_of_the_procedure_in_order() -> None:
    assert STEP_IDS == (
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
    )
    assert [step.number for step in STEPS] == list(range(1, 11))
    assert STEPS[0] == Step(
        id="capture-before",
        number=1,
        title="Capture before",
        scenario="capture",
        summary=STEPS[0].summary,
    )
    assert step_by_id("go-live").scenario == "go_live"
    with pytest.raises(UsageError, match="unknown step 'golive'; choose one of: capture-before"):
        step_by_id("golive")


def test_planned_changes_show_secrets_masked(sample: ConversionPlan) -> None:
    changes = planned_changes(sample)
    assert list(changes) == list(STEP_IDS)
    settings = {c.field: c.shown for c in changes["advanced-settings"]}
    assert settings["Setting 10 (RTDR Key or Password)"] == "***"
    assert settings["Setting 13 (DataPump Payments Key or Password)"] == "***"
    assert settings["Setting 8 (RTDR Endpoint)"] == "https://www.pdspectrum.com/wsSpectrumAPICore"
    assert settings["Setting 14"] == "(removed)"
    assert [(c.field, c.shown) for c in changes["go-live"]] == [("Active", "No")]
    assert changes["capture-before"] == changes["verify"] == []


def test_expected_values_cover_the_nine_screens(sample: ConversionPlan) -> None:
    expected = expected_values(sample)
    assert tuple(expected) == SCREEN_STEMS
    assert expected["01-profile"] == {"Integration Partner ID": "IMT Spectrum"}
    advanced = expected["06-advanced-settings"]
    assert (
        advanced["Setting 8"]
        == advanced["Setting 11"]
        == ("https://www.pdspectrum.com/wsSpectrumAPICore")
    )
    assert advanced["Setting 9"] == advanced["Setting 12"] == "ppm_spectrum_api"
    assert advanced["Setting 10"] == advanced["Setting 13"] == SECRET
    assert [n for n in range(1, 200) if advanced.get(f"Setting {n}", "") is None] == [
        *range(14, 23),
        88,
        105,
    ]
    assert expected["07-integration-summary"] == {
        "Integration Partner ID": "IMT Spectrum",
        "Real Time Data Refresh": "On",
        "Suppress Stale Balances": "On",
        "Apply Global BIF Customizations": "On",
        "InvoiceFormatGUID": "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3",
        "RTDR Endpoint": "https://www.pdspectrum.com/wsSpectrumAPICore",
    }
    path = r"prairiepinemutualftp\\ToInvoiceCloud\\PDFs"
    assert expected["08-ftp-management"] == {
        f"PDF {path} FTP Username": "prairiepinemutual",
        f"PDF {path} Backup": "Yes",
        f"PDF {path} Move Action": "Move to Filename Pending",
        f"PDF {path} Active": "Yes",
        f"Zip {path} FTP Username": "prairiepinemutual",
        f"Zip {path} Backup": "Yes",
        f"Zip {path} Delete Zip Files": "Yes",
        f"Zip {path} Active": "Yes",
    }
    assert expected["09-datapump-management"] == {
        "Payment DataPump Web": "Yes",
        "Payment DataPump IVR": "Yes",
        "Payment DataPump Walk-in Counter": "Yes",
    }


def test_non_payment_options_seen_before_must_be_off_after(sample: ConversionPlan) -> None:
    before = {
        "09-datapump-management": {
            "Payment DataPump Lockbox": "Yes",
            "Non-payment DataPump Registrations": "Yes",
            "Non-payment DataPump Paperless Enrollments": "No",
        }
    }
    assert non_payment_expectations(before) == {
        "Non-payment DataPump Registrations": "No",
        "Non-payment DataPump Paperless Enrollments": "No",
    }
    datapump = expected_values(sample, before)["09-datapump-management"]
    assert datapump["Non-payment DataPump Registrations"] == "No"
    assert "Payment DataPump Lockbox" not in datapump


def test_settings_to_set_hold_the_joined_secret_only_when_given(sample: ConversionPlan) -> None:
    from pydantic import SecretStr

    assert sample.settings_to_set()[10] == SECRET
    joined = SecretStr("KEY|PASS")
    assert sample.settings_to_set(joined)[13] is joined


# --- links and an explicit FTP path --------------------------------------------------------------

LINK_KEYS = ["confluence_guide", "pdf_remote_link_guide", "prior_spectrum_jira", "box_upload"]
LINK_WANTED = "must be an https URL with a host, like https://app.box.com/f/abc123"
ASCII_WANTED = "must be an https URL in ASCII without spaces, like https://app.box.com/f/abc123"
LAST_LINE = 'password_env = "RTDR_PASSWORD"'
FTP_USERNAME = 'ftp_username = "prairiepinemutual"'


def with_links(tmp_path: Path, lines: str) -> Path:
    """The sample plan with a `[links]` table of the given TOML lines."""
    return write_plan(tmp_path, (LAST_LINE, f"{LAST_LINE}\n\n[links]\n{lines}"))


def with_ftp_path(tmp_path: Path, toml_value: str) -> Path:
    return write_plan(tmp_path, (FTP_USERNAME, f"{FTP_USERNAME}\nftp_path = {toml_value}"))


@pytest.mark.parametrize("key", LINK_KEYS)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            "http://app.box.com/f/abc",
            'must use https, like https://app.box.com/f/abc123 (given "http://app.box.com/f/abc")',
            id="http",
        ),
        pytest.param(
            "ftp://files.example.com/x",
            'must use https, like https://app.box.com/f/abc123 (given "ftp://files.example.com/x")',
            id="ftp-scheme",
        ),
        pytest.param(
            "app.box.com/f/abc",
            'must use https, like https://app.box.com/f/abc123 (given "app.box.com/f/abc")',
            id="no-scheme",
        ),
        pytest.param("https://", f'{LINK_WANTED} (given "https://")', id="no-host"),
        pytest.param(
            "https:///wiki/x", f'{LINK_WANTED} (given "https:///wiki/x")', id="empty-host"
        ),
        pytest.param(
            "https://app.box.com:99999/f",
            f'{LINK_WANTED} (given "https://app.box.com:99999/f")',
            id="port-out-of-range",
        ),
        pytest.param(
            "https://app.box.com:box/f",
            f'{LINK_WANTED} (given "https://app.box.com:box/f")',
            id="port-not-a-number",
        ),
        pytest.param(
            "", 'must use https, like https://app.box.com/f/abc123 (given "")', id="empty"
        ),
        pytest.param(
            "https://app.box.com/f/a b",
            f'{ASCII_WANTED} (given "https://app.box.com/f/a b")',
            id="space",
        ),
        pytest.param(
            "https://app.box.com/f/abc\n",
            f'{ASCII_WANTED} (given "https://app.box.com/f/abc\\n")',
            id="newline",
        ),
        pytest.param(
            "https://bóx.com/f",
            f'{ASCII_WANTED} (given "https://b\\u00f3x.com/f")',
            id="not-ascii",
        ),
        pytest.param(
            "https://pm:hunter2@app.box.com/f/abc",
            "must not hold a user name or password before @; give the address alone",
            id="credentials-not-echoed",
        ),
    ],
)
def test_bad_link_is_refused_naming_its_key(
    tmp_path: Path, key: str, value: str, expected: str
) -> None:
    assert problems_of(with_links(tmp_path, f"{key} = {json.dumps(value)}")) == [
        f"links.{key}: {expected}"
    ]


def test_link_must_be_text(tmp_path: Path) -> None:
    assert problems_of(with_links(tmp_path, "box_upload = 42")) == [
        f"links.box_upload: {ASCII_WANTED} (given 42)"
    ]


def test_unknown_link_key_is_named_with_the_keys_allowed(tmp_path: Path) -> None:
    assert problems_of(with_links(tmp_path, 'box = "https://app.box.com/f/abc"')) == [
        "links.box: unknown key; remove it or fix its spelling (allowed here: confluence_guide, "
        "pdf_remote_link_guide, prior_spectrum_jira, box_upload)"
    ]


@pytest.mark.parametrize("key", LINK_KEYS)
@pytest.mark.parametrize(
    "value",
    [
        "https://app.box.com/f/0a1b2c3d4e",
        "https://invoicecloud.atlassian.net/wiki/spaces/IM/pages/4470538258",
        "https://jira.example.com/browse/INT-1234?focusedCommentId=5#comment-5",
        "HTTPS://wiki.example.com:8443/x",
        "https://[2001:db8::1]/guide",
    ],
)
def test_good_link_is_kept_as_written(tmp_path: Path, key: str, value: str) -> None:
    plan = load_plan(with_links(tmp_path, f"{key} = {json.dumps(value)}"))
    assert getattr(plan.links, key) == value


def test_links_default_to_the_procedures_urls_or_to_nothing(sample: ConversionPlan) -> None:
    links = sample.links
    assert links.confluence_guide == "https://invoicecloud.atlassian.net/wiki/x/FADghQ"
    assert links.pdf_remote_link_guide == (
        "https://app.getguru.com/card/iEMxq7pT/PDF-Remote-Link-Guide-IMT-Spectrum"
    )
    assert links.prior_spectrum_jira is None and links.box_upload is None


FTP_FORMAT_WANTED = (
    "must separate its parts by two backslashes, like "
    r"prairiepinemutualftp\\ToInvoiceCloud\\PDFs, or by /; in the plan write it in single "
    "quotes, which keep every backslash"
)


@pytest.mark.parametrize(
    ("toml_value", "expected"),
    [
        pytest.param(
            '""',
            r"must be a path of 1 to 200 characters, like prairiepinemutualftp\\ToInvoiceCloud"
            r'\\PDFs (given "")',
            id="empty",
        ),
        pytest.param(
            "7",
            r"must be a path of 1 to 200 characters, like prairiepinemutualftp\\ToInvoiceCloud"
            r"\\PDFs (given 7)",
            id="not-text",
        ),
        pytest.param(
            f'"{"a" * 201}"',
            r"must be a path of 1 to 200 characters, like prairiepinemutualftp\\ToInvoiceCloud"
            rf'\\PDFs (given "{"a" * 201}")',
            id="too-long",
        ),
        pytest.param(
            r"'ppm ftp\\PDFs'",
            r'must not contain spaces or control characters (given "ppm ftp\\\\PDFs")',
            id="space",
        ),
        pytest.param(
            r'"ppmftp\tPDFs"',
            r'must not contain spaces or control characters (given "ppmftp\tPDFs")',
            id="tab",
        ),
        pytest.param(
            r"'\\ppmftp\\PDFs'",
            r'must not start or end with \ or / (given "\\\\ppmftp\\\\PDFs")',
            id="leading-backslashes",
        ),
        pytest.param(
            r"'ppmftp\\PDFs\\'",
            r'must not start or end with \ or / (given "ppmftp\\\\PDFs\\\\")',
            id="trailing-backslashes",
        ),
        pytest.param(
            "'/ppmftp/PDFs'",
            r'must not start or end with \ or / (given "/ppmftp/PDFs")',
            id="leading-slash",
        ),
        pytest.param(
            "'ppmftp/PDFs/'",
            r'must not start or end with \ or / (given "ppmftp/PDFs/")',
            id="trailing-slash",
        ),
        pytest.param(
            r"'ppmftp\\..\\other\\PDFs'",
            r'must not have a ".." part (given "ppmftp\\\\..\\\\other\\\\PDFs")',
            id="dot-dot-between-backslashes",
        ),
        pytest.param(
            "'ppmftp/../PDFs'",
            'must not have a ".." part (given "ppmftp/../PDFs")',
            id="dot-dot-between-slashes",
        ),
        pytest.param(
            "'..'",
            'must not have a ".." part (given "..")',
            id="dot-dot-alone",
        ),
        pytest.param(
            r"'ppmftp\\\\PDFs'",
            r'must not have an empty part between two separators (given "ppmftp\\\\\\\\PDFs")',
            id="empty-part",
        ),
        pytest.param(
            # A double-quoted TOML string turns each "\\" into one backslash.
            r'"ppmftp\\ToInvoiceCloud\\PDFs"',
            rf'{FTP_FORMAT_WANTED} (given "ppmftp\\ToInvoiceCloud\\PDFs")',
            id="one-backslash-between-parts",
        ),
        pytest.param(
            r"'ppmftp\\\PDFs'",
            rf'{FTP_FORMAT_WANTED} (given "ppmftp\\\\\\PDFs")',
            id="three-backslashes",
        ),
    ],
)
def test_bad_ftp_path_is_refused_naming_the_key(
    tmp_path: Path, toml_value: str, expected: str
) -> None:
    assert problems_of(with_ftp_path(tmp_path, toml_value)) == [f"ftp_path: {expected}"]


@pytest.mark.parametrize(
    ("toml_value", "path"),
    [
        pytest.param(r"'ppmftp\\Inbound\\PDFs'", r"ppmftp\\Inbound\\PDFs", id="backslashes"),
        pytest.param(r'"ppmftp\\\\Inbound\\\\PDFs"', r"ppmftp\\Inbound\\PDFs", id="double-quoted"),
        pytest.param("'ppmftp/Inbound/PDFs'", "ppmftp/Inbound/PDFs", id="slashes"),
        pytest.param("'ppmftp'", "ppmftp", id="one-part"),
        pytest.param(r"'ppm.ftp\\to_IC-2\\PDFs'", r"ppm.ftp\\to_IC-2\\PDFs", id="dots-in-names"),
    ],
)
def test_explicit_ftp_path_is_used_as_written(tmp_path: Path, toml_value: str, path: str) -> None:
    plan = load_plan(with_ftp_path(tmp_path, toml_value))
    assert plan.ftp_path == path
    ftp_setup = {c.field: c.shown for c in planned_changes(plan)["ftp-setup"]}
    assert set(ftp_setup.values()) >= {path}
    assert f"PDF {path} Active" in expected_values(plan)["08-ftp-management"]
