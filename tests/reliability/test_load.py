"""Load: twenty robots on twenty seeded billers of one crm_sim with faults on, four at a time.

Each Sim Biller gets its plan (tests/support/sim_plans.py) with secret variables of its own,
holding fresh secrets the provider accepts, and one step that writes (in turn: FTP setup and
maintenance window, which create rows, and DataPump), so that the test stays cheap while every
robot writes on screens of its own biller at the same time as three others. Every biller
must end with its step done and nothing else changed, every journal must match its biller's
History one for one, and the four seeded billers no robot was pointed at must be untouched.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from robot.core.errors import ExitCode
from tests.reliability.canaries import Canary, RunSecrets
from tests.reliability.harness import Expect, check_case
from tests.reliability.robots import Robot
from tests.support.crm_sim_server import CrmSimServer
from tests.support.sim_plans import sim_biller_slug, sim_plan_text

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("load")]
BILLERS = 20
AT_A_TIME = 4
STEPS = ("ftp-setup", "datapump", "maintenance-window")
# The first save of the first robot's step (STEPS[0], FTP setup: the PDF settings) fails once.
SURE_FAULT = "fail_once=POST:/billers/{biller}/ftp/pdf/new:before_commit"
FAULTS = "latency=5-25ms,error_rate=0.03,commit_then_error=0.02,drop_rate=0.01,seed=11"
SEEDED = ("10482", "10483", "20731", "30915")


def _sim_biller_plan(folder: Path, n: int) -> Path:
    """The Sim Biller's plan, its RTDR secrets in variables of its own (the last table of the
    plan is [rtdr], so the two keys land there)."""
    num = f"{n:03d}"
    path = folder / f"{sim_biller_slug(n)}.toml"
    path.write_text(
        sim_plan_text(n)
        + f'private_key_env = "SIM{num}_RTDR_PRIVATE_KEY"\n'
        + f'password_env = "SIM{num}_RTDR_PASSWORD"\n'
    )
    return path


def test_twenty_robots_four_at_a_time_each_convert_only_their_own_biller(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    crm_sim = start_crm_sim(extra_billers=BILLERS, save_delay_ms=20)
    password = Canary("CRM password", f'crm-{secrets.token_hex(8)}-"&é', "")
    crm_sim.set_password(password.value)
    robots: list[Robot] = []
    plans = tmp_path / "plans"
    plans.mkdir()
    for n in range(1, BILLERS + 1):
        fresh = RunSecrets.fresh()
        robot = Robot(
            crm_sim,
            tmp_path / "out",  # one output root for all, as on a real machine
            RunSecrets(password, fresh.rtdr_key, fresh.rtdr_password),
            plan_path=_sim_biller_plan(plans, n),
        )
        crm_sim.set_provider(robot.biller, fresh.rtdr_key.value, fresh.rtdr_password.value)
        robots.append(robot)
    starts = {robot.biller: robot.state() for robot in robots}
    seeded = {biller: crm_sim.state(biller) for biller in SEEDED}
    # The seeded faults land where the interleaving puts them, once in a while on no save at
    # all; the sure one is met whatever the interleaving.
    crm_sim.set_faults(f"{FAULTS},{SURE_FAULT.format(biller=robots[0].biller)}")

    def convert(n: int) -> None:
        robots[n].run("--only", STEPS[n % len(STEPS)], "--yes")

    with ThreadPoolExecutor(max_workers=AT_A_TIME) as pool:
        list(pool.map(convert, range(BILLERS)))
    crm_sim.set_faults("")

    for n, robot in enumerate(robots):
        if _stopped_signing_in(robot):
            # Three server errors in a row while signing in (which requests the seeded faults
            # hit depends on how the four robots' requests interleave): the run stopped before
            # any write, its biller untouched, and said to run again. The PM does.
            assert robot.state() == starts[robot.biller]
            convert(n)
        elif _stopped_in_its_step(robot):
            # Three faults in a row on one save (as rare, and as much a matter of how the
            # requests interleave): the step stopped cleanly and said how to go on; the PM
            # resumes the run, which reads the screen again and finishes the step.
            assert "run again" in robot.runs[-1].stderr
            robot.run("--resume", robot.last_events()[0]["run"], "--yes")
        check_case(robot, starts[robot.biller], Expect(ExitCode.OK, (STEPS[n % len(STEPS)],)))
    assert {biller: crm_sim.state(biller) for biller in SEEDED} == seeded
    # A fault met in a step is journaled as a retry (one met signing in, in the safety checks or
    # reading History is only said on stderr): the sure one is a retry of the first robot's step.
    assert any(e["event"] == "retry" for e in robots[0].events()), "the sure fault was not met"


def _stopped_signing_in(robot: Robot) -> bool:
    last = robot.runs[-1]
    said = (
        "Sign in: the CRM answered with a server error" in last.stderr
        and "run again" in last.stderr
    )
    wrote = any(e["event"] in ("intent", "write") for e in robot.last_events())
    return last.returncode == ExitCode.CRM_FAILED and said and not wrote


def _stopped_in_its_step(robot: Robot) -> bool:
    """Stopped by transient faults inside its step, naming the run to resume."""
    last = robot.runs[-1]
    return last.returncode == ExitCode.CRM_FAILED and "--resume" in last.stderr
