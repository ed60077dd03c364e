"""The HTML pages crm-robot writes (the before/after report, the run summary) come from Jinja
templates in robot/templates/, rendered the same way: escaped, strict about missing names."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def html_templates() -> Environment:
    """An environment for robot/templates/*.html: every value escaped, a missing name an error."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
