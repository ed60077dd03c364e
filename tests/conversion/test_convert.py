"""`crm-robot convert` end to end: the real CLI in a subprocess, real Chromium, a real crm_sim.

The full conversion, the guards and the faults are proven in tests/reliability/ (the fault
matrix); here: the dry run, the go-live checkpoint, kills in the middle of a step, the headed
banner and the RTDR test's message. The slow ones are in xdist groups so that
`pytest -n 2 --dist loadgroup` runs them on different workers.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.conversion.support import (
    BILLER,
    FTP_PATH,
    KEY_PASSWORD,
    SPECTRUM,
    WINDOW,
    Cli,
    assert_converted,
    kill_when,
)
from tests.support.crm_sim_server import CrmSimServer

pytestmark = pytest.mark.e2e
BANNER_TEXT = (253, 230, 138)  # the headed banner's text colour (robot/headed.py)


@pytest.fixture
def cli(crm_sim: CrmSimServer, tmp_path: Path) -> Cli:
    return Cli(crm_sim.url, tmp_path / "out")


def _history_keys(state: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(h["screen"], h["field"], h["old"], h["new"]) for h in state["history"]]


def test_dry_run_prints_the_changes_and_writes_nothing(crm_sim: CrmSimServer, cli: Cli) -> None:
    before = crm_sim.state(BILLER)
    result = cli.run("--dry-run")
    assert result.returncode == 0, result.stderr
    for line in (
        "Profile: Integration Partner ID: IMT MIPS APPS -> IMT Spectrum",
        "FTP Management: create New PDF setting = prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs",
        "Advanced Settings: remove Setting 88 (MIPS Legacy Account Lookup)",
        "Advanced Settings: Setting 10 (RTDR Key or Password): ******** -> ********",
        f"Maintenance Windows: create New maintenance window = {WINDOW}",
    ):
        assert line in result.stdout
    assert KEY_PASSWORD not in result.stdout + result.stderr
    assert crm_sim.state(BILLER) == before
    assert cli.run_dirs() == []


def test_go_live_stops_without_a_confirmation_and_resumes_there(
    crm_sim: CrmSimServer, cli: Cli
) -> None:
    assert cli.run("--only", "maintenance-window", "--yes").returncode == 0
    stopped = cli.run("--only", "go-live")
    assert stopped.returncode == 1
    assert "cannot ask (no terminal, no --yes), so it stopped before go-live" in stopped.stderr
    events = cli.journal()
    assert [e["answer"] for e in events if e["event"] == "checkpoint"] == ["stop"]
    assert events[-1]["event"] == "run-finish" and events[-1]["resume_from"] == "go-live"
    assert [w["active"] for w in crm_sim.state(BILLER)["maintenance_windows"]] == [True]

    resumed = cli.run("--resume", events[0]["run"], "--yes")
    assert resumed.returncode == 0, resumed.stderr
    assert [w["active"] for w in crm_sim.state(BILLER)["maintenance_windows"]] == [False]


def _window_once(state: dict[str, Any]) -> None:
    windows = state["maintenance_windows"]
    assert [(w["description"], w["start"], w["end"], w["active"]) for w in windows] == [
        (WINDOW, "2026-12-15T01:00", "2026-12-15T05:00", True)
    ]


def _ftp_settings_once(state: dict[str, Any]) -> None:
    assert [(s["path"], s["move_action"]) for s in state["pdf_settings"]] == [
        (FTP_PATH, "Move to Filename Pending")
    ]
    assert [(s["path"], s["delete_zip_files"]) for s in state["zip_settings"]] == [(FTP_PATH, True)]


# (step killed, the run's step selection, what the end state must be)
KILLS = [
    pytest.param(
        "maintenance-window",
        ("--only", "maintenance-window"),
        _window_once,
        id="maintenance-window",
    ),
    pytest.param("ftp-setup", ("--only", "ftp-setup"), _ftp_settings_once, id="ftp-setup"),
    # The whole chain: finished steps re-verified on resume, the rest done, go-live included.
    pytest.param(
        "advanced-settings",
        ("--from", "maintenance-window"),
        assert_converted,
        id="advanced-settings",
        marks=[pytest.mark.slow, pytest.mark.xdist_group("conversion-b")],
    ),
]


@pytest.mark.parametrize(("step", "selection", "end_state"), KILLS)
def test_a_run_killed_in_the_middle_of_a_step_resumes_to_the_same_end_state(
    crm_sim: CrmSimServer,
    cli: Cli,
    step: str,
    selection: tuple[str, ...],
    end_state: Callable[[dict[str, Any]], None],
) -> None:
    process = cli.start(*selection, "--yes")
    slowed = False

    def moment(events: list[dict[str, Any]]) -> bool:
        nonlocal slowed
        if not slowed and any(e["event"] == "step-start" and e["step"] == step for e in events):
            # Slow answers from here on widen the moment between the step's first save and
            # its end, so that the kill lands inside the step.
            crm_sim.set_faults("latency=150ms")
            slowed = True
        return any(e["event"] == "write" and e["step"] == step for e in events)

    events = kill_when(process, cli, moment)
    crm_sim.set_faults("")
    assert not any(e["event"] == "step-finish" and e["step"] == step for e in events)

    resumed = cli.run("--resume", events[0]["run"], "--yes")
    assert resumed.returncode == 0, resumed.stderr
    state = crm_sim.state(BILLER)
    end_state(state)
    history = _history_keys(state)
    assert len(history) == len(set(history)), "a change was made twice"
    assert "nothing unaccounted for" in resumed.stdout


@pytest.mark.slow
@pytest.mark.xdist_group("conversion-a")
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_a_headed_run_shows_the_step_in_a_banner(crm_sim: CrmSimServer, cli: Cli) -> None:
    result = cli.run("--headed", "--only", "crm-configuration", "--yes", prefix=["xvfb-run", "-a"])
    assert result.returncode == 0, result.stderr
    shot = cli.run_dirs()[-1] / "steps" / "03-crm-configuration.png"
    assert f"screenshot: {shot}" in result.stdout
    with Image.open(shot) as image:
        top = np.asarray(image.convert("RGB"))[:48].astype(int)
    near = np.abs(top - np.array(BANNER_TEXT)).max(axis=2) <= 8
    banner = int(near.sum())
    assert banner > 150, "no step banner at the top of the page"


def test_rtdr_test_without_data_points_at_the_settings_it_saw(
    crm_sim: CrmSimServer, cli: Cli
) -> None:
    result = cli.run("--only", "rtdr-test", "--yes")
    assert result.returncode == 1
    assert "verify Advanced Settings 8-10 and Real Time Data Refresh" in result.stderr
    assert (
        "setting 8 = https://mips.imtapps.example/rtdr/prairiepinemutual/RTDRService.asmx, "
        f"plan wants {SPECTRUM}" in result.stderr
    )
    assert "setting 10 = ******** (not the key|password from the environment)" in result.stderr
    assert "Real Time Data Refresh off" in result.stderr
    seeded_secret = crm_sim.state(BILLER)["advanced_settings"]["10"]["value"]
    assert seeded_secret not in result.stdout + result.stderr
