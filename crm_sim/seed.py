"""Database schema and the seeded billers (the fixed facts every part of the project shares)."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from crm_sim.catalogue import CATALOGUE, MIPS_ONLY_SETTINGS
from crm_sim.db import connect, transaction

SCHEMA_VERSION = "3"
SPECTRUM_URL = "https://www.pdspectrum.com/wsSpectrumAPICore"
SPECTRUM_GUID = "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"
MIPS_GUID = "0C1E6A52-3B7D-4F19-A8E2-5D4C3B2A1F06"
CRM_USERNAME = "pm.demo"
CRM_PASSWORD = "crm-demo-pass"

TABLES = [
    "history",
    "maintenance_windows",
    "datapump",
    "zip_settings",
    "pdf_settings",
    "advanced_settings",
    "ivr_invoice_types",
    "cards",
    "products",
    "spectrum_accounts",
    "billers",
    "users",
    "meta",
]

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
    username TEXT PRIMARY KEY, salt TEXT NOT NULL, password_hash TEXT NOT NULL,
    last_login TEXT NOT NULL
);
CREATE TABLE billers (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, guid TEXT NOT NULL UNIQUE,
    ftp_name TEXT NOT NULL, ftp_username TEXT NOT NULL, integration_partner TEXT NOT NULL,
    status TEXT NOT NULL, time_zone TEXT NOT NULL, primary_contact TEXT NOT NULL,
    go_live_date TEXT NOT NULL, invoice_format_guid TEXT NOT NULL,
    real_time_data_refresh INTEGER NOT NULL, suppress_stale_balances INTEGER NOT NULL,
    apply_global_bif_customizations INTEGER NOT NULL, show_invoice_detail INTEGER NOT NULL,
    allow_partial_payments INTEGER NOT NULL,
    obd_enabled INTEGER NOT NULL, obd_days_before_due INTEGER NOT NULL,
    obd_channel TEXT NOT NULL, position INTEGER NOT NULL
);
-- The provider's side: what the simulated Spectrum service knows about each biller.
CREATE TABLE spectrum_accounts (
    biller_id TEXT PRIMARY KEY REFERENCES billers(id), username TEXT NOT NULL UNIQUE,
    private_key TEXT NOT NULL, password TEXT NOT NULL
);
CREATE TABLE products (
    biller_id TEXT NOT NULL REFERENCES billers(id), position INTEGER NOT NULL,
    name TEXT NOT NULL, code TEXT NOT NULL, active INTEGER NOT NULL
);
CREATE TABLE cards (
    biller_id TEXT NOT NULL REFERENCES billers(id), position INTEGER NOT NULL,
    card TEXT NOT NULL, accepted INTEGER NOT NULL, fee TEXT NOT NULL
);
CREATE TABLE ivr_invoice_types (
    biller_id TEXT NOT NULL REFERENCES billers(id), position INTEGER NOT NULL,
    invoice_type TEXT NOT NULL, ivr_code TEXT NOT NULL, enabled INTEGER NOT NULL
);
CREATE TABLE advanced_settings (
    biller_id TEXT NOT NULL REFERENCES billers(id), number INTEGER NOT NULL,
    name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (biller_id, number)
);
CREATE TABLE pdf_settings (
    id INTEGER PRIMARY KEY AUTOINCREMENT, biller_id TEXT NOT NULL REFERENCES billers(id),
    ftp_username TEXT NOT NULL, path TEXT NOT NULL, backup INTEGER NOT NULL,
    move_action TEXT NOT NULL, active INTEGER NOT NULL
);
CREATE TABLE zip_settings (
    id INTEGER PRIMARY KEY AUTOINCREMENT, biller_id TEXT NOT NULL REFERENCES billers(id),
    ftp_username TEXT NOT NULL, path TEXT NOT NULL, backup INTEGER NOT NULL,
    delete_zip_files INTEGER NOT NULL, active INTEGER NOT NULL
);
CREATE TABLE datapump (
    biller_id TEXT NOT NULL REFERENCES billers(id), kind TEXT NOT NULL,
    option TEXT NOT NULL, selected INTEGER NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (biller_id, kind, option)
);
CREATE TABLE maintenance_windows (
    id INTEGER PRIMARY KEY AUTOINCREMENT, biller_id TEXT NOT NULL REFERENCES billers(id),
    description TEXT NOT NULL, message TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
    active INTEGER NOT NULL, all_pages INTEGER NOT NULL
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, biller_id TEXT NOT NULL REFERENCES billers(id),
    at TEXT NOT NULL, user TEXT NOT NULL, screen TEXT NOT NULL, field TEXT NOT NULL,
    old TEXT NOT NULL, new TEXT NOT NULL
);
"""

NON_PAYMENT_OPTIONS = [
    "Registrations",
    "Paperless Enrollments",
    "AutoPay Enrollments",
    "Account Updates",
]
PDF_PATH_FORMAT = "{ftp}\\\\ToInvoiceCloud\\\\PDFs"


@dataclass
class BillerSeed:
    id: str
    name: str
    guid: str
    ftp_name: str
    ftp_username: str
    integration_partner: str
    rtdr_username: str | None
    private_key: str | None
    password: str | None
    terminals: list[str] = field(
        default_factory=lambda: ["Web", "IVR", "Walk-in Counter", "Lockbox"]
    )
    converted: bool = False
    primary_contact: str = "Dana Whitfield"
    status: str = "Live"
    go_live_date: str = "2019-04-01"
    industry: str = "insurance"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def sample_billers(extra: int) -> list[BillerSeed]:
    billers = [
        BillerSeed(
            "10482",
            "Prairie Pine Mutual",
            "3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C90",
            "prairiepinemutualftp",
            "prairiepinemutual",
            "IMT MIPS APPS",
            "ppm_spectrum_api",
            "PPM-DEMO-PRIVATE-KEY-7f3a",
            "ppm-demo-rtdr-pass",
        ),
        BillerSeed(
            "10483",
            "Prairie Pine Mutual Water",
            "3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C91",
            "prairiepinemutualwaterftp",
            "prairiepinemutualwater",
            "IMT MIPS APPS",
            "ppmw_spectrum_api",
            "PPMW-DEMO-PRIVATE-KEY-41c8",
            "ppmw-demo-rtdr-pass",
            terminals=["Web", "IVR", "Lockbox"],
            primary_contact="Luis Romero",
            go_live_date="2020-09-14",
            industry="water",
        ),
        BillerSeed(
            "20731",
            "Cedar Hollow Utilities",
            "9B7E2D14-5C3A-4E8F-B1D6-2A9C8E7F6D05",
            "cedarhollowutilitiesftp",
            "cedarhollowutilities",
            "IMT Spectrum",
            "chu_spectrum_api",
            "CHU-DEMO-PRIVATE-KEY-2b91",
            "chu-demo-rtdr-pass",
            terminals=["Web", "IVR", "Kiosk"],
            converted=True,
            primary_contact="Priya Natarajan",
            go_live_date="2021-02-08",
            industry="utility",
        ),
        BillerSeed(
            "30915",
            "Lakeshore Gas & Electric",
            "5D1A7F3C-2B8E-4C69-A0F4-7E3B9D2C1A48",
            "lakeshoregasftp",
            "lakeshoregas",
            "Paymentus Connect",
            None,
            None,
            None,
            terminals=["Web", "Mobile"],
            primary_contact="Grant Osei",
            go_live_date="2018-06-25",
            industry="utility",
        ),
    ]
    for i in range(1, extra + 1):
        num = f"{i:03d}"
        bid = str(90000 + i)
        billers.append(
            BillerSeed(
                bid,
                f"Sim Biller {num}",
                f"F0000000-0000-4000-8000-{int(bid):012d}",
                f"simbiller{num}ftp",
                f"simbiller{num}",
                "IMT MIPS APPS",
                f"sim{num}_api",
                f"SIM{num}-PRIVATE-KEY",
                f"sim{num}-rtdr-pass",
                primary_contact="Sam Sample",
                go_live_date="2022-01-10",
            )
        )
    return billers


PRODUCTS = {
    "insurance": [
        ("Property Insurance Premium", "PIP", 1),
        ("Auto Policy", "AUTO", 1),
        ("Farmowners Policy", "FARM", 1),
        ("Umbrella Policy", "UMB", 0),
    ],
    "water": [
        ("Residential Water", "RW", 1),
        ("Commercial Water", "CW", 1),
        ("Sewer", "SWR", 1),
        ("Irrigation", "IRR", 0),
    ],
    "utility": [
        ("Residential Electric", "RE", 1),
        ("Natural Gas", "GAS", 1),
        ("Commercial Electric", "CE", 1),
        ("Budget Billing", "BUD", 0),
    ],
}
IVR_TYPES = {
    "insurance": [
        ("Premium Notice", "101", 1),
        ("Renewal Bill", "102", 1),
        ("Cancellation Notice", "103", 0),
    ],
    "water": [("Water Bill", "201", 1), ("Final Bill", "202", 1), ("Shut-off Notice", "203", 0)],
    "utility": [
        ("Monthly Statement", "301", 1),
        ("Final Bill", "302", 1),
        ("Disconnect Notice", "303", 0),
    ],
}
CARDS = [
    ("Visa", 1, "$2.95"),
    ("Mastercard", 1, "$2.95"),
    ("Discover", 1, "$2.95"),
    ("American Express", 0, "$3.95"),
]


def _hash_password(salt: str, password: str) -> str:
    return hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()


def check_password(conn: sqlite3.Connection, username: str, password: str) -> bool:
    row = conn.execute(
        "SELECT salt, password_hash FROM users WHERE username = ?", (username,)
    ).fetchone()
    return row is not None and _hash_password(row["salt"], password) == row["password_hash"]


def set_password(conn: sqlite3.Connection, username: str, password: str) -> bool:
    """Give a user a new password (tests use fresh ones); False when there is no such user."""
    salt = secrets.token_hex(8)
    with transaction(conn):
        changed = conn.execute(
            "UPDATE users SET salt = ?, password_hash = ? WHERE username = ?",
            (salt, _hash_password(salt, password), username),
        ).rowcount
    return bool(changed)


def set_provider_credentials(
    conn: sqlite3.Connection, biller_id: str, private_key: str, password: str
) -> bool:
    """What the Spectrum service accepts for a biller; False when it has no Spectrum account."""
    with transaction(conn):
        changed = conn.execute(
            "UPDATE spectrum_accounts SET private_key = ?, password = ? WHERE biller_id = ?",
            (private_key, password, biller_id),
        ).rowcount
    return bool(changed)


def _settings_for(b: BillerSeed) -> list[tuple[int, str, str]]:
    slug = _slug(b.name)
    rows = []
    for number, name, value in CATALOGUE:
        if b.integration_partner == "Paymentus Connect" and 8 <= number <= 22:
            continue
        if b.converted and number in MIPS_ONLY_SETTINGS:
            continue
        rows.append((number, name, value.format(name=b.name, slug=slug, id=b.id, ftp=b.ftp_name)))
    if b.converted and b.rtdr_username:
        secret = f"{b.private_key}|{b.password}"
        spectrum = {
            8: SPECTRUM_URL,
            9: b.rtdr_username,
            10: secret,
            11: SPECTRUM_URL,
            12: b.rtdr_username,
            13: secret,
        }
        rows = [(n, name, spectrum.get(n, v)) for n, name, v in rows]
    return rows


def _insert_biller(conn: sqlite3.Connection, position: int, b: BillerSeed) -> None:
    flags = (1, 1, 1) if b.converted else (0, 0, 0)
    guid = SPECTRUM_GUID if b.converted else MIPS_GUID
    conn.execute(
        "INSERT INTO billers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            b.id,
            b.name,
            b.guid,
            b.ftp_name,
            b.ftp_username,
            b.integration_partner,
            b.status,
            "Central",
            b.primary_contact,
            b.go_live_date,
            guid,
            *flags,
            1,
            0,
            1,
            5,
            "Email",
            position,
        ),
    )
    if b.rtdr_username:
        conn.execute(
            "INSERT INTO spectrum_accounts VALUES (?,?,?,?)",
            (b.id, b.rtdr_username, b.private_key, b.password),
        )
    for i, (name, code, active) in enumerate(PRODUCTS[b.industry]):
        conn.execute("INSERT INTO products VALUES (?,?,?,?,?)", (b.id, i, name, code, active))
    for i, (card, accepted, fee) in enumerate(CARDS):
        conn.execute("INSERT INTO cards VALUES (?,?,?,?,?)", (b.id, i, card, accepted, fee))
    for i, (kind, code, enabled) in enumerate(IVR_TYPES[b.industry]):
        conn.execute(
            "INSERT INTO ivr_invoice_types VALUES (?,?,?,?,?)", (b.id, i, kind, code, enabled)
        )
    conn.executemany(
        "INSERT INTO advanced_settings VALUES (?,?,?,?)",
        [(b.id, n, name, v) for n, name, v in _settings_for(b)],
    )
    for i, terminal in enumerate(b.terminals):
        selected = terminal != "Kiosk" if b.converted else terminal == "Lockbox"
        conn.execute(
            "INSERT INTO datapump VALUES (?,?,?,?,?)", (b.id, "payment", terminal, int(selected), i)
        )
    for i, option in enumerate(NON_PAYMENT_OPTIONS):
        selected = not b.converted and option == "Registrations"
        conn.execute(
            "INSERT INTO datapump VALUES (?,?,?,?,?)",
            (b.id, "non_payment", option, int(selected), i),
        )
    if b.converted:
        path = PDF_PATH_FORMAT.format(ftp=b.ftp_name)
        conn.execute(
            "INSERT INTO pdf_settings (biller_id, ftp_username, path, backup, "
            "move_action, active) VALUES (?,?,?,?,?,?)",
            (b.id, b.ftp_username, path, 1, "Move to Filename Pending", 1),
        )
        conn.execute(
            "INSERT INTO zip_settings (biller_id, ftp_username, path, backup, "
            "delete_zip_files, active) VALUES (?,?,?,?,?,?)",
            (b.id, b.ftp_username, path, 1, 1, 1),
        )
        conn.execute(
            "INSERT INTO maintenance_windows (biller_id, description, message, start, "
            "end, active, all_pages) VALUES (?,?,?,?,?,?,?)",
            (
                b.id,
                "IMT Spectrum Conversion (2021-02-08)",
                "Biller payment portal will be unavailable 2021-02-08.",
                "2021-02-08T01:00",
                "2021-02-08T05:00",
                0,
                1,
            ),
        )


def seed_database(conn: sqlite3.Connection, *, extra_billers: int = 0) -> None:
    """Drop everything and seed the fixed facts, in one transaction."""
    with transaction(conn):
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        conn.execute("INSERT INTO meta VALUES ('extra_billers', ?)", (str(extra_billers),))
        salt = "crm-sim"
        conn.execute(
            "INSERT INTO users VALUES (?,?,?,?)",
            (CRM_USERNAME, salt, _hash_password(salt, CRM_PASSWORD), "2026-11-25 16:42:07 CST"),
        )
        for position, biller in enumerate(sample_billers(extra_billers)):
            _insert_biller(conn, position, biller)


@functools.cache
def _seeded_image(extra_billers: int) -> bytes:
    """The seeded database's bytes, seeded once per process and number of extra billers (the
    seed is deterministic, so a copy is the same as seeding again)."""
    conn = connect(":memory:")
    try:
        seed_database(conn, extra_billers=extra_billers)
        return conn.serialize()
    finally:
        conn.close()


def restore_seed(conn: sqlite3.Connection, *, extra_billers: int = 0) -> None:
    """Replace the whole database by a copy of the seeded one; open connections of other
    threads see the copy (SQLite's backup API takes the locks a write does)."""
    source = sqlite3.connect(":memory:")
    try:
        source.deserialize(_seeded_image(extra_billers))
        source.backup(conn)
    finally:
        source.close()


def ensure_database(path: Path, *, reset: bool, extra_billers: int) -> None:
    """Seed a new or outdated database, or any database when `reset` is asked for. An existing
    database keeps its data; asking for more extra billers than it has adds the missing ones."""
    conn = connect(path)
    try:
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError:
            meta = {}
        if reset or meta.get("schema_version") != SCHEMA_VERSION:
            restore_seed(conn, extra_billers=extra_billers)
            return
        have = int(meta.get("extra_billers", "0"))
        if extra_billers > have:
            billers = sample_billers(extra_billers)
            with transaction(conn):
                for position, biller in enumerate(billers):
                    if position >= len(billers) - (extra_billers - have):
                        _insert_biller(conn, position, biller)
                conn.execute(
                    "UPDATE meta SET value = ? WHERE key = 'extra_billers'", (str(extra_billers),)
                )
    finally:
        conn.close()
