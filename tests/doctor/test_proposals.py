"""The doctor's proposals for a locator that misses, ranked on what the screen shows."""

from __future__ import annotations

import pytest

import pages.catalog  # noqa: F401  (registers every page object's entries)
from pages.entries import REGISTRY
from robot.doctor.probe import Element, Look
from robot.doctor.proposals import propose_locator, propose_text

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


@pytest.mark.parametrize(
    ("entry", "column", "proposed"),
    [
        # Close to the default: the header, never the filter's label that is just as close.
        ("advanced_settings.name_column", 1, "Setting Name"),
        ("advanced_settings.value_column", 2, "Setting Value"),
        # Nothing like "#": the header in the same place, for a person to confirm.
        ("advanced_settings.number_column", 0, "No."),
    ],
)
def test_a_column_header_is_proposed_from_the_headers(
    entry: str, column: int, proposed: str
) -> None:
    shown = Look(
        texts=["Search settings", "No.", "Setting Name", "Setting Value"],
        terms=["Search settings", "No.", "Setting Name", "Setting Value"],
        headers=["No.", "Setting Name", "Setting Value", ""],
    )
    declared = REGISTRY.entry(entry)
    proposals = propose_text(declared, shown, declared.default, term=True, column=column)
    assert proposals[0].value == proposed
