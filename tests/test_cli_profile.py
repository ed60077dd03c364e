"""`crm-robot profile list`: every entry of the adaptation profile, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from robot.core.errors import ExitCode
from tests.support.cli import crm_robot


def test_the_json_listing_names_every_locator_and_text_with_its_default(tmp_path: Path) -> None:
    done = crm_robot("profile", "list", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    entries = {entry["name"]: entry for entry in json.loads(done.stdout)}
    assert entries["profile.save"] == {
        "name": "profile.save",
        "screen": "profile",
        "kind": "locator",
        "default": "role:button:Save",
        "fields": [],
    }
    assert entries["common.saved"]["kind"] == "text"
    assert entries["common.saved"]["default"] == "Saved."
    assert entries["advanced_settings.confirm_delete"]["fields"] == ["number"]
    assert entries["invoicing_advanced.real_time_data_refresh"]["default"] == (
        "Real Time Data Refresh"
    )


def test_the_text_listing_groups_entries_by_screen_and_shows_the_profiles_values(
    tmp_path: Path,
) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(
        '[profile]\nsave = "role:button:Save Changes"\n[common]\nsaved = "Changes saved."\n',
        encoding="utf-8",
    )
    done = crm_robot("profile", "list", "--selectors", str(profile), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "[profile]" in lines and "[common]" in lines
    save = next(line for line in lines if line.split()[0] == "profile.save")
    assert save.split() == [
        "profile.save",
        "locator",
        "role:button:Save",
        "profile:",
        "role:button:Save",
        "Changes",
    ]
    saved = next(line for line in lines if line.split()[0] == "common.saved")
    assert saved.endswith("profile: Changes saved.")


def test_a_profile_with_an_unknown_entry_is_refused_with_exit_2(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('[profile]\nsav = "role:button:Save"\n', encoding="utf-8")
    done = crm_robot("profile", "list", "--selectors", str(profile), cwd=tmp_path)
    assert done.returncode == ExitCode.BAD_INPUT
    assert 'unknown locator name "profile.sav"; close matches: profile.save' in done.stderr
