"""Selector overrides: every logical locator name is known, a bad file is refused with the name
and the close matches (exit 2), and an override changes the locator the page object uses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from pages.advanced_settings import AdvancedSettingsPage
from pages.entries import known_names
from pages.locators import parse_spec
from pages.overrides import load_overrides, parse_overrides
from robot.core.errors import ExitCode, ScreenChangedError, SelectorOverrideError
from tests.support.cli import crm_robot
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import SAMPLE_BILLER, signed_in

ROOT = Path(__file__).resolve().parents[1]
PLAN_FILE = ROOT / "plans" / "prairie-pine-mutual.toml"


@pytest.mark.parametrize(
    ("text", "kind", "value", "role_name"),
    [
        ("role:button:Save", "role", "button", "Save"),
        ("role:navigation", "role", "navigation", None),
        ("role:button:Step 2: Save", "role", "button", "Step 2: Save"),
        ("label:Find setting", "label", "Find setting", None),
        ("text:No billers match", "text", "No billers match", None),
        ("testid:spinner", "testid", "spinner", None),
        ("placeholder:Name, ID or GUID", "placeholder", "Name, ID or GUID", None),
        ("css:#ctl00_Main_txtFilter", "css", "#ctl00_Main_txtFilter", None),
        ("xpath://table[2]//tr", "xpath", "//table[2]//tr", None),
    ],
)
def test_locator_forms_are_understood(
    text: str, kind: str, value: str, role_name: str | None
) -> None:
    spec = parse_spec(text, name="x.y")
    assert (spec.kind, spec.value, spec.role_name) == (kind, value, role_name)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id:#filter",
            'advanced_settings.filter in sel.toml: "id:#filter" is not a locator; use one of '
            "the forms role:ROLE:NAME, role:ROLE, label:TEXT, text:TEXT, testid:ID, "
            "placeholder:TEXT, css:SELECTOR, xpath:EXPRESSION, nth:N, row:TEXT or has-text:TEXT, "
            "joined by >>",
        ),
        (
            "label:",
            'advanced_settings.filter in sel.toml: "label:" is not a locator; use one of the '
            "forms role:ROLE:NAME, role:ROLE, label:TEXT, text:TEXT, testid:ID, placeholder:TEXT, "
            "css:SELECTOR, xpath:EXPRESSION, nth:N, row:TEXT or has-text:TEXT, joined by >>",
        ),
        (
            "role:serchbox:Filter",
            'advanced_settings.filter in sel.toml: "serchbox" is not an ARIA role; did you mean '
            "searchbox?",
        ),
        (
            42,
            "advanced_settings.filter in sel.toml: must be a string in one of the forms "
            "role:ROLE:NAME, role:ROLE, label:TEXT, text:TEXT, testid:ID, placeholder:TEXT, "
            "css:SELECTOR, xpath:EXPRESSION, nth:N, row:TEXT or has-text:TEXT, joined by >>",
        ),
    ],
    ids=["unknown-kind", "empty", "misspelt-role", "not-a-string"],
)
def test_a_bad_locator_form_is_refused_with_the_forms_allowed(text: object, message: str) -> None:
    with pytest.raises(SelectorOverrideError) as raised:
        parse_overrides({"advanced_settings": {"filter": text}}, origin="sel.toml")
    assert raised.value.message == message
    assert raised.value.exit_code == ExitCode.BAD_INPUT


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "advanced_settings.filtr",
            'sel.toml: unknown locator name "advanced_settings.filtr"; close matches: '
            "advanced_settings.filter",
        ),
        (
            "profil.edit",
            'sel.toml: unknown locator name "profil.edit"; close matches: profile.edit',
        ),
        (
            "obd.table",
            'sel.toml: unknown locator name "obd.table"; names on obd: '
            "obd.address, obd.details, obd.menu_link",
        ),
    ],
)
def test_an_unknown_name_is_refused_with_the_close_matches(name: str, message: str) -> None:
    screen, _, short = name.partition(".")
    with pytest.raises(SelectorOverrideError) as raised:
        parse_overrides({screen: {short: "label:X"}}, origin="sel.toml")
    assert raised.value.message == message


def test_an_unknown_screen_lists_the_screens() -> None:
    with pytest.raises(SelectorOverrideError, match=r'"zzz\.q"; screens: advanced_settings, '):
        parse_overrides({"zzz": {"q": "label:X"}}, origin="sel.toml")


def test_an_override_may_use_only_the_fields_its_default_fills_in() -> None:
    with pytest.raises(SelectorOverrideError) as raised:
        parse_overrides({"advanced_settings": {"edit": "label:Edit {row}"}}, origin="sel.toml")
    assert raised.value.message == (
        "advanced_settings.edit in sel.toml: unknown field row; it can use {number}"
    )
    table = {"advanced_settings": {"edit": "role:button:Modify setting {number}"}}
    overrides = parse_overrides(table, origin="sel.toml")
    spec = overrides.spec("advanced_settings.edit").fill({"number": 8})
    assert spec.text == "role:button:Modify setting 8"


def test_every_page_object_locator_has_a_logical_name() -> None:
    names = known_names()
    assert {"advanced_settings.filter", "profile.save", "common.toast"} <= set(names)
    assert all(name.count(".") == 1 for name in names)


def test_overrides_come_from_the_file_named_else_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = tmp_path / "named.toml"
    named.write_text('advanced_settings.filter = "label:Find setting"\n', encoding="utf-8")
    from_env = tmp_path / "env.toml"
    from_env.write_text('[profile]\nedit = "role:button:Edit"\n', encoding="utf-8")
    monkeypatch.setenv("CRM_ROBOT_SELECTORS", str(from_env))
    assert list(load_overrides(named).specs) == ["advanced_settings.filter"]
    assert list(load_overrides().specs) == ["profile.edit"]
    monkeypatch.delenv("CRM_ROBOT_SELECTORS")
    assert not load_overrides()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "selector override file not found; check --selectors or CRM_ROBOT_SELECTORS"),
        ("advanced_settings.filter = ", "not valid TOML"),
    ],
    ids=["missing", "not-toml"],
)
def test_an_unreadable_file_is_refused(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "sel.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(SelectorOverrideError, match=message):
        load_overrides(path)


@pytest.mark.e2e
def test_an_override_changes_the_locator_the_page_object_uses(
    crm_sim: CrmSimServer, browser: Browser, tmp_path: Path
) -> None:
    path = tmp_path / "sel.toml"
    path.write_text('advanced_settings.filter = "label:Filter settings"\n', encoding="utf-8")
    with signed_in(crm_sim.url, browser, selectors=load_overrides(path)) as session:
        grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
        assert "internal:label=" in repr(grid.filter)
        row = grid.find_setting(88)
        assert row is not None and row.number == 88


@pytest.mark.e2e
def test_an_override_pointing_at_a_wrong_label_fails_naming_the_override(
    crm_sim: CrmSimServer, browser: Browser, tmp_path: Path
) -> None:
    path = tmp_path / "sel.toml"
    path.write_text('advanced_settings.filter = "label:Find setting"\n', encoding="utf-8")
    overrides = load_overrides(path)
    with signed_in(crm_sim.url, browser, selectors=overrides, action_timeout_ms=1_000) as session:
        with pytest.raises(ScreenChangedError) as raised:
            AdvancedSettingsPage(session, SAMPLE_BILLER).find_setting(88)
    assert raised.value.message.startswith(
        "the CRM screen changed: Advanced Settings shows nothing matching "
        f"advanced_settings.filter (label:Find setting, from {path})"
    )


def test_capture_with_an_unknown_override_name_exits_2_before_any_browser(tmp_path: Path) -> None:
    path = tmp_path / "sel.toml"
    path.write_text('[advanced_settings]\nfilterr = "label:Find setting"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "RTDR_"))}
    done = crm_robot(
        "capture",
        PLAN_FILE,
        *["--phase", "before", "--selectors", str(path), "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        env={**env, "CRM_BASE_URL": "http://127.0.0.1:9"},
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f'crm-robot: {path}: unknown locator name "advanced_settings.filterr"; close matches: '
        "advanced_settings.filter"
    )
    assert not (tmp_path / "out").exists()
