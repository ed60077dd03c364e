"""Benchmark of the whole conversion; prints JSON.

In one run, against a crm_sim it starts (default save delay, no faults), with the sample plan:
  - the robot: the demo's conversion (`robot.run.demo.run_demo`: ten steps, two nine-screen
    captures, report, audit) timed end to end and per step, with the number of browser actions
    (clicks, fills, selects, ticks) and of page loads the browser made, in all and per step
    (the steps' times from the run's journal);
  - the floor: the same writes with no browser, on fresh data: sign in with the CSRF token and
    post each form with a plain HTTP client (http.client, one kept-alive connection), reading
    only what a form needs (the current Primary Contact, the invoicing flags, the window's id);
  - the browser floor (bench/browser_floor.py): the same writes made in the robot's Chromium
    with nothing but a page load, a scripted submit and the answer's load for each;
  - the ratio of the robot to the floor, overall and for the writing steps alone (no captures,
    no report); of the writing steps to the browser floor (the robot's own overhead); and of the
    browser floor to the floor (the price of a browser);
  - whether all three reached the same end state (the state API, history aside);
  - peak memory: the robot's process tree (Python, the Playwright driver, Chromium) as the sum
    of proportional set sizes, sampled from /proc every 100 ms, and this Python process alone.

Usage:
  python bench/convert.py
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import resource
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from browser_floor import (  # noqa: E402  (beside this file)
    FLAG_COLUMNS,
    ON,
    PASSWORD,
    USERNAME,
    browser_floor,
    ftp_forms,
    typed_settings,
    window_form,
)

from robot.browser.session import BrowserSession  # noqa: E402
from robot.plan.model import ConversionPlan, load_plan  # noqa: E402
from robot.run.demo import CrmSimProcess, embedded_crm, run_demo  # noqa: E402
from robot.run.journal import JOURNAL_NAME, read_events  # noqa: E402

PLAN = ROOT / "plans" / "prairie-pine-mutual.toml"
WRITING_STEPS = (
    "maintenance-window",
    "crm-configuration",
    "ftp-setup",
    "datapump",
    "advanced-settings",
    "go-live",
)


# --- memory ---------------------------------------------------------------------------------


class TreeMemory:
    """Peak resident memory of this process and its descendants, except `exclude`'s tree."""

    def __init__(self, exclude: int | None) -> None:
        self.exclude = exclude
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_bytes = max(self.peak_bytes, self._sample())

    def _sample(self) -> int:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree = {os.getpid()}
        changed = True
        while changed:
            changed = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree and pid != self.exclude:
                    tree.add(pid)
                    changed = True
        return sum(self._pss(pid) for pid in tree)

    def _pss(self, pid: int) -> int:
        """Proportional set size: Chromium's processes share pages, and RSS would count them
        once per process."""
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            pass
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self.page
        except (OSError, IndexError, ValueError):
            return 0


def _mb(value: float) -> float:
    return round(value / (1024 * 1024), 1)


# --- the floor: the same writes as plain form posts ---------------------------------------


class _Inputs(HTMLParser):
    """Every <input>/<textarea> name -> (value, checked) of a page, and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, tuple[str, bool]] = {}
        self.links: list[str] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name"):
            name = str(found["name"])
            self.inputs.setdefault(name, (found.get("value") or "", "checked" in found))
        elif tag == "textarea" and found.get("name"):
            self._textarea = str(found["name"])
            self.inputs[self._textarea] = ("", False)
        elif tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.inputs[self._textarea] = (self.inputs[self._textarea][0] + data, False)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


@dataclass
class FormClient:
    """One kept-alive connection, the session cookie, and the CSRF token of the session."""

    base_url: str
    requests: int = 0
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> str:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        self.requests += 1
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.status >= 400:
            raise RuntimeError(f"{method} {path} answered {response.status}")
        return text

    def page(self, path: str) -> _Inputs:
        parsed = _Inputs()
        parsed.feed(self.request("GET", path))
        if "csrf_token" in parsed.inputs:
            self.token = parsed.inputs["csrf_token"][0]
        return parsed

    def post(self, path: str, form: list[tuple[str, str]]) -> None:
        self.request("POST", path, [("csrf_token", self.token), *form])

    def sign_in(self) -> None:
        self.page("/login")
        self.post("/login", [("username", USERNAME), ("password", PASSWORD), ("next", "/billers")])
        self.page("/billers")  # the signed-in session's token


def floor(base_url: str, plan: ConversionPlan) -> int:
    """The conversion's writes as form posts; returns the number of HTTP requests made."""
    b = f"/billers/{plan.biller.id}"
    client = FormClient(base_url)
    client.sign_in()
    client.post(f"{b}/portal/maintenance-windows/new", window_form(plan, active=True))
    contact = client.page(f"{b}/profile/edit").inputs["primary_contact"][0]
    client.post(
        f"{b}/profile/edit",
        [("integration_partner", plan.target_partner), ("primary_contact", contact)],
    )
    flags = client.page(f"{b}/invoicing/advanced").inputs
    checked = {name for name, (_, is_on) in flags.items() if is_on} | set(FLAG_COLUMNS)
    client.post(f"{b}/invoicing/advanced", [(name, ON) for name in sorted(checked)])
    client.post(f"{b}/integration-summary/bif", [("invoice_format_guid", plan.invoice_format_guid)])
    pdf_form, zip_form = ftp_forms(plan)
    client.post(f"{b}/ftp/pdf/new", pdf_form)
    client.post(f"{b}/ftp/zip/new", zip_form)
    client.post(f"{b}/datapump/payment", [("option", t) for t in plan.datapump.payment_terminals])
    client.post(f"{b}/datapump/non-payment", [])
    back = [("return_to", f"{b}/advanced-settings")]
    for number in plan.advanced_settings.remove_numbers():
        client.post(f"{b}/advanced-settings/{number}/delete", back)
    for number, text in typed_settings(plan).items():
        client.post(f"{b}/advanced-settings/{number}", [("value", text), *back])
    links = client.page(f"{b}/portal/maintenance-windows").links
    edit = next(link for link in links if link.endswith("/edit"))
    client.post(edit, window_form(plan, active=False))
    return client.requests


# --- the run --------------------------------------------------------------------------------


def end_state(sim: CrmSimProcess, biller_id: str) -> dict[str, Any]:
    client = FormClient(sim.url)
    state: dict[str, Any] = json.loads(client.request("GET", f"/api/state/{biller_id}"))
    state.pop("history", None)
    for window in state.get("maintenance_windows", []):
        window.pop("id", None)
    return state


def reset(sim: CrmSimProcess) -> None:
    client = FormClient(sim.url)
    client.connection.request(
        "POST", "/api/reset", body="{}", headers={"Content-Type": "application/json"}
    )
    client.connection.getresponse().read()


def run() -> dict[str, Any]:
    plan = load_plan(PLAN)
    actions: list[datetime] = []  # when each browser action and page load happened
    loads: list[datetime] = []

    def count_action(_what: str, _element: Any) -> None:
        actions.append(datetime.now(UTC))

    def watch(session: BrowserSession) -> None:
        def on_request(request: Any) -> None:
            if request.is_navigation_request():
                loads.append(datetime.now(UTC))

        session.page.on("request", on_request)

    with tempfile.TemporaryDirectory(prefix="crm-robot-bench-") as tmp:
        os.environ["CRM_ROBOT_OUTPUT_DIR"] = tmp
        with embedded_crm() as sim, open(os.devnull, "w") as quiet:
            with TreeMemory(exclude=sim.pid) as memory:
                started = time.perf_counter()
                outcome = run_demo(
                    sim, out=quiet, err=quiet, on_action=count_action, on_session=watch
                )
                robot_s = time.perf_counter() - started
            windows = step_windows(outcome.run_dir)
            robot_state = end_state(sim, plan.biller.id)
            reset(sim)
            started = time.perf_counter()
            floor_requests = floor(sim.url, plan)
            floor_s = time.perf_counter() - started
            floor_state = end_state(sim, plan.biller.id)
            reset(sim)
            started = time.perf_counter()
            browser_loads = browser_floor(sim.url, plan)
            browser_s = time.perf_counter() - started
            browser_state = end_state(sim, plan.biller.id)

    steps = {s.step.id: round(s.seconds, 2) for s in outcome.steps}
    writing_s = sum(steps.get(step, 0.0) for step in WRITING_STEPS)
    return {
        "benchmark": "convert",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "robot": {
            "seconds": round(robot_s, 2),
            "status": outcome.status,
            "writes": outcome.writes,
            "browser_actions": len(actions),
            "page_loads": len(loads),
            "steps_seconds": steps,
            # outside any step: sign-in, the guards, the report and the audit
            "steps_browser_actions": per_step(actions, windows),
            "steps_page_loads": per_step(loads, windows),
            "writing_steps_seconds": round(writing_s, 2),
            "report_ok": outcome.report_ok,
            "audit_ok": outcome.audit.ok if outcome.audit else None,
        },
        "floor": {"seconds": round(floor_s, 2), "http_requests": floor_requests},
        "browser_floor": {"seconds": round(browser_s, 2), "page_loads": browser_loads},
        "ratio": round(robot_s / floor_s, 2) if floor_s else None,
        "ratio_writing_steps": round(writing_s / floor_s, 2) if floor_s else None,
        # The robot's own overhead (the writing steps against the same writes made in a browser
        # with nothing else), and the browser's price (that floor against the form posts).
        "ratio_writing_steps_to_browser_floor": round(writing_s / browser_s, 2),
        "browser_floor_to_floor": round(browser_s / floor_s, 2) if floor_s else None,
        "same_end_state": robot_state == floor_state == browser_state,
        "peak_memory_mb": {
            "robot_process_tree": _mb(memory.peak_bytes),
            "this_process": _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024),
        },
    }


def step_windows(run_dir: Path | None) -> list[tuple[str, datetime, datetime]]:
    """(step, started, finished) of each step, from the run's journal."""
    if run_dir is None:
        return []
    started: dict[str, datetime] = {}
    windows = []
    for event in read_events(run_dir / JOURNAL_NAME):
        at = datetime.fromisoformat(event["ts"])
        if event["event"] == "step-start":
            started[event["step"]] = at
        elif event["event"] in ("step-finish", "step-fail") and event["step"] in started:
            windows.append((event["step"], started[event["step"]], at))
    return windows


def per_step(
    moments: list[datetime], windows: list[tuple[str, datetime, datetime]]
) -> dict[str, int]:
    """How many of `moments` fell in each step; the rest under "outside steps"."""
    counts = {step: 0 for step, _, _ in windows} | {"outside steps": 0}
    for moment in moments:
        step = next((s for s, start, end in windows if start <= moment <= end), "outside steps")
        counts[step] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.parse_args()
    result = run()
    print(json.dumps(result, indent=2))
    return 0 if result["robot"]["status"] == "ok" and result["same_end_state"] else 1


if __name__ == "__main__":
    sys.exit(main())
