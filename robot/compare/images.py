"""Before/after comparison of two screenshots. Pure: it measures, never judges.

`compare_images` gives pixelmatch's count of changed pixels (robot.compare.pixeldiff), the changed
regions as boxes, a diff image and whether the size changed; robot/compare/captures.py does that
for the nine screens of two capture folders. The caller decides what is a failure.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyspng
from numpy.typing import NDArray
from PIL import Image, UnidentifiedImageError
from PIL.Image import DecompressionBombError

from robot.compare.pixeldiff import PixelDiff, faded_grey, pixelmatch
from robot.compare.regions import Box, Region, boxes_mask, changed_regions
from robot.core.capture_format import PNG_SIGNATURE
from robot.core.errors import ComparisonInputError

__all__ = ["Box", "DiffResult", "ImageInput", "Region", "compare_images", "decode_png"]

ImageInput = Path | str | bytes | Image.Image
RGBA = NDArray[np.uint8]

_RED, _YELLOW = 0, 1  # pixelmatch's colours for changed and anti-aliased pixels
_TRUECOLOUR, _TRUECOLOUR_ALPHA = (2, 6), 6  # PNG colour types of RGB and RGBA images
_OPAQUE = np.uint32(0xFF000000)  # alpha 255 in a little-endian RGBA word
# What Pillow raises on a PNG it cannot read (one larger than it allows: a decompression bomb)
_UNREADABLE = (OSError, SyntaxError, ValueError, UnidentifiedImageError, DecompressionBombError)
_TINT_SHIFT = 128  # a masked pixel of grey g is drawn with palette entry g - 128, tinted blue


def _diff_palette() -> list[int]:
    palette = [[g, g, g] for g in range(256)]
    for g in range(229, 256):  # the faded greys of a diff (alpha 0.1)
        palette[g - _TINT_SHIFT] = [int(g * 0.75 + c * 0.25) for c in (70, 130, 230)]
    palette[_RED] = [255, 0, 0]
    palette[_YELLOW] = [255, 255, 0]
    return [c for rgb in palette for c in rgb]


_PALETTE = _diff_palette()


@dataclass(frozen=True, eq=False)
class DiffResult:
    """What changed between two images. Sizes are (width, height)."""

    width: int  # of the compared canvas: the larger of the two in each direction
    height: int
    before_size: tuple[int, int]
    after_size: tuple[int, int]
    changed_pixels: int
    antialiased_pixels: int
    ignored_pixels: int
    regions: list[Region]
    region_count: int  # before the cap on `regions`
    identical: bool  # byte-identical or pixel-identical
    threshold: float
    include_aa: bool
    _before: RGBA | None = field(default=None, repr=False)
    _pixels: PixelDiff | None = field(default=None, repr=False)
    _ignored: NDArray[np.bool_] | None = field(default=None, repr=False)
    _source: bytes | None = field(default=None, repr=False)

    @property
    def size_changed(self) -> bool:
        return self.before_size != self.after_size

    @property
    def changed_ratio(self) -> float:
        area = self.width * self.height
        return self.changed_pixels / area if area else 0.0

    def diff_image(self) -> Image.Image:
        """pixelmatch-style picture: faded grey before image, changes red, anti-aliasing yellow.

        Masked (ignored) areas are tinted blue. The picture is a palette image with the colours
        of pixelmatch's diff output: a quarter of the bytes to write, ten times faster to encode.
        """
        if self._before is None or self._pixels is None:
            if self._source is None:
                raise ValueError("this result keeps no image to draw")
            before = decode_png(self._source, "before image")
            empty = np.empty(0, dtype=np.intp)
            pixels = PixelDiff(before.shape[1], before.shape[0], empty, empty, empty)
        else:
            before, pixels = self._before, self._pixels
        index = faded_grey(before)  # 229..255: the palette maps each to its own grey
        if self._ignored is not None:
            index[self._ignored] -= _TINT_SHIFT
        flat = index.reshape(-1)
        flat[pixels.antialiased] = _YELLOW
        flat[pixels.changed] = _RED
        image = Image.frombytes("P", (pixels.width, pixels.height), index.tobytes())
        image.putpalette(_PALETTE)
        return image

    def save_diff(self, path: Path, *, compress_level: int = 1) -> Path:
        # level 1: a diff is a throwaway picture; fast to write matters more than a few KB
        self.diff_image().save(path, format="PNG", compress_level=compress_level)
        return path

    def to_dict(self) -> dict[str, object]:
        return {
            "changed_pixels": self.changed_pixels,
            "changed_ratio": self.changed_ratio,
            "antialiased_pixels": self.antialiased_pixels,
            "ignored_pixels": self.ignored_pixels,
            "width": self.width,
            "height": self.height,
            "before_size": list(self.before_size),
            "after_size": list(self.after_size),
            "size_changed": self.size_changed,
            "identical": self.identical,
            "threshold": self.threshold,
            "include_aa": self.include_aa,
            "regions": [r.as_dict() for r in self.regions],
            "region_count": self.region_count,
        }


def compare_images(
    before: ImageInput,
    after: ImageInput,
    *,
    threshold: float = 0.1,
    include_aa: bool = False,
    ignore: Iterable[Box] = (),
    labels: tuple[str, str] = ("before image", "after image"),
) -> DiffResult:
    """Compare two images (paths, PNG bytes or Pillow images).

    Equal bytes are identical without decoding. Images of different sizes are compared on the
    larger canvas; the part only one of them covers counts as changed (a layout change).
    Pixels inside `ignore` boxes are not counted but stay visible in the diff image. `labels`
    name images given as bytes in error messages.
    """
    if not 0 <= threshold <= 1:
        raise ComparisonInputError(f"threshold: must be between 0 and 1, got {threshold}.")
    ignore = tuple(ignore)
    raw_before = _raw(before, labels[0])
    raw_after = _raw(after, labels[1])
    if raw_before is not None and raw_before == raw_after:
        size = _png_size(raw_before)
        return DiffResult(
            width=size[0],
            height=size[1],
            before_size=size,
            after_size=size,
            changed_pixels=0,
            antialiased_pixels=0,
            ignored_pixels=0,
            regions=[],
            region_count=0,
            identical=True,
            threshold=threshold,
            include_aa=include_aa,
            _source=raw_before,
        )

    img1, img2 = _both_rgba((before, raw_before, labels[0]), (after, raw_after, labels[1]))
    before_size = (img1.shape[1], img1.shape[0])
    after_size = (img2.shape[1], img2.shape[0])
    width = max(before_size[0], after_size[0])
    height = max(before_size[1], after_size[1])
    img1, img2 = _pad(img1, width, height), _pad(img2, width, height)

    ignored = boxes_mask(ignore, width, height) if ignore else None
    uncovered = _uncovered(before_size, after_size) if before_size != after_size else None
    # The canvas only one image covers is changed whatever its colours: pixelmatch skips it
    # (its colour arithmetic would be wasted there) and it is counted afterwards.
    skipped = _union(ignored, uncovered)
    pixels = pixelmatch(img1, img2, threshold=threshold, include_aa=include_aa, ignore_mask=skipped)
    if uncovered is not None:
        pixels = _count_uncovered(pixels, uncovered, ignored)
    regions, region_count = changed_regions(pixels.changed, width, height)
    return DiffResult(
        width=width,
        height=height,
        before_size=before_size,
        after_size=after_size,
        changed_pixels=pixels.mismatched,
        antialiased_pixels=int(pixels.antialiased.size),
        ignored_pixels=int(ignored.sum()) if ignored is not None else 0,
        regions=regions,
        region_count=region_count,
        identical=before_size == after_size and np.array_equal(img1, img2),
        threshold=threshold,
        include_aa=include_aa,
        _before=img1,
        _pixels=pixels,
        _ignored=ignored,
    )


def _raw(source: ImageInput, name: str) -> bytes | None:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except FileNotFoundError:
            raise ComparisonInputError(f"{source}: no such image file.") from None
        except IsADirectoryError:
            raise ComparisonInputError(f"{source}: is a folder, not an image file.") from None
    if isinstance(source, Image.Image):
        return None
    raise TypeError(f"{name}: expected a path, PNG bytes or a Pillow image, got {type(source)}")


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG header; (0, 0) when the bytes are not a PNG."""
    if data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 0, 0


def _both_rgba(
    first: tuple[ImageInput, bytes | None, str], second: tuple[ImageInput, bytes | None, str]
) -> tuple[RGBA, RGBA]:
    """Both images as arrays; two PNGs are decoded side by side (libspng holds the GIL while it
    decodes, but one image's widening to RGBA overlaps the other's decoding)."""
    if first[1] is None or second[1] is None:
        return _as_rgba(*first), _as_rgba(*second)
    with ThreadPoolExecutor(max_workers=2) as pool:
        later = pool.submit(_as_rgba, *second)
        return _as_rgba(*first), later.result()


def _as_rgba(source: ImageInput, raw: bytes | None, name: str) -> RGBA:
    if raw is None:
        assert isinstance(source, Image.Image)
        return _to_rgba(source)
    label = str(source) if isinstance(source, str | Path) else name
    return decode_png(raw, label)


def decode_png(data: bytes, label: str) -> RGBA:
    """PNG bytes as an RGBA array; an unreadable image is bad input naming `label`.

    A screenshot (8-bit RGB or RGBA, no transparent colour) is decoded by libspng in its own
    format, five times as fast as Pillow with the same pixels; any other PNG by Pillow.
    """
    if _plain_png(data):
        try:
            if data[25] == _TRUECOLOUR_ALPHA:
                rgba: RGBA = pyspng.load(data, "RGBA")
                return rgba
            # libspng's own RGB-to-RGBA expansion is slower than its decoding: done here
            return _opaque_rgba(pyspng.load(data, "RGB"))
        except (RuntimeError, ValueError) as exc:
            raise ComparisonInputError(
                f"{label}: not a readable PNG image ({exc}); capture it again."
            ) from None
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            return _to_rgba(img)
    except _UNREADABLE as exc:
        raise ComparisonInputError(
            f"{label}: not a readable PNG image ({exc.__class__.__name__}); capture it again."
        ) from None


def _plain_png(data: bytes) -> bool:
    """8-bit truecolour (RGB or RGBA) without a tRNS chunk: what a browser writes. An image
    larger than Pillow allows goes to Pillow, which refuses it as a decompression bomb."""
    width, height = _png_size(data)
    too_large = Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS
    if too_large or not width or len(data) < 26 or data[24] != 8 or data[25] not in _TRUECOLOUR:
        return False
    first_data = data.find(b"IDAT")
    return data.find(b"tRNS", 0, first_data if first_data > 0 else len(data)) < 0


def _opaque_rgba(rgb: NDArray[np.uint8]) -> RGBA:
    """RGB pixels as opaque RGBA, in one pass: each pixel's three bytes are read as the low
    bytes of a little-endian word (the fourth byte read is the next pixel's, and is replaced by
    alpha 255)."""
    height, width = rgb.shape[:2]
    raw = np.ascontiguousarray(rgb).reshape(-1)
    words = np.empty(height * width, dtype="<u4")
    # the last pixel has no next byte to read past it: it is done apart
    inside = np.ndarray((words.size - 1,), dtype="<u4", buffer=raw, strides=(3,))
    np.bitwise_or(inside, _OPAQUE, out=words[:-1])
    red, green, blue = (int(c) for c in raw[-3:])
    words[-1] = red | green << 8 | blue << 16 | int(_OPAQUE)
    return words.view(np.uint8).reshape(height, width, 4)


def _to_rgba(img: Image.Image) -> RGBA:
    width, height = img.size
    if img.mode == "RGB" and "transparency" not in img.info:
        # Pillow keeps RGB pixels in four bytes, the fourth 255: packing them as RGBX is one
        # copy where convert("RGBA") and then an array would be two.
        raw = img.tobytes("raw", "RGBX")
        return np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 4)
    if img.mode != "RGBA":
        img = img.convert("RGBA")
    return np.asarray(img)


def _pad(img: RGBA, width: int, height: int) -> RGBA:
    """Grow to width x height with transparent pixels at the right and bottom."""
    h, w = img.shape[:2]
    if (w, h) == (width, height):
        return np.ascontiguousarray(img)
    out = np.zeros((height, width, 4), dtype=np.uint8)
    out[:h, :w] = img
    return out


def _uncovered(before_size: tuple[int, int], after_size: tuple[int, int]) -> NDArray[np.bool_]:
    """True on the part of the larger canvas that one of the two images does not cover."""
    width, height = max(before_size[0], after_size[0]), max(before_size[1], after_size[1])
    uncovered = np.ones((height, width), dtype=bool)
    uncovered[: min(before_size[1], after_size[1]), : min(before_size[0], after_size[0])] = False
    return uncovered


def _union(a: NDArray[np.bool_] | None, b: NDArray[np.bool_] | None) -> NDArray[np.bool_] | None:
    if a is None or b is None:
        return b if a is None else a
    return a | b


def _count_uncovered(
    pixels: PixelDiff, uncovered: NDArray[np.bool_], ignored: NDArray[np.bool_] | None
) -> PixelDiff:
    """Add the uncovered canvas (less the ignored boxes) to what pixelmatch counted there: it
    was skipped, so none of it is darker or anti-aliased."""
    counted = uncovered if ignored is None else uncovered & ~ignored
    mask = pixels.mask("changed")
    mask |= counted
    return PixelDiff(
        pixels.width, pixels.height, np.flatnonzero(mask), pixels.darker, pixels.antialiased
    )
