"""Two capture folders of one biller compared screen by screen and field by field.

Each screen's pixels go through `robot.compare.images.compare_images`, its values through
`robot.compare.fields.classify_screen`. Pure: it measures, never judges.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from robot.compare.fields import FieldChange, classify_screen
from robot.compare.images import DiffResult, compare_images
from robot.compare.regions import Box
from robot.core.capture_format import SCREEN_STEMS, SCREEN_TITLES, Capture, read_capture
from robot.core.errors import ComparisonInputError


@dataclass(frozen=True)
class ScreenComparison:
    stem: str
    title: str
    diff: DiffResult
    fields: list[FieldChange]
    ignored: list[Box]  # masked in either capture, plus the caller's ignore boxes

    @property
    def fields_changed(self) -> int:
        return sum(1 for f in self.fields if f.before != f.after)

    @property
    def unexplained_pixels(self) -> bool:
        """Pixels changed on a screen where no field did: a change nobody asked for."""
        return self.diff.changed_pixels > 0 and self.fields_changed == 0

    def count(self, status: str) -> int:
        n = sum(1 for f in self.fields if f.status == status)
        if status == "unplanned" and self.unexplained_pixels:
            n += 1
        return n

    @property
    def ok(self) -> bool:
        return self.count("unplanned") == 0 and self.count("missing") == 0


@dataclass(frozen=True)
class CaptureComparison:
    before: Capture
    after: Capture
    screens: list[ScreenComparison]
    threshold: float
    with_plan: bool  # without a plan, every change is unplanned

    def count(self, status: str) -> int:
        return sum(s.count(status) for s in self.screens)

    @property
    def changed_pixels(self) -> int:
        return sum(s.diff.changed_pixels for s in self.screens)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.screens)


def compare_captures(
    before_dir: Path | str,
    after_dir: Path | str,
    *,
    expected: Mapping[str, Mapping[str, str | None]] | None = None,
    threshold: float = 0.1,
    ignore: Iterable[Box] = (),
) -> CaptureComparison:
    """Compare two capture folders of the same biller, screen by screen and field by field.

    `expected` is `ConversionPlan.expected_values()`: {screen stem: {field: value}}. Screens it
    names that are not among the nine captured ones are not checked here.
    """
    before = read_capture(before_dir)
    after = read_capture(after_dir)
    _check_same_target(before, after)
    extra = list(ignore)

    def one(stem: str) -> ScreenComparison:
        masked = [
            Box(m.x, m.y, m.width, m.height)
            for capture in (before, after)
            for m in capture.manifest.screens[stem].masked
        ]
        boxes = list(dict.fromkeys([*masked, *extra]))
        diff = compare_images(
            before.png[stem],
            after.png[stem],
            threshold=threshold,
            ignore=boxes,
            labels=(str(before.path(stem)), str(after.path(stem))),
        )
        fields = classify_screen(
            stem,
            before.screen_values(stem),
            after.screen_values(stem),
            None if expected is None else expected.get(stem, {}),
        )
        return ScreenComparison(stem, SCREEN_TITLES[stem], diff, fields, boxes)

    # numpy releases the GIL: screens compare side by side on several cores
    order = largest_first({stem: (before.png[stem], after.png[stem]) for stem in SCREEN_STEMS})
    with ThreadPoolExecutor(max_workers=worker_count()) as pool:
        done = dict(zip(order, pool.map(one, order), strict=True))
    screens = [done[stem] for stem in SCREEN_STEMS]
    return CaptureComparison(before, after, screens, threshold, expected is not None)


def largest_first(pairs: Mapping[str, tuple[bytes, bytes]]) -> list[str]:
    """The names of PNG pairs, the most work first: the largest pair that differs is the longest
    to compare, and the others are compared beside it rather than after it. An identical pair
    costs nothing (equal bytes are not decoded)."""

    def work(name: str) -> int:
        first, second = pairs[name]
        return 0 if first == second else len(first) + len(second)

    return sorted(pairs, key=work, reverse=True)


def worker_count() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _check_same_target(before: Capture, after: Capture) -> None:
    b, a = before.manifest, after.manifest
    if b.biller.id != a.biller.id:
        raise ComparisonInputError(
            f"the manifests are of different billers: {before.folder} is {b.biller.name} "
            f"({b.biller.id}), {after.folder} is {a.biller.name} ({a.biller.id}); "
            "compare two captures of the same biller."
        )
    if b.environment != a.environment:
        raise ComparisonInputError(
            f"the manifests are of different environments: {before.folder} is {b.environment}, "
            f"{after.folder} is {a.environment}; compare two captures of the same environment."
        )
