"""summary.html, the PM's one page of a run, made from the journal alone: what each step did,
the checkpoint answers, the verification table, the RTDR result, notes and links; no secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from robot.core.secrets import MASKED
from robot.run.journal import Journal
from robot.run.summary_page import SUMMARY_NAME, summarize_run, write_summary

RUN = "20261203T220000Z-ab12"
BILLER = {"id": "10482", "name": "Prairie Pine Mutual", "guid": "G"}


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """A run that did the RTDR test and verify, overrode go-live, and stopped on capture-after."""
    folder = tmp_path / RUN
    with Journal(folder, RUN) as journal:
        journal.run_start(plan="plan.toml", biller=BILLER, env="UAT", options={})
        journal.step_start("rtdr-test", 7, 10)
        journal.event("checks", step="rtdr-test", rows=[_row("Data Refresh returns invoices")])
        journal.step_finish("rtdr-test", 7, 10, 0)
        journal.step_start("verify", 8, 10)
        rows = [_row("Profile Integration Partner ID"), _row("Setting 10", MASKED, MASKED)]
        journal.event("checks", step="verify", rows=rows)
        journal.step_finish("verify", 8, 10, 0)
        journal.step_start("go-live", 9, 10)
        journal.event("go-live-anyway", step="go-live", by="pm", failed=["Setting 8 (RTDR)"])
        journal.event(
            "checkpoint",
            step="go-live",
            question="Has the provider confirmed?",
            answer="yes",
            source="--yes",
            user="pm",
        )
        journal.write(
            step="go-live", screen="Maintenance Windows", field="W: Active", old="Yes", new="No"
        )
        journal.step_finish("go-live", 9, 10, 1)
        journal.step_start("capture-after", 10, 10)
        journal.step_fail("capture-after", "the CRM did not answer", "TransientCrmError")
        journal.event("run-finish", status="failed", changes=1, seconds=3.0)
    return folder


def _row(name: str, expected: str = "yes", found: str = "yes") -> dict[str, object]:
    return {"name": name, "expected": expected, "found": found, "ok": expected == found}


def test_each_step_of_the_run_has_its_result_and_the_steps_not_run_are_left_out(
    run_dir: Path,
) -> None:
    summary = summarize_run(run_dir)
    assert [(s.id, s.result, s.writes) for s in summary.steps] == [
        ("rtdr-test", "done", 0),
        ("verify", "done", 0),
        ("go-live", "done", 1),
        ("capture-after", "failed", 0),
    ]
    assert summary.steps[-1].detail == "the CRM did not answer"
    assert (summary.status, summary.biller["name"], summary.run_id) == (
        "failed",
        "Prairie Pine Mutual",
        RUN,
    )
    assert summary.user  # the operating-system user who ran it


def test_the_page_shows_answers_checks_rtdr_note_and_links_and_no_report_it_lacks(
    run_dir: Path,
) -> None:
    path = write_summary(run_dir)
    assert path == run_dir / SUMMARY_NAME
    html = path.read_text()
    assert (
        "<td>go-live</td><td>Has the provider confirmed?</td><td>yes</td><td>--yes (pm)</td>"
        in html
    )
    assert "<td>Profile Integration Partner ID</td><td>yes</td><td>yes</td>" in html
    assert f"<td>Setting 10</td><td>{MASKED}</td><td>{MASKED}</td>" in html
    assert 'Data Refresh returns invoices: <span class="ok">yes</span>' in html
    assert "went live with --go-live-anyway (asked by pm)" in html
    assert '<a href="journal.jsonl">Journal</a>' in html
    assert "No before/after report" in html
    assert 'data-testid="status">failed</dd>' in html


def test_a_report_in_the_run_folder_is_linked(run_dir: Path) -> None:
    (run_dir / "report").mkdir()
    (run_dir / "report" / "index.html").write_text("<html></html>")
    assert '<a href="report/index.html">Before/after report</a>' in (
        write_summary(run_dir).read_text()
    )


def test_plan_text_in_the_journal_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / RUN
    with Journal(folder, RUN) as journal:
        biller = {**BILLER, "name": "<script>x</script> & Co"}
        journal.run_start(plan="p.toml", biller=biller, env="UAT", options={})
    html = write_summary(folder).read_text()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; Co" in html
