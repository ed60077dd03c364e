"""Advanced Settings: rows found by exact number across pages, deleted through confirm()."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Dialog

from pages.advanced_settings import AdvancedSettingsPage
from pages.overrides import parse_overrides
from robot.browser.session import BrowserSession
from robot.core.errors import ScreenChangedError
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import SAMPLE_BILLER, page_loads

pytestmark = pytest.mark.e2e


def grid_query(session: BrowserSession) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(session.page.url).query).items()}


@pytest.mark.parametrize(
    ("number", "use_filter"),
    [(105, False), (88, False), (88, True), (105, True)],
    ids=["105-by-paging", "88-by-paging", "88-filtered", "105-filtered"],
)
def test_find_setting_finds_the_exact_number_across_pages(
    session: BrowserSession, crm_sim: CrmSimServer, number: int, use_filter: bool
) -> None:
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    row = grid.find_setting(number, use_filter=use_filter)
    stored = crm_sim.state(SAMPLE_BILLER)["advanced_settings"][str(number)]
    assert row is not None
    assert (row.number, row.name, row.value) == (number, stored["name"], stored["value"])
    if not use_filter:  # walked to with Next: the page of 25 rows that holds the number
        position = sorted(int(n) for n in crm_sim.state(SAMPLE_BILLER)["advanced_settings"])
        assert int(grid_query(session)["page"]) == position.index(number) // 25 + 1 > 1
    # The row shown is the one found, and its Edit button is on the page.
    assert grid.edit_button(number).count() == 1


def test_find_setting_8_on_the_page_of_88_is_8(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    assert grid.find_setting(88, use_filter=False) is not None  # the grid shows 88's page
    for use_filter in (True, False):
        row = grid.find_setting(8, use_filter=use_filter)
        assert row is not None and row.number == 8
        assert row.value == crm_sim.state(SAMPLE_BILLER)["advanced_settings"]["8"]["value"]
        grid.find_setting(88, use_filter=False)


@pytest.mark.parametrize("use_filter", [True, False], ids=["filtered", "by-paging"])
def test_find_setting_answers_none_for_an_absent_number(
    session: BrowserSession, crm_sim: CrmSimServer, use_filter: bool
) -> None:
    stored = crm_sim.state(SAMPLE_BILLER)["advanced_settings"]
    absent = next(n for n in range(1, 1000) if str(n) not in stored)
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    assert grid.find_setting(absent, use_filter=use_filter) is None


def test_rows_read_with_all_shown_are_changed_on_pages_of_25_and_found_by_number(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    assert 105 in grid.read_settings()  # every row, on one page
    assert grid.remove_setting(105) is True  # found through the filter: not on page 1
    assert grid_query(session)["per_page"] == "25"  # the CRM answered with the page shown
    assert grid.set_setting(9, "https://example.test/wsSpectrumAPICore") is True
    assert grid_query(session).get("q", "") == ""  # 9 is on the first page: no search
    settings = crm_sim.state(SAMPLE_BILLER)["advanced_settings"]
    assert "105" not in settings
    assert settings["9"]["value"] == "https://example.test/wsSpectrumAPICore"
    assert len(grid.read_settings()) == len(settings)


def test_a_fresh_read_after_a_change_loads_the_grid_once_with_all_rows(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    grid.read_settings()
    assert grid.remove_setting(14) is True  # answered with a page of 25 rows
    loads = page_loads(session)
    rows = grid.read_settings(fresh=True)
    assert len(loads) == 1 and grid_query(session)["per_page"] == "all"
    assert sorted(rows) == sorted(int(n) for n in crm_sim.state(SAMPLE_BILLER)["advanced_settings"])
    assert 14 not in rows
    del loads[:]
    grid.read_settings(fresh=True)  # All rows shown already: loaded again all the same
    assert loads and grid_query(session)["per_page"] == "all"


def test_removing_88_leaves_8_and_removing_8_leaves_88(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    assert grid.remove_setting(88) is True
    settings = crm_sim.state(SAMPLE_BILLER)["advanced_settings"]
    assert "88" not in settings and "8" in settings
    assert grid.find_setting(88) is None
    assert grid.remove_setting(8) is True
    settings = crm_sim.state(SAMPLE_BILLER)["advanced_settings"]
    assert "8" not in settings and "18" in settings and "28" in settings


def test_read_settings_shows_every_row_on_one_page(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    settings = grid.read_settings()
    assert grid_query(session)["per_page"] == "all"
    stored = crm_sim.state(SAMPLE_BILLER)["advanced_settings"]
    assert sorted(settings) == sorted(int(n) for n in stored)
    secret = {n for n, row in settings.items() if row.secret}
    assert {10, 13} <= secret and not {8, 9, 11, 12} & secret


def test_the_delete_confirm_is_answered_ok_only_for_the_setting_asked(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    messages: list[str] = []

    def seen(dialog: Dialog) -> None:
        messages.append(dialog.message)

    session.page.on("dialog", seen)
    try:
        AdvancedSettingsPage(session, SAMPLE_BILLER).remove_setting(105)
    finally:
        session.page.remove_listener("dialog", seen)
    assert messages == ["Delete setting 105 (MIPS Payment Posting Mode)? This cannot be undone."]
    assert "105" not in crm_sim.state(SAMPLE_BILLER)["advanced_settings"]


def _forget_the_address(session: BrowserSession) -> None:
    """As a CRM that keeps the grid's state in a post-back: the page's address says nothing."""
    session.page.evaluate("history.replaceState(null, '', location.pathname)")


def test_the_grid_s_state_is_read_from_the_page_not_from_its_address(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    grid.read_settings()
    _forget_the_address(session)
    loads = page_loads(session)
    assert grid.shows_all_rows()
    rows = grid.read_settings()
    assert loads == []  # All was chosen already: choosing it again would wait for nothing
    assert len(rows) == len(crm_sim.state(SAMPLE_BILLER)["advanced_settings"])

    grid.reload()  # the bare address: 25 rows a page
    assert grid.find_setting(88) is not None  # by the filter: the grid shows the matches only
    assert grid_query(session)["q"] == "88"
    _forget_the_address(session)
    assert not grid.shows_all_rows()
    assert sorted(grid.read_settings()) == sorted(rows)


def test_the_page_shown_is_read_from_the_pagination_not_from_the_address(
    session: BrowserSession, crm_sim: CrmSimServer
) -> None:
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    assert grid.find_setting(88, use_filter=False) is not None
    assert grid_query(session).get("page", "1") != "1"  # 88 is past the first page
    _forget_the_address(session)
    row = grid.find_setting(8, use_filter=False)  # on page 1: back there, then found
    assert row is not None and row.number == 8
    assert grid_query(session).get("page", "1") == "1"


@pytest.mark.parametrize(
    ("column", "named"),
    [
        ("name_column", 'advanced_settings.name_column ("No.")'),
        ("value_column", 'advanced_settings.value_column ("No.")'),
    ],
)
def test_a_column_the_grid_lacks_is_named_by_its_entry_not_read_as_empty(
    session: BrowserSession, monkeypatch: pytest.MonkeyPatch, column: str, named: str
) -> None:
    # A profile written for a CRM that heads the column "No.": read as empty, the values would
    # look like settings that differ from the plan.
    profile = parse_overrides({"advanced_settings": {column: "No."}}, origin="crm.toml")
    monkeypatch.setattr(session, "_selectors", profile)
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER).open()
    with pytest.raises(ScreenChangedError) as raised:
        grid.read_page()
    assert f"shows no column {named} (its columns: #, Setting, Value, Actions)" in str(raised.value)
