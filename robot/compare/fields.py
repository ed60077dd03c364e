"""Field-level changes of one screen, each marked planned, missing or unplanned.

`expected` says what the plan wants a field to read after the run: a text, `None` for "the field
must be gone", or `PLANNED_SECRET` for "a secret the plan sets". Secret values are only ever
fingerprints (`secret:<hex>`) in capture files, and even those are never shown: a changed
secret reads `changed`.

- planned: the plan asks for the field and the after value is what it asks, and it changed.
- missing: the plan asks for the field and the after value is not what it asks (changed or not).
- unplanned: the field changed and no plan asked for it.
- unchanged: no change and nothing asked, or already as planned before the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

from robot.core.capture_format import SECRET_PREFIX
from robot.core.secrets import MASKED, PLANNED_SECRET, SECRET_CHANGED

# PLANNED_SECRET: the plan sets this secret; the after value is a fingerprint that
# cannot be checked against the plan, so a change is as much as can be verified here.

Status = Literal["planned", "missing", "unplanned", "unchanged"]
Expected = Mapping[str, Mapping[str, str | None]]


class FieldChange(BaseModel):
    """One field of one screen, with values safe to show (secrets replaced by words)."""

    model_config = ConfigDict(frozen=True)

    screen: str
    field: str
    before: str | None
    after: str | None
    expected: str | None
    requested: bool
    status: Status
    secret: bool = False
    note: str = ""


def classify_screen(
    screen: str,
    before: Mapping[str, str],
    after: Mapping[str, str],
    expected: Mapping[str, str | None] | None = None,
) -> list[FieldChange]:
    """Every field seen before, after or in the plan, in that order of first appearance."""
    wanted = expected or {}
    names = list(dict.fromkeys([*before, *after, *wanted]))
    return [
        _classify(screen, name, before.get(name), after.get(name), name in wanted, wanted.get(name))
        for name in names
    ]


def _is_fingerprint(value: str | None) -> bool:
    return value is not None and value.startswith(SECRET_PREFIX)


def _classify(
    screen: str,
    name: str,
    before: str | None,
    after: str | None,
    requested: bool,
    expected: str | None,
) -> FieldChange:
    changed = before != after
    secret = (
        (requested and expected == PLANNED_SECRET)
        or _is_fingerprint(before)
        or _is_fingerprint(after)
    )
    status: Status
    if not requested:
        status = "unplanned" if changed else "unchanged"
        note = _what_happened(before, after) if changed else ""
    elif expected == PLANNED_SECRET:
        if after is None:
            status, note = "missing", "the plan sets this secret, but the field is gone"
        elif changed:
            status, note = "planned", "secret set"
        else:
            # a rerun on a converted biller keeps the secret; the verify step checks its value
            status, note = "unchanged", "secret kept; its value is checked by the verify step"
    elif expected is None:
        if after is None:
            status = "planned" if changed else "unchanged"
            note = "removed" if changed else "already gone"
        else:
            status, note = "missing", "the plan removes this field, but it is still there"
    elif after == expected:
        status = "planned" if changed else "unchanged"
        note = "" if changed else "already as planned"
    else:
        status = "missing"
        note = "not changed" if not changed else "changed, but not to the planned value"
        if after is None:
            note = "the field is gone"

    return FieldChange(
        screen=screen,
        field=name,
        before=_shown(before, secret),
        after=_shown_after(before, after, secret),
        expected=MASKED if secret and requested and expected is not None else expected,
        requested=requested,
        status=status,
        secret=secret,
        note=note,
    )


def _what_happened(before: str | None, after: str | None) -> str:
    if before is None:
        return "added"
    if after is None:
        return "removed"
    return "changed"


def _shown(value: str | None, secret: bool) -> str | None:
    if value is None or not secret:
        return value
    return MASKED


def _shown_after(before: str | None, after: str | None, secret: bool) -> str | None:
    if after is None or not secret:
        return after
    return SECRET_CHANGED if after != before else MASKED
