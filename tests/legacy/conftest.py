"""Fixtures of the legacy-skin suite: crm_sim in its legacy skin (an old WebForms admin CRM, the
same data and behaviour in other markup and words), and crm-robot runs adapted to it by the
profile file alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conversion.support import ROOT
from tests.reliability.canaries import RunSecrets
from tests.reliability.robots import Robot
from tests.support.crm_sim_server import CrmSimServer

PROFILE = ROOT / "profiles" / "legacy.toml"
SELECTORS = ("--selectors", str(PROFILE))


def robot_on(crm_sim: CrmSimServer, out: Path, secrets: RunSecrets) -> Robot:
    """crm-robot runs against `crm_sim`, which accepts the fresh CRM password and RTDR secrets."""
    made = Robot(crm_sim, out, secrets)
    crm_sim.set_password(secrets.crm_password.value)
    crm_sim.set_provider(made.biller, secrets.rtdr_key.value, secrets.rtdr_password.value)
    return made


@pytest.fixture(scope="module")
def legacy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrmSimServer]:
    """One legacy crm_sim per test module, fast saves."""
    folder = tmp_path_factory.mktemp("crm_sim_legacy")
    with CrmSimServer(folder / "crm.sqlite3", folder / "crm_sim.log", skin="legacy") as server:
        yield server


@pytest.fixture
def legacy(legacy_server: CrmSimServer) -> CrmSimServer:
    """The module's legacy crm_sim with freshly seeded data and no faults."""
    legacy_server.set_faults("")
    legacy_server.reset()
    return legacy_server


@pytest.fixture
def run_secrets() -> RunSecrets:
    return RunSecrets.fresh()


@pytest.fixture
def legacy_robot(legacy: CrmSimServer, tmp_path: Path, run_secrets: RunSecrets) -> Iterator[Robot]:
    """crm-robot runs against the legacy crm_sim, with fresh secrets; its demo data (and
    password) are back afterwards."""
    yield robot_on(legacy, tmp_path / "out", run_secrets)
    legacy.set_faults("")
    legacy.reset()


@pytest.fixture
def default_robot(
    crm_sim: CrmSimServer, tmp_path: Path, run_secrets: RunSecrets
) -> Iterator[Robot]:
    """The same runs against the worker's default crm_sim, writing where `legacy_robot` does (so
    that both fingerprint secret values with the same salt)."""
    yield robot_on(crm_sim, tmp_path / "out", run_secrets)
    crm_sim.set_faults("")
    crm_sim.reset()
