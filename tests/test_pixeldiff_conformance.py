"""The pixel count is pixelmatch 8.0.0's: every case of the shared conformance fixtures.

The fixtures are pixelmatch's own test images with the counts the npm package reports for them
(`../shared/fixtures/pixelmatch/expected.json`, beside the repository).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import pytest
from PIL import Image

from robot.compare.images import compare_images
from robot.compare.pixeldiff import draw_diff, pixelmatch

FIXTURES = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures" / "pixelmatch"
MISSING = (
    f"pixelmatch conformance fixtures not found at {FIXTURES}: they live in the shared folder "
    "beside the repository (../shared/fixtures/pixelmatch), as in CI; put it there"
)


class Options(TypedDict, total=False):
    """pixelmatch's options as its fixtures name them (absent: pixelmatch's default)."""

    threshold: float
    includeAA: bool


class Case(TypedDict):
    """One case of expected.json: images `a` and `b`, the options and the counted pixels."""

    a: str
    b: str
    width: int
    height: int
    options: Options
    mismatched: int


def _case_id(case: Case) -> str:
    options = ",".join(f"{k}={v}" for k, v in sorted(case["options"].items())) or "defaults"
    return f"{case['a']}-{case['b']}-{options}"


def _cases() -> list[Any]:
    """The fixtures' cases; without the fixtures, one case that fails saying where they go."""
    expected = FIXTURES / "expected.json"
    if not expected.is_file():
        return [pytest.param(None, id="fixtures-missing")]
    return [pytest.param(case, id=_case_id(case)) for case in json.loads(expected.read_text())]


CASES = _cases()


def _present(case: Case | None) -> Case:
    if case is None:
        pytest.fail(MISSING, pytrace=False)
    return case


def _png(name: str) -> Path:
    path = FIXTURES / f"{name}.png"
    if not path.is_file():
        pytest.fail(MISSING, pytrace=False)
    return path


def _load(name: str) -> np.ndarray:
    with Image.open(_png(name)) as img:
        return np.asarray(img.convert("RGBA"))


@pytest.mark.parametrize("case", CASES)
def test_mismatched_count_equals_pixelmatch(case: Case | None) -> None:
    case = _present(case)
    options = case["options"]
    result = pixelmatch(
        _load(case["a"]),
        _load(case["b"]),
        threshold=options.get("threshold", 0.1),
        include_aa=options.get("includeAA", False),
    )
    assert (result.width, result.height) == (case["width"], case["height"])
    assert result.mismatched == case["mismatched"]


@pytest.mark.parametrize("case", CASES)
def test_compare_images_reports_the_same_count_from_the_png_files(case: Case | None) -> None:
    case = _present(case)
    options = case["options"]
    result = compare_images(
        _png(case["a"]),
        _png(case["b"]),
        threshold=options.get("threshold", 0.1),
        include_aa=options.get("includeAA", False),
    )
    assert result.changed_pixels == case["mismatched"]
    assert (result.width, result.height) == (case["width"], case["height"])


def test_anti_aliased_pixels_are_found_but_not_counted_unless_asked() -> None:
    a, b = _load("1a"), _load("1b")
    excused = pixelmatch(a, b, threshold=0.05)
    counted = pixelmatch(a, b, threshold=0.05, include_aa=True)
    assert excused.antialiased.size > 0
    assert excused.mismatched + excused.antialiased.size == counted.mismatched


def test_diff_image_is_red_where_counted_yellow_where_anti_aliased_grey_elsewhere() -> None:
    a, b = _load("1a"), _load("1b")
    result = pixelmatch(a, b, threshold=0.05)
    out = draw_diff(a, result).reshape(-1, 4)
    assert (out[result.changed] == [255, 0, 0, 255]).all()
    assert (out[result.antialiased] == [255, 255, 0, 255]).all()
    rest = np.ones(len(out), dtype=bool)
    rest[result.changed] = rest[result.antialiased] = False
    grey = out[rest]
    assert (grey[:, 0] == grey[:, 1]).all() and (grey[:, 1] == grey[:, 2]).all()
    assert grey[:, 0].min() >= 229  # faded: the original at 10 % over white


def test_pixels_under_the_ignore_mask_are_not_counted() -> None:
    a, b = _load("1a"), _load("1b")
    everything = np.ones(a.shape[:2], dtype=bool)
    assert pixelmatch(a, b, threshold=0.05, ignore_mask=everything).mismatched == 0


@pytest.mark.parametrize(("a", "b"), [("1a", "1b"), ("4a", "4b"), ("5a", "5b"), ("8a", "5b")])
def test_the_reports_diff_picture_has_pixelmatchs_colours(a: str, b: str) -> None:
    img1, img2 = _load(a), _load(b)
    expected = draw_diff(img1, pixelmatch(img1, img2, threshold=0.05))
    picture = compare_images(_png(a), _png(b), threshold=0.05)
    assert np.array_equal(np.asarray(picture.diff_image().convert("RGBA")), expected)
