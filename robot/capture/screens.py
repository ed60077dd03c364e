"""The nine required screenshots of one biller, with the values read on each screen.

`capture_biller` reaches each screen as a PM does (the biller's first page, then the left
navigation), checks that the screen and the biller are the right ones, reads every field, and
takes a full-page screenshot with secrets and volatile regions painted over in one solid colour.
It writes `NN-name.png`, `values.json` (secret values as fingerprints) and, last, `manifest.json`
(robot/core/capture_format.py), so a folder without a manifest is an unfinished capture.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from pages.advanced_settings import AdvancedSettingsPage
from pages.base import PageProblem
from pages.biller import BillerPage
from pages.catalog import CAPTURE_PAGES
from robot.browser.launch import VIEWPORT
from robot.browser.session import BrowserSession
from robot.capture.shots import Shots, shots_for
from robot.core.capture_format import (
    MANIFEST_FILE,
    SCHEDULED_DIR,
    SCREEN_STEMS,
    SCREEN_TITLES,
    BillerRef,
    Manifest,
    MaskedRegion,
    ScreenRecord,
    Values,
    Viewport,
    sha256_hex,
    write_manifest,
    write_values,
)
from robot.core.conversion import SECRET_SETTINGS
from robot.core.errors import (
    CaptureError,
    CrmError,
    GuardError,
    ScreenChangedError,
    ScreenNotShownError,
)
from robot.core.fingerprint import fingerprint, load_or_create_salt
from robot.core.retry import Fault, Retry

Phase = Literal["before", "after", "scheduled"]
PHASES: tuple[Phase, ...] = ("before", "after", "scheduled")
MASK_COLOR = "#808080"  # neutral grey, the same for secret and volatile regions
ATTEMPTS = 2  # a screen that shows the wrong thing is opened once more, then the capture fails
# Where the elements a screenshot paints over are (the page objects' mask entries), in
# document coordinates.
_BOXES = """
(elements, kind) => elements.map(el => el.getBoundingClientRect())
  .filter(r => r.width > 0 && r.height > 0)
  .map(r => ({kind, x: r.left + window.scrollX, y: r.top + window.scrollY,
              width: r.width, height: r.height}))
"""
_PROBLEM_TEXT: dict[PageProblem, str] = {
    "expired": "the sign-in page (session expired)",
    "login": "the sign-in page",
    "error": "a server error page",
    "spinner": "a spinner",
}


@dataclass(frozen=True)
class ScreenProgress:
    """One screen done, for a progress display."""

    index: int
    total: int
    stem: str
    title: str
    seconds: float
    attempts: int


@dataclass
class CaptureResult:
    folder: Path
    manifest: Manifest
    values: Values
    files: list[Path] = field(default_factory=list)

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST_FILE


def capture_dir(
    output_root: Path | str,
    biller_slug: str,
    phase: Phase,
    *,
    run_id: str | None = None,
    now: datetime | None = None,
) -> Path:
    """`<root>/<slug>/<run-id>/<phase>/` for before/after, `<root>/<slug>/scheduled/<time>/`."""
    root = Path(output_root) / biller_slug
    if phase == "scheduled":
        stamp = f"{(now or datetime.now(UTC)).astimezone(UTC):%Y%m%dT%H%M%SZ}"
        folder = root / SCHEDULED_DIR / stamp
        n = 2
        while folder.exists():  # two captures in one second: keep both
            folder = root / SCHEDULED_DIR / f"{stamp}-{n}"
            n += 1
        return folder
    if not run_id:
        raise ValueError("a before/after capture belongs to a run: give run_id")
    return root / run_id / phase


def capture_biller(
    session: BrowserSession,
    plan: Any,
    phase: Phase,
    out_dir: Path | str,
    *,
    run_id: str | None = None,
    salt: bytes | None = None,
    on_screen: Callable[[ScreenProgress], None] | None = None,
    shots: Shots | None = None,
) -> CaptureResult:
    """Capture the nine screens of `plan.biller` into `out_dir` and return what was written.

    `salt` keys the fingerprints of secret values (default: the output root's salt file);
    `run_id` defaults to the name of the run folder (`<run-id>/<phase>`) or of the folder;
    `shots` takes the pictures (default: Chromium's fast capture where the browser offers it).
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    # A manifest left by an earlier attempt would vouch for PNGs it did not see.
    (folder / MANIFEST_FILE).unlink(missing_ok=True)
    if salt is None:
        salt = load_or_create_salt(Path(session.settings.output_dir))
    if run_id is None:
        run_id = folder.parent.name if phase != "scheduled" else f"scheduled-{folder.name}"
    biller_id = str(plan.biller.id)
    started = datetime.now(UTC)
    values: Values = {}
    screens: dict[str, ScreenRecord] = {}
    files: list[Path] = []
    environment = str(plan.biller.environment)
    shots = shots or shots_for(session.page, MASK_COLOR)

    for index, stem in enumerate(SCREEN_STEMS, start=1):
        t0 = datetime.now(UTC)
        screen = CAPTURE_PAGES[stem](session, biller_id)
        attempts = _open_screen(screen, stem, first=index == 1)
        _check_biller(screen, plan, stem)
        if index == 1:
            environment = _environment(screen) or environment
        values[stem] = _read_values(screen, salt)
        record, png = _shoot(
            shots, session.page, stem, session.navigation_timeout_ms, screen.masks()
        )
        path = folder / record.file
        path.write_bytes(png)
        files.append(path)
        screens[stem] = record
        if on_screen is not None:
            seconds = (datetime.now(UTC) - t0).total_seconds()
            title = SCREEN_TITLES[stem]
            on_screen(ScreenProgress(index, len(SCREEN_STEMS), stem, title, seconds, attempts))

    files.append(write_values(folder, values))
    manifest = Manifest(
        biller=BillerRef(id=biller_id, name=str(plan.biller.name), slug=str(plan.biller_slug)),
        environment=environment,
        phase=phase,
        run_id=run_id,
        started_at=started,
        finished_at=datetime.now(UTC),
        base_url=session.base_url,
        viewport=Viewport(**VIEWPORT),
        browser_version=session.browser_version,
        screens=screens,
    )
    files.append(write_manifest(folder, manifest))
    return CaptureResult(folder, manifest, values, files)


def _open_screen(screen: BillerPage, stem: str, *, first: bool) -> int:
    """Open the screen; once more (signing in again if asked) when something else shows."""

    def open_it(attempt: int) -> int:
        if attempt > 1 or (first and not screen.is_open()):
            # The biller's first page loads directly (unless the page just loaded is it);
            # a retry starts from it too.
            screen.open_first_page()
        # Each navigation checks what the CRM shows and raises when it is not the screen.
        screen.open()
        if isinstance(screen, AdvancedSettingsPage):
            screen.show_all_rows()
        return attempt

    def on_fault(fault: Fault[CrmError]) -> None:
        problem = screen.page_problem(fresh=True)
        if problem in ("expired", "login"):
            screen.session.sign_in_again(None)
        if fault.last:
            shown = _PROBLEM_TEXT[problem] if problem else f"an error ({fault.error.message})"
            raise ScreenNotShownError(
                f"{stem}: the CRM showed {shown} instead of {SCREEN_TITLES[stem]}, "
                f"{fault.tries} times; check the CRM, then capture again"
            ) from None

    # A screen changed under the robot shows the same on another try.
    retry = Retry(
        tries=ATTEMPTS, retry_on=(CrmError,), never=(ScreenChangedError,), on_fault=on_fault
    )
    return retry.run(open_it)


def _check_biller(screen: BillerPage, plan: Any, stem: str) -> None:
    shown = screen.shown_biller_id()
    if shown != str(plan.biller.id):
        what = f"biller {shown}" if shown else "no biller heading"
        raise GuardError(
            f"{stem}: the CRM shows {what} where the plan's biller {plan.biller.name} "
            f"({plan.biller.id}) was expected; nothing was captured for this screen. Check the "
            "plan's biller.id"
        )


def _environment(screen: BillerPage) -> str | None:
    return screen.environment() or None  # in the plan's words, whatever the CRM's


def _read_values(screen: BillerPage, salt: bytes) -> dict[str, str]:
    """Every field the screen shows; secret values (settings 10, 13, passwords) as fingerprints."""
    if isinstance(screen, AdvancedSettingsPage):
        out: dict[str, str] = {}
        for number, row in sorted(screen.read_settings().items()):
            # Marked by the CRM, or a secret by the robot's own rule (10, 13, any password).
            named = "password" in row.name.lower()
            secret = row.secret or number in SECRET_SETTINGS or named
            out[f"Setting {number}"] = (
                fingerprint(row.value, salt) if secret and row.value else row.value
            )
        return out
    return screen.read_values()


def _shoot(
    shots: Shots, page: Page, stem: str, timeout_ms: float, by_kind: dict[str, list[Locator]]
) -> tuple[ScreenRecord, bytes]:
    # A full-page picture of a tall screen (Advanced Settings, every row) takes as long as a
    # page load on a busy machine, not as long as a click: it gets the page load's time.
    masks = [locator for locators in by_kind.values() for locator in locators]
    try:
        boxes = mask_boxes(by_kind)
        png = shots.shoot(page, masks, boxes, timeout_ms)
    except PlaywrightError as exc:
        raise CaptureError(
            f"{stem}: the screenshot failed ({str(exc).strip().splitlines()[0]}); capture again"
        ) from None
    width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR chunk
    # An element two mask entries name (a secret the CRM marks and the robot's rule) is one box.
    masked = list(dict.fromkeys(_region(box, width, height) for box in boxes))
    record = ScreenRecord(
        file=f"{stem}.png",
        url=page.url,
        sha256=sha256_hex(png),
        width=width,
        height=height,
        masked=[m for m in masked if m.width and m.height],
    )
    return record, png


def mask_boxes(by_kind: dict[str, list[Locator]]) -> list[dict[str, Any]]:
    """Where the elements of each kind of mask are now, in document coordinates."""
    return [
        box
        for kind, locators in by_kind.items()
        for locator in locators
        for box in locator.evaluate_all(_BOXES, kind)
    ]


def _region(box: dict[str, Any], width: int, height: int) -> MaskedRegion:
    # Whole pixels covering the box, clipped to the image.
    left = max(0, int(box["x"]))
    top = max(0, int(box["y"]))
    right = min(width, int(-(-(box["x"] + box["width"]) // 1)))
    bottom = min(height, int(-(-(box["y"] + box["height"]) // 1)))
    return MaskedRegion(
        x=left,
        y=top,
        width=max(0, right - left),
        height=max(0, bottom - top),
        kind=box["kind"],
    )
