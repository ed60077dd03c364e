"""A CRM on https whose certificate a company's own CA issued: the browser does not trust it,
so the run stops and says what to do; with the CA in CRM_ROBOT_CA_BUNDLE both the browser and the
robot's own posts trust it, and the run converts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from robot.core.errors import ExitCode
from tests.conversion.support import BILLER, Cli
from tests.support.certificates import make_ca
from tests.support.crm_sim_server import CrmSimServer

pytestmark = [pytest.mark.e2e]
WINDOW_STEP = ("--yes", "--only", "maintenance-window")


def test_an_untrusted_certificate_stops_the_run_and_the_company_ca_makes_it_trusted(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    ca = make_ca(tmp_path / "pki", "127.0.0.1")
    server = start_crm_sim(tls=(ca.server_chain, ca.server_key), tls_ca=ca.bundle)
    assert server.url.startswith("https://127.0.0.1:")
    cli = Cli(server.url, tmp_path / "out")
    before = server.state(BILLER)

    untrusted = cli.run(*WINDOW_STEP)
    assert untrusted.returncode == ExitCode.CRM_FAILED, untrusted.stderr
    assert "the browser does not trust the https certificate" in untrusted.stderr
    assert "(net::ERR_CERT_AUTHORITY_INVALID)" in untrusted.stderr
    assert "set CRM_ROBOT_CA_BUNDLE to its PEM file" in untrusted.stderr
    assert "Traceback" not in untrusted.stderr
    assert server.state(BILLER) == before

    trusted = cli.run(*WINDOW_STEP, CRM_ROBOT_CA_BUNDLE=str(ca.bundle))
    assert trusted.returncode == ExitCode.OK, trusted.stderr
    windows = server.state(BILLER)["maintenance_windows"]
    assert len(windows) == len(before["maintenance_windows"]) + 1
