"""The fault matrix: the real `crm-robot convert` in a subprocess against crm_sim with one fault
injected, fresh secrets every case, and every case ending with the same invariants
(tests/reliability/harness.py `check_case`).

Cases run the steps they need (`--only`/`--from`); the biller is put part-way by the database
when a case starts in the middle. Full conversions are few: they are the slow ones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser

from robot.core.errors import ExitCode, GuardError
from robot.core.steps import STEP_IDS
from tests.reliability.canaries import Canary, RunSecrets
from tests.reliability.conftest import install_secrets
from tests.reliability.harness import Expect, check_case
from tests.reliability.robots import Robot
from tests.reliability.states import fast_forward, remove_old_settings
from tests.support.crm_sim_server import CrmSimServer
from tests.support.robot_session import signed_in

pytestmark = pytest.mark.e2e
B = "10482"
TRANSIENT = "transient CRM fault"
SCREEN_CHANGED = "crm-robot: the CRM screen changed: "


def _overlapping_window(robot: Robot) -> None:
    with closing(sqlite3.connect(robot.crm_sim.db_path)) as conn, conn:
        conn.execute(
            "INSERT INTO maintenance_windows (biller_id, description, message, start, end, "
            "active, all_pages) VALUES (?,?,?,?,?,?,?)",
            (B, "Portal upgrade", "Back soon.", "2026-12-15T04:00", "2026-12-15T07:00", 1, 1),
        )


def _too_long_rtdr_password(robot: Robot) -> None:
    """A provider password the CRM's Value field cannot hold (500 characters at most)."""
    long = Canary("RTDR password", robot.secrets.rtdr_password.value * 20)
    robot.secrets = RunSecrets(robot.secrets.crm_password, robot.secrets.rtdr_key, long)
    install_secrets(robot.crm_sim, robot.secrets, B)
    remove_old_settings(robot)


def _missing_save_button(robot: Robot) -> None:
    overrides = robot.out.parent / "selectors.toml"
    overrides.write_text('[profile]\nsave = "role:button:Save Profile"\n')
    robot.env_extra["CRM_ROBOT_SELECTORS"] = str(overrides)


def _no_retry(robot: Robot) -> None:
    assert [e for e in robot.events() if e["event"] == "retry"] == []
    refused = [e for e in robot.events() if e["event"] == "write" and e["result"] == "refused"]
    assert [(e["field"], e["old"], e["new"]) for e in refused] == [
        ("Setting 10 (RTDR Key or Password)", "changed", "changed")
    ]


def _failure_screenshot(robot: Robot) -> None:
    shot = robot.run_dirs()[-1] / "failure-02-maintenance-window.png"
    assert shot.is_file()
    assert f"screenshot: {shot}" in robot.runs[-1].stderr


def _faults_happened(robot: Robot) -> None:
    retries = [e for e in robot.events() if e["event"] == "retry"]
    assert retries, "the injected fault never reached the robot"
    if "--trace" in robot.runs[-1].args:
        assert sorted(robot.run_dirs()[-1].glob("trace*.zip")), "no trace was recorded"


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    expect: Expect
    faults: str = ""
    setup: Callable[[Robot], None] | None = None
    env: dict[str, str] = field(default_factory=dict)
    also: Callable[[Robot], None] | None = None


def only(step: str) -> tuple[str, ...]:
    return ("--only", step, "--yes")


def steps_from(step: str) -> tuple[str, ...]:
    return STEP_IDS[STEP_IDS.index(step) :]


CASES = {
    "latency under the timeout": Case(
        only("datapump"),
        Expect(ExitCode.OK, ("datapump",)),
        faults="latency=300-900ms",  # every answer slow, each within the 4 s the robot waits
        env={"CRM_ROBOT_TIMEOUT_MS": "4000"},
    ),
    "HTTP 500 before the profile save commits": Case(
        (*only("crm-configuration"), "--trace"),
        Expect(ExitCode.OK, ("crm-configuration",), says=(TRANSIENT,)),
        faults=f"fail_once=POST:/billers/{B}/profile/edit:before_commit",
        also=_faults_happened,
    ),
    "HTTP 500 after the new PDF setting commits": Case(
        only("ftp-setup"),
        Expect(ExitCode.OK, ("ftp-setup",), says=(TRANSIENT,)),
        faults=f"fail_once=POST:/billers/{B}/ftp/pdf/new:after_commit",
        also=_faults_happened,
    ),
    "HTTP 500 after the new maintenance window commits": Case(
        only("maintenance-window"),
        Expect(ExitCode.OK, ("maintenance-window",), says=(TRANSIENT,)),
        faults=f"fail_once=POST:/billers/{B}/portal/maintenance-windows/new:after_commit",
        also=_faults_happened,
    ),
    "connection dropped after the new Zip File setting is stored": Case(
        only("ftp-setup"),
        Expect(ExitCode.OK, ("ftp-setup",), says=(TRANSIENT,)),
        faults=f"fail_once=POST:/billers/{B}/ftp/zip/new:drop",
        also=_faults_happened,
    ),
    "connection dropped after the new maintenance window is stored": Case(
        only("maintenance-window"),
        Expect(ExitCode.OK, ("maintenance-window",), says=(TRANSIENT,)),
        faults=f"fail_once=POST:/billers/{B}/portal/maintenance-windows/new:drop",
        also=_faults_happened,
    ),
    "connection dropped while saving setting 10": Case(
        (*only("advanced-settings"), "--trace"),
        Expect(ExitCode.OK, ("advanced-settings",), says=(TRANSIENT,)),
        faults=f"fail_once=POST:/billers/{B}/advanced-settings/10:drop",
        setup=remove_old_settings,
        also=_faults_happened,
    ),
    "connection dropped before the payment DataPump is stored": Case(
        only("datapump"),
        Expect(ExitCode.OK, ("datapump",), says=(TRANSIENT,)),
        faults=f"fail_once=POST:/billers/{B}/datapump/payment:drop_before_commit",
        also=_faults_happened,
    ),
    "a Save button missing": Case(
        ("--from", "crm-configuration", "--yes"),
        Expect(
            ExitCode.CRM_FAILED,
            steps_from("crm-configuration"),
            says=(SCREEN_CHANGED, "Profile shows nothing matching profile.save"),
            untouched=True,
            needs_person="crm-configuration",
        ),
        setup=_missing_save_button,
        env={"CRM_ROBOT_TIMEOUT_MS": "1500"},
    ),
    "a Save button matching twice": Case(
        ("--from", "crm-configuration", "--yes"),
        Expect(
            ExitCode.CRM_FAILED,
            steps_from("crm-configuration"),
            says=(SCREEN_CHANGED, "shows 2 elements matching"),
            untouched=True,
            needs_person="crm-configuration",
        ),
        faults="ui=duplicate_save_button",
    ),
    "a toast covering the Save buttons": Case(
        only("datapump"),
        Expect(ExitCode.OK, ("datapump",)),
        faults="ui=sticky_toast",
    ),
    "the same maintenance window already there": Case(
        only("maintenance-window"),
        Expect(ExitCode.OK, ("maintenance-window",), says=("changes: 0 write(s)",)),
        setup=lambda robot: fast_forward(robot.crm_sim.db_path, robot, ("maintenance-window",)),
    ),
    "an overlapping maintenance window": Case(
        only("maintenance-window"),
        Expect(
            ExitCode.PROBLEM_FOUND,
            ("maintenance-window",),
            says=('the window "Portal upgrade" (2026-12-15 04:00 to 2026-12-15 07:00 CT)',),
            untouched=True,
            needs_person="maintenance-window",
        ),
        setup=_overlapping_window,
        also=_failure_screenshot,
    ),
    "the CRM refusing a value (validation error)": Case(
        only("advanced-settings"),
        Expect(
            ExitCode.PROBLEM_FOUND,
            ("advanced-settings",),
            says=("Value must be 500 characters or fewer", "Nothing was stored"),
            needs_person="advanced-settings",
        ),
        setup=_too_long_rtdr_password,
        also=_no_retry,
    ),
    "a step with nothing left to do": Case(
        only("crm-configuration"),
        Expect(ExitCode.OK, ("crm-configuration",), says=("changes: 0 write(s)",)),
        setup=lambda robot: fast_forward(robot.crm_sim.db_path, robot, ("crm-configuration",)),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_fault_leaves_the_biller_converted_or_untouched(robot: Robot, name: str) -> None:
    case = CASES[name]
    if case.setup is not None:
        case.setup(robot)
    start = robot.state()
    robot.crm_sim.set_faults(case.faults)
    robot.run(*case.args, **case.env)
    robot.crm_sim.set_faults("")
    check_case(robot, start, case.expect)
    if case.also is not None:
        case.also(robot)


@pytest.mark.slow
def test_latency_over_the_timeout_fails_cleanly_and_a_resume_converges(robot: Robot) -> None:
    start = robot.state()
    timeout = {"CRM_ROBOT_TIMEOUT_MS": "1500"}  # a page load may take 4.5 s
    started = robot.start(*only("crm-configuration"), **timeout)
    # From the step's first write on, every answer takes longer than the robot waits.
    assert started.wait_for(lambda events: any(e["event"] == "intent" for e in events))
    robot.crm_sim.set_faults("latency=6s")
    failed = started.wait()
    robot.crm_sim.set_faults("")
    assert "did not answer in time" in failed.stderr
    check_case(
        robot,
        start,
        Expect(ExitCode.CRM_FAILED, ("crm-configuration",), needs_person="crm-configuration"),
    )

    robot.run("--resume", robot.last_events()[0]["run"], "--yes")
    check_case(robot, start, Expect(ExitCode.OK, ("crm-configuration",)))


def test_an_expired_session_is_signed_in_again_once_each_time(robot: Robot) -> None:
    start = robot.state()
    log = robot.crm_sim.log_path
    seen_before = log.stat().st_size
    robot.crm_sim.set_faults("expire_session_every=9")
    robot.run(*only("crm-configuration"))
    robot.crm_sim.set_faults("")
    requests = log.read_bytes()[seen_before:].decode(errors="replace")
    expired = requests.count("expired=1 HTTP")
    sign_ins = requests.count("POST /login HTTP")  # the line may be coloured
    assert expired >= 2, "the session never expired during the run"
    assert sign_ins == 1 + expired, f"{sign_ins} sign-ins for {expired} expiries"
    check_case(
        robot,
        start,
        Expect(
            ExitCode.OK,
            ("crm-configuration",),
            says=(
                f"signed in again {expired} time(s) after the CRM session expired; each time "
                "the screen still showed Prairie Pine Mutual (10482)",
            ),
        ),
    )


def test_a_second_robot_on_the_same_biller_is_refused(robot: Robot) -> None:
    start = robot.state()
    robot.crm_sim.set_faults("latency=100ms")  # the first robot is still at work
    first = robot.start(*only("crm-configuration"))
    assert first.wait_for(lambda events: any(e["event"] == "step-start" for e in events))
    second = robot.run(*only("crm-configuration"))
    first.wait()
    robot.crm_sim.set_faults("")
    assert second.returncode == ExitCode.PROBLEM_FOUND, second.stderr
    assert f"being converted by another crm-robot: pid {first.process.pid}" in second.stderr
    assert len(robot.run_dirs()) == 1, "the refused robot left a run folder"
    check_case(robot, start, Expect(ExitCode.OK, ("crm-configuration",)))


@pytest.mark.parametrize(
    ("run_biller", "stops"),
    [(("Prairie Pine Mutual", B), False), (("Prairie Pine Mutual Water", "10483"), True)],
    ids=["the run's biller shown", "another biller shown"],
)
def test_after_signing_in_again_the_biller_shown_is_checked(
    crm_sim: CrmSimServer, browser: Browser, run_biller: tuple[str, str], stops: bool
) -> None:
    with signed_in(crm_sim.url, browser) as session:
        session.expected_biller = run_biller
        back_to = f"{crm_sim.url}/billers/{B}/profile"
        if stops:
            with pytest.raises(
                GuardError,
                match="after signing in again the CRM shows Prairie "
                r"Pine Mutual \(10482\), not Prairie Pine Mutual Water \(10483\)",
            ):
                session.sign_in_again(back_to)
        else:
            session.sign_in_again(back_to)
        assert session.signed_in_again == 1
