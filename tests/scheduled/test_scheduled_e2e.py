"""Scheduled capture of several billers, end to end: the real command, a real Chromium, a real
crm_sim with Sim Billers 001-003, as cron runs it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.scheduled.support import Scheduler, capture_names, set_primary_contact

SIM_1, SIM_2, SIM_3 = "90001", "90002", "90003"
SHORT_TIMEOUT_MS = "3000"  # pages load in 9 s at most (3x), still ample for a CRM answering in ms


@pytest.mark.e2e
@pytest.mark.slow
def test_a_biller_that_times_out_fails_alone_and_never_replaces_its_good_capture(
    scheduler: Callable[..., Scheduler],
) -> None:
    run = scheduler(billers=3)
    first = run.run("--workers", "2")
    assert first.code == 0, first.stderr
    assert first.statuses() == {SIM_1: "baseline", SIM_2: "baseline", SIM_3: "baseline"}
    good = first.biller(SIM_2)["capture"]

    # Sim Biller 002's pages never answer in time; the sign-in and the other billers do.
    run.sim.set_faults("slow=/billers/90002/:60s")
    # A shorter wait than the other runs': the two loads that time out are what this run costs.
    broken = run.run("--workers", "2", timeout_ms=SHORT_TIMEOUT_MS)
    assert broken.code == 3, broken.stderr
    assert broken.statuses() == {SIM_1: "unchanged", SIM_2: "failed", SIM_3: "unchanged"}
    failed = broken.biller(SIM_2)
    assert failed["exit_code"] == 3
    # The screen was opened twice; another whole attempt would only time out twice more.
    assert failed["attempts"] == 1
    assert failed["error"].startswith(
        "01-profile: the CRM showed an error (Profile: the CRM did not answer in time"
    )
    assert failed["error"].endswith(
        "instead of Profile, 2 times; check the CRM, then capture again"
    )
    line = f"Sim Biller 002 (90002): FAILED {failed['duration_s']:.1f}s: {failed['error']}"
    assert line in broken.stderr
    assert json.loads((Path(failed["capture"]) / "status.json").read_text())["status"] == "failed"

    # Back to normal: the comparison base is still the good capture, not the failed attempt.
    run.sim.set_faults("")
    after = run.run("--workers", "2")
    assert after.code == 0, after.stderr
    assert after.statuses() == {SIM_1: "unchanged", SIM_2: "unchanged", SIM_3: "unchanged"}
    assert after.biller(SIM_2)["compared_with"] == good


@pytest.mark.e2e
@pytest.mark.slow
def test_a_change_made_in_the_crm_between_runs_is_reported_as_unplanned(
    scheduler: Callable[..., Scheduler],
) -> None:
    run = scheduler(billers=3)
    signed_in = run.sim.sign_ins()
    first = run.run("--workers", "2", "--keep", "1")
    assert first.code == 0, first.stderr
    assert run.sim.sign_ins() - signed_in == 2  # once per worker's browser, not per biller

    set_primary_contact(run.sim.url, SIM_2, "Dana Whitfield")
    changed = run.run("--workers", "2", "--keep", "1", "--json")
    assert changed.code == 1, changed.stderr
    assert json.loads(changed.stdout) == changed.summary  # --json prints what --summary wrote
    assert changed.statuses() == {SIM_1: "unchanged", SIM_2: "changed", SIM_3: "unchanged"}
    biller = changed.biller(SIM_2)
    assert biller["unplanned"] == [
        {"screen": "01-profile", "field": "Primary Contact", "change": "changed"}
    ]
    assert biller["screens_changed"] == ["01-profile"]
    for other in (SIM_1, SIM_3):
        assert changed.biller(other)["unplanned"] == []
        assert changed.biller(other)["screens_changed"] == []
    assert "CHANGED, 1 unplanned (01-profile: Primary Contact)" in changed.stderr

    report = Path(biller["report"])
    assert report == Path(biller["capture"]) / "report" / "index.html"
    html = report.read_text()
    assert "Dana Whitfield" in html and "Primary Contact" in html
    fields = json.loads((report.parent / "summary.json").read_text())["screens"][0]["fields"]
    moved = [(f["field"], f["after"], f["status"]) for f in fields if f["status"] != "unchanged"]
    assert moved == [("Primary Contact", "Dana Whitfield", "unplanned")]

    # Nobody accepted the change: the next run reports it again, against the same base.
    again = run.run("--workers", "2", "--keep", "1")
    assert again.code == 1, again.stderr
    assert again.biller(SIM_2)["unplanned"] == biller["unplanned"]
    assert again.biller(SIM_2)["compared_with"] == first.biller(SIM_2)["capture"]

    # A person accepts it (who, when, why go into the capture's status); then nothing changed
    # since: exit 0. --keep 1 leaves the baseline and the newest capture.
    accepted = run.crm_robot(
        "baseline", "accept", SIM_2, "--reason", "new contact on request", "--out", str(run.out)
    )
    assert accepted.returncode == 0, accepted.stderr
    assert f"{again.biller(SIM_2)['capture']} accepted as the comparison base" in accepted.stdout
    status = json.loads((Path(again.biller(SIM_2)["capture"]) / "status.json").read_text())
    assert status["accepted"]["reason"] == "new contact on request"
    unchanged = run.run("--workers", "2", "--keep", "1")
    assert unchanged.code == 0, unchanged.stderr
    assert set(unchanged.statuses().values()) == {"unchanged"}
    assert unchanged.biller(SIM_2)["compared_with"] == again.biller(SIM_2)["capture"]
    baseline = Path(first.biller(SIM_2)["capture"]).name
    newest = Path(unchanged.biller(SIM_2)["capture"]).name
    assert capture_names(run.out, "sim-biller-002") == [baseline, newest]
