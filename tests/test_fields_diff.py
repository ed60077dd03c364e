"""Field-level changes: planned, missing, unplanned; and compare_captures over capture folders."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from robot.compare.captures import compare_captures
from robot.compare.fields import classify_screen
from robot.compare.regions import Box
from robot.core.capture_format import MANIFEST_FILE, SCREEN_STEMS, BillerRef, read_capture
from robot.core.errors import ComparisonInputError
from robot.core.secrets import MASKED
from robot.core.secrets import PLANNED_SECRET as SECRET
from robot.plan.changes import expected_values
from robot.plan.model import load_plan
from tests.capture_builder import BASE_VALUES, make_capture
from tests.capture_builder import changed as with_changes

ABSENT = None
NO_PLAN = object()  # the plan does not name the field


GONE = "the field is gone"
OTHER = "changed, but not to the planned value"
STILL_THERE = "the plan removes this field, but it is still there"
SECRET_GONE = "the plan sets this secret, but the field is gone"
SECRET_KEPT = "secret kept; its value is checked by the verify step"


@pytest.mark.parametrize(
    ("before", "after", "expected", "status", "note"),
    [
        # the plan asks for a value
        ("IMT MIPS APPS", "IMT Spectrum", "IMT Spectrum", "planned", ""),
        ("IMT MIPS APPS", "IMT MIPS APPS", "IMT Spectrum", "missing", "not changed"),
        ("IMT MIPS APPS", "None", "IMT Spectrum", "missing", OTHER),
        ("IMT MIPS APPS", ABSENT, "IMT Spectrum", "missing", GONE),
        (ABSENT, "Yes", "Yes", "planned", ""),
        (ABSENT, ABSENT, "Yes", "missing", GONE),
        ("IMT Spectrum", "IMT Spectrum", "IMT Spectrum", "unchanged", "already as planned"),
        # the plan asks for the field to be gone
        ("MIPS Legacy Flag", ABSENT, None, "planned", "removed"),
        ("MIPS Legacy Flag", "MIPS Legacy Flag", None, "missing", STILL_THERE),
        (ABSENT, ABSENT, None, "unchanged", "already gone"),
        # nobody asked
        ("Active", "Inactive", NO_PLAN, "unplanned", "changed"),
        (ABSENT, "Yes", NO_PLAN, "unplanned", "added"),
        ("Yes", ABSENT, NO_PLAN, "unplanned", "removed"),
        ("Yes", "Yes", NO_PLAN, "unchanged", ""),
        # a secret the plan sets: a changed fingerprint is as much as can be seen
        ("secret:aa11", "secret:bb22", SECRET, "planned", "secret set"),
        (ABSENT, "secret:bb22", SECRET, "planned", "secret set"),
        ("secret:aa11", ABSENT, SECRET, "missing", SECRET_GONE),
        ("secret:aa11", "secret:aa11", SECRET, "unchanged", SECRET_KEPT),
        ("secret:aa11", "secret:cc33", NO_PLAN, "unplanned", "changed"),
    ],
)
def test_each_field_is_classified(
    before: str | None, after: str | None, expected: object, status: str, note: str
) -> None:
    before_values = {} if before is None else {"Field": before}
    after_values = {} if after is None else {"Field": after}
    plan = {} if expected is NO_PLAN else {"Field": expected}
    (change,) = classify_screen("01-profile", before_values, after_values, plan)  # type: ignore[arg-type]
    assert (change.status, change.note) == (status, note)
    assert change.requested is (expected is not NO_PLAN)


def test_without_expectations_every_change_is_unplanned() -> None:
    changes = classify_screen("01-profile", {"A": "1", "B": "2"}, {"A": "1", "B": "3", "C": "4"})
    assert [(c.field, c.status) for c in changes] == [
        ("A", "unchanged"),
        ("B", "unplanned"),
        ("C", "unplanned"),
    ]


@pytest.mark.parametrize(
    ("before", "after", "expected", "shown"),
    [
        ("secret:aa11", "secret:bb22", SECRET, (MASKED, "changed", MASKED)),
        ("secret:aa11", "secret:aa11", SECRET, (MASKED, MASKED, MASKED)),
        (None, "secret:bb22", SECRET, (None, "changed", MASKED)),
        ("secret:aa11", "secret:bb22", None, (MASKED, "changed", None)),
        # a plan that names the plain value must not leak it either
        ("secret:aa11", "secret:bb22", "PPM-KEY|pass", (MASKED, "changed", MASKED)),
    ],
)
def test_secrets_are_never_shown_only_the_word_changed(
    before: str | None,
    after: str | None,
    expected: str | None,
    shown: tuple[str | None, str | None, str | None],
) -> None:
    (change,) = classify_screen(
        "06-advanced-settings",
        {} if before is None else {"Setting 10": before},
        {} if after is None else {"Setting 10": after},
        {"Setting 10": expected},
    )
    assert change.secret
    assert (change.before, change.after, change.expected) == shown
    assert "secret:" not in change.model_dump_json()
    assert "PPM-KEY" not in change.model_dump_json()


def test_the_plans_secret_marker_is_what_the_comparison_treats_as_a_planned_secret() -> None:
    plan = load_plan(Path(__file__).resolve().parents[1] / "plans" / "prairie-pine-mutual.toml")
    marker = expected_values(plan)["06-advanced-settings"]["Setting 10"]
    (change,) = classify_screen(
        "06-advanced-settings",
        {"Setting 10": "secret:aa11"},
        {"Setting 10": "secret:bb22"},
        {"Setting 10": marker},
    )
    assert (change.status, change.secret, change.expected) == ("planned", True, MASKED)


# --- compare_captures over capture folders ---------------------------------------------------


@pytest.fixture
def before_dir(tmp_path: Path) -> Path:
    return make_capture(tmp_path / "before")


CONVERSION: dict[str, dict[str, str | None]] = {
    "01-profile": {"Integration Partner ID": "IMT Spectrum"},
    "06-advanced-settings": {"Setting 14": None, "Setting 10": "secret:99ff"},
    "07-integration-summary": {"Integration Partner ID": "IMT Spectrum", "PDF Settings": "1"},
}
PLAN: dict[str, dict[str, str | None]] = {
    "01-profile": {"Integration Partner ID": "IMT Spectrum"},
    "06-advanced-settings": {"Setting 14": None, "Setting 10": SECRET},
    "07-integration-summary": {"Integration Partner ID": "IMT Spectrum", "PDF Settings": "1"},
}


def test_a_conversion_done_as_planned_has_only_planned_changes(
    before_dir: Path, tmp_path: Path
) -> None:
    after = make_capture(
        tmp_path / "after",
        with_changes(BASE_VALUES, CONVERSION),
        phase="after",
        clock="15:10:02 CST",
    )
    result = compare_captures(before_dir, after, expected=PLAN)
    assert result.ok
    assert (result.count("planned"), result.count("missing"), result.count("unplanned")) == (
        5,
        0,
        0,
    )
    by_stem = {s.stem: s for s in result.screens}
    assert [s.stem for s in result.screens] == list(SCREEN_STEMS)
    # the clock differs on every screen but is masked as volatile: untouched screens show nothing
    assert by_stem["02-products"].diff.changed_pixels == 0
    assert by_stem["01-profile"].diff.changed_pixels > 0
    assert by_stem["06-advanced-settings"].diff.size_changed  # a row was removed


def test_without_a_plan_the_same_changes_are_all_unplanned(
    before_dir: Path, tmp_path: Path
) -> None:
    after = make_capture(tmp_path / "after", with_changes(BASE_VALUES, CONVERSION), phase="after")
    result = compare_captures(before_dir, after, expected=None)
    assert not result.ok
    assert result.count("unplanned") == 5
    assert result.count("planned") == 0


def test_a_step_left_undone_shows_as_missing(before_dir: Path, tmp_path: Path) -> None:
    undone = {k: v for k, v in CONVERSION.items() if k != "01-profile"}
    after = make_capture(tmp_path / "after", with_changes(BASE_VALUES, undone), phase="after")
    result = compare_captures(before_dir, after, expected=PLAN)
    profile = result.screens[0]
    assert (profile.count("missing"), profile.count("planned")) == (1, 0)
    assert not result.ok


def test_pixels_changed_where_no_field_did_are_an_unplanned_change(
    before_dir: Path, tmp_path: Path
) -> None:
    after = make_capture(tmp_path / "after", BASE_VALUES, phase="after")
    png = after / "04-obd.png"
    from PIL import Image, ImageDraw

    with Image.open(png) as opened:
        img = opened.convert("RGB")
    ImageDraw.Draw(img).rectangle((300, 40, 330, 60), fill=(200, 30, 30))
    img.save(png)
    _refresh_sha(after, "04-obd")
    result = compare_captures(before_dir, after, expected={})
    obd = {s.stem: s for s in result.screens}["04-obd"]
    assert obd.unexplained_pixels
    assert obd.count("unplanned") == 1
    assert [r.box for r in obd.diff.regions] == [Box(300, 40, 31, 21)]
    assert not result.ok


def test_ignore_boxes_from_the_caller_apply_to_every_screen(
    before_dir: Path, tmp_path: Path
) -> None:
    after = make_capture(tmp_path / "after", with_changes(BASE_VALUES, CONVERSION), phase="after")
    result = compare_captures(before_dir, after, expected=PLAN, ignore=[Box(0, 0, 2000, 2000)])
    assert result.changed_pixels == 0
    assert result.count("planned") == 5  # fields are compared whatever the pixels say


def _refresh_sha(folder: Path, stem: str) -> None:
    from robot.core.capture_format import sha256_hex

    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    manifest["screens"][stem]["sha256"] = sha256_hex((folder / f"{stem}.png").read_bytes())
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))


SPOILT: dict[str, tuple[Callable[[Path], object], str]] = {
    "png-missing": (
        lambda d: (d / "03-credit-debit-cards.png").unlink(),
        r"03-credit-debit-cards\.png: screenshot of 03-credit-debit-cards missing",
    ),
    "png-changed": (
        lambda d: (d / "04-obd.png").write_bytes(b"\x89PNG\r\n\x1a\n?"),
        r"04-obd\.png: does not match the sha256",
    ),
    "png-not-png": (
        lambda d: (d / "04-obd.png").write_bytes(b"GIF89a"),
        r"04-obd\.png: screenshot of 04-obd is not a PNG file",
    ),
    "no-manifest": (
        lambda d: (d / "manifest.json").unlink(),
        r"manifest\.json: missing; is this a capture folder\?",
    ),
    "values-not-json": (
        lambda d: (d / "values.json").write_text("{"),
        r"values\.json: not valid JSON",
    ),
    "value-not-text": (
        lambda d: (d / "values.json").write_text('{"01-profile": {"Status": 3}}'),
        r"values\.json: 01-profile\.Status: Input should be a valid string",
    ),
    "screen-not-in-manifest": (
        lambda d: _drop_screen(d, "09-datapump-management"),
        r"screen 09-datapump-management missing",
    ),
    "bad-phase": (
        lambda d: _edit_manifest(d, phase="during"),
        r"manifest\.json: phase: Input should be 'before', 'after' or 'scheduled'",
    ),
}


@pytest.mark.parametrize(("spoil", "message"), SPOILT.values(), ids=SPOILT.keys())
def test_a_spoilt_capture_is_bad_input_naming_what_is_wrong(
    before_dir: Path, tmp_path: Path, spoil: Callable[[Path], object], message: str
) -> None:
    after = make_capture(tmp_path / "after", BASE_VALUES, phase="after")
    spoil(after)
    with pytest.raises(ComparisonInputError, match=message):
        compare_captures(before_dir, after)


def test_an_unreadable_png_with_a_matching_sha_is_bad_input(
    before_dir: Path, tmp_path: Path
) -> None:
    after = make_capture(tmp_path / "after", BASE_VALUES, phase="after")
    (after / "05-cloud-ivr-invoice-types.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    _refresh_sha(after, "05-cloud-ivr-invoice-types")
    with pytest.raises(
        ComparisonInputError, match=r"05-cloud-ivr-invoice-types\.png: not a readable PNG"
    ):
        compare_captures(before_dir, after)


def test_captures_of_different_billers_are_refused(before_dir: Path, tmp_path: Path) -> None:
    other = BillerRef(id="10483", name="Prairie Pine Mutual Water", slug="ppm-water")
    after = make_capture(tmp_path / "after", BASE_VALUES, phase="after", biller=other)
    with pytest.raises(
        ComparisonInputError,
        match=r"different billers: .* is Prairie Pine Mutual \(10482\), .* is Prairie Pine Mutual "
        r"Water \(10483\)",
    ):
        compare_captures(before_dir, after)


def test_captures_of_different_environments_are_refused(before_dir: Path, tmp_path: Path) -> None:
    after = make_capture(tmp_path / "after", BASE_VALUES, phase="after", environment="PROD")
    with pytest.raises(
        ComparisonInputError, match=r"different environments: .* is UAT, .* is PROD"
    ):
        compare_captures(before_dir, after)


def test_read_capture_returns_the_manifest_values_and_bytes(before_dir: Path) -> None:
    capture = read_capture(before_dir)
    assert capture.manifest.biller.id == "10482"
    assert capture.values["01-profile"]["Integration Partner ID"] == "IMT MIPS APPS"
    assert set(capture.png) == set(SCREEN_STEMS)
    assert capture.manifest.screens["06-advanced-settings"].masked[1].kind == "secret"


def _drop_screen(folder: Path, stem: str) -> None:
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    del manifest["screens"][stem]
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))


def _edit_manifest(folder: Path, **fields: str) -> None:
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    manifest.update(fields)
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
