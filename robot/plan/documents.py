"""The documents of a conversion that live outside the CRM, generated from the plan.

In the procedure's order: the first e-mail to the provider (the Box secure upload link; asking for
the tokens, the API credentials, the go-live date and the maintenance window), the JIRA text, the
Integration Coding Form (Markdown and HTML), the customer-facing maintenance message, the e-mail
asking the provider to confirm go-live readiness, the note to the team that the maintenance window
is active, the e-mail that it is removed and the Salesforce go-live note; last, for a go-live
called off, the e-mail that the biller was rolled back (`crm-robot rollback`). The links they name
are the plan's (`[links]`). Credentials appear only when the caller passes them (`crm-robot docs
--include-secrets`); otherwise the documents name the variables that hold them. Templates are in
`robot/templates/`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from robot.core.conversion import SECRET_SETTINGS, SETTING_NAMES
from robot.core.settings import Settings
from robot.core.templates import TEMPLATES
from robot.plan.credentials import RtdrCredentials
from robot.plan.model import ConversionPlan

CODING_FORM_LINK = "[link: Integration Coding Form]"

# (file name, title, template, may hold credentials)
_DOCUMENTS = (
    (
        "email-provider-initial-setup.txt",
        "E-mail to the provider: secure upload link, tokens, API credentials, go-live",
        "email-initial-setup.txt.j2",
        False,
    ),
    ("jira.txt", "JIRA request", "jira.txt.j2", True),
    ("integration-coding-form.md", "Integration Coding Form", "coding-form.md.j2", True),
    ("integration-coding-form.html", "Integration Coding Form", "coding-form.html.j2", True),
    (
        "customer-message.txt",
        "Customer-facing maintenance message",
        "customer-message.txt.j2",
        False,
    ),
    (
        "email-provider-go-live-readiness.txt",
        "E-mail to the provider: confirm go-live readiness",
        "email-readiness.txt.j2",
        False,
    ),
    (
        "team-note-maintenance-window-active.txt",
        "Note to the team: maintenance window active",
        "team-note-window-active.txt.j2",
        False,
    ),
    (
        "email-provider-window-removed.txt",
        "E-mail to the provider: maintenance window removed",
        "email-window-removed.txt.j2",
        False,
    ),
    ("salesforce-go-live-note.txt", "Salesforce go-live note", "salesforce-note.txt.j2", False),
    (
        "email-provider-rollback-done.txt",
        "E-mail to the provider: rolled back to IMT MIPS APPS, go-live postponed",
        "email-rollback-done.txt.j2",
        False,
    ),
)


@dataclass(frozen=True)
class Document:
    name: str
    title: str
    text: str
    holds_secrets: bool


def _md_cell(value: object) -> str:
    # A "|" ends a Markdown table cell even inside a code span unless it is escaped.
    return str(value).replace("|", "\\|")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md_cell"] = _md_cell
    return env


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def removed_ranges(plan: ConversionPlan) -> str:
    """`14-22, 88, 105`: the Advanced Settings the plan removes, as the plan file gives them."""
    return ", ".join(
        str(first) if first == last else f"{first}-{last}"
        for first, last in plan.advanced_settings.remove
    )


def _context(plan: ConversionPlan, credentials: RtdrCredentials | None) -> dict[str, Any]:
    rtdr = plan.rtdr
    if credentials is not None:
        key, _, password = credentials.key_password.get_secret_value().partition("|")
        secret_note = None
    else:
        key = f"kept in .env as {rtdr.private_key_env}"
        password = f"kept in .env as {rtdr.password_env}"
        secret_note = (
            f"The private key and password are kept in .env ({rtdr.private_key_env}, "
            f"{rtdr.password_env}), not in this document; `crm-robot docs --include-secrets` "
            "writes them in."
        )
    key_password = (
        f"{key}|{password}"
        if credentials is not None
        else (f"<{rtdr.private_key_env}>|<{rtdr.password_env}> (from .env)")
    )
    settings_rows = [
        {
            "number": n,
            "name": SETTING_NAMES[n],
            "value": key_password if n in SECRET_SETTINGS else value,
            "action": "Update",
        }
        for n, value in plan.settings_to_set().items()
    ]
    lead_days = (plan.go_live - plan.jira_submitted).days if plan.jira_submitted else None
    return {
        "plan": plan,
        "biller": plan.biller,
        "window": plan.maintenance_window,
        "go_live": plan.go_live.isoformat(),
        "go_live_long": _long_date(plan.go_live),
        "terminals": ", ".join(plan.datapump.payment_terminals) or "none",
        "removed": removed_ranges(plan),
        "settings_rows": settings_rows,
        "private_key": key,
        "password": password,
        "secret_note": secret_note,
        "lead_days": lead_days,
        "links": plan.links.shown(),
        "coding_form_link": CODING_FORM_LINK,
    }


def render_documents(
    plan: ConversionPlan, credentials: RtdrCredentials | None = None
) -> list[Document]:
    """Every document of the conversion; credentials only when given."""
    env = _environment()
    context = _context(plan, credentials)
    return [
        Document(
            name=name,
            title=title,
            text=env.get_template(template).render(context),
            holds_secrets=may_hold and credentials is not None,
        )
        for name, title, template, may_hold in _DOCUMENTS
    ]


def default_docs_dir(plan: ConversionPlan, settings: Settings) -> Path:
    """`<output root>/<biller-slug>/docs/`."""
    return settings.output_dir / plan.biller_slug / "docs"


def write_documents(documents: list[Document], out_dir: Path) -> list[Path]:
    """Write each document; those holding credentials are readable by the owner only."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for document in documents:
        path = out_dir / document.name
        mode = 0o600 if document.holds_secrets else 0o644
        path.unlink(missing_ok=True)  # a new file gets `mode`; an old one would keep its own
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(document.text)
        written.append(path)
    return written
