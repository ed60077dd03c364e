"""What crm-robot itself changed between two scheduled captures: its runs' journaled writes.

A scheduled comparison has no plan of its own. But when a conversion (or a resumed one) of the
biller ended between the base capture and this one, in the same output root, its journal says
which fields it wrote, from what and to what. Those writes are the plan of the comparison: a
field that went where a run took it is planned, and the report names the run; a field that
changed otherwise is unplanned, and one a run wrote but that does not read so is missing. A run
that failed half-way counts for the writes it journaled, no more.

The journal speaks the CRM History's language (screen, field); the captures speak theirs (screen
stem, values.json key). `expected_after_writes` maps one to the other, and adds what the screens
that sum things up (the Integration Summary) show in consequence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from robot.core.capture_format import read_values
from robot.core.conversion import SECRET_SETTINGS
from robot.core.secrets import PLANNED_SECRET
from robot.plan.expectations import PAYMENT, payment_summary
from robot.run.journal import JOURNAL_NAME, read_events
from scenarios.advanced_settings import DELETED

Values = Mapping[str, Mapping[str, str]]
Expected = dict[str, dict[str, str | None]]

PROFILE, SUMMARY = "01-profile", "07-integration-summary"
ADVANCED, FTP, DATAPUMP = "06-advanced-settings", "08-ftp-management", "09-datapump-management"
# A created FTP setting, as journaled: its key prefix in values.json and its Summary count.
_FTP_KINDS = {
    "New PDF setting": ("PDF", "PDF Settings"),
    "New Zip File setting": ("Zip", "Zip File Settings"),
}


@dataclass(frozen=True)
class RobotRun:
    """One run of crm-robot on the biller, as its journal tells it."""

    run_id: str
    folder: Path
    ended_at: datetime  # its last journaled event
    writes: list[dict[str, Any]] = field(default_factory=list)  # `write` events, result ok


def _moment(stamp: object) -> datetime | None:
    if not isinstance(stamp, str):
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def read_run(folder: Path) -> RobotRun | None:
    """The run in `folder`, or None when it has no readable journal of a run."""
    path = folder / JOURNAL_NAME
    try:
        events = read_events(path)
    except OSError:
        return None
    if not events or events[0].get("event") != "run-start":
        return None
    ended = _moment(events[-1].get("ts"))
    if ended is None:
        return None
    writes = [e for e in events if e.get("event") == "write" and e.get("result", "ok") == "ok"]
    return RobotRun(folder.name, folder, ended, writes)


def runs_between(biller_dir: Path, after: datetime, until: datetime) -> list[RobotRun]:
    """The biller's runs that ended after `after` and by `until`, oldest first."""
    runs = []
    for journal in sorted(biller_dir.glob(f"*/{JOURNAL_NAME}")):
        run = read_run(journal.parent)
        if run is not None and after < run.ended_at <= until:
            runs.append(run)
    return sorted(runs, key=lambda r: r.ended_at)


def planned_by(runs: list[RobotRun], base: Path, capture: Path) -> Expected | None:
    """The expectations of comparing capture folder `capture` with `base`: crm-robot's own
    runs' writes, or None (no plan: every change is unplanned) when no run came in between."""
    if not runs:
        return None
    return expected_after_writes(runs, read_values(base), read_values(capture))


def expected_after_writes(runs: list[RobotRun], base: Values, now: Values) -> Expected:
    """What the captured screens should read after the runs' writes, from the base capture.

    `now` is only used for the settings a run created: they read what the run gave them (the
    journal names the new setting by its path), so their fields are expected as they are now.
    """
    expected: Expected = {}
    for run in runs:
        for write in run.writes:
            _expect(expected, write, now)
    _summary_consequences(expected, base)
    return expected


def _expect(expected: Expected, write: Mapping[str, Any], now: Values) -> None:
    screen, name, new = write.get("screen"), str(write.get("field", "")), write.get("new")
    if screen == "Profile" and name == "Integration Partner ID":
        expected.setdefault(PROFILE, {})[name] = new
        expected.setdefault(SUMMARY, {})[name] = new
    elif screen == "Invoicing":
        expected.setdefault(SUMMARY, {})[name] = "On" if new == "Yes" else "Off"
    elif screen == "BIF Customizations":
        expected.setdefault(SUMMARY, {})[name] = new
    elif screen == "DataPump Management":
        expected.setdefault(DATAPUMP, {})[name] = new
    elif screen == "Advanced Settings":
        _expect_setting(expected, name, new, bool(write.get("secret")))
    elif screen == "FTP Management" and name in _FTP_KINDS:
        prefix = f"{_FTP_KINDS[name][0]} {new} "
        created = {k: v for k, v in now.get(FTP, {}).items() if k.startswith(prefix)}
        expected.setdefault(FTP, {}).update(created or {f"{prefix}Active": "Yes"})
        made = f"+{_FTP_KINDS[name][1]}"  # settled into a count by _summary_consequences
        summary = expected.setdefault(SUMMARY, {})
        summary[made] = str(int(summary.get(made) or 0) + 1)


def _expect_setting(expected: Expected, name: str, new: object, secret: bool) -> None:
    number = name.split(" ", 2)[1] if name.startswith("Setting ") else ""
    if not number.isdigit():
        return
    value: str | None
    if secret:
        # A secret write is journaled as "changed" on both sides. The conversion sets only the
        # secret settings (10, 13); a secret row it writes otherwise is one it removes.
        value = PLANNED_SECRET if int(number) in SECRET_SETTINGS else None
    else:
        value = None if new == DELETED else str(new)
    expected.setdefault(ADVANCED, {})[f"Setting {number}"] = value
    if number == "8":
        expected.setdefault(SUMMARY, {})["RTDR Endpoint"] = value


def _summary_consequences(expected: Expected, base: Values) -> None:
    """The Integration Summary counts FTP settings and lists the payment terminals."""
    summary = expected.get(SUMMARY, {})
    base_summary = base.get(SUMMARY, {})
    for label in ("PDF Settings", "Zip File Settings"):
        created = summary.pop(f"+{label}", None)
        shown = base_summary.get(label, "")
        if created is not None and shown.isdigit():
            summary[label] = str(int(shown) + int(created))
    datapump = expected.get(DATAPUMP)
    if not datapump:
        return
    selected = _terminals(base.get(DATAPUMP, {}))
    selected.update(_terminals(datapump))
    if selected:
        chosen = {terminal for terminal, value in selected.items() if value == "Yes"}
        expected.setdefault(SUMMARY, {})["Payment DataPump"] = payment_summary(selected, chosen)


def _terminals(screen: Mapping[str, str | None]) -> dict[str, str]:
    """Payment terminal -> Yes/No, in the screen's order."""
    return {k[len(PAYMENT) :]: str(v) for k, v in screen.items() if k.startswith(PAYMENT)}
