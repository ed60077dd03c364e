"""Plan files for the billers crm_sim seeds with `--extra-billers N` (Sim Biller 001, ...).

A scheduled capture only needs a plan to name its biller; these plans follow the seed data of the
extra billers (crm_sim/seed.py), so `plan check` would accept them too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PLAN = ROOT / "plans" / "prairie-pine-mutual.toml"

_TEMPLATE = """\
go_live = 2026-12-15
jira_submitted = 2026-11-10
ftp_name = "simbiller{num}ftp"
ftp_username = "simbiller{num}"

[biller]
id = "{id}"
guid = "{guid}"
name = "Sim Biller {num}"
expected_partner = "IMT MIPS APPS"
environment = "UAT"

[maintenance_window]
start = 2026-12-15T01:00:00
end = 2026-12-15T05:00:00

[datapump]
payment_terminals = ["Web", "IVR", "Walk-in Counter"]

[rtdr]
username = "sim{num}_api"
"""


def sim_biller_id(n: int) -> str:
    return str(90000 + n)


def sim_biller_slug(n: int) -> str:
    return f"sim-biller-{n:03d}"


def sim_biller_guid(n: int) -> str:
    return f"F0000000-0000-4000-8000-{int(sim_biller_id(n)):012d}"


def sim_plan_text(n: int) -> str:
    return _TEMPLATE.format(num=f"{n:03d}", id=sim_biller_id(n), guid=sim_biller_guid(n))


def write_watch_list(path: Path, count: int) -> Path:
    """A CSV watch list of Sim Billers 001..count, as a PM would export it from a spreadsheet."""
    rows = ["id,guid,name,environment,expected_partner"]
    rows += [
        f"{sim_biller_id(n)},{sim_biller_guid(n)},Sim Biller {n:03d},UAT,IMT MIPS APPS"
        for n in range(1, count + 1)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def write_plans(folder: Path, count: int, *, sample: bool = False) -> list[Path]:
    """`count` Sim Biller plans (and the sample biller's first, when `sample`) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    if sample:
        paths.append(Path(shutil.copy(SAMPLE_PLAN, folder / SAMPLE_PLAN.name)))
    for n in range(1, count + 1):
        path = folder / f"{sim_biller_slug(n)}.toml"
        path.write_text(sim_plan_text(n), encoding="utf-8")
        paths.append(path)
    return paths
