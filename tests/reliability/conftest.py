"""Fixtures of the reliability suite: the worker's crm_sim with fresh secrets for one case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.canaries import RunSecrets
from tests.reliability.robots import Robot
from tests.support.crm_sim_server import CrmSimServer


def install_secrets(crm_sim: CrmSimServer, secrets: RunSecrets, *billers: str) -> None:
    """The CRM accepts the fresh password, the provider the fresh RTDR key and password."""
    crm_sim.set_password(secrets.crm_password.value)
    for biller in billers:
        crm_sim.set_provider(biller, secrets.rtdr_key.value, secrets.rtdr_password.value)


@pytest.fixture
def run_secrets() -> RunSecrets:
    return RunSecrets.fresh()


@pytest.fixture
def robot(crm_sim: CrmSimServer, tmp_path: Path, run_secrets: RunSecrets) -> Iterator[Robot]:
    """crm-robot runs against the worker's freshly seeded crm_sim, with fresh secrets; the
    demo data (and password) are back afterwards for the tests that sign in with them."""
    made = Robot(crm_sim, tmp_path / "out", run_secrets)
    install_secrets(crm_sim, run_secrets, made.biller)
    yield made
    crm_sim.set_faults("")
    crm_sim.reset()
