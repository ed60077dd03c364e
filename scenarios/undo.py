"""What the rollback scenarios share: the conversion's writes, and the rule for each field.

A rollback restores every field a conversion wrote to the value the conversion found before it
wrote, from the conversion's own journal (robot/run/rollback.py reads it into an `Undo`). Each
`undo_*` scenario reads its screens into the values the journal names (`current`), then plans
one change per field:

- the field reads what the conversion found: nothing to do (a second rollback writes nothing);
- it reads what the conversion wrote, or the PM forced it (`--force-field NAME`): restore it;
- it reads anything else: someone changed it since the conversion. It is left alone and named;
  the verify-restored step then fails on it (exit 1), after the other fields were restored.

A secret's values were never journaled: its old value comes from the environment
(`ROLLBACK_SETTING_<N>`), and what the conversion wrote is not known, so a secret that does not
read as its old value is restored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from robot.core.secrets import MASKED
from scenarios.base import Change, Check
from scenarios.context import Context
from scenarios.ports import Undo, Written

CONFLICTS = "rollback.conflicts"  # scratch: the fields left alone, for the verify step


# The values a scenario reads now, by (screen, field) as the conversion journaled them; None: the
# field (a setting, an FTP setting) is not there.
Current = Mapping[tuple[str, str], str | None]


def undo_of(ctx: Context) -> Undo:
    if ctx.undo is None:
        raise TypeError("a rollback step runs only in a rollback (the context has no Undo)")
    undo: Undo = ctx.undo
    return undo


def matches(now: str | None, value: str | None) -> bool:
    """Equal as a screen shows them: no value and an empty one are the same."""
    return (now or "") == (value or "")


def restorable(ctx: Context, written: Written, now: str | None) -> bool:
    """True when the field should be put back; False when it is back already, or when someone
    changed it since the conversion (then it is named and left alone)."""
    if matches(now, written.before):
        return False
    undo = undo_of(ctx)
    if written.secret or matches(now, written.after) or undo.is_forced(written):
        return True
    conflicts: list[str] = ctx.scratch.setdefault(CONFLICTS, [])
    if written.name not in conflicts:
        conflicts.append(written.name)
    ctx.progress(
        f"left alone: {written.name} reads {_shown(now, written.secret)}, neither what run "
        f"{undo.run_id} found ({_shown(written.before, written.secret)}) nor what it wrote "
        f"({_shown(written.after, written.secret)}); someone changed it since. "
        f'--force-field "{written.field}" restores it anyway'
    )
    return False


def plan_restores(
    ctx: Context,
    writes: list[Written],
    current: Current,
    make: Callable[[Written, str | None], Change],
) -> list[Change]:
    """One change per field still to restore, made by `make(written, now)`."""
    changes = []
    for written in writes:
        now = current.get((written.screen, written.field))
        if restorable(ctx, written, now):
            changes.append(make(written, now))
    return changes


def restore_change(written: Written, now: str | None, **extra: object) -> Change:
    """A field put back: from what it reads now to what the conversion found."""
    return Change(
        written.screen,
        written.field,
        now,
        written.before,
        secret=written.secret,
        note=f"restore {written.field}",
        **extra,  # type: ignore[arg-type]
    )


def checks(ctx: Context, writes: list[Written], current: Current) -> list[Check]:
    """Each field read back against the value the conversion found; a field this step left
    alone (changed since) is not its failure: the verify-restored step names it. A secret's
    values are masks: the scenario that reads it puts MASKED in `current` when it reads as its
    old value."""
    left_alone = set(ctx.scratch.get(CONFLICTS, []))
    return [
        Check(
            written.name,
            written.before or "",
            current.get((written.screen, written.field)) or "",
            secret=written.secret,
        )
        for written in writes
        if written.name not in left_alone
    ]


def _shown(value: str | None, secret: bool) -> str:
    if secret:
        return MASKED if value else "(none)"
    return repr(value) if value else "(none)"
