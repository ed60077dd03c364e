"""Check a conversion plan and show what the conversion would change.

`plan check` validates the plan and the settings without opening a browser, then prints what the
plan holds (biller, dates, FTP path, the links the documents name), the procedure's steps and, for
each, the fields it would set (secrets as ***), how the conversion can be rolled back (the command
and the ROLLBACK_SETTING_<N> variables it will ask for), and the warnings.
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
from robot.core.conversion import SECRET_SETTINGS
from robot.core.errors import ExitCode, SettingsError
from robot.core.settings import Settings
from robot.core.sign_in_settings import describe_sign_in
from robot.core.steps import STEPS
from robot.plan.changes import planned_changes
from robot.plan.credentials import credential_problems
from robot.plan.documents import removed_ranges
from robot.plan.model import ConversionPlan
from robot.run.rollback import SECRET_VARIABLE, secret_variable


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
        f"Sign-in: {describe_sign_in(settings.crm_sign_in, settings.crm_sso_hosts)}",
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
    lines += _rollback_lines(plan, settings)
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


def _rollback_lines(plan: ConversionPlan, settings: Settings) -> list[str]:
    """How this plan's conversion is undone, and the variables that rollback will ask for: the
    old value of each secret setting the conversion changes or removes, which no run records."""
    set_secrets = sorted(n for n in plan.settings_to_set() if n in SECRET_SETTINGS)
    variables = ", ".join(secret_variable(plan, n) for n in set_secrets)
    numbers = " and ".join(str(n) for n in set_secrets)
    runs = settings.output_dir / plan.biller_slug
    lines = [
        "",
        "Rollback, should go-live be called off:",
        f"  crm-robot rollback {plan.source} <RUN>",
        f"  (RUN: the conversion's run id, a folder under {runs}/)",
        "  It asks for the old value of each secret setting the conversion changes or removes,",
        "  in .env or the environment:",
        f"    {variables}: settings {numbers}, if the biller already has them",
    ]
    if plan.advanced_settings.remove:
        # The plan does not know the removed rows' names; the robot treats a row whose name
        # holds "password", in any case, as secret (scenarios.advanced_settings.is_secret).
        lines += [
            f"    {SECRET_VARIABLE.format(number='<N>')}: each removed setting N "
            f"({removed_ranges(plan)}) whose name",
            '      contains "password" (in any case)',
        ]
    named = {n: v for n, v in plan.rollback.secret_env.items() if n not in set_secrets}
    lines += [f"    {v}: setting {n} (the plan's [rollback.secret_env])" for n, v in named.items()]
    return lines
