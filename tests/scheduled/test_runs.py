"""What a scheduled comparison takes as planned: the journaled writes of crm-robot's own runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from robot.core.secrets import PLANNED_SECRET
from robot.run.journal import Journal
from robot.scheduled.runs import expected_after_writes, read_run, runs_between

BASE = {
    "07-integration-summary": {"PDF Settings": "1", "Payment DataPump": "Lockbox"},
    "09-datapump-management": {
        "Payment DataPump Web": "No",
        "Payment DataPump Lockbox": "Yes",
    },
}
PATH = "ppmftp\\\\ToInvoiceCloud\\\\PDFs"
NOW = {"08-ftp-management": {f"PDF {PATH} Active": "Yes", f"PDF {PATH} Backup": "Yes"}}


def _run(
    tmp_path: Path, run_id: str, writes: list[tuple[str, str, str | None, str | None, bool]]
) -> Path:
    journal = Journal(tmp_path / run_id, run_id)
    journal.run_start(plan="plan.toml", biller={"id": "10482"}, env="UAT", options={})
    for screen, field, old, new, secret in writes:
        journal.write(step="s", screen=screen, field=field, old=old, new=new, secret=secret)
    journal.close()
    return tmp_path / run_id


def test_each_journaled_write_is_expected_on_the_screens_that_show_it(tmp_path: Path) -> None:
    run = read_run(
        _run(
            tmp_path,
            "r1",
            [
                ("Profile", "Integration Partner ID", "IMT MIPS APPS", "IMT Spectrum", False),
                ("Invoicing", "Real Time Data Refresh", "No", "Yes", False),
                ("FTP Management", "New PDF setting", "", PATH, False),
                ("DataPump Management", "Payment DataPump Web", "No", "Yes", False),
                ("Advanced Settings", "Setting 8 (RTDR Endpoint)", "a", "https://b", False),
                ("Advanced Settings", "Setting 88 (Lookup)", "x", "(deleted)", False),
                ("Advanced Settings", "Setting 10 (RTDR Key or Password)", "k", "k2", True),
                ("Advanced Settings", "Setting 16 (MIPS DataPump Password)", "p", None, True),
                ("Maintenance Windows", "New maintenance window", "", "W", False),
            ],
        )
    )
    assert run is not None
    expected = expected_after_writes([run], BASE, NOW)
    assert expected["01-profile"] == {"Integration Partner ID": "IMT Spectrum"}
    assert expected["06-advanced-settings"] == {
        "Setting 8": "https://b",
        "Setting 88": None,
        "Setting 10": PLANNED_SECRET,
        "Setting 16": None,  # a secret row the conversion removes
    }
    assert expected["07-integration-summary"] == {
        "Integration Partner ID": "IMT Spectrum",
        "Real Time Data Refresh": "On",
        "PDF Settings": "2",
        "RTDR Endpoint": "https://b",
        "Payment DataPump": "Web, Lockbox",
    }
    assert expected["08-ftp-management"] == NOW["08-ftp-management"]
    assert expected["09-datapump-management"] == {"Payment DataPump Web": "Yes"}


def test_a_run_that_failed_half_way_counts_for_its_writes_only(tmp_path: Path) -> None:
    folder = _run(
        tmp_path, "r1", [("DataPump Management", "Payment DataPump Web", "No", "Yes", False)]
    )
    Journal(folder, "r1").step_fail("advanced-settings", "the CRM refused", "BusinessRuleError")
    run = read_run(folder)
    assert run is not None
    assert expected_after_writes([run], BASE, NOW) == {
        "09-datapump-management": {"Payment DataPump Web": "Yes"},
        "07-integration-summary": {"Payment DataPump": "Web, Lockbox"},
    }


@pytest.mark.parametrize(
    ("after", "until", "found"),
    [
        (timedelta(minutes=-1), timedelta(minutes=1), ["r1"]),
        (timedelta(minutes=1), timedelta(minutes=2), []),  # ended before the base capture
        (timedelta(minutes=-2), timedelta(minutes=-1), []),  # ended after this capture began
    ],
)
def test_only_runs_that_ended_between_the_two_captures_count(
    tmp_path: Path, after: timedelta, until: timedelta, found: list[str]
) -> None:
    _run(tmp_path, "r1", [])
    (tmp_path / "not-a-run").mkdir()
    (tmp_path / "not-a-run" / "journal.jsonl").write_text('{"event": "capture"}\n')
    now = datetime.now(UTC)
    assert [r.run_id for r in runs_between(tmp_path, now + after, now + until)] == found
