"""The simulated IMT Spectrum web service (it stands for the real `wsSpectrumAPICore`).

It answers with a biller's current invoices and balances only when it is called at its exact
address with that biller's RTDR username and `PrivateKey|Password`; otherwise with nothing, as
the real service does for bad credentials.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from crm_sim.seed import SPECTRUM_URL


@dataclass(frozen=True)
class Invoice:
    account: str
    invoice: str
    due_date: str
    balance: str


def sample_invoices(biller_id: str) -> list[Invoice]:
    """Deterministic per biller: the same biller always gets the same invoices."""
    rng = random.Random(f"spectrum:{biller_id}")
    prefix = f"{int(biller_id) % 1000:03d}"
    first_due = date(2026, 12, 1)
    invoices = []
    for i in range(rng.randint(3, 6)):
        account = f"{prefix}-{rng.randint(100000, 999999)}"
        due = first_due + timedelta(days=7 * i + rng.randint(0, 6))
        cents = rng.randint(2500, 250000)
        invoices.append(
            Invoice(
                account,
                f"INV-{biller_id}-{1001 + i}",
                due.isoformat(),
                f"${cents // 100:,}.{cents % 100:02d}",
            )
        )
    return invoices


def query(
    db: sqlite3.Connection, *, endpoint: str, username: str, credential: str, biller_id: str
) -> list[Invoice] | None:
    """The RTDR call: invoices of the biller, or None when the service refuses the request."""
    if endpoint != SPECTRUM_URL:
        return None
    row = db.execute("SELECT * FROM spectrum_accounts WHERE biller_id = ?", (biller_id,)).fetchone()
    if row is None or username != row["username"]:
        return None
    if credential != f"{row['private_key']}|{row['password']}":
        return None
    return sample_invoices(biller_id)
