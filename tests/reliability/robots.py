"""crm-robot runs of one test case: one crm_sim, one output folder, one set of fresh secrets;
runs in a subprocess (waited for, or started and killed on a journal line), and what each printed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from robot.plan.model import ConversionPlan, load_plan
from robot.run.journal import read_events
from tests.conversion.support import PLAN, ROOT, RUN_TIMEOUT_S, Cli, kill_when
from tests.reliability.canaries import RunSecrets
from tests.support.crm_sim_server import CrmSimServer


@dataclass
class Run:
    args: tuple[str, ...]
    returncode: int  # -9: killed
    stdout: str
    stderr: str


@dataclass
class Robot:
    """crm-robot runs of one case: one crm_sim, one output folder, one set of fresh secrets."""

    crm_sim: CrmSimServer
    out: Path
    secrets: RunSecrets
    plan_path: Path = PLAN
    env_extra: dict[str, str] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cli = Cli(self.crm_sim.url, self.out)
        self.plan: ConversionPlan = load_plan(self.plan_path)
        self.biller = self.plan.biller.id
        self.logs = self.out.parent / f"{self.out.name}-logs"

    @property
    def biller_dir(self) -> Path:
        return self.out / self.plan.biller_slug

    def env(self, **extra: str) -> dict[str, str]:
        rtdr = self.plan.rtdr
        secret_env = self.secrets.env(rtdr.private_key_env, rtdr.password_env)
        return self.cli.env(**{**secret_env, **self.env_extra, **extra})

    def command(self, *args: str) -> list[str]:
        return self.cli.command(*args, plan=self.plan_path)

    def run(self, *args: str, **extra: str) -> Run:
        """`crm-robot convert PLAN --env-file .env.example ARGS` in a subprocess."""
        return self.crm_robot(*self.command(*args)[3:], **extra)

    def crm_robot(self, *argv: str, **extra: str) -> Run:
        """Any `crm-robot` command line, with this case's environment and secrets."""
        result = subprocess.run(
            [sys.executable, "-m", "robot.cli.main", *argv],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
        return self.record(Run(argv, result.returncode, result.stdout, result.stderr))

    def record(self, run: Run) -> Run:
        self.runs.append(run)
        return run

    def start(self, *args: str, **extra: str) -> Started:
        """A conversion in its own process group (a kill takes its browser along), output to
        files."""
        return self.start_crm_robot(*self.command(*args)[3:], **extra)

    def start_crm_robot(self, *argv: str, **extra: str) -> Started:
        """Any `crm-robot` command line, started as `start` starts a conversion."""
        self.logs.mkdir(parents=True, exist_ok=True)
        n = len(self.runs) + len(list(self.logs.glob("*.out")))
        stdout, stderr = self.logs / f"{n}.out", self.logs / f"{n}.err"
        with stdout.open("w") as out, stderr.open("w") as err:
            process = subprocess.Popen(
                [sys.executable, "-m", "robot.cli.main", *argv],
                cwd=ROOT,
                env=self.env(**extra),
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                text=True,
                start_new_session=True,
            )
        return Started(self, argv, process, stdout, stderr)

    def run_dirs(self) -> list[Path]:
        return sorted(p.parent for p in self.biller_dir.glob("*/journal.jsonl"))

    def events(self) -> list[dict[str, Any]]:
        """Every journal event of the case, run folders in time order."""
        found: list[dict[str, Any]] = []
        for run_dir in self.run_dirs():
            found += read_events(run_dir / "journal.jsonl")
        return found

    def last_events(self) -> list[dict[str, Any]]:
        dirs = self.run_dirs()
        return read_events(dirs[-1] / "journal.jsonl") if dirs else []

    def state(self) -> dict[str, Any]:
        return self.crm_sim.state(self.biller)

    def use_plan(self, path: Path) -> Robot:
        """The same case with another plan (another biller, environment or mistake)."""
        self.plan_path = path
        self.__post_init__()
        return self


def plan_with(folder: Path, source: Path = PLAN, /, **replace: str) -> Path:
    """The sample plan with some `key = "value"` lines changed (the first line of each key)."""
    text = source.read_text()
    for key, value in replace.items():
        lines = [line for line in text.splitlines() if line.startswith(f"{key} = ")]
        assert lines, key
        text = text.replace(lines[0], f'{key} = "{value}"', 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"plan-{len(list(folder.glob('plan-*.toml')))}.toml"
    path.write_text(text)
    return path


@dataclass
class Started:
    robot: Robot
    args: tuple[str, ...]
    process: subprocess.Popen[str]
    stdout: Path
    stderr: Path

    def wait(self) -> Run:
        self.process.wait(timeout=RUN_TIMEOUT_S)
        return self._recorded()

    def wait_for(self, seen: Callable[[list[dict[str, Any]]], bool]) -> bool:
        """Until the run's journal shows `seen` (True) or the run ends (False)."""
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while self.process.poll() is None and time.monotonic() < deadline:
            events = self.robot.last_events()
            if events and seen(events):
                return True
            time.sleep(0.01)  # polling interval of the journal, not a stand-in for a wait
        return False

    def kill_when(self, seen: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
        """SIGKILL the run (and its browser) once its journal shows `seen`; the journal then.
        (The sample biller's runs: tests/conversion/support.py finds its journal.)"""
        try:
            return kill_when(self.process, self.robot.cli, seen)
        except AssertionError as failed:
            raise AssertionError(f"{failed}:\n{self.stderr.read_text()}") from None
        finally:
            self._recorded()

    def _recorded(self) -> Run:
        return self.robot.record(
            Run(
                self.args,
                self.process.returncode,
                self.stdout.read_text(errors="replace"),
                self.stderr.read_text(errors="replace"),
            )
        )
