"""The run journal: one fsync'ed JSON line per event, secrets never written, and a reader that
tells --resume where a run stopped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from robot.core.errors import UsageError
from robot.run.journal import (
    JOURNAL_NAME,
    Journal,
    find_run_dir,
    new_run_id,
    read_events,
    summarize,
    unanswered_intents,
)

SECRET = "PPM-DEMO-PRIVATE-KEY-7f3a|ppm-demo-rtdr-pass"


def _journal(tmp_path: Path, run_id: str = "20261126T140311Z-ab12") -> Journal:
    return Journal(tmp_path / run_id, run_id)


def test_run_ids_sort_by_time_and_end_in_a_random_tail() -> None:
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{4}", new_run_id())


def test_each_event_is_one_json_line_with_time_run_and_kind(tmp_path: Path) -> None:
    with _journal(tmp_path) as journal:
        journal.step_start("ftp-setup", 4, 10)
        journal.step_finish("ftp-setup", 4, 10, changes=2)
    lines = journal.path.read_text().splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["step-start", "step-finish"]
    first = json.loads(lines[0])
    assert first["run"] == "20261126T140311Z-ab12"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["ts"])


def test_a_secret_write_is_journaled_as_changed_without_its_value(tmp_path: Path) -> None:
    with _journal(tmp_path) as journal:
        journal.intent(
            step="advanced-settings",
            screen="Advanced Settings",
            field="Setting 10",
            old="MIPS|old",
            new=SECRET,
            secret=True,
        )
        journal.write(
            step="advanced-settings",
            screen="Advanced Settings",
            field="Setting 10",
            old="MIPS|old",
            new=SECRET,
            secret=True,
        )
    text = journal.path.read_text()
    assert SECRET not in text and "MIPS|old" not in text
    write = read_events(journal.path)[-1]
    assert (write["old"], write["new"], write["secret"]) == ("changed", "changed", True)


def test_a_line_torn_by_a_kill_is_left_out(tmp_path: Path) -> None:
    with _journal(tmp_path) as journal:
        journal.step_start("datapump", 5, 10)
    with journal.path.open("a") as fh:
        fh.write('{"event": "step-fin')  # what a SIGKILL in the middle of a write leaves
    assert [e["event"] for e in read_events(journal.path)] == ["step-start"]


def test_the_reader_names_the_first_unfinished_step(tmp_path: Path) -> None:
    order = ["capture-before", "maintenance-window", "crm-configuration", "ftp-setup"]
    with _journal(tmp_path) as journal:
        journal.run_start(plan="p.toml", biller={"id": "10482"}, env="UAT", options={})
        for index, step in enumerate(order[:2], start=1):
            journal.step_start(step, index, 10)
            journal.step_finish(step, index, 10, changes=1)
        journal.step_start("crm-configuration", 3, 10)
        journal.step_fail("crm-configuration", "the CRM refused", "BusinessRuleError")
    summary = summarize(read_events(journal.run_dir / JOURNAL_NAME))
    assert summary.finished == ["capture-before", "maintenance-window"]
    assert summary.failed == ["crm-configuration"]
    assert summary.first_unfinished(order) == "crm-configuration"
    assert summary.biller == {"id": "10482"}


def test_a_step_failed_then_finished_on_resume_counts_as_finished() -> None:
    events = [
        {"event": "step-start", "step": "ftp-setup"},
        {"event": "step-fail", "step": "ftp-setup"},
        {"event": "step-start", "step": "ftp-setup"},
        {"event": "step-finish", "step": "ftp-setup"},
    ]
    summary = summarize(events)
    assert (summary.finished, summary.failed) == (["ftp-setup"], [])


def test_an_intent_without_its_write_is_what_a_kill_left_open() -> None:
    done = {
        "step": "ftp-setup",
        "screen": "FTP Management",
        "field": "New PDF setting",
        "old": "",
        "new": "p",
    }
    open_one = {**done, "field": "New Zip File setting"}
    events = [
        {"event": "intent", **done},
        {"event": "write", **done, "result": "ok"},
        {"event": "intent", **open_one},
    ]
    assert unanswered_intents(events) == [{"event": "intent", **open_one}]


def test_resume_finds_a_run_by_id_or_folder(tmp_path: Path) -> None:
    with _journal(tmp_path) as journal:
        journal.step_start("capture-before", 1, 10)
    assert find_run_dir("20261126T140311Z-ab12", tmp_path) == journal.run_dir
    assert find_run_dir(str(journal.run_dir), tmp_path / "elsewhere") == journal.run_dir


def test_resume_of_an_unknown_run_lists_the_runs_there_are(tmp_path: Path) -> None:
    with _journal(tmp_path) as journal:
        journal.step_start("capture-before", 1, 10)
    with pytest.raises(
        UsageError, match=r"no run 'nope' .* Runs of this biller: 20261126T140311Z-ab12"
    ):
        find_run_dir("nope", tmp_path)
