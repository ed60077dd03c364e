"""Scheduled capture knows what crm-robot changed: a conversion's writes are planned, a change
by hand is not. The real commands, a real Chromium, a real crm_sim, one output root."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conversion.support import BILLER, Cli
from tests.scheduled.support import Scheduler, set_primary_contact
from tests.support.crm_sim_server import CrmSimServer
from tests.support.sim_plans import SAMPLE_PLAN

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_conversion_between_two_captures_is_planned_and_a_change_by_hand_is_not(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    sim = start_crm_sim()
    scheduled = Scheduler(sim, tmp_path / "screenshots", [SAMPLE_PLAN], tmp_path)
    assert scheduled.run().statuses() == {BILLER: "baseline"}

    cli = Cli(sim.url, scheduled.out)  # the same output root
    converted = cli.run("--yes")
    assert converted.returncode == 0, converted.stderr
    run_id = cli.run_dirs()[-1].name

    after = scheduled.run()
    assert after.code == 0, after.stderr
    biller = after.biller(BILLER)
    assert (biller["status"], biller["runs"], biller["unplanned"]) == ("planned", [run_id], [])
    for field in (
        "01-profile: Integration Partner ID",
        "06-advanced-settings: Setting 8",
        "06-advanced-settings: Setting 10",  # a secret: planned as changed, never shown
        "06-advanced-settings: Setting 88",  # removed
        "07-integration-summary: PDF Settings",
        "07-integration-summary: Payment DataPump",
        "09-datapump-management: Payment DataPump Lockbox",
    ):
        assert field in biller["planned"]
    assert f"changed as planned by run {run_id}" in after.stderr
    report = json.loads((Path(biller["report"]).parent / "summary.json").read_text())
    assert (report["ok"], report["unplanned"], report["missing"]) == (True, 0, 0)
    assert run_id in report["title"]

    # A change by hand since: unplanned, exit 1; the conversion, older than the base, is not
    # counted again.
    set_primary_contact(sim.url, BILLER, "Morgan Ellis", partner="IMT Spectrum")
    by_hand = scheduled.run()
    assert by_hand.code == 1, by_hand.stderr
    assert by_hand.biller(BILLER)["unplanned"] == [
        {"screen": "01-profile", "field": "Primary Contact", "change": "changed"}
    ]
    assert by_hand.biller(BILLER)["runs"] == []
