"""pixelmatch's anti-aliasing detector (Vysniauskas 2009, as pixelmatch 8.0.0 implements it),
for many pixels at once; see robot/compare/pixeldiff.py for the whole port.

A pixel that differs is not counted when it sits on a brightness ramp between a darker and a
brighter neighbour that each have three or more identical neighbours in both images.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

U8 = NDArray[np.uint8]
Index = NDArray[np.intp]

# Rec.601 luma weights pixelmatch uses for the anti-aliasing ramp test and the grey background.
LUMA_R, LUMA_G, LUMA_B = 0.29889531, 0.58662247, 0.11448223

# The 8 neighbours in pixelmatch's visiting order (x outer, y inner): ties for the darkest and
# brightest neighbour go to the first one visited, so the order is part of the result.
_NEIGHBOURS = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0)]


class _Around:
    """The 8 neighbours of some pixels, in pixelmatch's visiting order.

    Inside the image a neighbour is the pixel's index plus a constant; only pixels on the edge
    need to know which neighbours exist. Callers split the two kinds (`_split`) so that the
    inside, nearly all pixels, takes the cheap way.
    """

    def __init__(self, index: Index, width: int, height: int, *, inside: bool) -> None:
        self.index = index
        self.width = width
        self.height = height
        self.inside = inside
        if not inside:
            self.xs = index % width
            self.ys = index // width

    @property
    def border(self) -> int:
        # pixelmatch counts the missing outside as one equal sibling, however many are missing
        return 0 if self.inside else 1

    def neighbour(self, k: int) -> tuple[NDArray[np.bool_] | None, Index]:
        """Which pixels have neighbour k (None: all of them) and its index."""
        dx, dy = _NEIGHBOURS[k]
        pos = self.index + (dy * self.width + dx)
        if self.inside:
            return None, pos
        nx = self.xs + dx
        ny = self.ys + dy
        valid = (nx >= 0) & (nx < self.width) & (ny >= 0) & (ny < self.height)
        return valid, np.where(valid, pos, self.index)

    def equal_siblings(self, img32: NDArray[np.uint32]) -> NDArray[np.int8]:
        """Neighbours with the same RGBA word, plus one on the border."""
        centre = img32[self.index]
        count = np.full(self.index.size, self.border, dtype=np.int8)
        for k in range(len(_NEIGHBOURS)):
            valid, pos = self.neighbour(k)
            same = img32[pos] == centre
            count += same if valid is None else same & valid
        return count


def _split(index: Index, width: int, height: int) -> list[tuple[NDArray[np.bool_], _Around]]:
    """The pixels inside the image and those on its edge, each with their neighbourhood."""
    xs = index % width
    ys = index // width
    inside = (xs > 0) & (xs < width - 1) & (ys > 0) & (ys < height - 1)
    parts = []
    for which, is_inside in ((inside, True), (~inside, False)):
        if which.any():
            parts.append((which, _Around(index[which], width, height, inside=is_inside)))
    return parts


def antialiased(
    flat: U8,
    own32: NDArray[np.uint32],
    other32: NDArray[np.uint32],
    index: Index,
    width: int,
    height: int,
) -> NDArray[np.bool_]:
    """pixelmatch's `antialiased(img, x, y, width, height, a32, b32)` for many pixels at once."""
    result = np.zeros(index.size, dtype=bool)
    for which, around in _split(index, width, height):
        result[which] = _antialiased_part(flat, own32, other32, around)
    return result


def _antialiased_part(
    flat: U8,
    own32: NDArray[np.uint32],
    other32: NDArray[np.uint32],
    around: _Around,
) -> NDArray[np.bool_]:
    result = np.zeros(around.index.size, dtype=bool)
    # An equal RGBA word has brightness delta 0, so 3 equal words already mean "3+ equal
    # siblings, not anti-aliasing": a cheap exact filter before the brightness arithmetic.
    maybe = around.equal_siblings(own32) <= 2
    if not maybe.any():
        return result
    near = _Around(around.index[maybe], around.width, around.height, inside=around.inside)
    size = near.index.size
    brightness = _BrightnessDeltas(flat, own32, near.index)
    zeroes = np.full(size, near.border, dtype=np.int32)
    lowest = np.zeros(size)
    highest = np.zeros(size)
    lowest_at = np.zeros(size, dtype=np.intp)
    highest_at = np.zeros(size, dtype=np.intp)
    for k in range(len(_NEIGHBOURS)):
        valid, pos = near.neighbour(k)
        delta = brightness.to(pos)
        zero = delta == 0
        # strict comparisons keep the first neighbour visited on ties, as pixelmatch does
        darker = delta < lowest
        brighter = delta > highest
        if valid is not None:
            zero &= valid
            darker &= valid
            brighter &= valid
        zeroes += zero
        np.copyto(lowest, delta, where=darker)
        np.copyto(lowest_at, pos, where=darker)
        np.copyto(highest, delta, where=brighter)
        np.copyto(highest_at, pos, where=brighter)

    # more than 2 equal siblings, or no ramp (no darker and brighter neighbour): not anti-aliasing
    ramp = (zeroes <= 2) & (lowest != 0) & (highest != 0)
    if not ramp.any():
        return result
    lo = lowest_at[ramp]
    hi = highest_at[ramp]
    w, h = around.width, around.height
    found = (_has_many_siblings(own32, lo, w, h) & _has_many_siblings(other32, lo, w, h)) | (
        _has_many_siblings(own32, hi, w, h) & _has_many_siblings(other32, hi, w, h)
    )
    near_result = np.zeros(size, dtype=bool)
    near_result[ramp] = found
    result[maybe] = near_result
    return result


def _has_many_siblings(
    img32: NDArray[np.uint32], index: Index, width: int, height: int
) -> NDArray[np.bool_]:
    """3 or more neighbours with exactly the same RGBA word."""
    result = np.zeros(index.size, dtype=bool)
    for which, around in _split(index, width, height):
        result[which] = around.equal_siblings(img32) > 2
    return result


class _BrightnessDeltas:
    """`_brightness_delta` between some pixels and one neighbour of each, for each neighbour in
    turn. Pixels are read once as channel arrays and each neighbour as one RGBA word; two opaque
    pixels take the opaque formula (the same integers and the same float arithmetic as the
    general one, for half the work), the few others the general one."""

    def __init__(self, flat: U8, own32: NDArray[np.uint32], index: Index) -> None:
        self.flat = flat
        self.own32 = own32
        self.index = index
        self.centre = _channels(own32[index])

    def to(self, pos: Index) -> NDArray[np.float64]:
        (r1, g1, b1, a1), (r2, g2, b2, a2) = self.centre, _channels(self.own32[pos])
        # the general formula's `d[:, 0] * LUMA_R + d[:, 1] * LUMA_G + d[:, 2] * LUMA_B`
        delta: NDArray[np.float64] = (r1 - r2) * LUMA_R + (g1 - g2) * LUMA_G + (b1 - b2) * LUMA_B
        some = np.flatnonzero((a1 != 255) | (a2 != 255))
        if some.size:
            centre = self.flat[self.index[some]].astype(np.int32)
            delta[some] = _brightness_delta(centre, self.flat[pos[some]].astype(np.int32))
        return delta


def _channels(words: NDArray[np.uint32]) -> list[NDArray[np.int16]]:
    """The red, green, blue and alpha bytes of RGBA words, widened so that differences fit."""
    channels = words.view(np.uint8).reshape(-1, 4)
    return [channels[:, c].astype(np.int16) for c in range(4)]


def _brightness_delta(c1: NDArray[np.int32], c2: NDArray[np.int32]) -> NDArray[np.float64]:
    """pixelmatch's `brightnessDelta`: luma of premultiplied-over-white channels.

    For two opaque pixels `(r1 * 255 - r2 * 255 - 0) / 255` is exactly `r1 - r2`, so this one
    formula covers pixelmatch's opaque and transparent branches bit for bit, and two opaque
    pixels can skip straight to the difference (`_BrightnessDeltas`).
    """
    a1 = c1[:, 3]
    a2 = c2[:, 3]
    da = a1 - a2
    dr = (c1[:, 0] * a1 - c2[:, 0] * a2 - 255 * da) / 255
    dg = (c1[:, 1] * a1 - c2[:, 1] * a2 - 255 * da) / 255
    db = (c1[:, 2] * a1 - c2[:, 2] * a2 - 255 * da) / 255
    d = dr * LUMA_R + dg * LUMA_G + db * LUMA_B
    # equal luma but different alpha: the alpha difference gives the ramp direction
    return np.where((d == 0) & (da != 0), da / 2, d)
