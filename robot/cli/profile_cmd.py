"""List every entry of the adaptation profile: each locator and each CRM text the robot uses.

`profile list` prints, screen by screen, the logical name of every entry (the name a profile
file overrides), whether it is a locator or a text, its default and the fields it may use.
With --selectors FILE, the value the file gives is shown beside the default. With --json, the
same as a JSON list on stdout. docs/crm-screens.md says what each screen looks like.

Example:
  crm-robot profile list
  crm-robot profile list --selectors profiles/legacy.toml --json
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pages.entries import Entry, known_entries
from pages.overrides import SelectorOverrides, load_overrides
from robot.cli.common import action_parser, add_selectors_option, command_parser
from robot.core.errors import ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(subparsers, "profile", __doc__)
    help_text = "every locator and CRM text the profile can override, with its default"
    listing = action_parser(parser, "list", help_text, __doc__)
    listing.add_argument("--json", action="store_true", help="print the entries as JSON")
    add_selectors_option(listing)
    listing.set_defaults(handler=list_entries)


def list_entries(args: argparse.Namespace) -> int:
    profile = load_overrides(args.selectors) if args.selectors else SelectorOverrides()
    rows = [_row(entry, profile) for entry in known_entries()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return int(ExitCode.OK)
    screen = None
    for row in rows:
        if row["screen"] != screen:
            screen = row["screen"]
            print(f"[{screen}]")
        fields = f"  fields: {', '.join(row['fields'])}" if row["fields"] else ""
        given = f"  profile: {row['profile']}" if "profile" in row else ""
        print(f"  {row['name']:<52} {row['kind']:<7} {row['default']}{fields}{given}")
    return int(ExitCode.OK)


def _row(entry: Entry, profile: SelectorOverrides) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": entry.name,
        "screen": entry.screen,
        "kind": entry.kind,
        "default": entry.default,
        "fields": entry.fields,
    }
    given = profile.specs.get(entry.name)
    if given is not None:
        row["profile"] = given.text
    elif entry.name in profile.texts:
        row["profile"] = profile.texts[entry.name]
    return row
