"""Sign in to the CRM once, and save the session for headless runs.

A CRM behind single sign-on with a second factor cannot be signed in to by a robot alone: the PM
signs in once in a browser window (--manual), second factor included, and scheduled captures and
conversions then use the saved session until the CRM ends it; they stop with exit 3 and say so
then. Any flow of CRM_SIGN_IN may save a session. The file is encrypted with
CRM_ROBOT_SESSION_KEY, readable by this user only, and never inside the output folder.

Examples:
  crm-robot sign-in --new-key        # print a key; set it as CRM_ROBOT_SESSION_KEY
  crm-robot sign-in --manual         # a browser window opens: sign in there
  crm-robot sign-in                  # signs in as CRM_SIGN_IN says (form or sso)
"""

from __future__ import annotations

import argparse

from robot.browser.saved_session import check_location, new_key, require_key, save
from robot.browser.session import BrowserSession
from robot.browser.signin import check_flow
from robot.cli.common import (
    add_env_file_option,
    add_headed_option,
    command_parser,
    load_settings_from_args,
    progress,
)
from robot.core.errors import ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(subparsers, "sign-in", __doc__)
    parser.add_argument(
        "--manual",
        action="store_true",
        help="open a browser window and wait for you to sign in (CRM_SIGN_IN=manual)",
    )
    parser.add_argument(
        "--new-key",
        action="store_true",
        help="print a new key for CRM_ROBOT_SESSION_KEY and stop",
    )
    add_headed_option(parser, "show the browser window")
    add_env_file_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.new_key:
        print(new_key())
        return int(ExitCode.OK)
    settings = load_settings_from_args(args)
    if args.manual:
        settings = settings.model_copy(update={"crm_sign_in": "manual"})
    headed = args.manual or args.headed or not settings.headless
    path = check_location(settings)
    require_key(settings, path, saving=True)
    check_flow(settings, headed=headed)
    with BrowserSession(settings, headless=not headed, sign_in=False) as session:
        progress(f"signing in to {settings.crm_host} ({settings.crm_sign_in})")
        session.sign_in()
        saved = save(settings, dict(session.context.storage_state()))
    print(
        f"crm-robot: signed in to {settings.crm_host}; session saved to {saved.path} "
        f"(encrypted, made {saved.made_text}); headless runs use it until the CRM ends it"
    )
    return int(ExitCode.OK)
