"""The before/after report: files on disk, secrets kept out, and the page in real Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, Route, expect

from robot.compare.report import ReportSummary, build_report
from robot.core.capture_format import SCREENS
from robot.core.secrets import MASKED
from robot.core.secrets import PLANNED_SECRET as SECRET
from tests.capture_builder import BASE_VALUES, changed, make_capture

CONVERSION: dict[str, dict[str, str | None]] = {
    "01-profile": {"Integration Partner ID": "IMT Spectrum", "Status": "Inactive"},
    "06-advanced-settings": {"Setting 14": None, "Setting 10": "secret:99ff"},
    "07-integration-summary": {"Integration Partner ID": "IMT Spectrum"},
}
PLAN: dict[str, dict[str, str | None]] = {
    "01-profile": {"Integration Partner ID": "IMT Spectrum"},
    "06-advanced-settings": {
        "Setting 14": None,
        "Setting 10": SECRET,
        "Setting 8": "https://www.pdspectrum.com/wsSpectrumAPICore",
    },
    "07-integration-summary": {"Integration Partner ID": "IMT Spectrum"},
}


@pytest.fixture
def report(tmp_path: Path) -> ReportSummary:
    """A conversion with one unplanned change (Status) and one missing one (Setting 8)."""
    before = make_capture(tmp_path / "run" / "before")
    after = make_capture(
        tmp_path / "run" / "after",
        changed(BASE_VALUES, CONVERSION),
        phase="after",
        clock="15:10:02 CST",
    )
    return build_report(before, after, tmp_path / "run" / "report", expected=PLAN)


def test_summary_counts_planned_missing_and_unplanned(report: ReportSummary) -> None:
    assert (report.planned, report.missing, report.unplanned, report.ok) == (4, 1, 1, False)
    data = json.loads(report.summary_json.read_text())
    assert [s["stem"] for s in data["screens"]] == [stem for stem, _ in SCREENS]
    profile = data["screens"][0]
    assert (profile["planned"], profile["missing"], profile["unplanned"]) == (1, 0, 1)
    assert profile["changed_pixels"] > 0 and profile["regions"]
    assert data["biller"] == {
        "id": "10482",
        "name": "Prairie Pine Mutual",
        "slug": "prairie-pine-mutual",
    }
    assert data["environment"] == "UAT"


def test_images_sit_beside_the_report_and_untouched_screens_get_no_diff(
    report: ReportSummary,
) -> None:
    images = report.out_dir / "images"
    for stem, _ in SCREENS:
        assert (images / f"{stem}-before.png").is_file()
        assert (images / f"{stem}-after.png").is_file()
    assert (images / "01-profile-diff.png").is_file()
    screens = {s.stem: s for s in report.screens}
    # the masked clock differs, so the screenshot bytes differ, but no counted pixel does
    assert screens["02-products"].changed_pixels == 0


def test_a_capture_compared_with_itself_reports_nine_identical_screens(tmp_path: Path) -> None:
    capture = make_capture(tmp_path / "capture")
    summary = build_report(capture, capture, tmp_path / "report")
    assert summary.ok and summary.changed_pixels == 0
    assert all(s.identical and s.images.diff is None for s in summary.screens)
    assert not list((tmp_path / "report" / "images").glob("*-diff.png"))
    assert summary.index_html.read_text().count("Screenshots identical.") == 9


def test_a_note_of_the_run_heads_the_summary_and_is_kept_in_its_json(tmp_path: Path) -> None:
    capture = make_capture(tmp_path / "capture")
    note = "went live with --go-live-anyway (asked by pm) although these checks failed: X"
    summary = build_report(capture, capture, tmp_path / "report", notes=[note])
    assert f'<p class="badge big problem" data-testid="note">{note}</p>' in (
        summary.index_html.read_text()
    )
    assert json.loads(summary.summary_json.read_text())["notes"] == [note]
    plain = build_report(capture, capture, tmp_path / "plain")
    assert 'data-testid="note"' not in plain.index_html.read_text()


def test_secret_values_and_fingerprints_reach_no_report_file(report: ReportSummary) -> None:
    for path in (report.index_html, report.summary_json):
        text = path.read_text()
        assert "secret:" not in text
        assert "99ff" not in text and "0a1b2c3d" not in text


def test_the_html_names_no_address_outside_its_folder(report: ReportSummary) -> None:
    html = report.index_html.read_text()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(s.startswith(("images/", "#screen-")) for s in sources), sources
    assert "http://" not in html.replace("http://127.0.0.1:8765", "")
    assert "https://" not in html.replace("https://www.pdspectrum.com/", "").replace(
        "https://mips.example/", ""
    )


# --- in real Chromium --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def base_url() -> None:
    """The report is opened from disk. This also stands in for pytest-playwright's fallback
    `base_url` fixture, a session-scoped instance method that pytest 9 deprecates (an error
    under filterwarnings=error)."""
    return None


@pytest.fixture
def opened(page: Page, report: ReportSummary) -> tuple[Page, list[str]]:
    """The report opened from disk, with every request it makes recorded."""
    requests: list[str] = []

    def record(route: Route) -> None:
        requests.append(route.request.url)
        route.continue_()

    def seen(request: Request) -> None:
        requests.append(request.url)

    page.route("**/*", record)
    page.on("request", seen)
    page.goto(report.index_html.as_uri())
    page.wait_for_load_state("load")
    return page, requests


def test_report_opens_from_disk_with_nine_screens_and_no_request_leaving_it(
    opened: tuple[Page, list[str]],
) -> None:
    page, requests = opened
    for stem, title in SCREENS:
        expect(page.get_by_role("region", name=f"{stem[:2]} · {title}")).to_be_visible()
    expect(page.locator("section.screen")).to_have_count(9)
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.getAttribute('src'))"
    )
    assert broken == []
    assert page.evaluate("document.images.length") >= 9 * 4
    assert any(url.endswith("01-profile-after.png") for url in requests)
    assert all(url.startswith("file://") for url in requests), requests


def test_summary_shows_the_verdict_and_counts(opened: tuple[Page, list[str]]) -> None:
    page, _ = opened
    expect(page.get_by_test_id("verdict")).to_have_text("1 unplanned, 1 missing")
    row = page.get_by_role("table", name="Screens").get_by_role("row").filter(has_text="Profile")
    expect(row.get_by_role("cell")).to_have_text(
        ["01 · Profile", "1", "0", "1", re.compile(r"\d+"), "360×108", "Check"]
    )


def test_slider_moves_the_clip_of_the_after_image(opened: tuple[Page, list[str]]) -> None:
    page, _ = opened
    section = page.get_by_role("region", name="01 · Profile")
    section.get_by_role("button", name="Slider").click()
    slider = section.get_by_label("Slider for 01-profile")
    expect(slider).to_be_visible()
    layer = section.get_by_test_id("after-layer")
    expect(layer).to_have_css("clip-path", "inset(0px 0px 0px 50%)")
    slider.fill("20")
    expect(layer).to_have_css("clip-path", "inset(0px 0px 0px 20%)")
    slider.fill("85")
    expect(layer).to_have_css("clip-path", "inset(0px 0px 0px 85%)")


def test_diff_view_and_outlines_toggle(opened: tuple[Page, list[str]]) -> None:
    page, _ = opened
    section = page.get_by_role("region", name="01 · Profile")
    diff = section.get_by_role("img", name="Profile diff")
    expect(diff).to_be_hidden()
    section.get_by_role("button", name="Diff").click()
    expect(diff).to_be_visible()
    expect(section.get_by_role("button", name="Diff")).to_have_attribute("aria-pressed", "true")
    box = section.locator("[data-pane=diff] .box:not(.ignored)").first
    expect(box).to_be_visible()
    section.get_by_label("Outline changed regions").uncheck()
    expect(box).to_be_hidden()
    untouched = page.get_by_role("region", name="02 · Products")
    expect(untouched.get_by_role("button", name="Diff")).to_be_enabled()


@pytest.mark.parametrize(
    ("screen", "field", "before", "after", "status", "colour"),
    [
        ("01 · Profile", "Status", "Active", "Inactive", "unplanned", "rgb(192, 38, 45)"),
        ("01 · Profile", "Integration Partner ID", "IMT MIPS APPS", "IMT Spectrum", "planned",
         "rgb(30, 123, 60)"),
        ("06 · Advanced Settings", "Setting 8", "https://mips.example/api",
         "https://mips.example/api", "missing", "rgb(179, 90, 0)"),
        ("06 · Advanced Settings", "Setting 10", MASKED, "changed", "planned",
         "rgb(30, 123, 60)"),
        ("06 · Advanced Settings", "Setting 14", "MIPS Legacy Flag", "absent", "planned",
         "rgb(30, 123, 60)"),
    ],
)  # fmt: skip
def test_field_table_marks_each_change_in_its_colour(
    opened: tuple[Page, list[str]],
    screen: str,
    field: str,
    before: str,
    after: str,
    status: str,
    colour: str,
) -> None:
    page, _ = opened
    table = page.get_by_role("region", name=screen).locator("table.fields").first
    row = table.get_by_role("row").filter(has=page.get_by_role("cell", name=field, exact=True))
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_have_text(field)
    expect(cells.nth(1)).to_have_text(before)
    expect(cells.nth(2)).to_have_text(after)
    badge = row.locator(".status")
    expect(badge).to_have_text(status)
    expect(badge).to_have_css("color", colour)
