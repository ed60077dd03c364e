"""Draw the benchmarks' results as one picture (for the README); Pillow only.

Reads the JSON that `make bench` keeps in bench/results/ (capture.json, compare.json,
compare-conversion.json, convert.json, scheduled.json); a missing file leaves its panel out.

Usage:
  python bench/chart.py [RESULTS_DIR] [OUT.png]
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 1200
PANEL_GAP = 28
BAR_HEIGHT = 22
LABEL_WIDTH = 360
ROBOT = (31, 95, 191)
OTHER = (150, 156, 168)
INK = (29, 36, 51)
GRID = (226, 230, 236)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    robot: bool  # crm-robot's own figure (blue), or a floor or peer (grey)


@dataclass(frozen=True)
class Panel:
    title: str
    unit: str
    bars: list[Bar]


def panels(results: Path) -> list[Panel]:
    out = []
    capture = _load(results / "capture.json")
    if capture:
        bars = [
            Bar("floor: goto + masked picture, best way", _capture_floor(capture), False),
            Bar("crm-robot capture, signed in", capture["capture_s"]["median"], True),
        ]
        if "seconds" in capture.get("shot_scraper", {}):
            bars.append(
                Bar(
                    "shot-scraper multi, signed in",
                    capture["shot_scraper"]["seconds"]["median"],
                    False,
                )  # fmt: skip
            )
        command = capture["command_end_to_end_s"]["median"]
        bars.append(Bar("crm-robot capture command (signs in)", command, True))
        out.append(Panel("Capture of the nine screens (seconds, less is better)", "s", bars))
    for name, title in (
        ("compare.json", "Comparison, nine pairs, a few fields changed (ms, less is better)"),
        ("compare-conversion.json", "Comparison, nine pairs before/after a conversion (ms)"),
    ):
        compare = _load(results / name)
        if compare:
            ms = compare["timings_ms"]
            bars = [
                Bar("floor: decoding the 18 PNGs", _floor(ms), False),
                Bar(
                    "crm-robot compare, diff images", ms["compare_with_diff_images_threaded"], True
                ),  # fmt: skip
            ]
            if "odiff_one_at_a_time" in ms:
                bars.append(Bar("odiff 4.5, one pair after another", ms["odiff_one_at_a_time"],
                                False))  # fmt: skip
            out.append(Panel(title, "ms", bars))
    convert = _load(results / "convert.json")
    if convert:
        bars = [Bar("floor: the writes as plain form posts", convert["floor"]["seconds"], False)]
        if "browser_floor" in convert:
            bars.append(Bar("floor: the writes in a browser, nothing else",
                            convert["browser_floor"]["seconds"], False))  # fmt: skip
        robot = convert["robot"]
        bars.append(Bar("crm-robot, the writing steps", robot["writing_steps_seconds"], True))
        bars.append(Bar("crm-robot, the whole conversion", robot["seconds"], True))
        out.append(Panel("Conversion of the sample biller (seconds, less is better)", "s", bars))
    scheduled = _load(results / "scheduled.json")
    if scheduled:
        cells = [c for c in scheduled["cells"] if c["mode"] == "own"]
        most = max((c["billers"] for c in cells), default=0)
        bars = [
            Bar(f"{c['workers']} worker(s)", c["billers_per_minute"], True)
            for c in sorted(cells, key=lambda c: c["workers"])
            if c["billers"] == most
        ]
        title = f"Scheduled capture of {most} billers (billers a minute, more is better)"
        out.append(Panel(title, "/min", bars))
    return out


def draw(found: list[Panel], path: Path) -> None:
    font = _font(15)
    bold = _font(17, bold=True)
    height = sum(40 + len(p.bars) * (BAR_HEIGHT + 8) for p in found)
    height += PANEL_GAP * (len(found) + 1)
    image = Image.new("RGB", (WIDTH, height), "white")
    pen = ImageDraw.Draw(image)
    y = PANEL_GAP
    for panel in found:
        pen.text((24, y), panel.title, font=bold, fill=INK)
        y += 34
        top = max(bar.value for bar in panel.bars) or 1
        span = WIDTH - LABEL_WIDTH - 130
        for bar in panel.bars:
            pen.text((24, y + 2), bar.label, font=font, fill=INK)
            length = max(2, int(span * bar.value / top))
            pen.rectangle((LABEL_WIDTH, y, WIDTH - 130, y + BAR_HEIGHT), fill=GRID)
            pen.rectangle(
                (LABEL_WIDTH, y, LABEL_WIDTH + length, y + BAR_HEIGHT),
                fill=ROBOT if bar.robot else OTHER,
            )
            digits = 2 if bar.value < 10 else 1 if bar.value < 100 else 0
            text = f"{bar.value:,.{digits}f} {panel.unit}"
            pen.text((WIDTH - 120, y + 2), text, font=font, fill=INK)
            y += BAR_HEIGHT + 8
        y += PANEL_GAP
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)


def _capture_floor(capture: dict[str, Any]) -> float:
    best: float = capture.get("best_floor_s") or capture["floor_s"]["median"]
    return best


def _floor(ms: dict[str, float]) -> float:
    return min(ms["decode_floor_18_pngs"], ms.get("decode_floor_18_pngs_threaded") or 1e9)


def _load(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size=size)


def main(argv: list[str]) -> int:
    results = Path(argv[0]) if argv else ROOT / "bench" / "results"
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "images" / "benchmarks.png"
    found = panels(results)
    if not found:
        print(f"bench/chart.py: no results in {results}; run `make bench` first", file=sys.stderr)
        return 2
    draw(found, out)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
