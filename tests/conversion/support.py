"""Running the real `crm-robot` CLI in a subprocess against a test crm_sim, and what the
procedure says the biller looks like at the end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from robot.plan.model import load_plan

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "plans" / "prairie-pine-mutual.toml"
ENV_FILE = ROOT / ".env.example"
BILLER = "10482"
SLUG = "prairie-pine-mutual"
RUN_TIMEOUT_S = 240
FTP_PATH = "prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs"  # two backslashes between parts
SPECTRUM = "https://www.pdspectrum.com/wsSpectrumAPICore"
KEY_PASSWORD = "PPM-DEMO-PRIVATE-KEY-7f3a|ppm-demo-rtdr-pass"
WINDOW = "IMT Spectrum Conversion (2026-12-15)"
REMOVED = [*(str(n) for n in range(14, 23)), "88", "105"]


@dataclass(frozen=True)
class Cli:
    """How a test runs crm-robot: against `url`, writing under `out`."""

    url: str
    out: Path

    def env(self, **extra: str) -> dict[str, str]:
        # Nothing of the developer's own CRM settings leaks into a test run.
        base = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "RTDR_"))}
        return {
            **base,
            "CRM_BASE_URL": self.url,
            "CRM_ROBOT_OUTPUT_DIR": str(self.out),
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def command(self, *args: str, plan: Path = PLAN) -> list[str]:
        return [
            sys.executable,
            "-m",
            "robot.cli.main",
            "convert",
            str(plan),
            "--env-file",
            str(ENV_FILE),
            *args,
        ]

    def run(
        self, *args: str, plan: Path = PLAN, prefix: Sequence[str] = (), **extra: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, *self.command(*args, plan=plan)],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """A run in its own process group, so that a kill takes its browser with it."""
        return subprocess.Popen(
            self.command(*args),
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )

    def run_dirs(self) -> list[Path]:
        return sorted(p.parent for p in (self.out / SLUG).glob("*/journal.jsonl"))

    def journal(self, run_dir: Path | None = None) -> list[dict[str, Any]]:
        folder = run_dir or self.run_dirs()[-1]
        lines = (folder / "journal.jsonl").read_text().splitlines(keepends=True)
        return [json.loads(line) for line in lines if line.endswith("\n")]


def kill_when(
    process: subprocess.Popen[str], cli: Cli, seen: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    """SIGKILL the run's process group as soon as its journal shows `seen`; the journal then."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the run ended (exit {process.returncode}) before the kill")
        dirs = cli.run_dirs()
        if dirs:
            events = cli.journal(dirs[-1])
            if seen(events):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return cli.journal(dirs[-1])
        time.sleep(0.01)  # polling interval of the journal, not a stand-in for a wait
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("the journal never showed the moment to kill the run")


def assert_converted(state: dict[str, Any], key_password: str = KEY_PASSWORD) -> None:
    """The biller as the procedure leaves it, field by field (settings 10 and 13 hold
    `key_password`: the seeded provider credentials, or a test's fresh ones)."""
    assert state["integration_partner"] == "IMT Spectrum"
    flags = state["invoicing"]
    assert (
        flags["real_time_data_refresh"],
        flags["suppress_stale_balances"],
        flags["apply_global_bif_customizations"],
    ) == (True, True, True)
    assert state["invoice_format_guid"] == "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"
    assert state["pdf_settings"] == [
        {
            "ftp_username": "prairiepinemutual",
            "path": FTP_PATH,
            "backup": True,
            "move_action": "Move to Filename Pending",
            "active": True,
        }
    ]
    assert state["zip_settings"] == [
        {
            "ftp_username": "prairiepinemutual",
            "path": FTP_PATH,
            "backup": True,
            "delete_zip_files": True,
            "active": True,
        }
    ]
    assert state["datapump"]["payment"] == {
        "Web": True,
        "IVR": True,
        "Walk-in Counter": True,
        "Lockbox": False,
    }
    assert not any(state["datapump"]["non_payment"].values())
    settings = {n: s["value"] for n, s in state["advanced_settings"].items()}
    assert [n for n in REMOVED if n in settings] == []
    assert [settings[str(n)] for n in range(8, 14)] == [
        SPECTRUM,
        "ppm_spectrum_api",
        key_password,
        SPECTRUM,
        "ppm_spectrum_api",
        key_password,
    ]
    windows = state["maintenance_windows"]
    assert [
        (w["description"], w["start"], w["end"], w["active"], w["all_pages"]) for w in windows
    ] == [(WINDOW, "2026-12-15T01:00", "2026-12-15T05:00", False, True)]
    assert windows[0]["message"] == load_plan(PLAN).maintenance_window.message
    history = [
        (h["field"], h["old"], h["new"])
        for h in state["history"]
        if h["screen"] == "Maintenance Windows"
    ]
    # Created active, then deactivated at go-live: once each.
    assert history == [("New maintenance window", "", WINDOW), (f"{WINDOW}: Active", "Yes", "No")]
