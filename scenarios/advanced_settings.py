"""Step 6, Advanced Settings: remove the old MIPS rows (14-22, 88, 105 by default) and set 8-13.

Rows are always found by their number, the grid read again before each removal (the page object
looks the number up every time), never by position: after a delete the rows below move up.
Settings 10 and 13 hold `<private key>|<password>` and are never shown, logged or journaled.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from pydantic import SecretStr

from pages.advanced_settings import AdvancedSettingsPage, SettingRow
from robot.core.conversion import SECRET_SETTINGS, SETTING_NAMES
from robot.core.secrets import MASKED
from scenarios.base import Change, Check
from scenarios.context import Context

SCREEN = "Advanced Settings"
DELETED = "(deleted)"
ABSENT = "(absent)"


@dataclass(frozen=True)
class State:
    rows: dict[int, SettingRow]


def is_secret(number: int, name: str) -> bool:
    # The CRM treats 10, 13 and any "password" row as secret in its History; so does the robot.
    return number in SECRET_SETTINGS or "password" in name.lower()


def _shown(value: str, secret: bool) -> str:
    return (MASKED if value else "") if secret else value


def read(ctx: Context) -> State:
    return State(ctx.screen(AdvancedSettingsPage).read_settings())


def _wanted(ctx: Context) -> dict[int, str | SecretStr]:
    return ctx.plan.settings_to_set(ctx.credentials.key_password)


def _plain(value: str | SecretStr) -> str:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def plan(ctx: Context, state: State) -> list[Change]:
    changes: list[Change] = []
    for number in ctx.plan.advanced_settings.remove_numbers():
        row = state.rows.get(number)
        if row is None:
            continue
        secret = is_secret(number, row.name) or row.secret
        changes.append(
            Change(
                SCREEN,
                f"Setting {number} ({row.name})",
                _shown(row.value, secret),
                DELETED,
                secret=secret,
                action="remove",
                key=number,
                note=f"remove setting {number}",
            )
        )
    for number, value in _wanted(ctx).items():
        row = state.rows.get(number)
        name = row.name if row else SETTING_NAMES[number]
        secret = is_secret(number, name) or isinstance(value, SecretStr)
        new = _shown(_plain(value), secret)
        if row is None:
            changes.append(
                Change(
                    SCREEN,
                    f"Setting {number} ({name})",
                    "(none)",
                    new,
                    secret=secret,
                    action="create",
                    key=number,
                    note=f"new setting {number}",
                )
            )
        elif row.value != _plain(value):
            changes.append(
                Change(
                    SCREEN,
                    f"Setting {number} ({name})",
                    _shown(row.value, secret),
                    new,
                    secret=secret,
                    key=number,
                    note=f"set setting {number}",
                )
            )
    return changes


def apply(ctx: Context, changes: list[Change]) -> None:
    page = ctx.screen(AdvancedSettingsPage)
    wanted = _wanted(ctx)
    for change in changes:
        number: int = change.key
        if change.action == "remove":
            ctx.write(change, partial(page.remove_setting, number))
        elif change.action == "create":
            ctx.write(
                change, partial(page.add_setting, number, SETTING_NAMES[number], wanted[number])
            )
        else:
            ctx.write(change, partial(page.set_setting, number, wanted[number]))


def verify(ctx: Context) -> list[Check]:
    rows = ctx.screen(AdvancedSettingsPage).read_settings(fresh=True)
    checks = [
        Check(f"Setting {n} removed", ABSENT, ABSENT if n not in rows else "present")
        for n in ctx.plan.advanced_settings.remove_numbers()
    ]
    for number, value in _wanted(ctx).items():
        row = rows.get(number)
        found = row.value if row else ABSENT
        label = f"Setting {number} ({SETTING_NAMES[number]})"
        if isinstance(value, SecretStr):
            # Compared here, so that no Check ever holds the secret itself.
            same = found == value.get_secret_value()
            shown = MASKED if same else ("(absent)" if row is None else "(differs)")
            checks.append(Check(label, MASKED, shown, secret=True))
        else:
            checks.append(Check(label, value, found))
    return checks
