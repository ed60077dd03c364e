"""The demo: the embedded CRM in a subprocess, and the whole conversion of the sample plan in it.

crm_sim is started as its own process (`python -m crm_sim serve --port 0 ...`) and reached only
over HTTP, as the robot reaches a real CRM; the robot never imports it. Its first stdout line
says where it serves: `crm-sim: serving http://127.0.0.1:PORT (UAT)`.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from robot.browser.session import BrowserSession
from robot.core.errors import CrmError
from robot.core.server_process import ServerProcess, ServerStartError
from robot.core.settings import Settings, load_settings
from robot.plan.model import ConversionPlan, load_plan
from robot.run.outcome import RunOptions, RunOutcome
from robot.run.runner import run_conversion

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PLAN = Path("plans") / "prairie-pine-mutual.toml"
DEMO_ENV_FILE = ".env.example"
FIRST_LINE = re.compile(r"^crm-sim: serving (http://127\.0\.0\.1:\d+) \((UAT|PROD)\)$")
START_TIMEOUT_S = 30.0
HEADED_SLOW_MO_MS = 200  # slow enough to follow, fast enough to watch to the end
# Settings the demo takes from the real environment; the rest come from .env.example.
PASSED_THROUGH = ("CRM_ROBOT_OUTPUT_DIR", "CRM_ROBOT_BROWSER_EXECUTABLE", "CRM_ROBOT_SLOW_MO_MS")


def project_file(relative: Path | str) -> Path:
    """A file of the project: beside the working directory if there, else beside the code."""
    here = Path(relative)
    return here if here.exists() else PROJECT_ROOT / relative


class CrmSimProcess:
    """crm_sim in a subprocess on a free port, with a fresh database in `folder`."""

    def __init__(self, folder: Path, *, extra_args: tuple[str, ...] = ()) -> None:
        self.folder = folder
        self.extra_args = extra_args
        self.url = ""
        self.log_path = folder / "crm_sim.log"
        command = [
            sys.executable,
            "-m",
            "crm_sim",
            "serve",
            "--port",
            "0",
            "--db",
            str(folder / "crm.sqlite3"),
            "--reset",
            *extra_args,
        ]
        self._server = ServerProcess(
            "the embedded CRM",
            command,
            log_path=self.log_path,
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    @property
    def pid(self) -> int | None:
        return self._server.pid

    def start(self) -> CrmSimProcess:
        try:
            self.url = self._server.start(FIRST_LINE, START_TIMEOUT_S).group(1)
        except ServerStartError as error:
            raise CrmError(error.message) from None
        return self

    def wait(self) -> None:
        self._server.wait()

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> CrmSimProcess:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def demo_settings(url: str) -> Settings:
    """.env.example's demo values, pointed at the embedded CRM."""
    environ = {key: os.environ[key] for key in PASSED_THROUGH if os.environ.get(key)}
    environ["CRM_BASE_URL"] = url
    return load_settings(project_file(DEMO_ENV_FILE), environ, must_exist=True)


@contextmanager
def embedded_crm() -> Iterator[CrmSimProcess]:
    """crm_sim on a free port with a fresh database in a temporary folder, stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="crm-robot-demo-") as tmp:
        with CrmSimProcess(Path(tmp)) as sim:
            yield sim


def run_demo(
    sim: CrmSimProcess,
    *,
    headed: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    on_action: Callable[[str, Any], None] | None = None,
    on_session: Callable[[BrowserSession], None] | None = None,
) -> RunOutcome:
    """The whole conversion of the sample plan against `sim`, answering yes at go-live."""
    plan_path = project_file(SAMPLE_PLAN)
    plan: ConversionPlan = load_plan(plan_path)
    settings = demo_settings(sim.url)
    options = RunOptions(
        plan_path=plan_path,
        headed=headed,
        slow_mo_ms=HEADED_SLOW_MO_MS if headed else None,
        yes=True,
        interactive=False,
        on_action=on_action,
        on_session=on_session,
    )
    return run_conversion(plan, settings, options, out=out, err=err)


def serve_until_interrupted(sim: CrmSimProcess, err: TextIO = sys.stderr) -> None:
    print(
        f"demo: the embedded CRM keeps serving at {sim.url} (sign in as pm.demo, password in "
        f"{DEMO_ENV_FILE}); press Ctrl-C to stop it",
        file=err,
        flush=True,
    )
    try:
        sim.wait()
    except KeyboardInterrupt:
        print("demo: stopping the embedded CRM", file=err)
