"""Skins: the same CRM in another markup and wording.

Every skin serves the same routes, forms (the posted field names), data, page behaviour, faults
and test API; only the templates and the texts the server puts on screens differ.

- `default`: the CRM of docs/crm-screens.md (templates/).
- `legacy`: an older ASP.NET WebForms admin CRM (templates/legacy/, static/legacy.*): other
  words for screens, buttons, labels, flags, menu items, tabs, columns and terms, and none of
  what such products lack (aria-label, table captions, data-testid, per-row accessible names),
  at WebForms addresses (crm_sim/addresses.py).
  profiles/legacy.toml adapts crm-robot to it without code.

The route handlers keep producing the default skin's texts (toasts, validation errors, the
Integration Summary's terms and flags); a skin's templates pass them through the `word` filter,
which says them in the skin's words (WORDS, LABELS below). The default skin's templates never
use it, so its pages are unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, current_app
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader

from crm_sim.config import Skin

TEMPLATES = Path(__file__).parent / "templates"
CONFIG_KEY = "CRM_SKIN"

# Texts the server decides, as the legacy CRM shows them (exact matches).
LEGACY_WORDS = {
    # Toasts.
    "Saved.": "Changes saved.",
    "Deleted.": "Record deleted.",
    # Sign-in.
    "Invalid username or password.": "Login failed. Check your user name and password.",
    # Integration Summary: flags and terms (the Invoicing flags are labelled alike).
    "On": "Enabled",
    "Off": "Disabled",
    "Integration Partner ID": "Integration Partner",
    "Real Time Data Refresh": "Real-Time Data Refresh",
    "Suppress Stale Balances": "Suppress Stale Balance",
    "Apply Global BIF Customizations": "Global BIF Customizations",
    "Show Invoice Detail": "Show Invoice Details",
    "Allow Partial Payments": "Allow Partial Payment",
    "InvoiceFormatGUID": "Invoice Format GUID",
    "RTDR Endpoint": "RTDR Service URL",
    "PDF Settings": "PDF File Settings",
    "Zip File Settings": "Zip Settings",
    "Payment DataPump": "Payment Data Pump",
    # FTP Management: the Move Action options (their posted values stay the default's).
    "Move to Archive": "Move to Archive folder",
    "Move to Filename Pending": "Move to Filename Pending folder",
}

# Field labels inside validation messages ("Path is required." -> "Folder Path is required.").
LEGACY_LABELS = {
    "Integration Partner ID": "Integration Partner",
    "Primary Contact": "Contact Name",
    "InvoiceFormatGUID": "Invoice Format GUID",
    "FTP Username": "FTP User",
    "Path": "Folder Path",
    "Move Action": "After Processing",
    "Value": "Setting Value",
    "Number": "Setting Number",
    "Name": "Setting Name",
    "Internal Description": "Description (internal)",
    "Customer-Facing Message": "Message to Customers",
    "Start (Central Time)": "Start Date/Time (CT)",
    "End (Central Time)": "End Date/Time (CT)",
}

WORDS: dict[Skin, dict[str, str]] = {"legacy": LEGACY_WORDS}
LABELS: dict[Skin, dict[str, str]] = {"legacy": LEGACY_LABELS}


def _label_pattern(labels: dict[str, str]) -> re.Pattern[str]:
    # Longest first, whole words only: "Start (Central Time)" before "Name" or "Value".
    names = sorted(labels, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


_PATTERNS = {skin: _label_pattern(labels) for skin, labels in LABELS.items()}


def say(text: str, skin: Skin) -> str:
    """`text`, a server-side text of the default skin, as `skin` shows it."""
    words = WORDS.get(skin)
    if words is None:
        return text
    if text in words:
        return words[text]
    labels = LABELS[skin]
    return _PATTERNS[skin].sub(lambda found: labels[found[0]], text)


def word(text: object) -> str:
    """The `word` template filter: `text` in the words of the app's skin."""
    skin: Skin = current_app.config.get(CONFIG_KEY, "default")
    return say(str(text), skin)


def asp_id(text: object) -> str:
    """The `asp_id` template filter: a text made fit for an element id, as WebForms does."""
    return re.sub(r"\W", "_", str(text))


def install(app: Flask, skin: Skin) -> None:
    """Serve the app in `skin`: its template folder first (the default's for what it lacks)."""
    app.config[CONFIG_KEY] = skin
    app.add_template_filter(word, "word")
    app.add_template_filter(asp_id, "asp_id")
    if skin == "default":
        return
    default: BaseLoader | None = app.jinja_loader
    loaders: list[BaseLoader] = [FileSystemLoader(TEMPLATES / skin)]
    app.jinja_loader = ChoiceLoader(loaders + ([default] if default is not None else []))
