"""A headed conversion answered only by clicks in the page, as the PM watching it would answer.

The robot runs headed in a real Chromium under a virtual display (Xvfb); the test is the PM: a
second DevTools connection to that browser, which finds each checkpoint panel on the screen by
its button's colour (the panel sits in a closed shadow root, out of reach of any locator) and
clicks it with the mouse. The run must convert the biller, journal every answer as given in the
page, and leave no panel pixel in any proof screenshot.
"""

from __future__ import annotations

import getpass
import io
import queue
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from robot.browser.headed import BANNER_ID
from robot.browser.panel import ACCENT, BINDING, BUTTONS, PANEL_ID, CheckpointPanel
from scenarios.ports import Answer, Shown
from tests.conversion.support import BILLER, ROOT, RUN_TIMEOUT_S, Cli, assert_converted
from tests.support.crm_sim_server import CrmSimServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ASKED = "Answer in the browser window"
BANNER_TEXT = (253, 230, 138)  # the step banner's text colour (robot/browser/headed.py)


def _crm_page(browser: Browser, crm_url: str) -> Page:
    pages = [p for c in browser.contexts for p in c.pages if p.url.startswith(crm_url)]
    assert len(pages) == 1, f"the robot's page is not the one CRM page: {[p.url for p in pages]}"
    return pages[0]


def _click(page: Page, answer: Answer) -> None:
    """Find the answer's button on screen by its colour and click it, as a person would."""
    panel = page.locator(f"#{PANEL_ID}")
    panel.wait_for(state="visible")
    box = panel.bounding_box()
    assert box is not None
    with Image.open(io.BytesIO(panel.screenshot())) as shot:
        pixels = np.asarray(shot.convert("RGB")).astype(int)
    ys, xs = np.nonzero((pixels == np.array(BUTTONS[answer][2])).all(axis=2))
    assert len(xs) > 200, f"no {answer} button in the panel"
    page.mouse.click(box["x"] + float(xs.mean()), box["y"] + float(ys.mean()))


def _lines(stream: io.TextIOBase, into: queue.Queue[str | None]) -> None:
    for line in stream:
        into.put(line)
    into.put(None)


def _answer_every_checkpoint(
    run: subprocess.Popen[str], endpoint: str, crm_url: str
) -> tuple[int, str]:
    """Click Continue at each question the run asks; the number of clicks and its stderr."""
    assert run.stderr is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(run.stderr, lines), daemon=True).start()
    clicks, said = 0, []
    with sync_playwright() as playwright:
        while (line := lines.get(timeout=RUN_TIMEOUT_S)) is not None:
            said.append(line)
            if ASKED not in line:
                continue
            # Connected only while answering, like a PM who touches the browser only then: a
            # second connection would also be offered the CRM's confirm() dialogs.
            browser = playwright.chromium.connect_over_cdp(endpoint)
            try:
                page = _crm_page(browser, crm_url)
                if clicks == 0:
                    # A full-page load while the question is open: the panel is drawn again,
                    # and the robot's own locators cannot reach its buttons.
                    page.reload()
                    assert page.get_by_role("button", name="Continue (c)").count() == 0
                _click(page, "continue")
            finally:
                browser.close()  # over CDP: the connection goes, the robot's browser stays
            clicks += 1
    return clicks, "".join(said)


def test_a_headed_run_answered_by_clicks_in_the_page_converts_the_biller(
    crm_sim: CrmSimServer, tmp_path: Path, headed_chromium: str
) -> None:
    cli = Cli(crm_sim.url, tmp_path / "out")
    with subprocess.Popen(
        cli.command("--headed"), cwd=ROOT, env=cli.env(CRM_ROBOT_BROWSER_ENDPOINT=headed_chromium),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as run:  # fmt: skip
        assert run.stdout is not None
        out = threading.Thread(target=run.stdout.read, daemon=True)  # stdout must never fill
        out.start()
        # The PM's clicks come from a thread of their own: a Playwright of the sync API
        # belongs to its thread, and this one may already run pytest-playwright's.
        with ThreadPoolExecutor(1) as pm:
            answering = pm.submit(_answer_every_checkpoint, run, headed_chromium, crm_sim.url)
            clicks, said = answering.result()
        assert run.wait(timeout=RUN_TIMEOUT_S) == 0, said
        out.join()
    assert_converted(crm_sim.state(BILLER))

    events = [e for e in cli.journal() if e["event"] == "checkpoint"]
    assert len(events) == clicks >= 8, said
    assert {(e["answer"], e["source"], e["user"]) for e in events} == {
        ("continue", "page", getpass.getuser())
    }
    assert any(e["step"] == "go-live" for e in events)
    run_dir = cli.run_dirs()[-1]
    proofs = sorted(run_dir.glob("before/*.png")) + sorted(run_dir.glob("after/*.png"))
    proofs += sorted((run_dir / "steps").glob("*.png"))
    assert len(proofs) >= 18
    for proof in proofs:
        with Image.open(proof) as image:
            pixels = np.asarray(image.convert("RGB"))
        assert not (pixels == np.array(ACCENT)).all(axis=2).any(), f"panel pixels in {proof.name}"
    # The step banner of a headed run is in the step screenshots (not in the nine captures).
    with Image.open(run_dir / "steps" / "03-crm-configuration.png") as image:
        top = np.asarray(image.convert("RGB"))[:48].astype(int)
    assert int((np.abs(top - np.array(BANNER_TEXT)).max(axis=2) <= 8).sum()) > 150, BANNER_ID


def _panel_shown(page: Page) -> bool:
    return page.locator(f"#{PANEL_ID}").count() == 1


def test_only_a_person_answers_the_open_question_and_the_panel_outlives_a_page_load(
    crm_sim: CrmSimServer, page: Page
) -> None:
    page.goto(f"{crm_sim.url}/login")
    panel = CheckpointPanel(page)
    panel.open(Shown("5/10 DataPump", "Make these 2 change(s)?", ("a: 1 -> 2",)), required=False)
    assert _panel_shown(page)
    # A page script can neither press a key of the panel's nor call the binding for it.
    page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'c'}))")
    page.evaluate(f"window.{BINDING}('an old question', 'continue')")
    assert panel.answer(50) is None
    page.reload()
    assert _panel_shown(page)
    page.keyboard.press("s")
    assert panel.answer(50) == "skip"
    panel.close()
    assert not _panel_shown(page)
    page.reload()
    assert not _panel_shown(page)
