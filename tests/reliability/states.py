"""What a biller's state should be: the part of `/api/state` each write step changes, the target
the plan sets for it, and a way to put a biller part-way (straight in crm_sim's database)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from robot.plan.model import ConversionPlan
from tests.reliability.robots import Robot

SECTION_STEPS = ("crm-configuration", "ftp-setup", "datapump", "advanced-settings")
WINDOW_STEPS = ("maintenance-window", "go-live")
WRITE_STEPS = (*WINDOW_STEPS[:1], *SECTION_STEPS, WINDOW_STEPS[1])
FLAGS = ("real_time_data_refresh", "suppress_stale_balances", "apply_global_bif_customizations")
MOVE_ACTION = "Move to Filename Pending"


def ftp_entries(state: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return sorted(state[f"{kind}_settings"], key=lambda s: (s["path"], json.dumps(s)))


def windows(state: dict[str, Any]) -> list[dict[str, Any]]:
    found = [{k: v for k, v in w.items() if k != "id"} for w in state["maintenance_windows"]]
    return sorted(found, key=lambda w: (w["description"], w["start"], w["active"]))


def section(state: dict[str, Any], step: str) -> Any:
    """The part of a biller's state that one write step changes."""
    if step == "crm-configuration":
        return {
            "integration_partner": state["integration_partner"],
            "invoicing": state["invoicing"],
            "invoice_format_guid": state["invoice_format_guid"],
        }
    if step == "ftp-setup":
        return {"pdf": ftp_entries(state, "pdf"), "zip": ftp_entries(state, "zip")}
    if step == "datapump":
        return state["datapump"]
    if step == "advanced-settings":
        return state["advanced_settings"]
    return windows(state)


def our_window(plan: ConversionPlan, active: bool) -> dict[str, Any]:
    window = plan.maintenance_window
    return {
        "description": window.description,
        "message": window.message,
        "start": window.start_input,
        "end": window.end_input,
        "active": active,
        "all_pages": window.all_pages,
    }


def windows_with(plan: ConversionPlan, start: dict[str, Any], active: bool) -> list[dict[str, Any]]:
    """The start's windows with the plan's window (added, or the same one) `active` or not."""
    ours = our_window(plan, active)
    key = ("description", "start", "end")
    others = [w for w in windows(start) if any(w[k] != ours[k] for k in key)]
    return sorted([*others, ours], key=lambda w: (w["description"], w["start"], w["active"]))


def targets(plan: ConversionPlan, key_password: str, start: dict[str, Any]) -> dict[str, Any]:
    """What each write step leaves behind, by step, from the plan and the start state."""
    path = plan.ftp_path
    user = plan.ftp_username
    pdf = {"ftp_username": user, "path": path, "backup": True, "move_action": MOVE_ACTION}
    zips = {"ftp_username": user, "path": path, "backup": True, "delete_zip_files": True}
    settings = {
        n: s
        for n, s in start["advanced_settings"].items()
        if int(n) not in plan.advanced_settings.remove_numbers()
    }
    for number, value in plan.settings_to_set().items():
        wanted = key_password if number in (10, 13) else str(value)
        settings[str(number)] = {**settings[str(number)], "value": wanted}
    terminals = set(plan.datapump.payment_terminals)
    return {
        "crm-configuration": {
            "integration_partner": plan.target_partner,
            "invoicing": {**start["invoicing"], **dict.fromkeys(FLAGS, True)},
            "invoice_format_guid": plan.invoice_format_guid,
        },
        "ftp-setup": {
            "pdf": sorted(
                [s for s in start["pdf_settings"] if s["path"] != path] + [{**pdf, "active": True}],
                key=lambda s: (s["path"], json.dumps(s)),
            ),
            "zip": sorted(
                [s for s in start["zip_settings"] if s["path"] != path]
                + [{**zips, "active": True}],
                key=lambda s: (s["path"], json.dumps(s)),
            ),
        },
        "datapump": {
            "payment": {t: t in terminals for t in start["datapump"]["payment"]},
            "non_payment": dict.fromkeys(start["datapump"]["non_payment"], False),
        },
        "advanced-settings": settings,
        "maintenance-window": windows_with(plan, start, True),
        "go-live": windows_with(plan, start, False),
    }


def fast_forward(db_path: Path, robot: Robot, steps: tuple[str, ...]) -> None:
    """Put the biller where `steps` would leave it, straight in crm_sim's database (no History
    rows): a biller part-converted by hand, for cases that start in the middle."""
    plan, biller = robot.plan, robot.biller
    start = robot.state()
    wanted = targets(plan, robot.secrets.key_password, start)
    conn = sqlite3.connect(db_path, timeout=15, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        if "crm-configuration" in steps:
            conn.execute(
                "UPDATE billers SET integration_partner = ?, invoice_format_guid = ?, "
                + ", ".join(f"{flag} = 1" for flag in FLAGS)
                + " WHERE id = ?",
                (plan.target_partner, plan.invoice_format_guid, biller),
            )
        if "ftp-setup" in steps:
            for kind, extra in (("pdf", "move_action"), ("zip", "delete_zip_files")):
                row = next(s for s in wanted["ftp-setup"][kind] if s["path"] == plan.ftp_path)
                conn.execute(
                    f"INSERT INTO {kind}_settings (biller_id, ftp_username, path, backup, "
                    f"{extra}, active) VALUES (?,?,?,?,?,?)",
                    (biller, row["ftp_username"], row["path"], 1, row[extra], 1),
                )
        if "datapump" in steps:
            for kind, options in wanted["datapump"].items():
                for option, selected in options.items():
                    conn.execute(
                        "UPDATE datapump SET selected = ? WHERE biller_id = ? AND kind = ? "
                        "AND option = ?",
                        (int(selected), biller, kind, option),
                    )
        if "advanced-settings" in steps:
            settings = wanted["advanced-settings"]
            conn.execute("DELETE FROM advanced_settings WHERE biller_id = ?", (biller,))
            conn.executemany(
                "INSERT INTO advanced_settings VALUES (?,?,?,?)",
                [(biller, int(n), s["name"], s["value"]) for n, s in settings.items()],
            )
        if "maintenance-window" in steps:
            window = our_window(plan, active=True)
            conn.execute(
                "INSERT INTO maintenance_windows (biller_id, description, message, start, end, "
                "active, all_pages) VALUES (?,?,?,?,?,?,?)",
                (biller, *(window[k] for k in ("description", "message", "start", "end")), 1, 1),
            )
        conn.execute("COMMIT")
    finally:
        conn.close()


def remove_old_settings(robot: Robot) -> None:
    """The settings the plan removes are gone already (by hand): Advanced Settings then only
    sets 8-13, which keeps a case that runs it short."""
    with closing(sqlite3.connect(robot.crm_sim.db_path)) as conn, conn:
        conn.executemany(
            "DELETE FROM advanced_settings WHERE biller_id = ? AND number = ?",
            [(robot.biller, n) for n in robot.plan.advanced_settings.remove_numbers()],
        )
