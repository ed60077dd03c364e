"""The adaptation profile: locators for unnamed markup (css, xpath, chains, nth, rows) and CRM
texts as entries a profile file can replace."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from pages.advanced_settings import AdvancedSettingsPage
from pages.entries import known_entries
from pages.locators import parse_spec
from pages.overrides import parse_overrides
from robot.core.errors import SelectorOverrideError
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import SAMPLE_BILLER, signed_in


def test_a_chain_looks_inside_what_the_steps_before_it_matched() -> None:
    spec = parse_spec(
        "role:table:Advanced Settings >> row:{number} >> role:button >> nth:2", name="x.y"
    )
    assert [step.kind for step in spec.steps] == ["role", "row", "role", "nth"]
    assert spec.fill({"number": 14}).text == (
        "role:table:Advanced Settings >> row:14 >> role:button >> nth:2"
    )
    container = spec.container()
    assert container is not None
    assert container.text == "role:table:Advanced Settings >> row:{number} >> role:button"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "nth:2",
            'x.y: "nth:2" starts with nth:, which narrows what a step before it matched; put the '
            "element it narrows first",
        ),
        ("role:table >> nth:0", 'x.y: "nth:0": nth takes a position from 1, like nth:2'),
        ("role:table >> nth:second", 'x.y: "nth:second": nth takes a position from 1, like nth:2'),
    ],
)
def test_a_step_that_cannot_be_taken_is_refused(text: str, message: str) -> None:
    with pytest.raises(SelectorOverrideError) as raised:
        parse_spec(text, name="x.y")
    assert raised.value.message == message


def test_a_text_entry_takes_the_text_the_crm_shows() -> None:
    profile = parse_overrides({"common": {"saved": "Changes saved."}}, origin="p.toml")
    assert profile.text("common.saved") == "Changes saved."
    assert parse_overrides({}, origin="p.toml").text("common.saved") == "Saved."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "",
            "common.saved in p.toml: must be the text the CRM shows, as a non-empty string (the "
            'default is "Saved.")',
        ),
        (
            3,
            "common.saved in p.toml: must be the text the CRM shows, as a non-empty string (the "
            'default is "Saved.")',
        ),
        ("Saved {when}", "common.saved in p.toml: unknown field when; it can use no fields"),
    ],
)
def test_a_bad_text_entry_is_refused_naming_it(value: object, message: str) -> None:
    with pytest.raises(SelectorOverrideError) as raised:
        parse_overrides({"common": {"saved": value}}, origin="p.toml")
    assert raised.value.message == message


def test_every_entry_is_a_locator_or_a_text_with_a_default() -> None:
    entries = known_entries()
    kinds = {entry.kind for entry in entries}
    assert kinds == {"locator", "text"}
    assert all(entry.default.strip() for entry in entries)
    assert all(entry.spec is not None for entry in entries if entry.kind == "locator")


@pytest.mark.e2e
@pytest.mark.parametrize(
    "spec",
    [
        "css:table.settings >> row:{number} >> role:button >> nth:1",
        "xpath://table >> row:{number} >> role:button >> nth:1",
        "role:table:Advanced Settings >> has-text:Setting >> row:{number} >> role:button >> nth:1",
    ],
    ids=["css", "xpath", "has-text"],
)
def test_unnamed_markup_forms_find_the_one_element_they_describe(
    crm_sim: CrmSimServer, browser: Browser, spec: str
) -> None:
    profile = parse_overrides({"advanced_settings": {"edit": spec}}, origin="p.toml")
    with signed_in(crm_sim.url, browser, selectors=profile) as session:
        grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
        grid.open()
        button = grid.edit(number=14)
        assert button.count() == 1
        assert button.get_attribute("aria-label") == "Edit setting 14"
