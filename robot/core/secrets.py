"""How a secret looks wherever crm-robot shows one: masked, one spelling everywhere.

Secrets (CRM password, RTDR key and password, rollback values) are `Secret` values. Logs,
dry runs, journals, check tables and reports show `MASKED` in their place; a plan's expected
values hold `PLANNED_SECRET` where the plan sets a secret; a capture's values.json holds a
fingerprint (`robot.core.fingerprint`) with the prefix `robot.core.capture_format.SECRET_PREFIX`.
"""

from __future__ import annotations

from pydantic import SecretStr

MASKED = "***"
# In expected values: "the plan sets this secret"; the after value must be a new fingerprint.
PLANNED_SECRET = "<secret>"
# In journals and reports: a secret was written or differs; its value is never shown.
SECRET_CHANGED = "changed"


class Secret(SecretStr):
    """A secret string shown as MASKED wherever it is printed, logged or put in a message."""

    def _display(self) -> str:
        return MASKED
