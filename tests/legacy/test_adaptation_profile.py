"""profiles/legacy.toml, the profile that adapts crm-robot to the legacy skin: a valid profile
that prefers roles and labels, and reaches the markup's ids only where nothing names it."""

from __future__ import annotations

import tomllib

from pages.overrides import load_overrides
from tests.legacy.conftest import PROFILE

# The CSS steps that are not an id: the legacy CRM gives them a class only.
CLASS_ONLY = {
    "common.field_error": "css:span.validator",
    "navigation.selected_tab": "css:a.selected",
    "advanced_settings.current_page": "css:a.current",
    # A cell of the grid named by its id: the row is picked by its number, the cell by place.
    "advanced_settings.value_cell": (
        "css:#ctl00_MainContent_gvSettings >> row:{number} >> css:td >> nth:3"
    ),
}


def test_the_legacy_profile_is_a_valid_profile() -> None:
    overrides = load_overrides(PROFILE)  # raises, naming every problem, if it were not
    assert overrides.source == str(PROFILE)
    assert len(overrides.specs) + len(overrides.texts) == sum(
        len(table) for table in tomllib.loads(PROFILE.read_text(encoding="utf-8")).values()
    )


def test_the_legacy_profile_reaches_css_only_by_id() -> None:
    specs = load_overrides(PROFILE).specs
    assert not [name for name, spec in specs.items() if spec.kind in ("testid", "xpath")]
    by_class = {
        name: spec.text
        for name, spec in specs.items()
        if any(s.kind == "css" and not s.value.startswith("#") for s in spec.steps)
    }
    assert by_class == CLASS_ONLY


def test_every_screen_of_the_legacy_profile_is_headed_by_a_comment() -> None:
    lines = PROFILE.read_text(encoding="utf-8").splitlines()
    tables = [n for n, line in enumerate(lines) if line.startswith("[")]
    assert tables
    for n in tables:
        before = lines[n - 1]
        assert before.startswith("# --- ") or lines[n - 2].startswith("# --- "), lines[n]
