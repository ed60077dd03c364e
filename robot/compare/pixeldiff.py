"""A numpy port of pixelmatch 8.0.0 (mapbox/pixelmatch, ISC licence): same counts, whole-image.

pixelmatch walks the image pixel by pixel. Here the same decisions are taken for all pixels at
once: the colour difference (OKLab lightness with Ottosson's toe, HyAB distance, the threshold
being the largest distance still counted as equal, 1 = black against white) is computed only for
pixels whose RGBA words differ, and the anti-aliasing detector (Vysniauskas 2009, as pixelmatch
implements it) runs only on the pixels above the threshold. The arithmetic, the lookup tables
with their interpolation and the order of floating-point operations follow the JavaScript, so
the counts are pixelmatch's own (the conformance fixtures hold the library's numbers). The
tables come from numpy's power and cube root, which may differ from V8's in the last bit of a few
entries; that can only matter for a distance falling exactly on the threshold.

Images are `(height, width, 4)` uint8 RGBA arrays of the same shape.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from robot.compare.antialias import LUMA_B, LUMA_G, LUMA_R, antialiased

U8 = NDArray[np.uint8]
Index = NDArray[np.intp]
T = TypeVar("T", bound=np.generic)

# sRGB byte -> linear light, padded with a 257th entry so interpolation can read i + 1.
_C = np.arange(256, dtype=np.float64) / 255
_LIN = np.empty(257, dtype=np.float64)
_LIN[:256] = np.where(_C <= 0.04045, _C / 12.92, ((_C + 0.055) / 1.055) ** 2.4)
_LIN[256] = _LIN[255]

# Cube root over [0, 1] by table; pixelmatch computes it exactly for the first 8 steps, where
# linear interpolation would over-weight near-black differences.
_CBRT_N = 4096
_CBRT = np.cbrt(np.arange(_CBRT_N + 2, dtype=np.float64) / _CBRT_N)
_CBRT_EXACT = 8

_TOE_K1 = 0.206
_TOE_K2 = 0.03
_TOE_K3 = (1 + _TOE_K1) / (1 + _TOE_K2)

# The anti-aliasing test of this many pixels or more is shared among threads.
_PART_MIN = 50_000
_THREADS = max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class PixelDiff:
    """What pixelmatch decided, as flat pixel indices (row-major) into the compared images."""

    width: int
    height: int
    changed: Index = field(repr=False)  # counted differences
    darker: Index = field(repr=False)  # the subset of `changed` that is darker in the second image
    antialiased: Index = field(repr=False)  # above the threshold but excused as anti-aliasing

    @property
    def mismatched(self) -> int:
        return int(self.changed.size)

    def mask(self, which: str = "changed") -> NDArray[np.bool_]:
        out = np.zeros(self.width * self.height, dtype=bool)
        out[getattr(self, which)] = True
        return out.reshape(self.height, self.width)


def pixelmatch(
    img1: U8,
    img2: U8,
    *,
    threshold: float = 0.1,
    include_aa: bool = False,
    checkerboard: bool = True,
    ignore_mask: NDArray[np.bool_] | None = None,
) -> PixelDiff:
    """Compare two RGBA images like `pixelmatch(img1, img2, null, w, h, options)`.

    `ignore_mask` is pixelmatch's `ignoreMask`: True pixels are skipped (never counted), though
    the anti-aliasing test of a neighbour still reads them, as in pixelmatch.
    """
    if img1.shape != img2.shape or img1.ndim != 3 or img1.shape[2] != 4:
        raise ValueError(f"images must be equal (h, w, 4) arrays, got {img1.shape}, {img2.shape}")
    height, width = img1.shape[:2]
    flat1 = np.ascontiguousarray(img1).reshape(-1, 4)
    flat2 = np.ascontiguousarray(img2).reshape(-1, 4)
    a32 = flat1.view(np.uint32).reshape(-1)
    b32 = flat2.view(np.uint32).reshape(-1)

    differs = a32 != b32
    if ignore_mask is not None:
        differs &= ~np.asarray(ignore_mask, dtype=bool).reshape(-1)
    candidates = np.flatnonzero(differs)
    empty = np.empty(0, dtype=np.intp)
    if candidates.size == 0:
        return PixelDiff(width, height, empty, empty, empty)

    sign = _in_parts(
        lambda part: _color_delta_signs(
            flat1, flat2, a32, b32, part, threshold=threshold, checkerboard=checkerboard
        ),
        candidates,
    )
    over = candidates[sign != 0]
    over_sign = sign[sign != 0]

    if include_aa or over.size == 0:
        aa = np.zeros(over.size, dtype=bool)
    else:

        def excused(part: Index) -> NDArray[np.bool_]:
            found = antialiased(flat1, a32, b32, part, width, height)
            rest = ~found
            found[rest] = antialiased(flat2, b32, a32, part[rest], width, height)
            return found

        aa = _in_parts(excused, over)

    counted = ~aa
    return PixelDiff(
        width,
        height,
        changed=over[counted],
        darker=over[counted & (over_sign < 0)],
        antialiased=over[aa],
    )


def _in_parts(work: Callable[[Index], NDArray[T]], index: Index) -> NDArray[T]:
    """`work(index)`, on parts of a large index in threads (numpy's gathers, sorts and
    arithmetic release the GIL). Each pixel's answer depends on the images alone, never on
    another pixel's answer, so the parts give the same result as the whole."""
    parts = min(_THREADS, index.size // _PART_MIN)
    if parts < 2:
        return work(index)
    with ThreadPoolExecutor(max_workers=parts) as pool:
        return np.concatenate(list(pool.map(work, np.array_split(index, parts))))


def draw_diff(
    img1: U8,
    result: PixelDiff,
    *,
    alpha: float = 0.1,
    aa_color: tuple[int, int, int] = (255, 255, 0),
    diff_color: tuple[int, int, int] = (255, 0, 0),
    diff_color_alt: tuple[int, int, int] | None = None,
) -> U8:
    """pixelmatch's diff output: img1 as faded grey, changes red, anti-aliasing yellow."""
    height, width = img1.shape[:2]
    grey = faded_grey(img1, alpha).reshape(-1)
    out = np.empty((height * width, 4), dtype=np.uint8)
    out[:, 0] = grey
    out[:, 1] = grey
    out[:, 2] = grey
    out[:, 3] = 255
    out[result.antialiased, :3] = aa_color
    out[result.changed, :3] = diff_color
    if diff_color_alt is not None:
        out[result.darker, :3] = diff_color_alt
    return out.reshape(height, width, 4)


def faded_grey(img: U8, alpha: float = 0.1) -> NDArray[np.uint8]:
    """pixelmatch's background of a diff: the luma of img blended with white, `alpha` opaque.

    With alpha 0.1 every value lies in 229..255. Screenshots are long runs of equal pixels, so
    the arithmetic is done once per run and spread over it, with the same value per pixel.
    """
    height, width = img.shape[:2]
    flat = np.ascontiguousarray(img).reshape(-1, 4)
    words = flat.view(np.uint32).reshape(-1)
    starts = np.flatnonzero(np.concatenate(([True], words[1:] != words[:-1])))
    r, g, b, a = (flat[starts, i].astype(np.float64) for i in range(4))
    luma = r * LUMA_R + g * LUMA_G + b * LUMA_B
    # 255 + (Y - 255) * alpha * a / 255, in this order, stored into bytes by truncation
    grey = (255 + (luma - 255) * alpha * a / 255).astype(np.uint8)
    lengths = np.diff(np.append(starts, words.size))
    return np.repeat(grey, lengths).reshape(height, width)


def _color_delta_signs(
    flat1: U8,
    flat2: U8,
    a32: NDArray[np.uint32],
    b32: NDArray[np.uint32],
    index: Index,
    *,
    threshold: float,
    checkerboard: bool,
) -> NDArray[np.int8]:
    """`_color_delta_sign` of the pixels at `index`.

    Two opaque pixels' distance depends on their two colours alone (the background only shows
    through translucent ones), and a screenshot has few distinct pairs of colours however many
    pixels changed: each pair is worked out once and the answer spread over its pixels.
    """
    words1, words2 = a32[index], b32[index]
    opaque = (flat1[index, 3] == 255) & (flat2[index, 3] == 255)
    sign = np.empty(index.size, dtype=np.int8)
    if opaque.any():
        keys = (words1[opaque].astype(np.uint64) << np.uint64(32)) | words2[opaque]
        pairs, which = _unique_with_inverse(keys)
        first = (pairs >> np.uint64(32)).astype(np.uint32)
        second = (pairs & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        pair_sign = _color_delta_sign(
            first.view(np.uint8).reshape(-1, 4),
            second.view(np.uint8).reshape(-1, 4),
            np.zeros(pairs.size, dtype=np.intp),  # no background is blended for opaque pixels
            threshold,
            checkerboard,
        )
        sign[opaque] = pair_sign[which]
    rest = ~opaque
    if rest.any():
        at = index[rest]
        sign[rest] = _color_delta_sign(flat1[at], flat2[at], at, threshold, checkerboard)
    return sign


def _unique_with_inverse(keys: NDArray[np.uint64]) -> tuple[NDArray[np.uint64], Index]:
    """`np.unique(keys, return_inverse=True)`, sorting only the first key of each run of equal
    neighbours: changed pixels come in runs along a row (a moved line of text, a shifted
    stripe), so there are a few times fewer runs than keys to sort."""
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    unique, which = np.unique(keys[starts], return_inverse=True)
    return unique, np.repeat(which.reshape(-1), np.diff(np.append(starts, keys.size)))


def _color_delta_sign(
    p1: U8, p2: U8, index: Index, threshold: float, checkerboard: bool
) -> NDArray[np.int8]:
    """0 when the HyAB OKLab distance is within the threshold, else -1 (img2 darker) or +1."""
    lms1 = _lms(p1, index, checkerboard)
    lms2 = _lms(p2, index, checkerboard)
    d_lr = _lightness(*lms1) - _lightness(*lms2)
    dl, dm, ds = (lms1[i] - lms2[i] for i in range(3))
    # HyAB = |dLr| + sqrt(da^2 + db^2) <= threshold, tested without the square root as pixelmatch
    rest = threshold - np.abs(d_lr)
    da = 1.9779984951 * dl - 2.4285922050 * dm + 0.4505937099 * ds
    db = 0.0259040371 * dl + 0.7827717662 * dm - 0.8086757660 * ds
    within = (rest >= 0) & (da * da + db * db <= rest * rest)
    return np.where(within, 0, np.where(d_lr > 0, -1, 1)).astype(np.int8)


def _background(index: Index, checkerboard: bool) -> list[NDArray[np.int64]]:
    """The colour a translucent pixel is blended over, per channel."""
    if checkerboard:
        # pixelmatch's Fibonacci hash of the pixel index picks one of 8 dark/light backgrounds
        h = (index.astype(np.uint64) * 0x9E3779B1) & 0xFFFFFFFF
        return [48 + 159 * ((h >> shift) & 1).astype(np.int64) for shift in (31, 30, 29)]
    return [np.full(index.size, 255, dtype=np.int64)] * 3


def _lms(
    px: U8, index: Index, checkerboard: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Cube-rooted LMS of pixels composited over pixelmatch's background.

    An opaque channel comes out of `(c * 255 + bg * 0) / 255` and the interpolated table exactly
    as the byte's table entry, so opaque pixels read the table directly, as pixelmatch's opaque
    fast path does, with the same numbers; only translucent pixels (few, in screenshots) are
    blended.
    """
    lr, lg, lb = (_LIN[px[:, channel]] for channel in range(3))
    translucent = np.flatnonzero(px[:, 3] != 255)
    if translucent.size:
        some = px[translucent]
        bg = _background(index[translucent], checkerboard)
        a = some[:, 3].astype(np.int64)
        for lin, channel in ((lr, 0), (lg, 1), (lb, 2)):
            c = (some[:, channel].astype(np.int64) * a + bg[channel] * (255 - a)) / 255
            i = c.astype(np.intp)
            lin[translucent] = _LIN[i] + (_LIN[i + 1] - _LIN[i]) * (c - i)
    l_ = _cbrt_lut(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb)
    m_ = _cbrt_lut(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb)
    s_ = _cbrt_lut(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb)
    return l_, m_, s_


def _cbrt_lut(x: NDArray[np.float64]) -> NDArray[np.float64]:
    t = x * _CBRT_N
    i = t.astype(np.intp)
    out = _CBRT[i] + (_CBRT[i + 1] - _CBRT[i]) * (t - i)
    dark = i < _CBRT_EXACT
    if dark.any():
        out[dark] = np.cbrt(x[dark])
    return out


def _lightness(
    l_: NDArray[np.float64], m_: NDArray[np.float64], s_: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Toe-corrected OKLab lightness Lr."""
    lum = 0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_
    x = _TOE_K3 * lum - _TOE_K1
    return 0.5 * (x + np.sqrt(x * x + 4 * _TOE_K2 * _TOE_K3 * lum))
