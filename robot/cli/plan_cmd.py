"""Check a conversion plan and show what the conversion would change.

`plan check` validates the plan and the settings without opening a browser, then prints what the
plan holds (biller, dates, FTP path, the links the documents name), the procedure's steps and, for
each, the fields it would set (secrets as ***), and the warnings.
Exit 0 when the plan is usable, 2 when the plan or the settings are not.

Example:
  crm-robot plan check plans/prairie-pine-mutual.toml
"""

from __future__ import annotations

import argparse

from robot.cli.common import (
    action_parser,
    add_env_file_option,
    add_plan_argument,
    command_parser,
    load_plan_and_settings,
)
from robot.core.errors import ExitCode, SettingsError
from robot.core.settings import Settings
from robot.core.steps import STEPS
from robot.plan.changes import planned_changes
from robot.plan.credentials import credential_problems
from robot.plan.model import ConversionPlan


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(subparsers, "plan", __doc__)
    help_text = "validate a plan; print the steps and the changes they would make"
    check = action_parser(parser, "check", help_text, __doc__)
    add_plan_argument(check)
    add_env_file_option(check)
    check.set_defaults(handler=check_plan)


def check_plan(args: argparse.Namespace) -> int:
    plan, settings = load_plan_and_settings(args)
    missing, invalid = credential_problems(plan, settings)
    if invalid:
        raise SettingsError(invalid)
    notes = list(plan.warnings)
    notes += [f"{line} (convert needs it)" for line in missing]
    if not settings.crm_host_allowed(plan.biller.environment):
        hosts_key = "CRM_PROD_HOSTS" if plan.biller.environment == "PROD" else "CRM_UAT_HOSTS"
        notes.append(
            f"CRM_BASE_URL: host {settings.crm_host} is not in {hosts_key}; "
            f"convert will refuse to change a {plan.biller.environment} biller there"
        )
    print(render_check(plan, settings, notes))
    return int(ExitCode.OK)


def render_check(plan: ConversionPlan, settings: Settings, notes: list[str]) -> str:
    biller, window = plan.biller, plan.maintenance_window
    lines = [
        f"Plan: {plan.source}",
        f"Biller: {biller.name} ({biller.id}), GUID {biller.guid}, {biller.environment}",
        f"Partner: {biller.expected_partner} -> {plan.target_partner}",
        f"Go-live: {plan.go_live.isoformat()}",
        f"Maintenance window: {window.start_text} to {window.end_text}",
        f"CRM: {settings.crm_base_url}",
        _ftp_path_line(plan),
        *_link_lines(plan),
    ]
    if plan.requires_prod_confirmation:
        lines.append("PROD: convert needs --prod to confirm")
    changes = planned_changes(plan)
    for step in STEPS:
        lines += ["", f"{step.number:2d}. {step.title} ({step.id}): {step.summary}"]
        step_changes = changes.get(step.id, [])
        if not step_changes:
            lines.append("    no change (reads and checks only)")
        for change in step_changes:
            lines.append(f"    {change.screen} / {change.field} -> {change.shown}")
    if notes:
        lines += ["", "Warnings:"]
        lines += [f"  - {note}" for note in notes]
    return "\n".join(lines)


def _ftp_path_line(plan: ConversionPlan) -> str:
    source = "given as ftp_path" if plan.given_ftp_path is not None else "from ftp_name"
    return f"FTP path: {plan.ftp_path} ({source})"


def _link_lines(plan: ConversionPlan) -> list[str]:
    given = plan.links.model_dump()
    return ["Links:"] + [
        f"  {key}: {shown}"
        if given[key] is not None
        else f"  {key}: not given; documents show {shown}"
        for key, shown in plan.links.shown().items()
    ]
