"""`crm-robot doctor`: a read-only walk over every screen, tab, form and dialog the conversion
uses, checking every entry of the adaptation profile against the live CRM.

For each entry: found (one element), missing (none) or ambiguous (several), with ranked
proposals for what the screen shows instead. It writes `doctor.json`, `profile-draft.toml` and
an offline `index.html` with a screenshot of each screen, found elements outlined. It signs in,
opens forms and dialogs and leaves them; it never saves, deletes or runs anything, and it goes
on to the end of the walk however many entries miss (each look is a count, which does not
wait).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from playwright.sync_api import Error as PlaywrightError

from pages.entries import known_entries
from pages.overrides import SelectorOverrides
from robot.browser import fingerprints
from robot.browser.saved_session import SavedSession
from robot.browser.session import BrowserSession
from robot.capture.evidence import screenshot
from robot.core.errors import RobotError
from robot.core.settings import Settings
from robot.doctor.report import NEEDS_WORK, summary, write_draft, write_html, write_json
from robot.doctor.walk import AFTER_A_WRITE, STOPS, sign_in_page
from robot.doctor.walker import Finding, Stop, Walker
from robot.plan.model import ConversionPlan

# A look at an entry is a count and does not wait; actions (opening a form) get this long.
ACTION_TIMEOUT_MS = 5_000
_OUTLINE = """els => els.forEach(el => {
  el.style.outline = '3px solid #16a34a'; el.style.outlineOffset = '1px';
})"""


@dataclass
class DoctorResult:
    findings: list[Finding]
    stops: list[Stop]
    out_dir: Path
    proposed: int

    @property
    def ok(self) -> bool:
        return not any(f.status in NEEDS_WORK for f in self.findings) and not any(
            s.problem for s in self.stops
        )


def run_doctor(
    plan: ConversionPlan,
    settings: Settings,
    profile: SelectorOverrides,
    *,
    profile_path: Path | None,
    out_dir: Path,
    err: TextIO = sys.stderr,
    saved: SavedSession | None = None,
) -> DoctorResult:
    store = fingerprints.store_path(profile_path, Path(settings.output_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    session = BrowserSession(
        settings,
        selectors=profile,
        sign_in=False,
        action_timeout_ms=ACTION_TIMEOUT_MS,
        saved=saved,
    )
    with session:
        sso_username = settings.crm_username if settings.crm_sign_in == "sso" else None
        walker = Walker(
            fingerprints.load(store),
            lambda stop: _shoot(session, stop, out_dir),
            sso_username=sso_username,
        )
        _walk(walker, session, plan, err)
        walker.done()
    fingerprints.save(store, fingerprints.load(store), walker.prints)
    findings = _all_findings(walker)
    meta: dict[str, object] = {
        "crm": settings.crm_base_url,
        "biller": {"id": plan.biller.id, "name": plan.biller.name},
        "profile": str(profile_path) if profile_path else None,
        "fingerprints": str(store),
    }
    write_json(out_dir / "doctor.json", findings, walker.stops, meta)
    proposed = write_draft(out_dir / "profile-draft.toml", findings, profile)
    title = f"crm-robot doctor: {plan.biller.name} ({plan.biller.id}) on {settings.crm_base_url}"
    write_html(out_dir / "index.html", findings, walker.stops, title)
    return DoctorResult(findings, walker.stops, out_dir, proposed)


def _walk(walker: Walker, session: BrowserSession, plan: ConversionPlan, err: TextIO) -> None:
    total = len(STOPS)
    for number, stop in enumerate(STOPS, start=1):
        first = len(walker.stops)
        stop(walker, session, plan)
        for reached in walker.stops[first:]:
            _progress(err, number, total, reached)
        if stop is sign_in_page and not _signed_in(walker, session):
            return


def _signed_in(walker: Walker, session: BrowserSession) -> bool:
    try:
        session.sign_in()
    except RobotError as exc:
        walker.stop.problem = f"sign-in failed: {exc.message}"
        walker.ended_early = True
        return False
    return True


def _shoot(session: BrowserSession, stop: Stop, out_dir: Path) -> None:
    for locator in stop.located.values():
        try:
            # Whatever the locator finds now, without waiting: an element the walk found on a
            # page it has since left is simply not outlined.
            locator.evaluate_all(_OUTLINE)
        except PlaywrightError:
            continue  # the outline is a help to the reader, never a reason to stop
    name = f"screens/{stop.number:02d}.png"
    if screenshot(session, out_dir / name):
        stop.screenshot = name


def _progress(err: TextIO, number: int, total: int, stop: Stop) -> None:
    counts = summary(stop.findings)
    shown = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    problem = f"; {stop.problem}" if stop.problem else ""
    print(
        f"doctor {number}/{total} {stop.title}: {shown or 'nothing checked'}{problem}",
        file=err,
        flush=True,
    )


def _all_findings(walker: Walker) -> list[Finding]:
    """One finding per entry of the profile: what the walk found, else why it did not look."""
    unreached = {screen for stop in walker.stops if stop.problem for screen in stop.screens}
    for entry in known_entries():
        if entry.name in walker.found:
            continue
        if entry.name in AFTER_A_WRITE:
            walker.skip(entry.name, AFTER_A_WRITE[entry.name])
        elif walker.ended_early or entry.screen in unreached:
            note = "its screen was not reached"
            walker.found[entry.name] = Finding(entry, "not reached", note=note)
        else:
            walker.skip(entry.name, "not used on the conversion's screens")
    return [walker.found[name] for name in sorted(walker.found)]
