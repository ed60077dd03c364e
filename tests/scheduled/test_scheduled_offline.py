"""The parts of the scheduled capture that need no browser: which capture is the comparison base,
what --keep removes, what counts as an unplanned change, the run's exit code, the worker pool."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from robot.compare.report import build_report
from robot.core.capture_format import MANIFEST_FILE, Manifest, sha256_hex, write_manifest
from robot.core.errors import ExitCode
from robot.scheduled.accept import accept
from robot.scheduled.pool import Pool, Worker
from robot.scheduled.retention import prune
from robot.scheduled.store import STATUS_FILE, comparison_base, list_captures, mark
from robot.scheduled.summary import (
    BillerSummary,
    UnplannedChange,
    overall_exit_code,
    unplanned_changes,
)
from tests.capture_builder import BASE_VALUES, changed, make_capture

# B: the baseline, G: good, F: failed, U: unfinished (no status.json: the run was killed)


def make_history(folder: Path, kinds: str) -> list[str]:
    names = []
    for n, kind in enumerate(kinds):
        capture = folder / f"202611{n + 1:02d}T061500Z"
        capture.mkdir(parents=True)
        if kind in "BGCA":  # baseline, good, changed, changed and accepted
            mark(capture, "good", baseline=kind == "B", changed=kind in "CA")
            if kind == "A":
                accept(capture, "a PM", "the new contact was asked for")
        elif kind == "F":
            mark(capture, "failed", error="the CRM showed a spinner")
        names.append(capture.name)
    return names


@pytest.mark.parametrize(
    ("kinds", "keep", "kept"),
    [
        pytest.param("BGGG", 2, [0, 2, 3], id="newest-n-and-the-baseline"),
        pytest.param("BGFF", 1, [0, 1, 3], id="the-last-good-one-stays-after-failures"),
        pytest.param("BG", 3, [0, 1], id="fewer-than-n"),
        pytest.param("FBG", 1, [1, 2], id="a-failure-before-the-baseline-goes"),
        pytest.param("BUGU", 1, [0, 2, 3], id="unfinished-counts-as-failed"),
        pytest.param("BGGGGG", 5, [0, 1, 2, 3, 4, 5], id="baseline-within-n"),
        pytest.param("BGCC", 1, [0, 1, 3], id="the-base-stays-while-changes-are-not-accepted"),
        pytest.param("BGAC", 1, [0, 2, 3], id="an-accepted-change-is-the-base"),
    ],
)
def test_keep_leaves_the_newest_n_the_baseline_and_the_last_good_capture(
    tmp_path: Path, kinds: str, keep: int, kept: list[int]
) -> None:
    names = make_history(tmp_path, kinds)
    (tmp_path / "notes").mkdir()  # not a capture: never touched
    (tmp_path / "README.txt").write_text("kept")
    removed = prune(tmp_path, keep)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([names[i] for i in kept] + ["README.txt", "notes"])
    assert sorted(p.name for p in removed) == sorted(set(names) - {names[i] for i in kept})


@pytest.mark.parametrize(
    ("kinds", "base"),
    [
        pytest.param("BGF", 1, id="a-failed-capture-is-never-the-base"),
        pytest.param("BGU", 1, id="an-unfinished-capture-is-never-the-base"),
        pytest.param("BFG", 2, id="the-newest-good-one"),
        pytest.param("BGC", 1, id="a-change-nobody-accepted-is-not-the-base"),
        pytest.param("BCA", 2, id="an-accepted-change-is"),
        pytest.param("BAC", 1, id="the-newest-accepted-one"),
        pytest.param("FF", None, id="none-good-yet"),
        pytest.param("", None, id="no-capture-yet"),
    ],
)
def test_the_comparison_base_is_the_newest_good_capture(
    tmp_path: Path, kinds: str, base: int | None
) -> None:
    names = make_history(tmp_path, kinds)
    found = comparison_base(list_captures(tmp_path))
    assert (found.name if found else None) == (names[base] if base is not None else None)


def test_a_status_file_that_does_not_say_good_is_not_trusted(tmp_path: Path) -> None:
    make_history(tmp_path, "B")
    capture = tmp_path / "20261102T061500Z"
    capture.mkdir()
    (capture / STATUS_FILE).write_text('{"status": "good"')  # cut short
    assert comparison_base(list_captures(tmp_path)).name == "20261101T061500Z"  # type: ignore[union-attr]


def test_captures_of_the_same_second_keep_their_order(tmp_path: Path) -> None:
    for name in ("20261101T061500Z-10", "20261101T061500Z", "20261101T061500Z-2"):
        (tmp_path / name).mkdir()
    assert [c.name for c in list_captures(tmp_path)] == [
        "20261101T061500Z",
        "20261101T061500Z-2",
        "20261101T061500Z-10",
    ]


def change(screen: str, field: str | None, kind: str) -> UnplannedChange:
    return UnplannedChange.model_validate({"screen": screen, "field": field, "change": kind})


def scribble(folder: Path, stem: str) -> None:
    """Change pixels of a screen outside every masked region, as a layout change would."""
    path = folder / f"{stem}.png"
    with Image.open(path) as image:
        picture = image.convert("RGB")
    ImageDraw.Draw(picture).rectangle((4, 26, 40, 30), fill=(200, 0, 0))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    path.write_bytes(out.getvalue())
    manifest = Manifest.model_validate_json((folder / MANIFEST_FILE).read_bytes())
    screens = dict(manifest.screens)
    screens[stem] = screens[stem].model_copy(update={"sha256": sha256_hex(out.getvalue())})
    write_manifest(folder, manifest.model_copy(update={"screens": screens}))


@pytest.mark.parametrize(
    ("changes", "pixels_on", "screens", "unplanned"),
    [
        pytest.param({}, None, [], [], id="only-the-masked-clock-differs"),
        pytest.param(
            {"01-profile": {"Status": "Inactive"}},
            None,
            ["01-profile"],
            [change("01-profile", "Status", "changed")],
            id="a-field-changed",
        ),
        pytest.param(
            {"06-advanced-settings": {"Setting 14": None, "Setting 200": "x"}},
            None,
            ["06-advanced-settings"],
            [
                change("06-advanced-settings", "Setting 14", "removed"),
                change("06-advanced-settings", "Setting 200", "added"),
            ],
            id="rows-removed-and-added",
        ),
        pytest.param(
            {},
            "04-obd",
            ["04-obd"],
            [change("04-obd", None, "pixels")],
            id="pixels-changed-where-no-field-did",
        ),
    ],
)
def test_every_change_of_a_scheduled_comparison_is_unplanned_except_masked_pixels(
    tmp_path: Path,
    changes: dict[str, dict[str, str | None]],
    pixels_on: str | None,
    screens: list[str],
    unplanned: list[UnplannedChange],
) -> None:
    before = make_capture(tmp_path / "a", phase="scheduled", clock="06:15:00 CST")
    after = make_capture(
        tmp_path / "b", changed(BASE_VALUES, changes), phase="scheduled", clock="06:15:42 CST"
    )
    if pixels_on:
        scribble(after, pixels_on)
    report = build_report(before, after, tmp_path / "report")
    assert unplanned_changes(report) == (screens, unplanned)


def biller(code: int) -> BillerSummary:
    return BillerSummary(biller_id="1", name="B", slug="b", status="unchanged", exit_code=code)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], ExitCode.OK),
        ([0, 0], ExitCode.OK),
        ([0, 1, 0], ExitCode.PROBLEM_FOUND),
        ([1, 3, 0], ExitCode.CRM_FAILED),
    ],
)
def test_the_run_exits_with_its_worst_biller(codes: list[int], expected: ExitCode) -> None:
    assert overall_exit_code([biller(c) for c in codes]) == expected


def test_a_job_that_breaks_unexpectedly_fails_alone(capsys: pytest.CaptureFixture[str]) -> None:
    def handle(worker: Worker, job: int) -> str:
        if job == 2:
            raise KeyError("surprise")
        return f"done {job}"

    def failed(job: int, exc: BaseException) -> str:
        return f"failed {job}: {type(exc).__name__}"

    def no_browser() -> None:
        raise AssertionError("no job here asks for a browser")

    pool: Pool[int, str] = Pool(2, no_browser, handle, failed)  # type: ignore[arg-type]
    assert pool.run([1, 2, 3, 4]) == ["done 1", "failed 2: KeyError", "done 3", "done 4"]
    assert "KeyError: 'surprise'" in capsys.readouterr().err


def test_the_summary_names_fields_never_values(tmp_path: Path) -> None:
    before = make_capture(tmp_path / "a", phase="scheduled")
    after = make_capture(
        tmp_path / "b", changed(BASE_VALUES, {"01-profile": {"Status": "Suspended"}})
    )
    _, unplanned = unplanned_changes(build_report(before, after, tmp_path / "report"))
    text = json.dumps([u.model_dump() for u in unplanned])
    assert "Status" in text and "Suspended" not in text
