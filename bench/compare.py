"""Benchmark of the before/after comparison; prints JSON.

Nine full-page pairs are compared the way `crm-robot compare` compares them: decode both PNGs
(a byte-identical pair is known without decoding), count changed pixels, find the regions, draw
and encode the diff picture. The pairs are, by default, crm_sim captures of the sample biller
before and after the robot changed a few fields (made once, kept in .bench-cache/);
`--conversion` takes the screens before and after the demo's whole conversion (Advanced
Settings loses eleven rows, so everything below them moves), `--generated` draws form-like pages,
`--pairs DIR` takes any two folders. Measured in the same run:
  - the floor: decoding the eighteen PNGs alone, the way crm-robot decodes them (serially, and
    on worker_count() threads as compare_captures runs);
  - odiff (npm package odiff-bin), a native image-diff tool, on the same nine pairs with diff
    images written: one process after another, as a shell loop calls it, and two at a time;
    installed into .bench-cache/ with npm when npm is there, else skipped with the reason;
  - the whole comparison with diff images, serially and on worker_count() threads (as
    `crm-robot compare` works on the nine screens), compare_captures, and the whole report;
  - pixelmatch 8's counts on its own test images (../shared/fixtures/pixelmatch), cases passed.

Usage:
  python bench/compare.py [--conversion | --generated | --pairs DIR] [--repeat N] [--no-odiff]
DIR holds before/ and after/ folders with PNGs of the same names (e.g. two capture folders).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from robot.compare.captures import compare_captures, largest_first, worker_count  # noqa: E402
from robot.compare.images import compare_images, decode_png  # noqa: E402
from robot.compare.report import build_report  # noqa: E402
from robot.core.capture_format import (  # noqa: E402
    SCREENS,
    BillerRef,
    Manifest,
    ScreenRecord,
    Viewport,
    sha256_hex,
    write_manifest,
    write_values,
)

CACHE = ROOT / ".bench-cache"
ODIFF_VERSION = "4.5.0"

Pair = tuple[str, bytes, bytes]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source_group = parser.add_mutually_exclusive_group()
    source_group.add_argument("--pairs", type=Path, help="folder with before/ and after/ PNGs")
    source_group.add_argument(
        "--conversion",
        action="store_true",
        help="the screens before and after a whole conversion (the demo's)",
    )
    source_group.add_argument(
        "--generated", action="store_true", help="form-like pages drawn by the benchmark"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (median kept)")
    parser.add_argument("--no-odiff", action="store_true", help="skip the odiff comparison")
    args = parser.parse_args()

    if args.pairs:
        pairs, source = read_pairs(args.pairs), str(args.pairs)
    elif args.generated:
        pairs, source = make_pairs(), "generated form-like pages"
    elif args.conversion:
        pairs, source = conversion_pairs(), "crm_sim captures before and after a conversion"
    else:
        pairs, source = few_fields_pairs(), "crm_sim captures, a few fields changed"
    log(f"{len(pairs)} pairs from {source}")
    threads = worker_count()

    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        work = Path(tmp)
        before, after = write_captures(pairs, work)
        jobs: dict[str, Callable[[], object]] = {
            "decode_floor_18_pngs": lambda: decode_all(pairs, threads=1),
            "decode_floor_18_pngs_threaded": lambda: decode_all(pairs, threads=threads),
            "compare_count_only": lambda: compare_all(pairs, diff=False, threads=threads),
            "compare_with_diff_images": lambda: compare_all(pairs, diff=True, threads=1),
            "compare_with_diff_images_threaded": lambda: compare_all(
                pairs, diff=True, threads=threads
            ),
            "compare_captures_nine_screens_threaded": lambda: compare_captures(before, after),
            "report_nine_screens_threaded": lambda: build_report(before, after, work / "report"),
        }
        # The same on the pairs that differ alone: identical pairs cost crm-robot nothing (their
        # bytes are equal), so these say what the comparison itself costs where it works.
        changed = [p for p in pairs if p[1] != p[2]]
        jobs["changed_pairs_decode_floor"] = lambda: decode_all(changed, threads=1)
        jobs["changed_pairs_decode_floor_threaded"] = lambda: decode_all(changed, threads=threads)
        jobs["changed_pairs_compare_with_diff_images"] = lambda: compare_all(
            changed, diff=True, threads=threads
        )
        odiff: dict[str, object] = skipped("--no-odiff") if args.no_odiff else {}
        if not args.no_odiff:
            binary, reason = odiff_binary()
            if binary is None:
                odiff = skipped(reason)
            else:
                odiff = odiff_jobs(binary, pairs, work, jobs)
                jobs["changed_pairs_odiff_one_at_a_time"] = odiff_runner(binary, work, changed, {})
        median, fastest = measure(jobs, args.repeat)
        for name in ("odiff_one_at_a_time", "odiff_two_at_a_time"):
            if name in jobs:
                odiff[f"{name}_ms"] = median[name]

    results = compare_all(pairs, diff=False, threads=1)
    sizes = [(w, h) for w, h in (png_size(a) for _, a, _ in pairs)]
    out = {
        "benchmark": "compare",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "compare_threads": threads,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "platform": platform.platform(),
        },
        "pairs": {
            "source": source,
            "count": len(pairs),
            "sizes": sorted(set(sizes)),
            "changed_pixels": {name: r["changed_pixels"] for name, r in results.items()},
        },
        "repeat": args.repeat,
        "timings_ms": median,
        "timings_fastest_ms": fastest,
        "per_pair_ms": {
            "decode_floor": round(median["decode_floor_18_pngs"] / len(pairs), 1),
            "compare_with_diff_images": round(median["compare_with_diff_images"] / len(pairs), 1),
        },
        "ratios": ratios(median),
        "ratios_fastest": ratios(fastest),
        "odiff": odiff,
        "pixelmatch_conformance": pixelmatch_conformance(),
    }
    print(json.dumps(out, indent=2))
    return 0


def pixelmatch_conformance() -> dict[str, object]:
    """pixelmatch 8's own counts on its test images, as `crm-robot compare` decodes and counts
    them (the same cases as tests/test_pixeldiff_conformance.py): the speed is no use without
    them."""
    folder = ROOT.parent / "shared" / "fixtures" / "pixelmatch"
    expected = folder / "expected.json"
    if not expected.is_file():
        reason = "the pixelmatch fixtures are not in ../shared/fixtures/pixelmatch"
        log(f"pixelmatch conformance skipped: {reason}")
        return {"skipped": reason}
    cases = json.loads(expected.read_text())
    wrong = []
    for case in cases:
        options = case["options"]
        result = compare_images(
            folder / f"{case['a']}.png",
            folder / f"{case['b']}.png",
            threshold=options.get("threshold", 0.1),
            include_aa=options.get("includeAA", False),
        )
        if result.changed_pixels != case["mismatched"]:
            wrong.append({**case, "counted": result.changed_pixels})
    return {"cases": len(cases), "passed": len(cases) - len(wrong), "wrong": wrong}


def ratios(ms: Mapping[str, float]) -> dict[str, float | None]:
    """How the comparison stands against the decoding floor and against odiff.

    The floor is the faster of decoding one PNG after another and on threads; the comparison is
    `crm-robot compare`'s way, on threads (it decodes a pair's two PNGs side by side too).
    """

    def ratio(a: str, *bottoms: str) -> float | None:
        top = ms.get(a)
        found = [ms[b] for b in bottoms if ms.get(b)]
        return round(top / min(found), 2) if top and found else None

    floor = ("decode_floor_18_pngs", "decode_floor_18_pngs_threaded")
    changed_floor = ("changed_pairs_decode_floor", "changed_pairs_decode_floor_threaded")
    return {
        "compare_with_diff_images_vs_decode_floor": ratio(
            "compare_with_diff_images_threaded", *floor
        ),
        "compare_count_only_vs_decode_floor": ratio("compare_count_only", *floor),
        "compare_with_diff_images_vs_odiff_one_at_a_time": ratio(
            "compare_with_diff_images_threaded", "odiff_one_at_a_time"
        ),
        "compare_with_diff_images_vs_odiff_two_at_a_time": ratio(
            "compare_with_diff_images_threaded", "odiff_two_at_a_time"
        ),
        "changed_pairs_compare_with_diff_images_vs_decode_floor": ratio(
            "changed_pairs_compare_with_diff_images", *changed_floor
        ),
        "changed_pairs_compare_with_diff_images_vs_odiff_one_at_a_time": ratio(
            "changed_pairs_compare_with_diff_images", "changed_pairs_odiff_one_at_a_time"
        ),
    }


def log(message: str) -> None:
    print(message, file=sys.stderr)


def measure(
    jobs: dict[str, Callable[[], object]], repeat: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Median and fastest wall time of each job in ms.

    The jobs take turns, round after round, so whatever else loads the machine falls on all of
    them alike; the fastest run is the one least disturbed.
    """
    for job in jobs.values():
        job()  # warm up: imports, allocator, file cache
    runs: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            runs[name].append((time.perf_counter() - start) * 1000)
    median = {name: round(statistics.median(r), 1) for name, r in runs.items()}
    fastest = {name: round(min(r), 1) for name, r in runs.items()}
    return median, fastest


def decode_all(pairs: list[Pair], *, threads: int) -> None:
    images = [data for _, a, b in pairs for data in (a, b)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda data: decode_png(data, "bench image"), images))


def compare_all(pairs: list[Pair], *, diff: bool, threads: int) -> dict[str, dict[str, object]]:
    def one(pair: Pair) -> dict[str, object]:
        _, a, b = pair
        result = compare_images(a, b)
        if diff and not result.identical:
            result.diff_image().save(io.BytesIO(), format="PNG", compress_level=1)
        return result.to_dict()

    by_name = {pair[0]: pair for pair in pairs}
    order = largest_first({name: (a, b) for name, a, b in pairs})  # as compare_captures does
    with ThreadPoolExecutor(max_workers=threads) as pool:
        done = dict(zip(order, pool.map(one, (by_name[name] for name in order)), strict=True))
    return {name: done[name] for name, _, _ in pairs}


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as img:
        return img.size


# --- pairs ----------------------------------------------------------------------------------


def read_pairs(folder: Path) -> list[Pair]:
    pairs = []
    for before in sorted((folder / "before").glob("*.png")):
        after = folder / "after" / before.name
        if after.is_file():
            pairs.append((before.stem, before.read_bytes(), after.read_bytes()))
    if not pairs:
        raise SystemExit(f"{folder}: no before/X.png with a matching after/X.png")
    return pairs


def few_fields_pairs() -> list[Pair]:
    """The nine screens of the sample biller in crm_sim captured, a few fields changed by the
    robot (`crm-robot convert --only crm-configuration`: the Integration Partner ID, three
    invoicing flags and the InvoiceFormatGUID), and captured again; kept in .bench-cache/."""
    folder = CACHE / "few-fields-pairs"
    if not _has_pairs(folder):
        log("capturing crm_sim, changing a few fields with the robot, capturing again ...")
        from robot.run.demo import CrmSimProcess

        with (
            tempfile.TemporaryDirectory(prefix="bench-compare-crm-") as tmp,
            CrmSimProcess(Path(tmp)) as crm,
        ):
            env = {**os.environ, "CRM_BASE_URL": crm.url, "CRM_ROBOT_OUTPUT_DIR": tmp}
            plan = str(ROOT / "plans" / "prairie-pine-mutual.toml")
            env_file = ("--env-file", str(ROOT / ".env.example"))
            _robot(env, "capture", plan, "--phase", "before", "--out", f"{tmp}/b", *env_file)
            _robot(env, "convert", plan, "--only", "crm-configuration", "--yes", *env_file)
            _robot(env, "capture", plan, "--phase", "before", "--out", f"{tmp}/a", *env_file)
            shutil.rmtree(folder, ignore_errors=True)
            for phase, out in (("before", "b"), ("after", "a")):
                (captured,) = Path(tmp, out).glob("*/*/before")
                shutil.copytree(captured, folder / phase)
    return read_pairs(folder)


def _robot(env: dict[str, str], *args: str) -> str:
    """Run `crm-robot ARGS`; what it printed on stdout."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("crm-robot")), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"crm-robot {args[0]} failed ({done.returncode}): {done.stderr[-400:]}")
    return done.stdout


def _has_pairs(folder: Path) -> bool:
    return all(
        (folder / phase / f"{stem}.png").is_file()
        for stem, _ in SCREENS
        for phase in ("before", "after")
    )


def conversion_pairs() -> list[Pair]:
    """The nine screens before and after the demo's conversion of the sample biller (run once,
    then kept in .bench-cache/conversion-pairs/)."""
    folder = CACHE / "conversion-pairs"
    if not _has_pairs(folder):
        log("running `crm-robot demo` once for real before/after captures ...")
        with tempfile.TemporaryDirectory(prefix="bench-compare-demo-") as tmp:
            printed = _robot({**os.environ, "CRM_ROBOT_OUTPUT_DIR": tmp}, "demo")
            found = re.search(r"^run folder: (.+)$", printed, re.MULTILINE)
            if not found:
                raise SystemExit("crm-robot demo printed no run folder")
            run_dir = ROOT / found[1].strip()  # an absolute path stays as it is
            shutil.rmtree(folder, ignore_errors=True)
            for phase in ("before", "after"):
                shutil.copytree(run_dir / phase, folder / phase)
    return read_pairs(folder)


def make_pairs() -> list[Pair]:
    """Nine form-like pages; the after page changes a few values (and one loses rows)."""
    folder = CACHE / "compare-pairs"
    cached = [
        (stem, folder / f"{stem}-before.png", folder / f"{stem}-after.png") for stem, _ in SCREENS
    ]
    if all(b.is_file() and a.is_file() for _, b, a in cached):
        return [(stem, b.read_bytes(), a.read_bytes()) for stem, b, a in cached]
    folder.mkdir(parents=True, exist_ok=True)
    pairs = []
    for i, (stem, title) in enumerate(SCREENS):
        rows = [(f"Setting {8 + 3 * r}", f"value-{i}-{r}-{'x' * (r % 7)}") for r in range(88)]
        after_rows = list(rows)
        for r in (2, 17 + i, 40):  # a few values changed on every screen
            after_rows[r] = (rows[r][0], rows[r][1] + " (new)")
        if stem == "06-advanced-settings":
            del after_rows[60:71]  # removed settings: the page gets shorter
        before, after = draw_page(title, rows), draw_page(title, after_rows)
        (folder / f"{stem}-before.png").write_bytes(before)
        (folder / f"{stem}-after.png").write_bytes(after)
        pairs.append((stem, before, after))
    return pairs


def draw_page(title: str, rows: list[tuple[str, str]]) -> bytes:
    font = ImageFont.load_default(size=14)
    bold = ImageFont.load_default(size=20)
    height = 200 + 20 * len(rows) + 40
    img = Image.new("RGB", (1280, height), (247, 248, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 1280, 56), fill=(23, 35, 59))
    draw.text((24, 18), "InvoiceCloud CRM", font=bold, fill="white")
    draw.rounded_rectangle((1100, 16, 1160, 40), 10, fill=(246, 199, 68))
    draw.text((1114, 20), "UAT", font=font, fill=(59, 47, 0))
    draw.rectangle((0, 56, 220, height), fill=(234, 238, 244))
    for n, label in enumerate(title for _, title in SCREENS):
        draw.text((20, 80 + 28 * n), label, font=font, fill=(31, 95, 191))
    draw.text((250, 76), f"Prairie Pine Mutual (10482) · {title}", font=bold, fill=(29, 36, 51))
    draw.rectangle((250, 120, 1250, 140 + 20 * len(rows)), fill="white", outline=(221, 226, 234))
    for n, (name, value) in enumerate(rows):
        y = 130 + 20 * n
        draw.text((264, y), name, font=font, fill=(60, 66, 80))
        draw.text((600, y), value, font=font, fill=(29, 36, 51))
        draw.text((1150, y), "Edit", font=font, fill=(31, 95, 191))
        draw.line((256, y + 18, 1244, y + 18), fill=(235, 238, 242))
    out = io.BytesIO()
    img.save(out, format="PNG")  # Chromium's screenshots use zlib's default level too
    return out.getvalue()


def write_captures(pairs: list[Pair], work: Path) -> tuple[Path, Path]:
    folders = []
    for phase, index in (("before", 1), ("after", 2)):
        folder = work / phase
        folder.mkdir()
        screens = {}
        for stem, *images in pairs:
            data = images[index - 1]
            (folder / f"{stem}.png").write_bytes(data)
            w, h = png_size(data)
            screens[stem] = ScreenRecord(
                file=f"{stem}.png", url=f"http://127.0.0.1:8765/{stem}", sha256=sha256_hex(data),
                width=w, height=h,
            )  # fmt: skip
        now = datetime.now(UTC)
        write_manifest(
            folder,
            Manifest(
                biller=BillerRef(id="10482", name="Prairie Pine Mutual", slug="ppm"),
                environment="UAT", phase=phase, run_id=f"bench-{phase}", started_at=now,  # type: ignore[arg-type]
                finished_at=now, base_url="http://127.0.0.1:8765",
                viewport=Viewport(width=1280, height=900), browser_version="bench", screens=screens,
            ),
        )  # fmt: skip
        write_values(folder, {stem: {} for stem, _ in SCREENS})
        folders.append(folder)
    return folders[0], folders[1]


# --- odiff ----------------------------------------------------------------------------------


def skipped(reason: str) -> dict[str, object]:
    log(f"odiff skipped: {reason}")
    return {"skipped": reason}


def odiff_binary() -> tuple[Path | None, str]:
    """The platform binary itself: calling it direct keeps node's start-up out of the timing."""
    prefix = CACHE / "odiff"

    def find() -> Path | None:
        native = sorted((prefix / "node_modules" / "@odiff").glob("*/odiff"))
        wrapper = prefix / "node_modules" / ".bin" / "odiff"
        return native[0] if native else (wrapper if wrapper.exists() else None)

    found = find()
    if found:
        return found, ""
    npm = shutil.which("npm")
    if not npm:
        return None, "npm not found; install Node.js to compare with odiff"
    log(f"installing odiff-bin@{ODIFF_VERSION} into {prefix} ...")
    prefix.mkdir(parents=True, exist_ok=True)
    package = f"odiff-bin@{ODIFF_VERSION}"
    done = subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", package],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return None, f"npm install {package} failed: {last}"
    found = find()
    return (found, "") if found else (None, f"{package} has no binary for this platform")


def odiff_jobs(
    binary: Path, pairs: list[Pair], work: Path, jobs: dict[str, Callable[[], object]]
) -> dict[str, object]:
    """Add odiff on every pair to `jobs` (one process after another, and two at a time);
    the description of it for the JSON."""
    counts: dict[str, str] = {}
    jobs["odiff_one_at_a_time"] = odiff_runner(binary, work, pairs, counts)
    jobs["odiff_two_at_a_time"] = odiff_runner(binary, work, pairs, counts, at_a_time=2)
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout
    return {
        "version": version.strip() or ODIFF_VERSION,
        "note": "one odiff process per pair (as a caller of its CLI would), diff PNG written, "
        "anti-aliasing ignored; odiff's colour metric is YIQ, so its counts (changed;percent) "
        "differ slightly from pixelmatch 8's",
        "output": counts,
    }


def odiff_runner(
    binary: Path, work: Path, pairs: list[Pair], counts: dict[str, str], *, at_a_time: int = 1
) -> Callable[[], None]:
    """A job running odiff on each pair, `at_a_time` processes at once; its output in `counts`."""
    folder = work / "odiff"
    folder.mkdir(exist_ok=True)
    files = []
    for stem, a, b in pairs:
        (folder / f"{stem}-a.png").write_bytes(a)
        (folder / f"{stem}-b.png").write_bytes(b)
        files.append((stem, folder / f"{stem}-a.png", folder / f"{stem}-b.png"))

    def one(item: tuple[str, Path, Path]) -> None:
        stem, a, b = item
        done = subprocess.run(
            [str(binary), str(a), str(b), str(folder / f"{stem}-diff.png"),
             "--threshold=0.1", "--antialiasing", "--parsable-stdout"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if done.returncode not in (0, 21, 22):
            raise RuntimeError(f"odiff failed on {stem}: {done.stderr or done.stdout}")
        counts[stem] = done.stdout.strip() or "identical"

    def run() -> None:
        with ThreadPoolExecutor(max_workers=at_a_time) as pool:
            list(pool.map(one, files))

    return run


if __name__ == "__main__":
    sys.exit(main())
