"""`crm-robot compare`: exit codes 0/1/2, JSON for two PNGs, a report for two captures."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from robot.core.secrets import PLANNED_SECRET as SECRET
from robot.plan.expectations import expected_after
from robot.plan.model import load_plan
from tests.capture_builder import BASE_VALUES, changed, make_capture
from tests.support.cli import Done, crm_robot


def compare(*args: str | Path, cwd: Path | None = None) -> Done:
    return crm_robot("compare", *args, cwd=cwd)


def write_png(path: Path, *, mark: bool = False, height: int = 80) -> Path:
    img = Image.new("RGB", (120, height), "white")
    if mark:
        ImageDraw.Draw(img).rectangle((10, 10, 29, 19), fill="black")
    out = io.BytesIO()
    img.save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def pngs(tmp_path: Path) -> dict[str, Path]:
    return {
        "plain": write_png(tmp_path / "plain.png"),
        "same": write_png(tmp_path / "same.png"),
        "marked": write_png(tmp_path / "marked.png", mark=True),
        "taller": write_png(tmp_path / "taller.png", height=100),
    }


@pytest.mark.parametrize(
    ("a", "b", "extra", "code", "changed_pixels", "size_changed"),
    [
        ("plain", "same", [], 0, 0, False),
        ("plain", "marked", [], 1, 200, False),
        ("plain", "marked", ["--ignore", "0,0,40,40"], 0, 0, False),
        ("plain", "taller", [], 1, 120 * 20, True),
    ],
    ids=["identical", "changed", "change-ignored", "taller"],
)
def test_two_pngs_print_json_and_exit_on_whether_pixels_changed(
    pngs: dict[str, Path],
    a: str,
    b: str,
    extra: list[str],
    code: int,
    changed_pixels: int,
    size_changed: bool,
) -> None:
    result = compare(pngs[a], pngs[b], "--json", *extra)
    assert result.returncode == code, result.stderr
    data = json.loads(result.stdout)
    assert data["changed_pixels"] == changed_pixels
    assert data["size_changed"] is size_changed
    assert {"changed_ratio", "width", "height", "regions"} <= data.keys()


def test_two_pngs_write_the_diff_picture(pngs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "diff.png"
    result = compare(pngs["plain"], pngs["marked"], "--diff", out, "--json")
    assert result.returncode == 1
    with Image.open(out) as diff:
        assert diff.size == (120, 80)
        assert diff.convert("RGB").getpixel((15, 15)) == (255, 0, 0)
        assert diff.convert("RGB").getpixel((60, 60)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere.png", "plain.png"], "nowhere.png: no such file or folder"),
        (["broken.png", "plain.png", "--json"], "broken.png: not a readable PNG image"),
        (["plain.png", "before"], "compare two capture folders or two PNG files"),
        (["plain.png", "same.png", "--threshold", "2"], "expected a number from 0 to 1, got 2"),
        (["plain.png", "same.png", "--ignore", "1,2,3"], "expected x,y,width,height"),
        (["plain.png", "same.png", "--plan", "p.toml"], "--plan applies to capture folders"),
        (["before", "before", "--diff", "d.png"], "--diff applies to two PNG files"),
    ],
    ids=["missing", "unreadable", "file-and-folder", "threshold", "ignore", "plan-on-pngs", "diff"],
)
def test_bad_input_exits_two_and_says_what_is_wrong(
    pngs: dict[str, Path], tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "broken.png").write_bytes(b"not a png")
    make_capture(tmp_path / "before")
    result = compare(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


CONVERSION: dict[str, dict[str, str | None]] = {
    "01-profile": {"Integration Partner ID": "IMT Spectrum"},
    "06-advanced-settings": {"Setting 14": None, "Setting 10": "secret:99ff"},
}


def test_two_captures_with_only_changes_nobody_planned_exit_one(tmp_path: Path) -> None:
    before = make_capture(tmp_path / "run" / "before")
    after = make_capture(
        tmp_path / "run" / "after", changed(BASE_VALUES, CONVERSION), phase="after"
    )
    result = compare(before, after)
    assert result.returncode == 1, result.stderr
    report = tmp_path / "run" / "report" / "index.html"
    assert result.stdout.strip() == str(report)  # default: `report` beside AFTER
    assert report.is_file()
    summary = json.loads((tmp_path / "run" / "report" / "summary.json").read_text())
    assert (summary["unplanned"], summary["planned"], summary["ok"]) == (3, 0, False)
    assert "3 unplanned, 0 missing" in result.stderr


def test_two_unchanged_captures_exit_zero_into_the_given_folder(tmp_path: Path) -> None:
    before = make_capture(tmp_path / "before")
    after = make_capture(tmp_path / "after", phase="after", clock="23:59:59 CST")
    result = compare(before, after, "--out", tmp_path / "out", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] and summary["changed_pixels"] == 0
    assert (tmp_path / "out" / "index.html").is_file()


def test_with_a_plan_the_planned_changes_pass(tmp_path: Path) -> None:
    plan_file = Path(__file__).resolve().parents[1] / "plans" / "prairie-pine-mutual.toml"
    before = make_capture(tmp_path / "before")
    # what the conversion's own report expects too (tests/reliability/test_full_conversion.py
    # runs this command on a real conversion's captures)
    expected = expected_after(load_plan(plan_file), BASE_VALUES)
    # the after capture shows exactly what the plan expects (secrets as fresh fingerprints)
    target = {
        stem: {k: ("secret:77aa" if v == SECRET else v) for k, v in fields.items()}
        for stem, fields in expected.items()
    }
    after = make_capture(tmp_path / "after", changed(BASE_VALUES, target), phase="after")
    result = compare(before, after, "--plan", plan_file, "--json")
    summary = json.loads(result.stdout)
    assert (summary["missing"], summary["unplanned"]) == (0, 0), result.stderr
    assert summary["planned"] > 0
    assert result.returncode == 0
