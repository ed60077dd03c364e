"""`crm-robot convert` end to end: the real CLI in a subprocess, real Chromium, a real crm_sim.

The full conversion, the guards, the faults and kills are proven in tests/reliability/ (the
fault matrix); here: the dry run and the RTDR test's message. A headed run, its banner and its
checkpoint panel: test_panel.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from robot.core.secrets import MASKED
from tests.conversion.support import (
    BILLER,
    KEY_PASSWORD,
    SPECTRUM,
    WINDOW,
    Cli,
)
from tests.support.crm_sim_server import CrmSimServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def cli(crm_sim: CrmSimServer, tmp_path: Path) -> Cli:
    return Cli(crm_sim.url, tmp_path / "out")


def test_dry_run_prints_the_changes_and_writes_nothing(crm_sim: CrmSimServer, cli: Cli) -> None:
    before = crm_sim.state(BILLER)
    result = cli.run("--dry-run")
    assert result.returncode == 0, result.stderr
    for line in (
        "Profile: Integration Partner ID: IMT MIPS APPS -> IMT Spectrum",
        "FTP Management: create New PDF setting = prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs",
        "Advanced Settings: remove Setting 88 (MIPS Legacy Account Lookup)",
        f"Advanced Settings: Setting 10 (RTDR Key or Password): {MASKED} -> {MASKED}",
        f"Maintenance Windows: create New maintenance window = {WINDOW}",
    ):
        assert line in result.stdout
    assert KEY_PASSWORD not in result.stdout + result.stderr
    assert crm_sim.state(BILLER) == before
    assert cli.run_dirs() == []


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
    assert f"setting 10 = {MASKED} (not the key|password from the environment)" in result.stderr
    assert "Real Time Data Refresh off" in result.stderr
    seeded_secret = crm_sim.state(BILLER)["advanced_settings"]["10"]["value"]
    assert seeded_secret not in result.stdout + result.stderr
