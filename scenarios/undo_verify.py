"""Rollback: every field the conversion wrote read back against the value it found.

Writes nothing. A field left alone because someone changed it since the conversion fails here,
after every other field was restored: the rollback names it and exits 1 (`--force-field NAME`
restores it anyway).
"""

from __future__ import annotations

from scenarios import (
    undo_advanced_settings,
    undo_configuration,
    undo_datapump,
    undo_ftp,
    undo_window,
)
from scenarios.base import Check
from scenarios.context import Context
from scenarios.verify import apply, plan, read  # writes nothing, as the QA step

__all__ = ["apply", "plan", "read", "verify"]

# In the order the rollback restores them.
RESTORED = (undo_advanced_settings, undo_datapump, undo_ftp, undo_configuration, undo_window)


def verify(ctx: Context) -> list[Check]:
    return [check for module in RESTORED for check in module.verify(ctx)]
