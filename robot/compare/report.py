"""The before/after report: one self-contained `index.html`, its images, and `summary.json`.

The HTML opens from the file system with no network: CSS and script are inline, the images sit
beside it under `images/`. `summary.json` holds the same findings for machines. Secrets never
reach either: field values come from robot.compare.fields, which only shows the word `changed`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from robot.compare.captures import (
    CaptureComparison,
    ScreenComparison,
    compare_captures,
    worker_count,
)
from robot.compare.fields import FieldChange
from robot.compare.regions import Box
from robot.core.capture_format import SCREEN_STEMS, BillerRef, Capture
from robot.core.templates import html_templates

INDEX_FILE = "index.html"
SUMMARY_FILE = "summary.json"
IMAGES_DIR = "images"


class BoxOut(BaseModel):
    x: int
    y: int
    width: int
    height: int
    pixels: int | None = None


class ScreenImages(BaseModel):
    before: str
    after: str
    diff: str | None  # no diff picture when the two screenshots are identical


class ScreenSummary(BaseModel):
    stem: str
    title: str
    planned: int
    missing: int
    unplanned: int
    ok: bool
    changed_pixels: int
    changed_ratio: float
    antialiased_pixels: int
    ignored_pixels: int
    identical: bool
    size_changed: bool
    width: int
    height: int
    before_size: tuple[int, int]
    after_size: tuple[int, int]
    unexplained_pixels: bool  # pixels changed where no field did
    regions: list[BoxOut]
    region_count: int
    ignored: list[BoxOut]
    before_url: str
    after_url: str
    images: ScreenImages
    fields: list[FieldChange]


class CaptureInfo(BaseModel):
    folder: str
    phase: str
    run_id: str
    started_at: datetime
    finished_at: datetime
    base_url: str
    browser_version: str


class ReportSummary(BaseModel):
    """What `summary.json` holds; `ok` is False when anything is unplanned or missing."""

    title: str
    biller: BillerRef
    environment: str
    generated_at: datetime
    threshold: float
    with_plan: bool
    ok: bool
    planned: int
    missing: int
    unplanned: int
    changed_pixels: int
    before: CaptureInfo
    after: CaptureInfo
    screens: list[ScreenSummary]
    # What the run did that a reader must know before the pictures (a go-live overridden).
    notes: list[str] = Field(default_factory=list)
    # The words a report uses for its statuses where they differ from planned/missing (a
    # rollback's report: restored, still different).
    words: dict[str, str] = Field(default_factory=dict)
    out_dir: Path = Field(exclude=True)

    def word(self, status: str) -> str:
        return self.words.get(status, status)

    @property
    def index_html(self) -> Path:
        return self.out_dir / INDEX_FILE

    @property
    def summary_json(self) -> Path:
        return self.out_dir / SUMMARY_FILE


def build_report(
    before_dir: Path | str,
    after_dir: Path | str,
    out_dir: Path | str,
    *,
    expected: Mapping[str, Mapping[str, str | None]] | None = None,
    threshold: float = 0.1,
    ignore: Iterable[Box] = (),
    title: str | None = None,
    notes: Sequence[str] = (),
    words: Mapping[str, str] | None = None,
) -> ReportSummary:
    """Compare two capture folders and write `index.html`, `images/` and `summary.json`."""
    comparison = compare_captures(
        before_dir, after_dir, expected=expected, threshold=threshold, ignore=ignore
    )
    return write_report(comparison, out_dir, title=title, notes=notes, words=words)


def write_report(
    comparison: CaptureComparison,
    out_dir: Path | str,
    *,
    title: str | None = None,
    notes: Sequence[str] = (),
    words: Mapping[str, str] | None = None,
) -> ReportSummary:
    out = Path(out_dir)
    images = out / IMAGES_DIR
    images.mkdir(parents=True, exist_ok=True)
    # drawing and encoding the diff pictures release the GIL: screens are written side by side
    with ThreadPoolExecutor(max_workers=worker_count()) as pool:
        screens = list(
            pool.map(lambda sc: _write_screen(sc, comparison, images), comparison.screens)
        )
    manifest = comparison.after.manifest
    summary = ReportSummary(
        title=title or f"{manifest.biller.name} ({manifest.biller.id}): before and after",
        biller=manifest.biller,
        environment=manifest.environment,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        threshold=comparison.threshold,
        with_plan=comparison.with_plan,
        ok=comparison.ok,
        planned=comparison.count("planned"),
        missing=comparison.count("missing"),
        unplanned=comparison.count("unplanned"),
        changed_pixels=comparison.changed_pixels,
        before=_capture_info(comparison.before),
        after=_capture_info(comparison.after),
        screens=screens,
        notes=list(notes),
        words=dict(words or {}),
        out_dir=out,
    )
    (out / INDEX_FILE).write_text(render_html(summary), encoding="utf-8")
    (out / SUMMARY_FILE).write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return summary


def render_html(summary: ReportSummary) -> str:
    env = html_templates()
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["percent"] = _percent
    env.filters["when"] = lambda t: t.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    env.filters["stats"] = _screen_stats
    env.filters["problems"] = lambda item: _problems(item, summary.word("missing"))
    return env.get_template("report.html").render(s=summary, stems=SCREEN_STEMS)


def _percent(ratio: float) -> str:
    if ratio == 0:
        return "0%"
    if ratio < 0.0001:
        return "<0.01%"
    return f"{ratio * 100:.2f}%"


def _problems(item: ScreenSummary | ReportSummary, missing: str = "missing") -> str:
    parts = [
        f"{n} {label}" for n, label in ((item.unplanned, "unplanned"), (item.missing, missing)) if n
    ]
    return ", ".join(parts) or "OK"


def _screen_stats(sc: ScreenSummary) -> str:
    """One line on what the pixels say, for the heading of a screen's section."""
    if sc.identical:
        parts = ["Screenshots identical."]
    else:
        regions = ""
        if sc.region_count:
            regions = f" in {sc.region_count} region{'' if sc.region_count == 1 else 's'}"
        parts = [f"{sc.changed_pixels:,} pixels changed ({_percent(sc.changed_ratio)}){regions}."]
        if sc.antialiased_pixels:
            parts.append(f"{sc.antialiased_pixels:,} anti-aliased pixels not counted.")
    if sc.size_changed:
        (bw, bh), (aw, ah) = sc.before_size, sc.after_size
        parts.append(f"Size changed from {bw}×{bh} to {aw}×{ah}.")
    if sc.ignored_pixels:
        parts.append(f"{sc.ignored_pixels:,} masked pixels not compared.")
    parts.append(f"Fields: {sc.planned} planned, {sc.missing} missing, {sc.unplanned} unplanned.")
    return " ".join(parts)


def _write_screen(
    screen: ScreenComparison, comparison: CaptureComparison, images: Path
) -> ScreenSummary:
    stem = screen.stem
    names = {kind: f"{stem}-{kind}.png" for kind in ("before", "after", "diff")}
    (images / names["before"]).write_bytes(comparison.before.png[stem])
    (images / names["after"]).write_bytes(comparison.after.png[stem])
    diff_path = images / names["diff"]
    if screen.diff.identical:
        diff_path.unlink(missing_ok=True)  # left from an earlier report in the same folder
        diff_name = None
    else:
        screen.diff.save_diff(diff_path)
        diff_name = f"{IMAGES_DIR}/{names['diff']}"
    d = screen.diff
    return ScreenSummary(
        stem=stem,
        title=screen.title,
        planned=screen.count("planned"),
        missing=screen.count("missing"),
        unplanned=screen.count("unplanned"),
        ok=screen.ok,
        changed_pixels=d.changed_pixels,
        changed_ratio=d.changed_ratio,
        antialiased_pixels=d.antialiased_pixels,
        ignored_pixels=d.ignored_pixels,
        identical=d.identical,
        size_changed=d.size_changed,
        width=d.width,
        height=d.height,
        before_size=d.before_size,
        after_size=d.after_size,
        unexplained_pixels=screen.unexplained_pixels,
        regions=[BoxOut(**r.as_dict()) for r in d.regions],
        region_count=d.region_count,
        ignored=[BoxOut(**b.as_dict()) for b in screen.ignored],
        before_url=comparison.before.manifest.screens[stem].url,
        after_url=comparison.after.manifest.screens[stem].url,
        images=ScreenImages(
            before=f"{IMAGES_DIR}/{names['before']}",
            after=f"{IMAGES_DIR}/{names['after']}",
            diff=diff_name,
        ),
        fields=screen.fields,
    )


def _capture_info(capture: Capture) -> CaptureInfo:
    m = capture.manifest
    return CaptureInfo(
        folder=str(capture.folder),
        phase=m.phase,
        run_id=m.run_id,
        started_at=m.started_at,
        finished_at=m.finished_at,
        base_url=m.base_url,
        browser_version=m.browser_version,
    )
