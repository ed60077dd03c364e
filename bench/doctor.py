"""How long `crm-robot doctor` takes for its whole walk, as a PM would run it.

Two cases, each the whole command in its own process (start-up, sign-in and the walk):
- `default`: crm_sim's default skin, where every entry of the profile is found;
- `legacy-no-profile`: crm_sim's legacy skin without a profile, where most entries miss and
  each miss is ranked against what the screen shows, and the walk goes on with proposals.
The floor is the plain capture of the nine screens (`crm-robot capture --phase before`) on the
default skin, measured in the same run: the doctor visits those screens and about as many forms
and dialogs more. Prints JSON; the README quotes the figures of a quiet 2-core machine.

    python bench/doctor.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from robot.run.demo import CrmSimProcess  # noqa: E402

PLAN = ROOT / "plans" / "prairie-pine-mutual.toml"
ENV_FILE = ROOT / ".env.example"


def timed(url: str, work: Path, *argv: str) -> tuple[float, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "RTDR_"))}
    env.update(CRM_BASE_URL=url, CRM_ROBOT_OUTPUT_DIR=str(work / "out"))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "robot.cli.main", *argv, str(PLAN), "--env-file", str(ENV_FILE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return time.perf_counter() - started, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each case (the median)")
    args = parser.parse_args()
    cases = {
        "capture-floor": ("", ("capture", "--phase", "before")),
        "default": ("", ("doctor",)),
        "legacy-no-profile": ("legacy", ("doctor",)),
    }
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="crm-robot-bench-doctor-") as tmp:
        for name, (skin, argv) in cases.items():
            folder = Path(tmp) / name
            folder.mkdir()
            extra = ("--skin", skin) if skin else ()
            seconds, codes = [], []
            with CrmSimProcess(folder, extra_args=extra) as sim:
                for round_ in range(args.repeat):
                    out = ("--out", str(folder / f"report-{round_}")) if argv[0] == "doctor" else ()
                    took, code = timed(sim.url, folder, *argv, *out)
                    seconds.append(took)
                    codes.append(code)
            results[name] = {"seconds": round(statistics.median(seconds), 2), "exit": codes}
    floor = float(results["capture-floor"]["seconds"])  # type: ignore[arg-type]
    for name in ("default", "legacy-no-profile"):
        results[name]["ratio_to_capture"] = round(float(results[name]["seconds"]) / floor, 2)  # type: ignore[arg-type]
    print(json.dumps({"benchmark": "doctor", "cpus": os.cpu_count(), "cases": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
