"""The rules of the sign-in settings (CRM_SIGN_IN, CRM_ROBOT_SIGN_IN_WAIT_S,
CRM_ROBOT_SESSION_KEY, CRM_ROBOT_CA_BUNDLE), as types `robot.core.settings.Settings` declares
its fields with. Each rule checks the text of its key as it comes from the environment."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator

from robot.core.secrets import Secret
from robot.core.transport import bundle_certificates
from robot.core.validation import given

Flow = Literal["form", "sso", "manual"]
SIGN_IN_FLOWS: tuple[str, ...] = get_args(Flow)
_SESSION_KEY = re.compile(r"[A-Za-z0-9_-]{43}=")


def is_session_key(text: str) -> bool:
    """A Fernet key: 32 random bytes in URL-safe base64, as `crm-robot sign-in --new-key`
    prints one."""
    return bool(_SESSION_KEY.fullmatch(text))


def _flow(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    word = value.strip().lower()
    if word not in SIGN_IN_FLOWS:
        raise ValueError(
            "must be form (the CRM's own sign-in page), sso (a company identity provider) or "
            f"manual (the PM signs in in a headed browser) (given {given(value)})"
        )
    return word


def _wait(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if not value.strip().isdigit() or not 10 <= int(value) <= 3600:
        raise ValueError(
            f"must be a whole number of seconds from 10 to 3600 (given {given(value)})"
        )
    return int(value)


def _session_key(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if not is_session_key(value.strip()):
        # Never echoed: it is a secret, even when mistyped.
        raise ValueError(
            "must be a key made by `crm-robot sign-in --new-key` (44 characters of URL-safe base64)"
        )
    return Secret(value.strip())


def _ca_bundle(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    path = Path(value.strip()).expanduser()
    if not path.is_file():
        raise ValueError(f"file not found (given {given(value)})")
    try:
        bundle_certificates(path)
    except ValueError as exc:
        raise ValueError(f"{exc}; give the PEM file of your company's CA") from None
    return path


SignInFlow = Annotated[Flow, BeforeValidator(_flow)]
SignInWait = Annotated[int, BeforeValidator(_wait)]
SessionKey = Annotated[Secret, BeforeValidator(_session_key)]
CaBundle = Annotated[Path, BeforeValidator(_ca_bundle)]


def describe_sign_in(flow: str, sso_hosts: tuple[str, ...]) -> str:
    """How runs sign in, in one line: what `plan check` prints."""
    how = {
        "form": "the CRM's own sign-in page, as CRM_USERNAME",
        "sso": f"the identity provider at {', '.join(sso_hosts)}, as CRM_USERNAME",
        "manual": "the PM, in a headed browser",
    }[flow]
    return f"{flow} ({how}); a session saved by `crm-robot sign-in` is used first"
