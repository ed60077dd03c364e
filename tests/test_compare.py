"""compare_images: counts, regions, sizes, ignore boxes, and bad input, on small drawn images."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from robot.compare.captures import largest_first
from robot.compare.images import Box, compare_images, decode_png
from robot.core.errors import BadInputError, ComparisonInputError


def page(
    width: int = 200, height: int = 120, *, marks: tuple[tuple[int, int], ...] = ()
) -> Image.Image:
    """A white page with a grey header and a black 10x10 square at each mark."""
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, width - 1, 15), fill=(40, 60, 100))
    for x, y in marks:
        draw.rectangle((x, y, x + 9, y + 9), fill="black")
    return img


def png(img: Image.Image, **options: int) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", **options)
    return out.getvalue()


def test_equal_bytes_are_identical_without_decoding() -> None:
    not_a_png = b"these bytes are no image at all"
    result = compare_images(not_a_png, bytes(not_a_png))
    assert result.identical
    assert result.changed_pixels == 0
    assert result.regions == []


def test_equal_files_are_identical_and_sized_from_the_png_header(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png(page(210, 130)))
    (tmp_path / "b.png").write_bytes(png(page(210, 130)))
    result = compare_images(tmp_path / "a.png", tmp_path / "b.png")
    assert result.identical
    assert (result.width, result.height) == (210, 130)
    assert result.diff_image().size == (210, 130)


def test_same_pixels_in_different_bytes_are_identical() -> None:
    a, b = png(page(), compress_level=1), png(page(), compress_level=9)
    assert a != b
    result = compare_images(a, b)
    assert result.identical and result.changed_pixels == 0


@pytest.mark.parametrize(
    ("marks_before", "marks_after", "changed_pixels", "regions"),
    [
        ((), ((50, 50),), 100, [Box(50, 50, 10, 10)]),
        (((50, 50),), (), 100, [Box(50, 50, 10, 10)]),
        ((), ((20, 30), (150, 90)), 200, [Box(20, 30, 10, 10), Box(150, 90, 10, 10)]),
        # two marks a few pixels apart are one change, not two
        ((), ((40, 40), (54, 40)), 200, [Box(40, 40, 24, 10)]),
        (((60, 60),), ((60, 60),), 0, []),
    ],
    ids=["added", "removed", "two-apart", "two-close-merge", "none"],
)
def test_changed_pixels_and_regions(
    marks_before: tuple[tuple[int, int], ...],
    marks_after: tuple[tuple[int, int], ...],
    changed_pixels: int,
    regions: list[Box],
) -> None:
    result = compare_images(page(marks=marks_before), page(marks=marks_after))
    assert result.changed_pixels == changed_pixels
    assert [r.box for r in result.regions] == regions
    assert result.changed_ratio == pytest.approx(changed_pixels / (200 * 120))
    assert not result.size_changed


def test_region_count_is_capped_but_the_true_count_is_kept() -> None:
    marks = tuple((x, y) for x in range(0, 600, 60) for y in range(20, 600, 60))
    result = compare_images(page(600, 600), page(600, 600, marks=marks))
    assert result.region_count == len(marks)
    assert len(result.regions) == 40
    assert result.changed_pixels == 100 * len(marks)


def test_a_taller_page_is_a_size_change_and_its_new_part_counts_as_changed() -> None:
    result = compare_images(page(200, 120), page(200, 150))
    assert result.size_changed
    assert (result.before_size, result.after_size) == ((200, 120), (200, 150))
    assert (result.width, result.height) == (200, 150)
    assert result.changed_pixels == 200 * 30
    assert [r.box for r in result.regions] == [Box(0, 120, 200, 30)]
    assert result.diff_image().size == (200, 150)


def test_a_narrower_page_counts_the_lost_strip_even_where_both_look_white() -> None:
    result = compare_images(page(200, 120), page(180, 120))
    assert result.size_changed
    assert result.changed_pixels == 20 * 120


def test_changes_inside_ignore_boxes_are_not_counted_but_stay_in_the_diff() -> None:
    before = page(marks=((50, 50),))
    after = page(marks=((52, 50), (150, 90)))
    result = compare_images(before, after, ignore=[Box(40, 40, 30, 30)])
    assert result.changed_pixels == 100
    assert [r.box for r in result.regions] == [Box(150, 90, 10, 10)]
    assert result.ignored_pixels == 900
    diff = np.asarray(result.diff_image().convert("RGB"))
    # the ignored box is drawn (tinted), not blanked: the mark before still shows darker there
    assert diff[55, 55, :3].sum() < diff[45, 45, :3].sum()


def test_anti_aliasing_is_counted_only_when_asked() -> None:
    def circle(r: int) -> Image.Image:
        img = Image.new("RGB", (120, 120), "white")
        big = Image.new("L", (480, 480), 0)
        ImageDraw.Draw(big).ellipse((240 - 4 * r, 240 - 4 * r, 240 + 4 * r, 240 + 4 * r), fill=255)
        img.paste((0, 0, 0), mask=big.resize((120, 120), Image.Resampling.LANCZOS))
        return img

    default = compare_images(circle(30), circle(31))
    strict = compare_images(circle(30), circle(31), include_aa=True)
    assert default.antialiased_pixels > 0
    assert strict.changed_pixels == default.changed_pixels + default.antialiased_pixels


def test_result_as_dict_has_the_json_fields() -> None:
    data = compare_images(page(), page(marks=((5, 50),))).to_dict()
    assert {
        "changed_pixels",
        "changed_ratio",
        "width",
        "height",
        "size_changed",
        "regions",
    } <= data.keys()
    assert data["regions"] == [{"x": 5, "y": 50, "width": 10, "height": 10, "pixels": 100}]


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("missing.png", "b.png", r"missing\.png: no such image file"),
        ("broken.png", "b.png", r"broken\.png: not a readable PNG image"),
        (b"\x89PNG\r\n\x1a\ntruncated", "b.png", r"before image: not a readable PNG image"),
    ],
    ids=["missing-file", "not-a-png-file", "truncated-bytes"],
)
def test_bad_images_raise_bad_input_naming_the_image(
    tmp_path: Path, before: str | bytes, after: str, message: str
) -> None:
    (tmp_path / "b.png").write_bytes(png(page()))
    (tmp_path / "broken.png").write_bytes(b"GIF89a not really")
    first = before if isinstance(before, bytes) else tmp_path / before
    with pytest.raises(ComparisonInputError, match=message) as caught:
        compare_images(first, tmp_path / after)
    assert isinstance(caught.value, BadInputError)


def _speckled(mode: str, size: tuple[int, int] = (37, 23)) -> Image.Image:
    """An image of `mode` with varied pixels (an odd width, so rows are not word-aligned)."""
    rng = np.random.default_rng(11)
    rgba = rng.integers(0, 256, (size[1], size[0], 4), dtype=np.uint8)
    return Image.fromarray(rgba, "RGBA").convert(mode)


@pytest.mark.parametrize(
    ("mode", "options"),
    [
        ("RGB", {}),  # what Chromium writes
        ("RGBA", {}),
        ("P", {}),
        ("L", {}),
        ("LA", {}),
        ("I;16", {}),
        ("RGB", {"transparency": (0, 0, 0)}),  # a transparent colour (tRNS chunk)
    ],
    ids=["rgb", "rgba", "palette", "grey", "grey-alpha", "grey-16-bit", "rgb-transparent-colour"],
)
def test_a_png_decodes_to_the_pixels_pillow_reads_whatever_its_kind(
    mode: str, options: dict[str, object]
) -> None:
    image = _speckled(mode)
    data = io.BytesIO()
    image.save(data, format="PNG", **options)
    with Image.open(io.BytesIO(data.getvalue())) as reread:
        expected = np.asarray(reread.convert("RGBA"))
    assert np.array_equal(decode_png(data.getvalue(), "x.png"), expected)


@pytest.mark.parametrize("keep", [25, 200], ids=["header-only", "half-header-chunk"])
def test_a_png_cut_inside_its_header_is_bad_input(keep: int) -> None:
    with pytest.raises(ComparisonInputError, match=r"x\.png: not a readable PNG image"):
        decode_png(png(_speckled("RGB"))[:keep], "x.png")


def test_a_png_larger_than_pillow_allows_is_refused_before_it_is_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # Pillow refuses twice that
    with pytest.raises(ComparisonInputError, match="DecompressionBombError"):
        decode_png(png(_speckled("RGB")), "x.png")


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_cut_off_screenshot_is_bad_input_naming_the_image(mode: str) -> None:
    whole = png(_speckled(mode, (400, 300)))
    with pytest.raises(ComparisonInputError, match=r"06-advanced-settings\.png: not a readable"):
        decode_png(whole[: len(whole) // 2], "06-advanced-settings.png")


def test_threshold_outside_zero_to_one_is_bad_input() -> None:
    with pytest.raises(ComparisonInputError, match="threshold: must be between 0 and 1"):
        compare_images(page(), page(), threshold=1.5)


def test_a_full_page_pair_counts_only_the_changed_block_among_text_specks() -> None:
    # How fast this is, is bench/compare.py's business; here only what it finds.
    rng = np.random.default_rng(7)
    base = np.full((2000, 1280, 3), 255, dtype=np.uint8)
    base[rng.random((2000, 1280)) < 0.05] = (30, 30, 30)  # text-like specks
    changed = base.copy()
    changed[400:420, 600:800] = (200, 0, 0)
    a, b = (
        png(Image.fromarray(base), compress_level=1),
        png(Image.fromarray(changed), compress_level=1),
    )
    result = compare_images(a, b)
    assert result.changed_pixels == 20 * 200
    assert [r.as_dict() for r in result.regions] == [
        {"x": 600, "y": 400, "width": 200, "height": 20, "pixels": 20 * 200}
    ]


def test_the_largest_pair_that_differs_is_compared_first() -> None:
    pairs = {
        "02-products": (b"p" * 900, b"p" * 900),  # identical: nothing to decode
        "01-profile": (b"a" * 50, b"b" * 50),
        "06-advanced-settings": (b"a" * 400, b"b" * 300),
    }
    assert largest_first(pairs) == ["06-advanced-settings", "01-profile", "02-products"]
