"""Running `crm-robot capture --phase scheduled` as cron would, and reading what it left."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.crm_sim_forms import PASSWORD, USERNAME
from tests.support.crm_sim_http import call, sign_in
from tests.support.crm_sim_server import CrmSimServer

RUN_TIMEOUT_S = 240
# Short enough that a biller whose pages never answer fails in seconds, long enough for a CRM
# answering in milliseconds on a 2-core machine running the suite beside it.
TIMEOUT_MS = "6000"


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    summary: dict[str, Any]

    def biller(self, biller_id: str) -> dict[str, Any]:
        found: list[dict[str, Any]] = [
            b for b in self.summary["billers"] if b["biller_id"] == biller_id
        ]
        assert len(found) == 1, f"biller {biller_id} in the summary {len(found)} times"
        return found[0]

    def statuses(self) -> dict[str, str]:
        return {b["biller_id"]: b["status"] for b in self.summary["billers"]}


@dataclass(frozen=True)
class Scheduler:
    """`crm-robot capture PLANS --phase scheduled --out OUT` against `sim`."""

    sim: CrmSimServer
    out: Path
    plans: list[Path]
    cwd: Path

    def env(self, timeout_ms: str = TIMEOUT_MS) -> dict[str, str]:
        # Nothing of the developer's own CRM settings leaks into a test run.
        base = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "RTDR_"))}
        return {
            **base,
            "CRM_BASE_URL": self.sim.url,
            "CRM_USERNAME": USERNAME,
            "CRM_PASSWORD": PASSWORD,
            "CRM_ROBOT_TIMEOUT_MS": timeout_ms,
            "PYTHONUNBUFFERED": "1",
        }

    def run(
        self, *options: str, summary: Path | None = None, timeout_ms: str = TIMEOUT_MS
    ) -> Outcome:
        summary = summary or self.cwd / "summary.json"
        summary.unlink(missing_ok=True)
        done = self.crm_robot(
            "capture",
            *(str(p) for p in self.plans),
            "--phase",
            "scheduled",
            "--out",
            str(self.out),
            "--summary",
            str(summary),
            *options,
            timeout_ms=timeout_ms,
        )
        data = json.loads(summary.read_text()) if summary.exists() else {}
        return Outcome(done.returncode, done.stdout, done.stderr, data)

    def crm_robot(
        self, *args: str, timeout_ms: str = TIMEOUT_MS
    ) -> subprocess.CompletedProcess[str]:
        """A crm-robot command with these settings, run where no .env of the checkout is read."""
        return subprocess.run(
            [sys.executable, "-m", "robot.cli.main", *args],
            cwd=self.cwd,
            env=self.env(timeout_ms),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
        )


def set_primary_contact(
    url: str, biller_id: str, contact: str, partner: str = "IMT MIPS APPS"
) -> None:
    """Change a biller in the CRM the way a person would, through its profile form (which
    also posts the Integration Partner ID: `partner` keeps it as it is)."""
    cookie, token = sign_in(url)
    status, headers, _ = call(
        url,
        "POST",
        f"/billers/{biller_id}/profile/edit",
        cookie=cookie,
        form={
            "csrf_token": token,
            "integration_partner": partner,
            "primary_contact": contact,
        },
    )
    assert status in (302, 303), f"the profile form answered {status}"
    assert headers["Location"].endswith(f"/billers/{biller_id}/profile")


def capture_names(out: Path, slug: str) -> list[str]:
    folder = out / slug / "scheduled"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
