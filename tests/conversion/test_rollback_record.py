"""What a rollback reads from a conversion's journal, and what it refuses, before a browser opens.

The journals here are written by the robot's own Journal, as a conversion writes them. The
rollback itself, in a browser against crm_sim: tests/reliability/test_rollback.py.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from robot.core.errors import ExitCode, SettingsError, UsageError
from robot.core.settings import load_settings
from robot.plan.model import load_plan
from robot.run.journal import Journal, read_events
from robot.run.rollback import conversion_writes, expected_restored, load_undo
from scenarios.context import Context
from scenarios.ports import Undo, Written
from scenarios.undo import CONFLICTS, restorable
from tests.conversion.support import ENV_FILE, PLAN, ROOT
from tests.support.cli import Done, crm_robot

RUN = "20261204T010203Z-ab12"
PLAN_OBJ = load_plan(PLAN)
SETTING_16 = "Setting 16 (MIPS DataPump Password)"


def _journal(biller_dir: Path, *, biller: str = "10482", procedure: str | None = None) -> Journal:
    journal = Journal(biller_dir / RUN, RUN)
    options: dict[str, Any] = {"dry_run": False}
    if procedure is not None:
        options["procedure"] = procedure
    journal.run_start(plan="p.toml", biller={"id": biller}, env="UAT", options=options)
    return journal


def _write(journal: Journal, field: str, old: str, new: str, **extra: Any) -> None:
    step = extra.pop("step", "crm-configuration")
    screen = extra.pop("screen", "Profile")
    # As the run journals a write: its intent first, with the same secret and action.
    mark = {k: v for k, v in extra.items() if k in ("secret", "action")}
    journal.intent(step=step, screen=screen, field=field, old=old, new=new, **mark)
    journal.write(step=step, screen=screen, field=field, old=old, new=new, **extra)


def test_writes_fold_to_the_first_value_found_and_the_last_written(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    _write(journal, "Integration Partner ID", "IMT MIPS APPS", "X", result="uncertain: Fault")
    _write(journal, "Integration Partner ID", "X", "IMT Spectrum")
    _write(journal, "Primary Contact", "a", "b", result="refused")
    journal.intent(
        step="datapump", screen="DataPump", field="Payment DataPump Web", old="No", new="Yes"
    )
    writes = conversion_writes(read_events(journal.path))
    assert [(w.field, w.before, w.after) for w in writes] == [
        ("Integration Partner ID", "IMT MIPS APPS", "IMT Spectrum"),
        ("Payment DataPump Web", "No", "Yes"),  # killed before the CRM answered: maybe stored
    ]


def _damaged(biller_dir: Path) -> None:
    with _journal(biller_dir).path.open("a") as journal:
        journal.write('{"event": "write", torn\n{"event": 1}\n')


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda d: None, "no conversion run"),
        (lambda d: _journal(d, procedure="rollback"), "is a rollback run, not a conversion"),
        (lambda d: _journal(d, biller="20731"), "is for biller 20731, not 10482"),
        (_damaged, "is damaged at line 2"),
    ],
    ids=["no journal", "a rollback", "another biller", "a damaged line"],
)
def test_a_run_that_cannot_be_rolled_back_is_refused(tmp_path: Path, make: Any, says: str) -> None:
    make(tmp_path)
    with pytest.raises(UsageError, match=says):
        load_undo(RUN, PLAN_OBJ, load_settings(None, {}), tmp_path)


def test_each_missing_old_secret_is_named_with_its_variable(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    for field in ("Setting 10 (RTDR Key or Password)", SETTING_16):
        _write(
            journal,
            field,
            "x",
            "y",
            step="advanced-settings",
            screen="Advanced Settings",
            secret=True,
            action="remove" if "16" in field else "set",
        )
    _write(
        journal,
        "Setting 77 (Created Secret)",
        "(none)",
        "z",
        step="advanced-settings",
        screen="Advanced Settings",
        secret=True,
        action="create",
    )
    with pytest.raises(SettingsError) as refused:
        load_undo(RUN, PLAN_OBJ, load_settings(None, {"ROLLBACK_SETTING_10": "old"}), tmp_path)
    assert "ROLLBACK_SETTING_16: the value setting 16 (MIPS DataPump Password) held" in str(
        refused.value
    )
    # Setting 10's variable is set; a secret the conversion created needs none (it goes).
    assert "ROLLBACK_SETTING_10" not in str(refused.value)
    assert "ROLLBACK_SETTING_77" not in str(refused.value)
    undo, _ = load_undo(
        RUN,
        PLAN_OBJ,
        load_settings(None, {"ROLLBACK_SETTING_10": "a", "ROLLBACK_SETTING_16": "b"}),
        tmp_path,
    )
    assert {n: s.get_secret_value() for n, s in undo.secrets.items()} == {10: "a", 16: "b"}


def test_the_report_expects_each_changed_field_back_as_the_conversion_found_it() -> None:
    original = {"01-profile": {"Partner": "MIPS", "Name": "A"}, "06": {"Setting 14": "x"}}
    now = {"01-profile": {"Partner": "Spectrum", "Name": "A"}, "06": {"Setting 10": "s"}}
    assert expected_restored(original, now) == {
        "01-profile": {"Partner": "MIPS"},
        "06": {"Setting 14": "x", "Setting 10": None},
    }


def _ctx(**forced: str) -> Context:
    undo = Undo(RUN, (), {}, frozenset(forced.values()))
    lines: list[str] = []
    fake = SimpleNamespace(undo=undo, scratch={}, progress=lines.append, lines=lines)
    return cast(Context, fake)


@pytest.mark.parametrize(
    ("now", "forced", "restore", "left_alone"),
    [
        ("IMT MIPS APPS", "", False, False),  # back already: a second rollback writes nothing
        ("IMT Spectrum", "", True, False),  # what the conversion wrote
        ("Someone Else", "", False, True),  # changed since: named, left alone
        ("Someone Else", "Integration Partner ID", True, False),  # unless forced
    ],
)
def test_a_field_is_restored_only_from_what_the_conversion_wrote(
    now: str, forced: str, restore: bool, left_alone: bool
) -> None:
    ctx = _ctx(field=forced) if forced else _ctx()
    written = Written(
        "crm-configuration", "Profile", "Integration Partner ID", "IMT MIPS APPS", "IMT Spectrum"
    )
    assert restorable(ctx, written, now) is restore
    assert bool(ctx.scratch.get(CONFLICTS)) is left_alone
    if left_alone:
        assert '--force-field "Integration Partner ID" restores it' in cast(Any, ctx).lines[0]


def _rollback(*args: str, **env: str) -> Done:
    return crm_robot(
        "rollback",
        PLAN,
        *args,
        "--env-file",
        ENV_FILE,
        "--yes",
        cwd=ROOT,
        env={**env, "CRM_BASE_URL": "http://127.0.0.1:9"},
    )


def test_the_command_refuses_before_the_browser_and_a_run_that_wrote_nothing_is_done(
    tmp_path: Path,
) -> None:
    biller_dir = tmp_path / "prairie-pine-mutual"
    journal = _journal(biller_dir)
    # The CRM at CRM_BASE_URL does not answer: an exit other than 2 or 0 would mean a browser.
    nothing = _rollback(RUN, CRM_ROBOT_OUTPUT_DIR=str(tmp_path))
    assert (nothing.returncode, nothing.stderr) == (ExitCode.OK, "")
    assert f"run {RUN} wrote nothing to the CRM: there is nothing to roll back" in nothing.stdout

    _write(
        journal,
        SETTING_16,
        "x",
        "(deleted)",
        step="advanced-settings",
        screen="Advanced Settings",
        secret=True,
        action="remove",
    )
    refused = _rollback(RUN, CRM_ROBOT_OUTPUT_DIR=str(tmp_path))
    assert refused.returncode == ExitCode.BAD_INPUT
    assert "ROLLBACK_SETTING_16" in refused.stderr
    assert sorted(p.name for p in biller_dir.iterdir()) == [RUN]  # no rollback run folder


def test_a_plan_may_name_the_variable_of_an_old_secret(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.toml"
    plan_file.write_text(
        PLAN.read_text() + '\n[rollback.secret_env]\n16 = "OLD_MIPS_DP_PASSWORD"\n'
    )
    journal = _journal(tmp_path)
    _write(
        journal,
        SETTING_16,
        "x",
        "(deleted)",
        step="advanced-settings",
        screen="Advanced Settings",
        secret=True,
        action="remove",
    )
    with pytest.raises(SettingsError, match="OLD_MIPS_DP_PASSWORD: the value setting 16"):
        load_undo(RUN, load_plan(plan_file), load_settings(None, {}), tmp_path)
    settings = load_settings(None, {"OLD_MIPS_DP_PASSWORD": "old"})
    undo, _ = load_undo(RUN, load_plan(plan_file), settings, tmp_path)
    assert undo.secrets[16].get_secret_value() == "old"


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        ("2026-12-15T00:59:00-06:00", False),
        ("2026-12-15T01:00:00-06:00", True),  # the window's start, Central Time
        ("2026-12-15T07:00:00+00:00", True),  # 01:00 CST in UTC
        ("2026-12-15T05:00:00-06:00", True),
        ("2026-12-15T05:01:00-06:00", False),
    ],
)
def test_the_window_is_switched_on_only_for_a_rollback_inside_its_times(
    moment: str, inside: bool
) -> None:
    from datetime import datetime

    from scenarios import undo_window

    ctx = cast(Context, SimpleNamespace(plan=PLAN_OBJ, progress=lambda _line: None))
    now = datetime.fromisoformat(moment)
    assert undo_window.in_window(ctx, now) is inside


def test_window_on_ticks_the_window_it_found_inactive_and_nothing_else() -> None:
    from pages.maintenance_windows import WindowRow
    from scenarios import undo_window_on

    ctx = cast(Context, SimpleNamespace(plan=PLAN_OBJ, progress=lambda _line: None))
    off = WindowRow(PLAN_OBJ.maintenance_window.description or "", "", "", False, True)
    [change] = undo_window_on.plan(ctx, off)
    assert (change.field, change.old, change.new) == (f"{off.description}: Active", "No", "Yes")
    assert undo_window_on.plan(ctx, None) == []  # outside its times read() finds none
    assert undo_window_on.plan(ctx, WindowRow(off.description, "", "", True, True)) == []
