"""A crm_sim with several billers, their plan files, and the scheduled capture to run on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.scheduled.support import Scheduler
from tests.support.crm_sim_server import CrmSimServer
from tests.support.sim_plans import write_plans


@pytest.fixture
def scheduler(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> Callable[..., Scheduler]:
    """`scheduler(billers=3)`: a private crm_sim seeding that many Sim Billers, and their plans."""

    def make(billers: int = 3, faults: str = "") -> Scheduler:
        sim = start_crm_sim(extra_billers=billers, faults=faults)
        plans = write_plans(tmp_path / "plans", billers)
        return Scheduler(sim, tmp_path / "screenshots", plans, tmp_path)

    return make
