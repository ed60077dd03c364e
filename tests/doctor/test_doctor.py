"""`crm-robot doctor` against a real crm_sim: read-only, every entry of the profile checked,
misses named with the container that is missing and with proposals a person can paste."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from robot.core.errors import ExitCode
from tests.support.crm_sim_server import CrmSimServer

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "plans" / "prairie-pine-mutual.toml"
ENV_FILE = ROOT / ".env.example"
BILLER = "10482"

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("doctor")]


def doctor(url: str, out: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "RTDR_"))}
    env.update(settings)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "robot.cli.main",
            "doctor",
            str(PLAN),
            "--env-file",
            str(ENV_FILE),
            "--out",
            str(out / "doctor"),
            *args,
        ],
        cwd=ROOT,
        env={**env, "CRM_BASE_URL": url, "CRM_ROBOT_OUTPUT_DIR": str(out / "screenshots")},
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def report(out: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((out / "doctor" / "doctor.json").read_text())
    return found


def entries(out: Path) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in report(out)["entries"]}


def test_every_entry_resolves_on_the_crm_the_defaults_were_written_for_and_nothing_changes(
    crm_sim: CrmSimServer, tmp_path: Path
) -> None:
    before = crm_sim.state(BILLER)
    done = doctor(crm_sim.url, tmp_path)
    assert done.returncode == ExitCode.OK, done.stderr
    assert crm_sim.state(BILLER) == before  # settings, windows, DataPump, History: untouched
    summary = report(tmp_path)["summary"]
    assert summary["missing"] == summary["ambiguous"] == summary["not reached"] == 0
    assert summary["found"] > 100
    assert summary["optional"] == 0
    for screen in ("login", "biller_search", "profile", "advanced_settings"):
        assert entries(tmp_path)[f"{screen}.address"]["status"] == "found", screen
    provider = entries(tmp_path)["identity_provider.username"]
    assert (provider["status"], provider["note"]) == (
        "not checked",
        "the CRM signs in on its own page",
    )
    assert entries(tmp_path)["advanced_settings.page_rows"]["status"] == "found"
    lines = [line for line in done.stderr.splitlines() if line.startswith("doctor ")]
    assert any("Advanced Settings > Edit setting 8" in line for line in lines)
    assert (tmp_path / "doctor" / "index.html").is_file()
    shots = sorted((tmp_path / "doctor" / "screens").glob("*.png"))
    assert len(shots) == len(report(tmp_path)["screens"])
    fingerprints = json.loads(
        (tmp_path / "screenshots" / "fingerprints" / "default.json").read_text()
    )
    assert fingerprints["profile.edit"]["text"] == "Edit Profile"


def test_a_miss_is_named_with_a_proposal_that_finds_the_element(
    crm_sim: CrmSimServer, tmp_path: Path
) -> None:
    profile = tmp_path / "crm.toml"
    profile.write_text(
        "[profile]\n"
        'edit = "role:link:Modify Profile"\n'
        'partner_term = "Integration Partner"\n'
        "[products]\n"
        'address = "/Admin/Products.aspx?BillerID={id}"\n'
        "[advanced_settings]\n"
        'edit = "css:table.missing >> row:{number} >> role:button"\n'
        'page_rows = "20"\n',
        encoding="utf-8",
    )
    before = crm_sim.state(BILLER)
    done = doctor(crm_sim.url, tmp_path, "--selectors", str(profile))
    assert done.returncode == ExitCode.PROBLEM_FOUND, done.stderr
    assert crm_sim.state(BILLER) == before
    found = entries(tmp_path)
    edit = found["profile.edit"]
    assert (edit["status"], edit["looked_for"]) == ("missing", "role:link:Modify Profile")
    assert edit["proposals"][0]["value"] == "role:link:Edit Profile"
    term = found["profile.partner_term"]
    assert term["status"] == "missing"
    assert term["proposals"][0]["value"] == "Integration Partner ID"
    scoped = found["advanced_settings.edit"]
    assert scoped["status"] == "missing"
    assert scoped["missing_container"] == "advanced_settings.edit up to css:table.missing"
    assert "missing: profile.edit = 'role:link:Modify Profile'" in done.stdout
    # A CRM without pages of 20 rows: the robot keeps All rows; the doctor offers the pages
    # the select has, and does not count it as a miss.
    rows = found["advanced_settings.page_rows"]
    assert (rows["status"], [p["value"] for p in rows["proposals"]]) == ("optional", ["25", "50"])
    assert "optional: advanced_settings.page_rows = '20' (not offered: " in done.stdout
    # Where the PM's way led is where the screen is: its address, for every biller.
    address = found["products.address"]
    assert (address["status"], address["proposals"][0]["value"]) == (
        "missing",
        "/billers/{id}/products",
    )
    assert "doctor: 4 entries to adapt" in done.stderr
    draft = tomllib.loads((tmp_path / "doctor" / "profile-draft.toml").read_text())
    assert draft["profile"]["edit"] == "role:link:Edit Profile"
    assert draft["profile"]["partner_term"] == "Integration Partner ID"
    assert draft["advanced_settings"]["page_rows"] == "25"
    assert draft["products"]["address"] == "/billers/{id}/products"


def test_a_crm_behind_a_company_sign_in_is_walked_from_the_provider_s_first_page(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    server = start_crm_sim(sso=True)
    host = urlsplit(server.idp_url).netloc
    before = server.state(BILLER)
    done = doctor(server.url, tmp_path, CRM_SIGN_IN="sso", CRM_SSO_HOSTS=host)
    assert done.returncode == ExitCode.OK, done.stderr
    assert server.state(BILLER) == before
    found = entries(tmp_path)
    # Its first step as shown, and the password step the robot's username leads to.
    for name in ("username", "next", "password", "sign_in"):
        step = found[f"identity_provider.{name}"]
        assert step["status"] == "found", step
    unused = found["login.username"]
    assert (unused["status"], unused["note"]) == (
        "not checked",
        "the CRM sends the browser to its company sign-in",
    )
    assert server.sign_ins() == 1
    assert report(tmp_path)["summary"]["not reached"] == 0
