"""Check the adaptation profile against a live CRM, reading only; propose what a miss should be.

The doctor signs in and walks every screen, tab, form and dialog the conversion uses (it opens
forms and dialogs and leaves them; it never saves, deletes or runs anything). For every entry
of the profile it reports found, missing or ambiguous, and for each miss it proposes ranked
candidates from what the screen shows. It writes doctor.json, profile-draft.toml (the profile
with the proposals, for a person to check) and index.html (screenshots, found elements
outlined, misses with their candidates). Exit 0 when every entry resolves, 1 when one does not.

Example:
  crm-robot doctor plans/prairie-pine-mutual.toml --selectors my-crm.toml --out doctor/
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pages.overrides import load_overrides
from robot.browser.signin import check_sign_in
from robot.cli.common import (
    add_env_file_option,
    add_out_option,
    add_plan_argument,
    add_selectors_option,
    command_parser,
    load_plan_and_settings,
    progress,
)
from robot.core.errors import ExitCode
from robot.core.settings import check_output_dir


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(subparsers, "doctor", __doc__)
    add_plan_argument(parser)
    add_selectors_option(parser)
    add_out_option(parser, "folder for the report (default: <output root>/<biller>/doctor/)")
    add_env_file_option(parser)
    parser.set_defaults(handler=doctor)


def doctor(args: argparse.Namespace) -> int:
    # The browser's modules, only for this command.
    from robot.doctor.report import NEEDS_WORK
    from robot.doctor.run import run_doctor

    plan, settings = load_plan_and_settings(args)
    profile_path: Path | None = args.selectors or settings.selectors
    profile = load_overrides(profile_path)
    saved = check_sign_in(settings, headed=not settings.headless)
    out_dir = args.out or Path(settings.output_dir) / plan.biller_slug / "doctor"
    check_output_dir(out_dir)
    result = run_doctor(
        plan, settings, profile, profile_path=profile_path, out_dir=out_dir, saved=saved
    )
    needing = [f for f in result.findings if f.status in NEEDS_WORK]
    for finding in (*needing, *(f for f in result.findings if f.status == "optional")):
        best = f"; first proposal: {finding.proposals[0].value}" if finding.proposals else ""
        where = f" (missing container: {finding.container})" if finding.container else ""
        why = f" ({finding.note})" if finding.status == "optional" else ""
        print(f"{finding.status}: {finding.entry.name} = {finding.value!r}{where}{why}{best}")
    progress(
        f"doctor: {len(needing)} entr{'y' if len(needing) == 1 else 'ies'} to adapt; "
        f"{result.proposed} proposed in {out_dir / 'profile-draft.toml'}; "
        f"see {out_dir / 'index.html'}"
    )
    return int(ExitCode.OK if result.ok else ExitCode.PROBLEM_FOUND)
