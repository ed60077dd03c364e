"""A whole conversion, all ten steps, under random transient faults (slow answers, HTTP 500s before
and after a commit, dropped connections), with fresh secrets: it ends as the plan says with every
invariant of the matrix, every file scanned for secrets, every mask solid; the documents hold no
secret either; and a second run writes nothing. Then go-live is called off: the conversion's
rollback, killed at a random write and resumed, puts the biller back as it was (rollbacks.py).
(Playwright traces are scanned in the traced cases of the matrix and in test_canaries.py;
recording one of all ten steps is slow.)"""

from __future__ import annotations

import pytest

from robot.core.errors import ExitCode
from tests.conversion.support import ENV_FILE, assert_converted
from tests.reliability.canaries import secret_regions
from tests.reliability.harness import Expect, check_case, scan_case
from tests.reliability.robots import Robot
from tests.reliability.rollbacks import assert_rolled_back

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("conversion-a")]
STOOD = "readiness: the verify and RTDR test checks of this run stand (no write since)"
FAULTS = "latency=10-60ms,error_rate=0.05,commit_then_error=0.03,drop_rate=0.02,seed=7"


def test_a_conversion_under_faults_ends_as_planned_a_rerun_writes_nothing_and_it_rolls_back(
    robot: Robot,
) -> None:
    start = robot.state()
    robot.crm_sim.set_faults(FAULTS)
    robot.run("--yes")
    robot.crm_sim.set_faults("")
    converted = check_case(
        robot, start, Expect(ExitCode.OK, says=("(as planned)", "transient CRM fault"))
    )
    assert_converted(converted, robot.secrets.key_password)  # the procedure's words, literally
    # Go-live reads nothing the verify and RTDR steps just read: no write came since.
    assert STOOD in robot.runs[-1].stderr
    run_dir = robot.run_dirs()[-1]
    # The PM's one page: printed, with the verification table and the RTDR result.
    assert f"run summary: {run_dir / 'summary.html'}" in robot.runs[-1].stdout
    page = (run_dir / "summary.html").read_text()
    assert '<td class="ok">pass</td>' in page and "FAIL</td>" not in page
    assert 'Data Refresh returns invoices: <span class="ok">yes</span>' in page
    assert '<a href="report/index.html">Before/after report</a>' in page
    for phase in ("before", "after"):
        # 10 and 13 at least, painted over (their solid colour is part of check_case).
        assert secret_regions(run_dir / phase, "06-advanced-settings") >= 2

    # The run's own report and `crm-robot compare --plan` on its captures agree: as planned.
    robot.crm_robot(
        "compare", str(run_dir / "before"), str(run_dir / "after"),
        "--plan", str(robot.plan_path), "--out", str(robot.out / "compared"),
    )  # fmt: skip
    assert robot.runs[-1].returncode == 0, robot.runs[-1].stderr
    assert "nothing unplanned or missing; report:" in robot.runs[-1].stderr

    docs = robot.out / "docs"
    robot.crm_robot("docs", str(robot.plan_path), "--env-file", str(ENV_FILE), "--out", str(docs))
    assert robot.runs[-1].returncode == 0, robot.runs[-1].stderr
    assert sorted(docs.iterdir()), "no documents were written"
    scan_case(robot, start)  # the documents and what the command printed

    again = Robot(robot.crm_sim, robot.out.parent / "again", robot.secrets)
    again.run("--yes")
    check_case(again, converted, Expect(ExitCode.OK, says=("changes: 0 write(s)",)))
    assert again.state() == converted

    # Go-live called off: the conversion rolled back (one conversion for both: they are slow).
    assert_rolled_back(robot, start, run_dir.name)
