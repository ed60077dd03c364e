"""The fixed facts of the conversion procedure that more than one layer needs.

CRM wording the robot matches on screen is not here: that lives in the override profile
(pages/locators.py). These are the procedure's own names, as the plan, the journal, the
documents and the report speak of them.
"""

from __future__ import annotations

# Advanced Settings 8-13, which the conversion sets; 10 and 13 hold `key|password`.
SETTING_NAMES: dict[int, str] = {
    8: "RTDR Endpoint",
    9: "RTDR Username",
    10: "RTDR Key or Password",
    11: "DataPump Payments Endpoint",
    12: "DataPump Payments Username",
    13: "DataPump Payments Key or Password",
}
SECRET_SETTINGS: frozenset[int] = frozenset({10, 13})

REAL_TIME_DATA_REFRESH = "Real Time Data Refresh"
SUPPRESS_STALE_BALANCES = "Suppress Stale Balances"
APPLY_GLOBAL_BIF_CUSTOMIZATIONS = "Apply Global BIF Customizations"
# The three invoicing flags the conversion turns on, in the order the procedure lists them.
CONVERSION_FLAGS: tuple[str, ...] = (
    REAL_TIME_DATA_REFRESH,
    SUPPRESS_STALE_BALANCES,
    APPLY_GLOBAL_BIF_CUSTOMIZATIONS,
)
