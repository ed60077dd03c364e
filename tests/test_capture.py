"""The nine-screen capture: files named by contract, secrets absent from every file and painted
over in the pictures, identical pictures of an unchanged biller, survival of an expired session,
and clear failure when a screen cannot be shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser
from pydantic import SecretStr

from pages.advanced_settings import AdvancedSettingsPage
from robot.browser.session import BrowserSession
from robot.capture.screens import (
    MASK_COLOR,
    CaptureResult,
    Phase,
    ScreenProgress,
    capture_biller,
    capture_dir,
)
from robot.capture.shots import FastShots, PlaywrightShots, shots_for
from robot.core.capture_format import MANIFEST_FILE, SCREEN_STEMS, read_capture
from robot.core.errors import CaptureError, GuardError
from robot.core.fingerprint import fingerprint
from robot.plan.model import ConversionPlan, load_plan
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import PASSWORD, SAMPLE_BILLER, USERNAME, signed_in

ROOT = Path(__file__).resolve().parents[1]
PLAN_FILE = ROOT / "plans" / "prairie-pine-mutual.toml"
SALT = bytes(range(32))
KEY_PASSWORD = "PPM-DEMO-PRIVATE-KEY-7f3a|ppm-demo-rtdr-pass"
GREY = tuple(int(MASK_COLOR[i : i + 2], 16) for i in (1, 3, 5))
# On one worker: the module's signed-in session and reference capture are made once, not twice.
pytestmark = pytest.mark.xdist_group("capture")


@pytest.fixture(scope="module")
def plan() -> ConversionPlan:
    return load_plan(PLAN_FILE)


@pytest.fixture(scope="module")
def module_session(crm_sim_server: CrmSimServer, browser: Browser) -> Iterator[BrowserSession]:
    crm_sim_server.set_faults("")  # a fault left by another module's last test
    with signed_in(crm_sim_server.url, browser) as session:
        yield session


@pytest.fixture
def session(module_session: BrowserSession, crm_sim: CrmSimServer) -> BrowserSession:
    module_session.page.goto(crm_sim.url + "/billers")
    if "/login" in module_session.page.url:
        module_session.sign_in()
    return module_session


def pixels(path: Path) -> tuple[tuple[int, int], bytes]:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        return rgb.size, rgb.tobytes()


def pixel_difference(first: Path, second: Path) -> str:
    """ "" when the two pictures have the same pixels; else how they differ, in a line (pytest's
    own diff of two screenshots' bytes would take minutes)."""
    (size, one), (other_size, two) = pixels(first), pixels(second)
    if size != other_size:
        return f"{first.name}: {size} against {other_size}"
    if one == two:
        return ""
    a, b = np.frombuffer(one, np.uint8).reshape(-1, 3), np.frombuffer(two, np.uint8).reshape(-1, 3)
    changed = np.flatnonzero((a != b).any(axis=1))
    rows = changed // size[0]
    return f"{first.name}: {changed.size} pixels differ, rows {rows.min()}-{rows.max()}"


@pytest.fixture(scope="module")
def reference(
    module_session: BrowserSession,
    crm_sim_server: CrmSimServer,
    plan: ConversionPlan,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CaptureResult, list[ScreenProgress]]:
    """A capture of the freshly seeded biller, shared by the tests that only look at it."""
    crm_sim_server.set_faults("")
    crm_sim_server.reset()
    module_session.page.goto(crm_sim_server.url + "/billers")
    root = tmp_path_factory.mktemp("reference")
    folder = capture_dir(root, plan.biller_slug, "before", run_id="20261126T140311Z-ab12")
    seen: list[ScreenProgress] = []
    result = capture_biller(
        module_session, plan, "before", folder, salt=SALT, on_screen=seen.append
    )
    return result, seen


@pytest.mark.e2e
def test_capture_writes_the_nine_screens_named_by_the_contract(
    reference: tuple[CaptureResult, list[ScreenProgress]], crm_sim: CrmSimServer
) -> None:
    result, seen = reference
    folder = result.folder
    assert folder.parts[-3:] == ("prairie-pine-mutual", "20261126T140311Z-ab12", "before")
    assert sorted(p.name for p in folder.glob("*.png")) == [f"{s}.png" for s in SCREEN_STEMS]
    capture = read_capture(folder)  # every PNG present and matching its sha256
    manifest = capture.manifest
    assert (manifest.phase, manifest.run_id, manifest.environment) == (
        "before",
        "20261126T140311Z-ab12",
        "UAT",
    )
    assert (manifest.biller.id, manifest.biller.slug) == (SAMPLE_BILLER, "prairie-pine-mutual")
    assert (manifest.viewport.width, manifest.viewport.height) == (1280, 900)
    assert list(manifest.screens) == list(SCREEN_STEMS)
    assert [p.stem for p in seen] == list(SCREEN_STEMS)
    assert result.values == capture.values

    stored = crm_sim.state(SAMPLE_BILLER)
    settings = capture.values["06-advanced-settings"]
    assert len(settings) == len(stored["advanced_settings"])
    assert settings["Setting 8"] == stored["advanced_settings"]["8"]["value"]
    assert settings["Setting 10"] == fingerprint(stored["advanced_settings"]["10"]["value"], SALT)
    assert capture.values["01-profile"]["Integration Partner ID"] == "IMT MIPS APPS"
    assert capture.values["09-datapump-management"]["Payment DataPump Lockbox"] == "Yes"
    # Every row of Advanced Settings is on the picture: far taller than one screen.
    assert manifest.screens["06-advanced-settings"].height > 25 * 40


@pytest.mark.e2e
def test_no_written_file_holds_a_secret_and_masks_are_solid(
    session: BrowserSession, plan: ConversionPlan, crm_sim: CrmSimServer, tmp_path: Path
) -> None:
    grid = AdvancedSettingsPage(session, SAMPLE_BILLER)
    grid.set_setting(10, SecretStr(KEY_PASSWORD))
    grid.set_setting(13, SecretStr(KEY_PASSWORD))
    result = capture_biller(session, plan, "after", tmp_path / "run" / "after", salt=SALT)

    secrets = [KEY_PASSWORD, *KEY_PASSWORD.split("|"), PASSWORD]
    for path in result.folder.iterdir():
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{secret} in {path.name}"
    settings = result.values["06-advanced-settings"]
    assert settings["Setting 10"] == settings["Setting 13"] == fingerprint(KEY_PASSWORD, SALT)

    masked = result.manifest.screens["06-advanced-settings"].masked
    # 10 and 13 (key|password), and the rows named for a password: 16, 20 and 115.
    assert [m.kind for m in masked].count("secret") == 5
    for stem, record in result.manifest.screens.items():
        with Image.open(result.folder / record.file) as image:
            rgb = image.convert("RGB")
            for box in record.masked:
                # The inside of the box: its edge pixels may blend with the page.
                inner = rgb.crop(
                    (box.x + 1, box.y + 1, box.x + box.width - 1, box.y + box.height - 1)
                )
                colours = {colour for _, colour in inner.getcolors(maxcolors=1 << 16) or []}
                assert colours == {GREY}, f"{stem} {box} holds {len(colours)} colours"


@pytest.mark.e2e
def test_two_captures_of_an_unchanged_biller_are_pixel_identical(
    session: BrowserSession,
    plan: ConversionPlan,
    reference: tuple[CaptureResult, list[ScreenProgress]],
    tmp_path: Path,
) -> None:
    first, _ = reference
    second = capture_biller(session, plan, "scheduled", tmp_path / "again", salt=SALT)
    differences = [
        pixel_difference(first.folder / f"{stem}.png", second.folder / f"{stem}.png")
        for stem in SCREEN_STEMS
    ]
    assert not "; ".join(filter(None, differences))
    assert first.values == second.values


@pytest.mark.e2e
def test_chromium_s_fast_capture_paints_the_same_pixels_as_playwright_s_screenshot(
    session: BrowserSession,
    plan: ConversionPlan,
    reference: tuple[CaptureResult, list[ScreenProgress]],
    tmp_path: Path,
) -> None:
    fast, _ = reference  # the default path in Chromium
    assert isinstance(shots_for(session.page, MASK_COLOR), FastShots)
    slow = capture_biller(
        session, plan, "scheduled", tmp_path / "pw", salt=SALT, shots=PlaywrightShots(MASK_COLOR)
    )
    for stem in SCREEN_STEMS:
        assert not pixel_difference(fast.folder / f"{stem}.png", slow.folder / f"{stem}.png")
        # The same regions painted over, and the picture itself in other bytes (another
        # compression), so that the comparison above is of two pictures, not one file twice.
        assert fast.manifest.screens[stem].masked == slow.manifest.screens[stem].masked
        assert fast.manifest.screens[stem].sha256 != slow.manifest.screens[stem].sha256


@pytest.mark.e2e
def test_capture_survives_the_session_expiring_on_the_way(
    session: BrowserSession,
    plan: ConversionPlan,
    crm_sim: CrmSimServer,
    reference: tuple[CaptureResult, list[ScreenProgress]],
    tmp_path: Path,
) -> None:
    first, _ = reference
    # Every fifth request to the CRM finds the session expired, several times in one capture.
    crm_sim.set_faults("expire_session_every=5")
    result = capture_biller(session, plan, "scheduled", tmp_path / "expiring", salt=SALT)
    assert result.values == first.values
    for stem in SCREEN_STEMS:
        assert not pixel_difference(result.folder / f"{stem}.png", first.folder / f"{stem}.png")


@pytest.mark.e2e
def test_a_screen_shown_as_an_error_is_opened_once_more(
    session: BrowserSession, plan: ConversionPlan, crm_sim: CrmSimServer, tmp_path: Path
) -> None:
    crm_sim.set_faults(f"fail_once=GET:/billers/{SAMPLE_BILLER}/obd")
    seen: list[ScreenProgress] = []
    capture_biller(session, plan, "scheduled", tmp_path / "c", salt=SALT, on_screen=seen.append)
    assert {p.stem: p.attempts for p in seen}["04-obd"] == 2


@pytest.mark.e2e
def test_a_screen_shown_as_an_error_twice_fails_the_capture_without_a_manifest(
    session: BrowserSession, plan: ConversionPlan, crm_sim: CrmSimServer, tmp_path: Path
) -> None:
    path = f"GET:/billers/{SAMPLE_BILLER}/obd"
    crm_sim.set_faults(f"fail_once={path},fail_once={path}")
    with pytest.raises(CaptureError) as raised:
        capture_biller(session, plan, "scheduled", tmp_path / "c", salt=SALT)
    assert raised.value.message == (
        "04-obd: the CRM showed a server error page instead of OBD, 2 times; "
        "check the CRM, then capture again"
    )
    assert not (tmp_path / "c" / MANIFEST_FILE).exists()


@pytest.mark.e2e
def test_a_biller_the_crm_does_not_show_is_not_captured(
    session: BrowserSession, plan: ConversionPlan, tmp_path: Path
) -> None:
    elsewhere = plan.model_copy(update={"biller": plan.biller.model_copy(update={"id": "99999"})})
    with pytest.raises(GuardError, match="01-profile: the CRM shows no biller heading where"):
        capture_biller(session, elsewhere, "before", tmp_path / "run" / "before", salt=SALT)
    assert not list((tmp_path / "run" / "before").glob("*.png"))


@pytest.mark.parametrize(
    ("phase", "run_id", "expected"),
    [
        ("before", "RUN", "ppm/RUN/before"),
        ("after", "RUN", "ppm/RUN/after"),
        ("scheduled", None, "ppm/scheduled/20261126T200311Z"),
    ],
)
def test_capture_folders_follow_the_layout(
    tmp_path: Path, phase: Phase, run_id: str | None, expected: str
) -> None:
    now = datetime(2026, 11, 26, 14, 3, 11, tzinfo=ZoneInfo("America/Chicago"))
    assert capture_dir(tmp_path, "ppm", phase, run_id=run_id, now=now) == tmp_path / expected


def test_a_second_scheduled_capture_in_the_same_second_gets_its_own_folder(tmp_path: Path) -> None:
    now = datetime(2026, 11, 26, 20, 3, 11, tzinfo=UTC)
    capture_dir(tmp_path, "ppm", "scheduled", now=now).mkdir(parents=True)
    again = capture_dir(tmp_path, "ppm", "scheduled", now=now)
    assert again == tmp_path / "ppm" / "scheduled" / "20261126T200311Z-2"


@pytest.mark.e2e
def test_capture_command_prints_the_folder_and_a_line_per_screen(
    crm_sim: CrmSimServer, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "CRM_BASE_URL": crm_sim.url,
        "CRM_USERNAME": USERNAME,
        "CRM_PASSWORD": PASSWORD,
    }
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "robot.cli.main", "capture", str(PLAN_FILE)]
        + ["--phase", "before", "--run-id", "RUN", "--out", str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (folder,) = done.stdout.split()
    assert Path(folder) == out / "prairie-pine-mutual" / "RUN" / "before"
    assert read_capture(folder).manifest.phase == "before"
    lines = done.stderr.splitlines()
    assert lines[0] == f"Prairie Pine Mutual (10482): capture before -> {folder}"
    assert [line.split()[1] for line in lines[1:]] == list(SCREEN_STEMS)
    assert PASSWORD not in done.stderr + done.stdout
    # What each entry found, kept for the doctor to rank candidates by when the CRM changes.
    found = json.loads((out / "fingerprints" / "default.json").read_text())
    assert found["products.menu_link"]["text"] == "Products"
    assert found["products.table"]["tag"] == "table"
