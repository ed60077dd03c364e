"""crm-robot on a CRM whose markup and words differ, adapted by a profile file and no code: the
real CLI against crm_sim's legacy skin with profiles/legacy.toml, compared with the same runs on
the default skin."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from robot.core.capture_format import SCREEN_STEMS
from robot.core.errors import ExitCode
from tests.conversion.support import ENV_FILE, PLAN
from tests.legacy.conftest import PROFILE, SELECTORS
from tests.reliability.robots import Robot

pytestmark = pytest.mark.e2e
# A logical entry named in a message: `profile.details (label:Profile)`.
ENTRY = re.compile(r"\b[a-z_]+\.[a-z_]+ \([a-z-]+:")


def capture(robot: Robot, *args: str, **env: str) -> Path | None:
    """`crm-robot capture PLAN --phase before ARGS`; the capture folder it wrote, if any."""
    before = set(robot.out.glob("*/*/before"))
    argv = ("capture", str(PLAN), "--phase", "before", "--env-file", str(ENV_FILE), *args)
    robot.crm_robot(*argv, **env)
    made = set(robot.out.glob("*/*/before")) - before
    return made.pop() if made else None


def values_of(folder: Path) -> dict[str, dict[str, str]]:
    values: dict[str, dict[str, str]] = json.loads((folder / "values.json").read_text())
    return values


def test_the_capture_reads_the_legacy_screens_under_the_robot_s_names(
    legacy_robot: Robot, default_robot: Robot
) -> None:
    folder = capture(legacy_robot, *SELECTORS)
    run = legacy_robot.runs[-1]
    assert run.returncode == 0, run.stderr
    assert folder is not None
    assert sorted(p.name for p in folder.glob("*.png")) == [f"{s}.png" for s in SCREEN_STEMS]
    assert (folder / "manifest.json").exists()

    on_default = capture(default_robot)
    assert default_robot.runs[-1].returncode == 0, default_robot.runs[-1].stderr
    assert on_default is not None
    legacy, default = values_of(folder), values_of(on_default)
    # The same keys, screen by screen, and the same values (the same data, fingerprinted with
    # the same salt): the robot's vocabulary whatever the CRM's.
    assert {s: list(v) for s, v in legacy.items()} == {s: list(v) for s, v in default.items()}
    assert legacy == default


def test_without_the_profile_the_capture_fails_naming_the_entry_to_adapt(
    legacy_robot: Robot,
) -> None:
    # An entry that finds nothing is a miss after the action timeout: a short one, since the
    # message, not the wait, is what is tested.
    capture(legacy_robot, CRM_ROBOT_TIMEOUT_MS="2000")
    run = legacy_robot.runs[-1]
    assert run.returncode in (ExitCode.PROBLEM_FOUND, ExitCode.CRM_FAILED), run.stderr
    assert ENTRY.search(run.stderr), run.stderr
    assert "--selectors" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr


# What the doctor cannot see without writing (a toast, a confirm()) or without another biller
# (the PROD word); robot/doctor/walk.py AFTER_A_WRITE says why for each.
UNSEEN_READ_ONLY = {"common.prod"}
# The legacy CRM answers its sign-in and Biller Search at the default addresses too (the
# embedded CRM serves both): loaded there, they are found, as on a CRM that kept old addresses.
ANSWERED_AT_BOTH = {"login.address", "biller_search.address"}


def _same_element(wanted: dict[str, str], got: dict[str, str]) -> bool:
    if wanted.get("id") and wanted.get("id") == got.get("id"):
        return True
    keys = ("tag", "name", "text", "row", "position")
    return all(wanted.get(key, "") == got.get(key, "") for key in keys)


@pytest.mark.slow
def test_the_doctor_without_a_profile_names_every_entry_to_adapt_and_mostly_proposes_it_right(
    legacy_robot: Robot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from robot.doctor.walk import AFTER_A_WRITE

    # With the profile first: the fingerprints of the elements each entry means.
    profile = tmp_path / PROFILE.name
    shutil.copyfile(PROFILE, profile)
    base = ("doctor", str(PLAN), "--env-file", str(ENV_FILE))
    assert (
        legacy_robot.crm_robot(
            *base, "--selectors", str(profile), "--out", str(tmp_path / "with")
        ).returncode
        == 0
    )
    meant = json.loads((legacy_robot.out / "fingerprints" / f"{PROFILE.stem}.json").read_text())
    before = legacy_robot.state()

    run = legacy_robot.crm_robot(*base, "--out", str(tmp_path / "without"))

    assert run.returncode == ExitCode.PROBLEM_FOUND, run.stderr
    assert "Traceback" not in run.stderr
    assert legacy_robot.state() == before  # read-only: nothing saved, deleted or run
    report = json.loads((tmp_path / "without" / "doctor.json").read_text())
    status = {entry["name"]: entry for entry in report["entries"]}
    problems = {stop["title"]: stop["problem"] for stop in report["screens"]}
    # The legacy CRM opens New forms in a dialog of the page: walked into, not waited on as a
    # page load that never comes.
    assert problems["Maintenance Windows > New Maintenance Window"] is None
    to_adapt = (
        {
            f"{screen}.{name}"
            for screen, table in tomllib.loads(PROFILE.read_text()).items()
            for name in table
        }
        - set(AFTER_A_WRITE)
        - UNSEEN_READ_ONLY
        - ANSWERED_AT_BOTH
    )
    unreported = {
        n for n in to_adapt if status[n]["status"] not in ("missing", "ambiguous", "not reached")
    }
    assert unreported == set()
    assert (tmp_path / "without" / "profile-draft.toml").is_file()
    assert (tmp_path / "without" / "index.html").is_file()
    right = 0
    proposed = [status[n] for n in to_adapt if status[n]["proposals"]]
    for entry in proposed:
        best = entry["proposals"][0]
        if entry["kind"] == "text":
            right += best["value"] == _legacy_value(entry["name"])
        else:
            right += _same_element(meant.get(entry["name"], {}), best.get("element") or {})
    with capsys.disabled():
        print(
            f"\ndoctor on the legacy skin without a profile: {len(to_adapt)} entries to adapt, "
            f"{len(proposed)} with proposals, first proposal right for {right}"
        )
    assert right >= 0.75 * len(to_adapt)


def _legacy_value(name: str) -> object:
    screen, _, short = name.partition(".")
    return tomllib.loads(PROFILE.read_text())[screen].get(short)
