"""Benchmark of the scheduled capture of many billers; prints JSON.

Against one crm_sim it starts with `--extra-billers 12`, for 1, 4 and 12 billers (Sim Biller
001..) and 1, 2 and 4 workers, each cell is `crm-robot capture PLANS --phase scheduled --workers
N` run as cron runs it (a fresh process: Python start, browsers, sign-in, capture, comparison
with the previous capture, report), in steady state: the output root starts as a copy of one
made by a first, untimed run, so every biller is compared with its previous capture.

Two ways of giving the workers a browser are measured, interleaved cell by cell:
  - own: each worker thread launches its own Chromium (what the robot does by default);
  - shared: one Chromium behind a Playwright browser server started once by the benchmark
    (tests/support/browser_server.py), each worker connecting to it with
    `--browser-endpoint ws://...` and working in its own context. The server's start is not
    timed (a long-running service), its memory is counted.

For each cell: wall seconds, billers per minute, and peak memory: the sum of proportional set
sizes (PSS; Chromium's processes share pages) of the robot's process tree (and of the browser
server's, in shared mode), sampled from /proc every 100 ms. CPU seconds too (user + system, of
the robot's tree and the browser server's, and separately of the CRM): on a machine that other
work keeps busy, wall time says little and CPU per biller says what 2 cores can do at best. The
machine's load average before and after is recorded: other work on the machine shows there.

Usage:
  python bench/scheduled.py [--billers 1,4,12] [--workers 1,2,4] [--modes own,shared]
                            [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.browser_server import BrowserServer  # noqa: E402
from tests.support.sim_plans import write_plans  # noqa: E402

USERNAME = "pm.demo"
PASSWORD = "crm-demo-pass"  # the embedded CRM's demo password, public seed data
RUN_TIMEOUT_S = 900


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--billers", default="1,4,12", help="biller counts, comma-separated")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--modes", default="own,shared", help="own, shared or both")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds over all cells (each cell: the median)"
    )
    args = parser.parse_args()
    billers = [int(n) for n in args.billers.split(",")]
    workers = [int(n) for n in args.workers.split(",")]
    modes = [m for m in args.modes.split(",") if m]
    # Stopped with SIGTERM, the CRM and the browser server it started are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="crm-robot-bench-scheduled-") as tmp:
        work = Path(tmp)
        sim, url = start_sim(work, max(billers))
        server = BrowserServer(log_path=work / "browser-server.log") if "shared" in modes else None
        try:
            if server is not None:
                server.start()
            result = run(url, sim.pid, work, billers, workers, modes, args.repeat, server)
        finally:
            if server is not None:
                server.stop()
            sim.terminate()
            sim.wait(timeout=10)
    print(json.dumps(result, indent=2))
    return 0


def start_sim(work: Path, billers: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crm_sim", "serve", "--port", "0", "--reset"]
        + ["--db", str(work / "crm.sqlite3"), "--extra-billers", str(billers)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    match = re.search(r"serving (http://127\.0\.0\.1:\d+)", proc.stdout.readline())
    if not match:
        proc.terminate()
        raise SystemExit("crm_sim did not start")
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return proc, match[1]


def run(
    url: str,
    crm_pid: int,
    work: Path,
    billers: list[int],
    workers: list[int],
    modes: list[str],
    repeat: int,
    server: BrowserServer | None,
) -> dict[str, Any]:
    plans = write_plans(work / "plans", max(billers))
    template = work / "template"
    note(f"untimed first run: baselines of {len(plans)} billers")
    first = scheduled(url, crm_pid, plans, template, workers=2, endpoint=None)
    if first["code"] != 0:
        raise SystemExit(f"the first run failed ({first['code']}): {first['stderr'][-400:]}")
    load_before = os.getloadavg()
    keys = [(count, n, mode) for count in billers for n in workers for mode in modes]
    runs: dict[tuple[int, int, str], list[dict[str, Any]]] = {key: [] for key in keys}
    # Rounds over every cell, not repeats of one cell: a change of the machine's load during
    # the benchmark then hits every cell alike.
    for r in range(repeat):
        for count, n, mode in keys:
            out = work / f"out-{mode}-{count}-{n}-{r}"
            shutil.copytree(template, out)
            note(f"{mode}: {count} biller(s), {n} worker(s), round {r + 1} of {repeat}")
            endpoint = server.ws_endpoint if mode == "shared" and server else None
            runs[(count, n, mode)].append(
                scheduled(
                    url, crm_pid, plans[:count], out, workers=n, endpoint=endpoint, server=server
                )
            )
            shutil.rmtree(out, ignore_errors=True)
    cells = [cell(count, n, mode, runs[(count, n, mode)]) for count, n, mode in keys]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "repeat": repeat,
        "cells": cells,
        "best": best(cells),
    }


def cell(count: int, workers: int, mode: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu_s"] for r in runs)
    crm_cpu = statistics.median(r["crm_cpu_s"] for r in runs)
    return {
        "mode": mode,
        "billers": count,
        "workers": workers,
        "seconds": round(seconds, 2),
        "seconds_each_round": [round(r["seconds"], 2) for r in runs],
        "billers_per_minute": round(count / seconds * 60, 1),
        "cpu_s": round(cpu, 2),
        "cpu_s_per_biller": round(cpu / count, 2),
        "crm_cpu_s_per_biller": round(crm_cpu / count, 2),
        "peak_pss_mb": max(r["peak_pss_mb"] for r in runs),
        "exit_codes": sorted({r["code"] for r in runs}),
    }


def best(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """For each mode and biller count, the worker count with the highest throughput."""
    out: dict[str, Any] = {}
    for cell in cells:
        key = f"{cell['mode']}-{cell['billers']}"
        if key not in out or cell["billers_per_minute"] > out[key]["billers_per_minute"]:
            out[key] = {k: cell[k] for k in ("workers", "billers_per_minute")}
    return out


def scheduled(
    url: str,
    crm_pid: int,
    plans: list[Path],
    out: Path,
    *,
    workers: int,
    endpoint: str | None,
    server: BrowserServer | None = None,
) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "RTDR_"))}
    env.update(CRM_BASE_URL=url, CRM_USERNAME=USERNAME, CRM_PASSWORD=PASSWORD)
    command = [sys.executable, "-m", "robot.cli.main", "capture", *map(str, plans)]
    command += ["--phase", "scheduled", "--out", str(out), "--workers", str(workers)]
    if endpoint:
        command += ["--browser-endpoint", endpoint]
    robot = TreeSampler([server.pid] if server is not None and server.pid else [])
    crm = TreeSampler([crm_pid])
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=out.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    robot.roots.add(proc.pid)
    try:
        with robot, crm:
            stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
    except BaseException:
        proc.kill()  # stopped or timed out: the run does not outlive the benchmark
        proc.wait()
        raise
    seconds = time.perf_counter() - started
    return {
        "code": proc.returncode,
        "seconds": seconds,
        "cpu_s": robot.cpu_seconds,
        "crm_cpu_s": crm.cpu_seconds,
        "peak_pss_mb": round(robot.peak_bytes / (1024 * 1024), 1),
        "stdout": stdout,
        "stderr": stderr,
    }


def note(message: str) -> None:
    """Progress on stderr; the JSON result alone goes to stdout."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


class TreeSampler:
    """The process trees under `roots`, sampled from /proc every 100 ms: peak of the summed PSS,
    and CPU seconds (user + system) spent while sampling. Processes already running when the
    sampler is made count from then on; a process that ends between two samples loses at most
    its last 100 ms."""

    def __init__(self, roots: list[int]) -> None:
        self.roots = set(roots)
        self.peak_bytes = 0
        self._ticks: dict[int, int] = {}
        self._start: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        for pid in self._tree():  # what a long-running server spent before this run
            self._start[pid] = self._ticks[pid] = _cpu_ticks(pid)

    @property
    def cpu_seconds(self) -> float:
        used = sum(t - self._start.get(pid, 0) for pid, t in self._ticks.items())
        return round(used / _TICK, 2)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            tree = self._tree()
            for pid in tree:
                self._ticks[pid] = max(self._ticks.get(pid, 0), _cpu_ticks(pid))
            self.peak_bytes = max(self.peak_bytes, sum(_pss(pid) for pid in tree))

    def _tree(self) -> set[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree = {pid for pid in self.roots if pid in parents}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        return tree


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid: int) -> int:
    """utime + stime of one process, its own only (reaped children are sampled themselves)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
