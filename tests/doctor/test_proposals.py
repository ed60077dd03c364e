"""The doctor's proposals for a locator that misses, ranked on what the screen shows."""

from __future__ import annotations

import pytest

import pages.catalog  # noqa: F401  (registers every page object's entries)
from pages.entries import REGISTRY
from robot.doctor.probe import Element, Look
from robot.doctor.proposals import propose_locator, propose_text, similarity

# The legacy skin's Advanced Settings (an old WebForms CRM): a filter box, its number box and
# the rows-per-page select, under other words than the defaults.
LEGACY_GRID = Look(
    elements=[
        Element("input", "textbox", "Number", "ctl00_MainContent_txt_number", "", 0, None),
        Element("input", "textbox", "Search settings", "", "", 1, None),
        Element("select", "combobox", "Page size", "ctl00_MainContent_ddlPageSize", "", 0, None),
    ]
)


def test_a_label_entry_meant_for_a_select_proposes_the_select_first() -> None:
    entry = REGISTRY.entry("advanced_settings.rows_per_page")
    assert entry.role == "combobox"  # "label:Rows per page" alone would name a text box
    proposals = propose_locator(entry, {}, LEGACY_GRID, lambda _value: 1)
    assert proposals[0].value == "role:combobox:Page size"


def test_a_label_entry_without_a_role_still_means_a_text_box() -> None:
    entry = REGISTRY.entry("advanced_settings.number")
    proposals = propose_locator(entry, {}, LEGACY_GRID, lambda _value: 1)
    assert proposals[0].value == "role:textbox:Number"


GRID_COLUMNS = [
    "advanced_settings.number_column",
    "advanced_settings.name_column",
    "advanced_settings.value_column",
]


@pytest.mark.parametrize(
    ("entry", "headers", "proposed"),
    [
        # Close to the default: the header, never the filter's label that is just as close.
        (
            "advanced_settings.name_column",
            ["No.", "Setting Name", "Setting Value", ""],
            "Setting Name",
        ),
        (
            "advanced_settings.value_column",
            ["No.", "Setting Name", "Setting Value", ""],
            "Setting Value",
        ),
        # Nothing like "#": the header in the same place, for a person to confirm...
        ("advanced_settings.number_column", ["No.", "Setting Name", "Setting Value", ""], "No."),
        # ...where the table has as many columns as the screen declares, and only there.
        ("advanced_settings.number_column", ["No.", "Code", "Setting Name", "Setting Value"], None),
    ],
)
def test_a_column_header_is_proposed_from_the_headers(
    entry: str, headers: list[str], proposed: str | None
) -> None:
    labels = ["Search settings", *headers]
    shown = Look(texts=labels, terms=labels, headers=headers)
    declared = REGISTRY.entry(entry)
    proposals = propose_text(declared, shown, declared.default, term=True, columns=GRID_COLUMNS)
    assert (proposals[0].value if proposals else None) == proposed


@pytest.mark.parametrize(
    ("wanted", "closer", "farther"),
    [
        ("Maintenance Windows", "Scheduled Maintenance", "Advanced Options"),
        ("Start (CT)", "Starts (CT)", "Ends (CT)"),
        ("Save", "Save Changes", "Cancel"),
    ],
)
def test_a_name_sharing_a_word_is_closer_than_one_sharing_letters(
    wanted: str, closer: str, farther: str
) -> None:
    assert similarity(wanted, closer) > similarity(wanted, farther)
