"""The overview page of a scheduled run, as a reader sees it: a row per biller with its status in
words, thumbnails of the changed screens only, links that resolve from the page's folder, the
trend of earlier runs, acceptances, and nothing of the machine's own paths or any script."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from PIL import Image

from robot.core.steps import SCREEN_STEMS
from robot.scheduled.overview import SUMMARY_NAME, run_folder, run_stamp, write_overview
from robot.scheduled.summary import (
    BillerSummary,
    ScheduledSummary,
    UnplannedChange,
    counts,
    overall_exit_code,
)

STARTED = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
EARLIER = (datetime(2026, 12, 1, 2, 0, tzinfo=UTC), datetime(2026, 12, 2, 2, 0, tzinfo=UTC))
SCRIPT_NAME = "<script>alert(1)</script> Water"
RUN_ID = "20261202T220000Z-ab12"
CONTACT = "Primary Contact"
PIXELS = "06-advanced-settings"  # changed outside the masks while none of its fields did
ACCEPTED = {"by": "pm", "at": "2026-12-02T09:15:00Z", "reason": "new contact agreed"}


class Page(HTMLParser):
    """What the page shows: per biller row, the texts, links, images and trend squares."""

    def __init__(self) -> None:
        super().__init__()
        self.head: dict[str, str] = {}
        self.rows: dict[str, dict[str, list[str]]] = {}
        self._row: dict[str, list[str]] | None = None
        self._text: tuple[str, list[str], int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-biller" in a:
            self._row = self.rows.setdefault(a["data-biller"], defaultdict(list))
        if self._text is not None:
            self._text = (self._text[0], self._text[1], self._text[2] + 1)
        elif "data-testid" in a:
            self._text = (a["data-testid"], [], 1)
        if self._row is None:
            return
        if tag == "img":
            self._row["img"].append(a["src"])
            self._row["stem"].append(a["data-stem"])
        if tag == "a":
            self._row[f"href:{a.get('data-testid', 'image')}"].append(a["href"])
        if "data-status" in a:
            self._row["squares"].append(a["data-status"])
            self._row["square-titles"].append(a["title"])

    def handle_endtag(self, tag: str) -> None:
        if self._text is None:
            return
        name, parts, depth = self._text
        self._text = (name, parts, depth - 1) if depth > 1 else None
        if depth == 1:
            text = " ".join(" ".join(parts).split())
            if self._row is None:
                self.head[name] = text
            else:
                self._row[name].append(text)

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text[1].append(data)


def _capture(root: Path, slug: str, accepted: dict[str, str] | None = None) -> Path:
    """A capture folder with all nine screens, a status.json and a report."""
    folder = root / slug / "scheduled" / "20261203T020102Z"
    (folder / "report").mkdir(parents=True, exist_ok=True)
    for stem in SCREEN_STEMS:
        Image.new("RGB", (8, 8), "white").save(folder / f"{stem}.png")
    status: dict[str, object] = {"status": "good", "written_at": "2026-12-03T02:01:30Z"}
    if accepted:
        status["accepted"] = accepted
    (folder / "status.json").write_text(json.dumps(status), encoding="utf-8")
    (folder / "report" / "index.html").write_text("<p>report</p>", encoding="utf-8")
    return folder


def _biller(
    root: Path,
    biller_id: str,
    status: str,
    accepted: dict[str, str] | None = None,
    **extra: object,
) -> BillerSummary:
    capture = _capture(root, f"b-{biller_id}", accepted)
    report = str(capture / "report" / "index.html") if status in ("planned", "changed") else None
    fields = {"capture": str(capture), "report": report, "exit_code": 0, **extra}
    return BillerSummary.model_validate(
        {"biller_id": biller_id, "name": f"Biller {biller_id}", "slug": f"b-{biller_id}"}
        | {"status": status}
        | fields
    )


def _summary(root: Path, started: datetime, billers: list[BillerSummary]) -> ScheduledSummary:
    return ScheduledSummary(
        started_at=started,
        finished_at=started.replace(minute=7),
        duration_s=421.5,
        output_root=str(root),
        workers=2,
        browser="launched",
        exit_code=int(overall_exit_code(billers)),
        counts=counts(billers),
        billers=billers,
    )


def _tonight(root: Path) -> ScheduledSummary:
    unplanned = [
        UnplannedChange(screen="01-profile", field=CONTACT, change="changed"),
        UnplannedChange(screen=PIXELS, field=None, change="pixels"),
    ]
    billers = [
        _biller(root, "10001", "baseline"),
        _biller(root, "10002", "unchanged"),
        _biller(
            root,
            "10003",
            "planned",
            screens_changed=["04-obd"],
            planned=["04-obd: OBD Enabled", "04-obd: OBD Mode"],
            runs=[RUN_ID],
        ),
        _biller(
            root,
            "10004",
            "changed",
            exit_code=1,
            screens_changed=["01-profile", PIXELS],
            unplanned=unplanned,
            accepted=ACCEPTED,
        ),
        _biller(root, "10005", "failed", exit_code=3, capture=None, error="the CRM did not answer"),
        _biller(root, "10006", "busy", capture=None, error="a conversion holds the biller"),
    ]
    billers[5].name = SCRIPT_NAME
    return _summary(root, STARTED, billers)


def _earlier_runs(root: Path) -> None:
    """Two earlier runs and one that cannot be read, each where write_overview put it."""
    for started, status in zip(EARLIER, ("unchanged", "failed"), strict=True):
        write_overview(root, _summary(root, started, [_biller(root, "10004", status)]))
    broken = root / "scheduled" / "20261130T020000Z"
    broken.mkdir(parents=True)
    (broken / SUMMARY_NAME).write_text("{not json", encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "screenshots"


@pytest.fixture
def overview(root: Path) -> tuple[Path, str, Page]:
    _earlier_runs(root)
    path = write_overview(root, _tonight(root))
    html = path.read_text(encoding="utf-8")
    parsed = Page()
    parsed.feed(html)
    return path, html, parsed


def test_the_page_and_the_summary_go_into_the_runs_folder(root: Path) -> None:
    summary = _tonight(root)
    path = write_overview(root, summary)
    assert path == root / "scheduled" / "20261203T020000Z" / "index.html"
    assert run_stamp(summary.started_at) == "20261203T020000Z"
    written = ScheduledSummary.model_validate_json((path.parent / SUMMARY_NAME).read_text())
    assert written == summary


def test_a_run_started_in_the_same_second_as_the_last_keeps_its_own_page(root: Path) -> None:
    summary = _tonight(root)
    first = write_overview(root, summary, folder=run_folder(root, summary.started_at))
    second = write_overview(root, summary, folder=run_folder(root, summary.started_at))
    assert (first.parent.name, second.parent.name) == ("20261203T020000Z", "20261203T020000Z-2")
    assert first.is_file() and second.is_file()


@pytest.mark.parametrize(
    ("biller", "words"),
    [
        ("10001", "baseline"),
        ("10002", "unchanged"),
        ("10003", "changed as planned"),
        ("10004", "changed, unplanned"),
        ("10005", "failed"),
        ("10006", "busy"),
    ],
)
def test_each_biller_has_one_row_with_its_status_in_words(
    overview: tuple[Path, str, Page], biller: str, words: str
) -> None:
    _, _, parsed = overview
    assert len(parsed.rows) == 6
    assert parsed.rows[biller]["status"] == [words]


@pytest.mark.parametrize(
    ("biller", "key", "shown"),
    [
        ("10003", "planned", ["2"]),
        ("10004", "unplanned", [f"01-profile: {CONTACT} (changed)", f"{PIXELS}: pixels only"]),
        ("10004", "accepted", [f"accepted as base by pm at {ACCEPTED['at']}: new contact agreed"]),
        ("10001", "accepted", []),
        ("10005", "error", ["the CRM did not answer"]),
        ("10006", "error", ["a conversion holds the biller"]),
    ],
)  # fmt: skip
def test_the_row_tells_what_changed_and_why(
    overview: tuple[Path, str, Page], biller: str, key: str, shown: list[str]
) -> None:
    _, _, parsed = overview
    assert parsed.rows[biller][key] == shown


def test_a_planned_change_names_the_run_that_made_it(overview: tuple[Path, str, Page]) -> None:
    _, html, _ = overview
    assert f"by run {RUN_ID}" in html


@pytest.mark.parametrize(
    ("biller", "stems"),
    [
        ("10001", []),
        ("10002", []),
        ("10003", ["04-obd"]),
        ("10004", ["01-profile", "06-advanced-settings"]),
        ("10005", []),
    ],
)
def test_only_the_changed_screens_have_thumbnails_and_they_resolve(
    overview: tuple[Path, str, Page], biller: str, stems: list[str]
) -> None:
    path, _, parsed = overview
    row = parsed.rows[biller]
    assert row["stem"] == stems
    assert [Path(unquote(src)).name for src in row["img"]] == [f"{s}.png" for s in stems]
    assert row["href:image"] == row["img"]  # each thumbnail opens the full image
    assert all((path.parent / unquote(src)).resolve().is_file() for src in row["img"])


@pytest.mark.parametrize(
    ("biller", "report", "capture"),
    [("10001", False, True), ("10003", True, True), ("10004", True, True), ("10005", False, False)],
)
def test_the_report_and_capture_links_resolve_from_the_pages_folder(
    overview: tuple[Path, str, Page], biller: str, report: bool, capture: bool
) -> None:
    path, _, parsed = overview
    row = parsed.rows[biller]
    reports = [(path.parent / unquote(h)).resolve() for h in row["href:report"]]
    captures = [(path.parent / unquote(h)).resolve() for h in row["href:capture"]]
    assert [r.is_file() and r.name == "index.html" for r in reports] == ([True] if report else [])
    assert [c.is_dir() and c.name == "20261203T020102Z" for c in captures] == (
        [True] if capture else []
    )


def test_the_trend_shows_the_earlier_runs_oldest_first(overview: tuple[Path, str, Page]) -> None:
    _, _, parsed = overview
    assert parsed.rows["10004"]["squares"] == ["unchanged", "failed"]
    assert parsed.rows["10004"]["square-titles"] == [
        "2026-12-01 02:00:00 UTC: unchanged",
        "2026-12-02 02:00:00 UTC: failed",
    ]
    assert parsed.rows["10001"]["squares"] == []  # in no earlier run


@pytest.mark.parametrize(
    ("history", "trend"), [(5, ["unchanged", "failed"]), (1, ["failed"]), (0, [])]
)
def test_the_trend_holds_at_most_history_runs(root: Path, history: int, trend: list[str]) -> None:
    _earlier_runs(root)
    parsed = Page()
    parsed.feed(write_overview(root, _tonight(root), history=history).read_text())
    assert parsed.rows["10004"]["squares"] == trend


def test_a_later_run_is_not_part_of_an_earlier_runs_trend(root: Path) -> None:
    _earlier_runs(root)
    first = _summary(root, EARLIER[0], [_biller(root, "10004", "unchanged")])
    parsed = Page()
    parsed.feed(write_overview(root, first).read_text())
    assert parsed.rows["10004"]["squares"] == []


def test_the_header_gives_the_run_at_a_glance(overview: tuple[Path, str, Page]) -> None:
    _, html, parsed = overview
    assert parsed.head["started"] == "2026-12-03 02:00:00 UTC"
    assert parsed.head["exit-code"] == "3"
    assert parsed.head["counts"] == (
        "1 baseline 1 unchanged 1 changed as planned 1 changed, unplanned 1 failed 1 busy"
    )
    assert "421.5s" in html


def test_the_page_is_offline_escaped_and_holds_no_path_of_the_machine(
    overview: tuple[Path, str, Page], tmp_path: Path
) -> None:
    _, html, parsed = overview
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Water" in html
    assert str(tmp_path) not in html
    assert "http://" not in html and "https://" not in html


def test_a_relative_output_root_gives_the_same_relative_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = Path("screenshots")
    path = write_overview(root, _tonight(root))
    parsed = Page()
    parsed.feed(path.read_text())
    src = parsed.rows["10003"]["img"]
    assert src == ["../../b-10003/scheduled/20261203T020102Z/04-obd.png"]
    assert (path.parent / src[0]).is_file()
