"""Write the documents of a conversion that live outside the CRM.

From the plan: the first e-mail to the provider (the Box secure upload link; asking for the UAT
and production tokens, the API credentials, the go-live date and the maintenance window), the
JIRA text, the Integration Coding Form (Markdown and HTML), the customer-facing maintenance
message, the e-mail asking the provider to confirm go-live readiness, the note to the team that
the maintenance window is active, the e-mail that it is removed, the Salesforce go-live note, and
for a go-live called off (`crm-robot rollback`) the e-mail telling the provider that the biller is
back on IMT MIPS APPS. The links they name are the plan's `[links]`, or the defaults. Credentials
are written only with --include-secrets (files readable by the owner only); otherwise the
documents name the .env keys that hold them. The written files are listed on stdout.

Example:
  crm-robot docs plans/prairie-pine-mutual.toml --out /tmp/ppm-docs
"""

from __future__ import annotations

import argparse

from robot.cli.common import (
    add_env_file_option,
    add_out_option,
    add_plan_argument,
    command_parser,
    load_plan_and_settings,
    print_warnings,
    progress,
)
from robot.core.errors import ExitCode
from robot.plan.credentials import resolve_credentials
from robot.plan.documents import default_docs_dir, render_documents, write_documents


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(subparsers, "docs", __doc__)
    add_plan_argument(parser)
    add_out_option(parser, "folder for the documents (default: <output root>/<biller>/docs/)")
    parser.add_argument(
        "--include-secrets",
        action="store_true",
        help="write the RTDR private key and password into the JIRA text and Coding Form",
    )
    add_env_file_option(parser)
    parser.set_defaults(handler=write_docs)


def write_docs(args: argparse.Namespace) -> int:
    plan, settings = load_plan_and_settings(args)
    credentials = resolve_credentials(plan, settings) if args.include_secrets else None
    print_warnings(plan)
    out_dir = args.out or default_docs_dir(plan, settings)
    paths = write_documents(render_documents(plan, credentials), out_dir)
    for path in paths:
        print(path)
    progress(f"wrote {len(paths)} documents for {plan.biller.name} to {out_dir}")
    if credentials is not None:
        progress(
            "the JIRA text and the Integration Coding Form hold credentials: "
            "share them only through the secure upload link"
        )
    return int(ExitCode.OK)
