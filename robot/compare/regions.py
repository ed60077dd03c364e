"""Boxes on an image, and the changed regions of a diff as a few readable boxes.

Changed pixels are grouped on a coarse grid (cells of `cell` pixels) so that the characters of a
changed word become one region, not forty; clusters closer than `gap` cells merge. Labelling runs
over the grid's row runs with a union-find, so its cost follows the number of runs, not pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, order=True)
class Box:
    """An axis-aligned rectangle in image pixels; `x`, `y` is the top-left corner."""

    x: int
    y: int
    width: int
    height: int

    def __post_init__(self) -> None:
        if self.width < 0 or self.height < 0:
            raise ValueError(f"a box cannot have a negative size: {self}")

    @classmethod
    def parse(cls, text: str) -> Box:
        """`"x,y,w,h"` with non-negative integers, as given on the command line."""
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 4 or not all(p.isdigit() for p in parts):
            raise ValueError(f"expected x,y,width,height as four whole numbers, got {text!r}")
        x, y, w, h = (int(p) for p in parts)
        return cls(x, y, w, h)

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    def as_dict(self) -> dict[str, int]:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class Region:
    """A cluster of changed pixels: its bounding box and how many pixels in it changed."""

    box: Box
    pixels: int

    def as_dict(self) -> dict[str, int]:
        return {**self.box.as_dict(), "pixels": self.pixels}


def boxes_mask(boxes: list[Box] | tuple[Box, ...], width: int, height: int) -> NDArray[np.bool_]:
    """True inside any of the boxes, clipped to the image."""
    mask = np.zeros((height, width), dtype=bool)
    for b in boxes:
        mask[
            max(b.y, 0) : max(min(b.bottom, height), 0), max(b.x, 0) : max(min(b.right, width), 0)
        ] = True
    return mask


def changed_regions(
    changed: NDArray[np.intp],
    width: int,
    height: int,
    *,
    cell: int = 8,
    gap: int = 2,
    max_regions: int = 40,
) -> tuple[list[Region], int]:
    """Cluster changed pixels (flat indices) into regions.

    Returns at most `max_regions` regions, the largest by changed pixels, in reading order (top
    to bottom, left to right), and the number of regions found before the cap.
    """
    if changed.size == 0:
        return [], 0
    ys, xs = np.divmod(changed, width)
    rows = (height + cell - 1) // cell
    cols = (width + cell - 1) // cell
    # each pixel's cell as one flat index: a count per cell marks the grid in one pass
    cells = ys // cell * cols + xs // cell
    grid = (np.bincount(cells, minlength=rows * cols) > 0).reshape(rows, cols)
    labels = _label(_dilate(grid, gap))
    pixel_labels = labels.reshape(-1)[cells]

    count = int(pixel_labels.max()) + 1
    pixels = np.bincount(pixel_labels, minlength=count)
    x0 = np.full(count, width)
    y0 = np.full(count, height)
    x1 = np.zeros(count, dtype=np.intp)
    y1 = np.zeros(count, dtype=np.intp)
    np.minimum.at(x0, pixel_labels, xs)
    np.minimum.at(y0, pixel_labels, ys)
    np.maximum.at(x1, pixel_labels, xs)
    np.maximum.at(y1, pixel_labels, ys)

    keep = np.argsort(-pixels, kind="stable")[:max_regions]
    regions = [
        Region(
            Box(int(x0[i]), int(y0[i]), int(x1[i] - x0[i] + 1), int(y1[i] - y0[i] + 1)),
            int(pixels[i]),
        )
        for i in keep
    ]
    regions.sort(key=lambda r: (r.box.y, r.box.x))
    return regions, count


def _dilate(grid: NDArray[np.bool_], gap: int) -> NDArray[np.bool_]:
    """Grow set cells by `gap` cells in every direction (a square structuring element)."""
    if gap <= 0:
        return grid
    out = grid.copy()
    for shift in range(1, gap + 1):
        out[shift:, :] |= grid[:-shift, :]
        out[:-shift, :] |= grid[shift:, :]
    grown = out.copy()
    for shift in range(1, gap + 1):
        grown[:, shift:] |= out[:, :-shift]
        grown[:, :-shift] |= out[:, shift:]
    return grown


def _touching(
    upper: list[int], lower: list[int], run_start: list[int], run_end: list[int]
) -> list[tuple[int, int]]:
    """Pairs (run of one row, run of the next row) that touch, diagonals included. Both rows
    are sorted by column, so one merge-like pass finds every touching pair."""
    pairs: list[tuple[int, int]] = []
    u = v = 0
    while u < len(upper) and v < len(lower):
        i, j = upper[u], lower[v]
        if run_start[j] <= run_end[i] and run_start[i] <= run_end[j]:
            pairs.append((i, j))
        if run_end[i] < run_end[j]:
            u += 1
        else:
            v += 1
    return pairs


def _label(grid: NDArray[np.bool_]) -> NDArray[np.intp]:
    """Connected components (8-connected) of set cells; labels 0..n-1, -1 for unset cells."""
    rows, cols = grid.shape
    padded = np.zeros((rows, cols + 2), dtype=np.int8)
    padded[:, 1:-1] = grid
    edges = np.diff(padded, axis=1)
    start_r, start_c = np.nonzero(edges == 1)
    end_r, end_c = np.nonzero(edges == -1)  # end column is exclusive
    # both come out in row-major order, so the i-th start and the i-th end form a run
    run_row = start_r.tolist()
    run_start = start_c.tolist()
    run_end = end_c.tolist()

    parent = list(range(len(run_row)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # runs of row r that touch runs of row r + 1 (diagonals included) belong together
    by_row: dict[int, list[int]] = {}
    for i, r in enumerate(run_row):
        by_row.setdefault(r, []).append(i)
    for r, upper in by_row.items():
        for i, j in _touching(upper, by_row.get(r + 1, []), run_start, run_end):
            a, b = find(i), find(j)
            if a != b:
                parent[b] = a

    labels = np.full((rows, cols), -1, dtype=np.intp)
    ids: dict[int, int] = {}
    for i, r in enumerate(run_row):
        label = ids.setdefault(find(i), len(ids))
        labels[r, run_start[i] : run_end[i]] = label
    return labels
