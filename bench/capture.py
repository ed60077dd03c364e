"""Benchmark of the nine-screen capture; prints JSON.

Against a crm_sim it starts (no faults), with the sample biller, measured in one run:
  - capture: `capture_biller` in a signed-in browser (navigation as a PM does it, values read,
    secrets and volatile regions masked, files written), median of --repeat runs;
  - the floor: the same browser, `goto` of the nine screen URLs and a full-page screenshot each,
    same viewport, with the same screenshot options as the capture (secrets and volatile regions
    masked, animations off), so that it makes the same nine pictures; nothing else. Taken three
    ways, Playwright's screenshot and Chromium's own capture compressed for speed (as the robot
    takes its pictures in Chromium), and the fast capture over two pages of one context (one
    page loads the next screen while the other's picture is taken); the best is the floor. The
    floor without masks is reported too, to show what masking itself costs;
  - the command end to end: `crm-robot capture PLAN --phase before` as a process (Python
    start, browser launch, sign-in, capture);
  - shot-scraper's `multi` over the same nine URLs with the same signed-in state (`--auth`
    storage state), installed into .bench-cache/venv with pip and pointed at the same Chromium;
    skipped (with the reason) when it cannot be installed or run;
  - peak memory of child processes (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest
    child, e.g. Chromium's browser process or the CRM) and of this process.

Usage:
  python bench/capture.py [--repeat N] [--no-shot-scraper]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pages.base import BasePage  # noqa: E402
from pages.catalog import CAPTURE_PAGES  # noqa: E402
from pages.entries import REGISTRY  # noqa: E402
from robot.browser.session import BrowserSession  # noqa: E402
from robot.capture.screens import MASK_COLOR, capture_biller, mask_boxes  # noqa: E402
from robot.capture.shots import FastShots  # noqa: E402
from robot.core.secrets import Secret  # noqa: E402
from robot.core.settings import Settings  # noqa: E402
from robot.plan.model import load_plan  # noqa: E402

CACHE = ROOT / ".bench-cache"
PLAN = ROOT / "plans" / "prairie-pine-mutual.toml"
USERNAME = "pm.demo"
PASSWORD = "crm-demo-pass"  # the embedded CRM's demo password, public seed data
TARGET_FLOOR_RATIO = 1.1
TARGET_SHOT_SCRAPER_RATIO = 0.75


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measure (median)")
    parser.add_argument("--no-shot-scraper", action="store_true", help="skip shot-scraper")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crm-robot-bench-") as tmp:
        work = Path(tmp)
        sim, url = start_sim(work)
        try:
            result = run(url, work, args.repeat, not args.no_shot_scraper)
        finally:
            sim.terminate()
            sim.wait(timeout=10)
    result["peak_rss_mb"] = {
        "children_largest": _mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
        "this_process": _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }
    print(json.dumps(result, indent=2))
    return 0


def start_sim(work: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crm_sim", "serve", "--port", "0", "--reset"]
        + ["--db", str(work / "crm.sqlite3")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"serving (http://127\.0\.0\.1:\d+)", line)
    if not match:
        proc.terminate()
        raise SystemExit(f"crm_sim did not start: {line.strip()}")
    # Keep reading its log, so that a full pipe never stops the CRM mid-run.
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return proc, match[1]


def run(url: str, work: Path, repeat: int, with_shot_scraper: bool) -> dict[str, Any]:
    plan = load_plan(PLAN)
    settings = Settings(
        crm_base_url=url,
        crm_username=USERNAME,
        crm_password=Secret(PASSWORD),
        output_dir=work / "shots",
    )
    urls = screen_urls(url, plan.biller.id)
    capture_times: list[float] = []
    floor_times: list[float] = []
    fast_floor_times: list[float] = []
    two_page_times: list[float] = []
    unmasked_times: list[float] = []
    t0 = time.perf_counter()
    with BrowserSession(settings) as session:  # as `crm-robot capture` opens it
        start_seconds = time.perf_counter() - t0
        browser_version = session.browser_version
        # One of each first, untimed: the first screenshot of a browser pays for warm-up.
        capture_biller(session, plan, "scheduled", work / "warm" / "capture")
        floor(session, urls, work / "warm" / "floor", masked=True)
        fast_floor(session, urls, work / "warm" / "fast-floor")
        two_page_floor(session, urls, work / "warm" / "two-page-floor")
        note(f"signed in after {start_seconds:.2f}s; warmed up")
        for n in range(repeat):
            note(f"capture and floors, run {n + 1} of {repeat}")
            # Alternate the measures so that drift of the machine's load hits all alike.
            started = time.perf_counter()
            capture_biller(session, plan, "scheduled", work / f"c{n}")
            capture_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor(session, urls, work / f"f{n}", masked=True)
            floor_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            fast_floor(session, urls, work / f"ff{n}")
            fast_floor_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            two_page_floor(session, urls, work / f"tp{n}")
            two_page_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor(session, urls, work / f"u{n}", masked=False)
            unmasked_times.append(time.perf_counter() - started)
        auth = work / "auth.json"
        session.page.context.storage_state(path=str(auth))  # the signed-in cookies
    capture = statistics.median(capture_times)
    # The floor is the best of the ways to take the same nine masked pictures.
    floor_s = min(statistics.median(t) for t in (floor_times, fast_floor_times, two_page_times))
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "browser_version": browser_version,
        "screens": len(urls),
        "repeat": repeat,
        "browser_start_and_sign_in_s": round(start_seconds, 3),
        "capture_s": _stats(capture_times),
        "floor_s": _stats(floor_times),
        "floor_fast_capture_s": _stats(fast_floor_times),
        "floor_two_pages_fast_capture_s": _stats(two_page_times),
        "best_floor_s": round(floor_s, 3),
        "floor_unmasked_s": _stats(unmasked_times),
        "capture_over_floor": round(capture / floor_s, 3),
        "capture_over_unmasked_floor": round(capture / statistics.median(unmasked_times), 3),
        "target_capture_over_floor": TARGET_FLOOR_RATIO,
    }
    shot = prepare_shot_scraper(urls, auth, work) if with_shot_scraper else None
    note("crm-robot capture as a process" + (", alternating with shot-scraper" if shot else ""))
    command: list[float] = []
    shots: list[float] = []
    for n in range(repeat):
        command.append(_cli_seconds(url, work / f"cli{n}"))
        if isinstance(shot, ShotScraper):
            shots.append(shot.run(n))
    result["command_end_to_end_s"] = _stats(command)
    if isinstance(shot, ShotScraper):
        result["shot_scraper"] = {
            "seconds": _stats(shots),
            "browser": shot.browser,
            "note": "a fresh process each run: Python start, browser launch and nine shots",
        }
        result["command_over_shot_scraper"] = round(
            statistics.median(command) / statistics.median(shots), 3
        )
        result["target_command_over_shot_scraper"] = TARGET_SHOT_SCRAPER_RATIO
    elif with_shot_scraper:
        result["shot_scraper"] = {"skipped": shot}
    return result


def note(message: str) -> None:
    """Progress on stderr; the JSON result alone goes to stdout."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


def screen_urls(base: str, biller_id: str) -> dict[str, str]:
    """The nine screens' addresses; Advanced Settings with every row, as the capture shows it."""
    urls = {}
    for stem, cls in CAPTURE_PAGES.items():
        path = REGISTRY.entry(f"{cls.SCREEN}.address").default.format(id=biller_id)
        urls[stem] = base + path + ("?per_page=all" if stem == "06-advanced-settings" else "")
    return urls


def floor(session: BrowserSession, urls: dict[str, str], out: Path, *, masked: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    page = session.page
    options: dict[str, Any] = {}
    if masked:
        shown = BasePage(session)
        masks = [locator for locators in shown.masks().values() for locator in locators]
        options = {"mask": masks, "mask_color": MASK_COLOR, "animations": "disabled"}
    for stem, address in urls.items():
        page.goto(address)
        page.screenshot(path=out / f"{stem}.png", full_page=True, **options)


def fast_floor(session: BrowserSession, urls: dict[str, str], out: Path) -> None:
    """The masked floor through Chromium's own capture compressed for speed, as the robot takes
    its pictures in Chromium (robot/capture/shots.py): the same masks, the same pixels."""
    out.mkdir(parents=True, exist_ok=True)
    page = session.page
    shots = FastShots(MASK_COLOR)
    by_kind = BasePage(session).masks()
    masks = [locator for locators in by_kind.values() for locator in locators]
    for stem, address in urls.items():
        page.goto(address)
        boxes = mask_boxes(by_kind)
        (out / f"{stem}.png").write_bytes(shots.shoot(page, masks, boxes, 30_000))


class _OnPage:
    """The session as seen from another page of its context: the page objects' locators (the
    masks) are built on `page`."""

    def __init__(self, session: BrowserSession, page: Page) -> None:
        self._session = session
        self.page = page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


def two_page_floor(session: BrowserSession, urls: dict[str, str], out: Path) -> None:
    """The fast floor over two pages of the signed-in context: while one page's picture is
    taken, the other loads the next screen. The same masks and pictures as `fast_floor`."""
    out.mkdir(parents=True, exist_ok=True)
    pages = [session.page, session.context.new_page()]
    try:
        shots = [FastShots(MASK_COLOR) for _ in pages]
        by_kind = [BasePage(_OnPage(session, page)).masks() for page in pages]
        items = list(urls.items())
        # a page is handed the next screen's address as soon as the CRM starts answering
        pages[0].goto(items[0][1], wait_until="commit")
        for n, (stem, _) in enumerate(items):
            if n + 1 < len(items):
                pages[(n + 1) % 2].goto(items[n + 1][1], wait_until="commit")
            page, kinds = pages[n % 2], by_kind[n % 2]
            page.wait_for_load_state("load")
            masks = [locator for locators in kinds.values() for locator in locators]
            png = shots[n % 2].shoot(page, masks, mask_boxes(kinds), 30_000)
            (out / f"{stem}.png").write_bytes(png)
    finally:
        pages[1].close()


def _cli_seconds(url: str, out: Path) -> float:
    env = {
        **os.environ,
        "CRM_BASE_URL": url,
        "CRM_USERNAME": USERNAME,
        "CRM_PASSWORD": PASSWORD,
    }
    command = [str(Path(sys.executable).with_name("crm-robot")), "capture", str(PLAN)]
    command += ["--phase", "before", "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=out.parent, env=env, capture_output=True, text=True, timeout=300
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"crm-robot capture failed ({done.returncode}): {done.stderr.strip()}")
    return seconds


# --- shot-scraper ---------------------------------------------------------------------------


@dataclass
class ShotScraper:
    """shot-scraper's `multi` over the nine URLs, ready to run."""

    command: list[str]
    env: dict[str, str]
    work: Path
    browser: str

    def once(self, n: int) -> subprocess.CompletedProcess[str]:
        out = self.work / f"shot{n}"
        out.mkdir(exist_ok=True)
        return subprocess.run(
            self.command, cwd=out, env=self.env, capture_output=True, text=True, timeout=300
        )

    def run(self, n: int) -> float:
        started = time.perf_counter()
        done = self.once(n + 1)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"shot-scraper failed on run {n + 1}: {done.stderr.strip()[:200]}")
        return seconds


def prepare_shot_scraper(urls: dict[str, str], auth: Path, work: Path) -> ShotScraper | str:
    """Install shot-scraper (once, into .bench-cache/venv), point it at the robot's Chromium and
    run it once untimed; the reason it cannot be used otherwise."""
    venv = CACHE / "venv"
    tool = venv / "bin" / "shot-scraper"
    if not tool.exists():
        made = subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True
        )
        pip = [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
        got = made.returncode == 0 and subprocess.run(
            [*pip, "shot-scraper"], capture_output=True, text=True
        )
        if not got or got.returncode != 0 or not tool.exists():
            why = (got.stderr if got else made.stderr).strip().splitlines()[-1:] or ["?"]
            return f"pip could not install shot-scraper: {why[0]}"
    browsers = CACHE / "pw-browsers"
    env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(browsers)}
    config = work / "shots.yml"
    lines = []
    for stem, address in urls.items():
        # No height: shot-scraper then takes the full page.
        lines += [f"- url: {address}", f"  output: {stem}.png", "  width: 1280"]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [str(tool), "multi", str(config), "--auth", str(auth), "--silent"]
    command += [f"--browser-arg={arg}" for arg in _browser_args()]
    tool_run = ShotScraper(command, env, work, "")
    first = tool_run.once(0)
    if first.returncode != 0 and _point_at_system_chromium(first.stderr + first.stdout):
        first = tool_run.once(0)
    if first.returncode != 0:
        tail = (first.stderr or first.stdout).strip().splitlines()[-1:] or ["?"]
        return f"shot-scraper failed: {tail[0]}"
    links = [p for p in browsers.rglob("*") if p.is_symlink()] if browsers.is_dir() else []
    tool_run.browser = str(links[0].resolve()) if links else "its own Playwright Chromium"
    return tool_run


def _browser_args() -> list[str]:
    from robot.browser.launch import launch_args

    return launch_args()


def _point_at_system_chromium(output: str) -> str | None:
    """shot-scraper has no executable option; its Playwright looks for its own build under
    PLAYWRIGHT_BROWSERS_PATH, so the missing path it names is linked to the robot's Chromium."""
    match = re.search(r"Executable doesn't exist at (\S+)", output)
    if not match:
        return None
    from playwright.sync_api import sync_playwright

    from robot.browser.launch import chromium_executable

    with sync_playwright() as p:
        target = chromium_executable(os.environ.get("CRM_ROBOT_BROWSER_EXECUTABLE"), p)
    missing = Path(match[1])
    missing.parent.mkdir(parents=True, exist_ok=True)
    if missing.is_symlink() or missing.exists():
        missing.unlink()
    missing.symlink_to(target)
    return str(target)


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def _mb(kilobytes: int) -> float:
    return round(kilobytes / 1024, 1)


if __name__ == "__main__":
    shutil.rmtree(CACHE / "tmp", ignore_errors=True)
    sys.exit(main())
