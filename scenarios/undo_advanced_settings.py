"""Rollback: the Advanced Settings the conversion removed come back with their numbers, names and
values; the ones it set get their old values; the ones it created go.

Secret values were never journaled: a secret row's old value is the environment's
(`ROLLBACK_SETTING_<N>`, checked before the run starts). A secret row reads as MASKED here only
when it holds exactly that value.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial

from pydantic import SecretStr

from pages.advanced_settings import AdvancedSettingsPage, SettingRow
from robot.core.secrets import MASKED
from scenarios import advanced_settings as adv
from scenarios.base import Change, Check
from scenarios.context import Context
from scenarios.ports import Written
from scenarios.undo import Current, checks, plan_restores, undo_of

STEP = "advanced-settings"
NONE = "(none)"  # the CRM's History for a setting that was not there
DIFFERS = "(differs)"  # a secret row that does not hold its old value
_FIELD = re.compile(r"Setting (\d+) \((.*)\)$")


def number_and_name(written: Written) -> tuple[int, str]:
    """`Setting 14 (Legacy MIPS Host)` -> (14, "Legacy MIPS Host")."""
    found = _FIELD.match(written.field)
    if found is None:
        raise ValueError(f"not an Advanced Settings field: {written.field!r}")
    return int(found.group(1)), found.group(2)


def _action(written: Written) -> str:
    # Journals before `action` was recorded: a removal wrote "(deleted)", a creation found "(none)".
    if written.action != "set":
        return written.action
    if written.after == adv.DELETED:
        return "remove"
    return "create" if written.before == NONE else "set"


def _as_values(written: Written) -> Written:
    """The write with None for "no such row" and MASKED for a secret's value."""
    action = _action(written)
    value = MASKED if written.secret else None
    before = None if action == "create" else (value if written.secret else written.before)
    after = None if action == "remove" else (value if written.secret else written.after)
    return replace(written, before=before, after=after, action=action)


def written(ctx: Context) -> list[Written]:
    return [_as_values(w) for w in undo_of(ctx).of_steps(STEP)]


def _shown(ctx: Context, number: int, row: SettingRow | None, secret: bool) -> str | None:
    if row is None:
        return None
    if not secret:
        return row.value
    old = undo_of(ctx).secrets.get(number)
    return MASKED if old is not None and row.value == old.get_secret_value() else DIFFERS


def current(ctx: Context, *, fresh: bool = False) -> Current:
    writes = written(ctx)
    if not writes:
        return {}
    rows = ctx.screen(AdvancedSettingsPage).read_settings(fresh=fresh)
    values: dict[tuple[str, str], str | None] = {}
    for w in writes:
        number, _ = number_and_name(w)
        values[(w.screen, w.field)] = _shown(ctx, number, rows.get(number), w.secret)
    return values


def read(ctx: Context) -> Current:
    return current(ctx)


def _restore(written: Written, now: str | None) -> Change:
    number, name = number_and_name(written)
    if written.before is None:
        action, old, new = "remove", now, adv.DELETED
    elif now is None:
        action, old, new = "create", NONE, written.before
    else:
        action, old, new = "set", now, written.before
    verb = {"remove": "remove", "create": "bring back", "set": "restore"}[action]
    return Change(
        written.screen,
        written.field,
        old,
        new,
        secret=written.secret,
        action=action,
        key=(number, name),
        note=f"{verb} setting {number}",
    )


def plan(ctx: Context, state: Current) -> list[Change]:
    return plan_restores(ctx, written(ctx), state, _restore)


def _value(ctx: Context, change: Change) -> str | SecretStr:
    number, _ = change.key
    if not change.secret:
        return change.new or ""
    return undo_of(ctx).secrets[number]


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(AdvancedSettingsPage)
    for change in changes:
        number, name = change.key
        if change.action == "remove":
            ctx.write(change, partial(page.remove_setting, number))
        elif change.action == "create":
            ctx.write(change, partial(page.add_setting, number, name, _value(ctx, change)))
        else:
            ctx.write(change, partial(page.set_setting, number, _value(ctx, change)))


def verify(ctx: Context) -> list[Check]:
    return checks(ctx, written(ctx), current(ctx, fresh=True))
