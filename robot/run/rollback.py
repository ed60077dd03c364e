"""What a rollback undoes, from the conversion run's own record, checked before a browser opens.

`crm-robot rollback PLAN RUN` reads RUN's journal: every write the CRM accepted (or may have
stored: a fault or a kill after the click), folded to one per field, the first value the
conversion found and the last it wrote (`scenarios.ports.Undo`). It refuses, with exit 2 and
nothing written: a folder that is not a conversion run, a journal with a damaged line, a run of
another biller, and a secret whose old value is not in the environment.

A secret's old value was never journaled: Advanced Setting N's comes from `ROLLBACK_SETTING_<N>`
(`.env` or the environment, like every setting), or from the variable the plan names for it
(`[rollback.secret_env]`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from robot.core.capture_format import Values
from robot.core.errors import SettingsError, UsageError
from robot.core.settings import Settings
from robot.plan.model import ConversionPlan
from robot.run.journal import JOURNAL_NAME, iter_writes, read_events, unanswered_intents
from scenarios.ports import Undo, Written

SECRET_VARIABLE = "ROLLBACK_SETTING_{number}"
_SETTING = re.compile(r"Setting (\d+) \((.*)\)$")
_SECRET_STEP = "advanced-settings"  # the only step that writes secrets


def find_conversion(run: str, biller_dir: Path) -> Path:
    """RUN as `convert --resume` takes it: a run folder, or a run id under the biller's folder."""
    as_path = Path(run)
    for candidate in (as_path, biller_dir / run):
        if (candidate / JOURNAL_NAME).is_file():
            return candidate
    known = sorted(p.name for p in biller_dir.glob("*") if (p / JOURNAL_NAME).is_file())
    hint = f" Runs of this biller: {', '.join(known[-5:])}." if known else ""
    raise UsageError(
        f"RUN: no conversion run {run!r} (a folder with a {JOURNAL_NAME}, or a run id under "
        f"{biller_dir}).{hint}"
    )


def _intact_events(path: Path) -> list[dict[str, Any]]:
    """Every event; a line that is not one JSON object (other than a torn last line, which a kill
    leaves) means the journal was damaged: the rollback will not guess what it said."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines[:-1], start=1):
        try:
            if not isinstance(json.loads(line), dict):
                raise ValueError
        except ValueError:
            raise UsageError(
                f"RUN: {path} is damaged at line {number}; a rollback needs the run's whole "
                "record. Restore the file from a backup, or undo this run by hand"
            ) from None
    return read_events(path)


def _check_conversion(events: list[dict[str, Any]], plan: ConversionPlan, path: Path) -> str:
    start = next((e for e in events if e.get("event") == "run-start"), None)
    if start is None:
        raise UsageError(f"RUN: {path} does not start with a run; give a conversion run")
    options = start.get("options") or {}
    if options.get("procedure", "conversion") != "conversion" or options.get("dry_run"):
        raise UsageError(
            f"RUN: {path.parent.name} is a {options.get('procedure', 'dry')} run, not a "
            "conversion; give the run id of the conversion to roll back"
        )
    biller = (start.get("biller") or {}).get("id")
    if biller != plan.biller.id:
        raise UsageError(
            f"RUN: run {start.get('run')} is for biller {biller}, not {plan.biller.id} as the "
            "plan says; give a conversion run of this plan's biller"
        )
    return str(start.get("run") or path.parent.name)


def _fold(writes: Iterable[dict[str, Any]]) -> tuple[Written, ...]:
    """One per field: the first value the run found, the last it wrote, in the order written."""
    folded: dict[tuple[str, str], Written] = {}
    for w in writes:
        key = (str(w.get("screen", "")), str(w.get("field", "")))
        first = folded.get(key)
        folded[key] = Written(
            step=first.step if first else str(w.get("step", "")),
            screen=key[0],
            field=key[1],
            before=first.before if first else w.get("old"),
            after=w.get("new"),
            secret=bool(w.get("secret")) or bool(first and first.secret),
            action=first.action if first else _action(w),
        )
    return tuple(folded.values())


def _action(write: dict[str, Any]) -> str:
    # Journals from before `action` was recorded: a write that found no value created something.
    return str(write.get("action") or ("create" if not write.get("old") else "set"))


def conversion_writes(events: list[dict[str, Any]]) -> tuple[Written, ...]:
    """The writes the CRM accepted or may have stored, in order; refused ones changed nothing."""
    stored = [w for w in iter_writes(events) if w.get("result") != "refused"]
    # A write killed before the CRM answered may have been stored.
    stored += unanswered_intents(events)
    stored.sort(key=lambda e: str(e.get("ts", "")))
    return _fold(stored)


def secret_numbers(writes: Iterable[Written]) -> dict[int, str]:
    """Secret Advanced Settings whose old value the rollback must type: number -> name."""
    found = {}
    for w in writes:
        match = _SETTING.match(w.field)
        if w.secret and w.step == _SECRET_STEP and w.action != "create" and match:
            found[int(match.group(1))] = match.group(2)
    return found


def secret_variable(plan: ConversionPlan, number: int) -> str:
    """Where the old value of secret setting `number` is: the plan's choice, or the default."""
    return plan.rollback.secret_env.get(number) or SECRET_VARIABLE.format(number=number)


def rollback_secrets(
    writes: Iterable[Written], plan: ConversionPlan, settings: Settings, run_id: str
) -> dict[int, SecretStr]:
    values: dict[int, SecretStr] = {}
    missing: list[str] = []
    for number, name in sorted(secret_numbers(writes).items()):
        variable = secret_variable(plan, number)
        value = settings.secret_value(variable)
        if value is None:
            missing.append(
                f"{variable}: the value setting {number} ({name}) held before run {run_id}; "
                "set it in .env or the environment"
            )
        else:
            values[number] = value
    if missing:
        raise SettingsError(
            "the rollback cannot restore these secrets (nothing was written):\n  "
            + "\n  ".join(missing)
        )
    return values


def load_undo(
    run: str,
    plan: ConversionPlan,
    settings: Settings,
    biller_dir: Path,
    forced: Iterable[str] = (),
) -> tuple[Undo, Path]:
    """The conversion run's writes to undo, and its folder; every refusal before a browser."""
    run_dir = find_conversion(run, biller_dir)
    path = run_dir / JOURNAL_NAME
    events = _intact_events(path)
    run_id = _check_conversion(events, plan, path)
    writes = conversion_writes(events)
    secrets = rollback_secrets(writes, plan, settings, run_id)
    return Undo(run_id, writes, secrets, frozenset(forced)), run_dir


def expected_restored(original: Values, now: Values) -> dict[str, dict[str, str | None]]:
    """What the rollback's report expects after: each field that differs from the conversion's
    before capture back at that value (None: a field the conversion's before did not have)."""
    expected: dict[str, dict[str, str | None]] = {}
    for screen in dict.fromkeys([*original, *now]):
        was: Mapping[str, str] = original.get(screen, {})
        is_now: Mapping[str, str] = now.get(screen, {})
        wanted = {
            name: was.get(name)
            for name in dict.fromkeys([*was, *is_now])
            if was.get(name) != is_now.get(name)
        }
        if wanted:
            expected[screen] = wanted
    return expected
