"""The guards: every way of pointing the robot at the wrong biller or the wrong CRM is refused
before the first write, with exit 1, a message that says nothing was written, and the CRM's state
unchanged for every biller. The real CLI against crm_sim, fresh secrets, the output scanned.

An unknown Biller ID is a guard too (exit 1), not bad input: a plan cannot know which IDs the CRM
has; only the CRM can say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from robot.core.errors import ExitCode
from robot.run.lock import LOCK_NAME, is_locked
from tests.reliability.harness import scan_case
from tests.reliability.robots import Robot, plan_with
from tests.support.crm_sim_server import CrmSimServer

pytestmark = pytest.mark.e2e
SEEDED = ("10482", "10483", "20731", "30915")
PROD_CONFIRMED = ("--prod", "--confirm-biller", "Prairie Pine Mutual")
PROD_HOST = {"CRM_PROD_HOSTS": "127.0.0.1"}
LAKESHORE = {
    "id": "30915",
    "guid": "5D1A7F3C-2B8E-4C69-A0F4-7E3B9D2C1A48",
    "name": "Lakeshore Gas & Electric",
    "ftp_name": "lakeshoregasftp",
    "ftp_username": "lakeshoregas",
}


@dataclass(frozen=True)
class Refusal:
    message: str
    plan: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


REFUSALS = {
    "the near namesake's ID under the sample's name": Refusal(
        'biller 10483 is "Prairie Pine Mutual Water" in the CRM, not "Prairie Pine Mutual"',
        {"id": "10483"},
    ),
    "the near namesake's name on the sample's ID": Refusal(
        'biller 10482 is "Prairie Pine Mutual" in the CRM, not "Prairie Pine Mutual Water"',
        {"name": "Prairie Pine Mutual Water"},
    ),
    "the near namesake's GUID": Refusal(
        "biller 10482 has GUID 3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C90 in the CRM",
        {"guid": "3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C91"},
    ),
    "a biller on neither IMT MIPS APPS nor IMT Spectrum": Refusal(
        "Lakeshore Gas & Electric (30915) is on 'Paymentus Connect', not IMT MIPS APPS or "
        "IMT Spectrum; this conversion does not apply",
        LAKESHORE,
    ),
    "a Biller ID the CRM does not have": Refusal(
        "the CRM has no biller with ID 99999", {"id": "99999"}
    ),
    "a PROD plan on a CRM whose banner says UAT": Refusal(
        "the CRM says it is UAT but the plan is for PROD",
        {"environment": "PROD"},
        PROD_CONFIRMED,
        PROD_HOST,
    ),
    "a CRM address not allowed for UAT": Refusal(
        "CRM_BASE_URL: 127.0.0.1:", env={"CRM_UAT_HOSTS": "localhost"}
    ),
    "a PROD plan on a CRM address not allowed for PROD": Refusal(
        "is not a PROD host (allowed for PROD: none)", {"environment": "PROD"}, PROD_CONFIRMED
    ),
    "a PROD plan without --prod": Refusal(
        "add --prod to confirm you mean to change production",
        {"environment": "PROD"},
        (),
        PROD_HOST,
    ),
    "a PROD plan with the biller's name mistyped": Refusal(
        '"Prairie Pine Mutal" is not the plan\'s biller name "Prairie Pine Mutual"',
        {"environment": "PROD"},
        ("--prod", "--confirm-biller", "Prairie Pine Mutal"),
        PROD_HOST,
    ),
}


def _refused(robot: Robot, crm_sim: CrmSimServer, refusal: Refusal, plan: Path) -> None:
    before = {b: crm_sim.state(b) for b in SEEDED}
    robot.use_plan(plan)
    run = robot.run("--yes", *refusal.args, **refusal.env)
    assert run.returncode == ExitCode.PROBLEM_FOUND, run.stderr
    assert refusal.message in run.stderr
    assert "nothing was written" in run.stderr.lower()
    assert {b: crm_sim.state(b) for b in SEEDED} == before
    touched = [e for e in robot.events() if e["event"] in ("intent", "write")]
    assert touched == []
    assert not is_locked(robot.biller_dir / LOCK_NAME)
    scan_case(robot, before["10482"])


@pytest.mark.parametrize("name", list(REFUSALS))
def test_the_wrong_biller_or_crm_is_refused_before_any_write(
    robot: Robot, crm_sim: CrmSimServer, tmp_path: Path, name: str
) -> None:
    refusal = REFUSALS[name]
    _refused(robot, crm_sim, refusal, plan_with(tmp_path / "plans", **refusal.plan))


def test_a_uat_plan_is_refused_on_a_crm_whose_banner_says_prod(
    start_crm_sim: Callable[..., CrmSimServer], robot: Robot, tmp_path: Path
) -> None:
    prod = start_crm_sim(env="PROD")
    prod.set_password(robot.secrets.crm_password.value)
    on_prod = Robot(prod, tmp_path / "prod-out", robot.secrets)
    refusal = Refusal("the CRM says it is PROD but the plan is for UAT")
    _refused(on_prod, prod, refusal, plan_with(tmp_path / "plans"))
