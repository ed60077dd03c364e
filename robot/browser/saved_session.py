"""A signed-in session saved by `crm-robot sign-in` for later headless runs.

The file holds the browser's storage state (the CRM's cookies) and the time it was made,
encrypted with CRM_ROBOT_SESSION_KEY (Fernet: AES with an HMAC, so a changed file is refused
too), mode 0600. It is never written in clear and never inside the output folder, which is
shared as proof. Whether the CRM still accepts it is known only by asking the CRM: the robot
opens a page with it and sees whether the sign-in page answers instead.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from robot.core.errors import SettingsError
from robot.core.settings import Settings

_NEW_KEY_HINT = "make one with `crm-robot sign-in --new-key` and set CRM_ROBOT_SESSION_KEY"


@dataclass(frozen=True)
class SavedSession:
    path: Path
    made: datetime
    crm_host: str
    state: dict[str, Any]  # Playwright's storage state: cookies and local storage

    @property
    def made_text(self) -> str:
        return self.made.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def new_key() -> str:
    return Fernet.generate_key().decode()


def session_path(settings: Settings) -> Path:
    """CRM_ROBOT_SESSION_FILE, else one file per CRM host and port in the user's state folder
    (a session of the UAT CRM is never offered to the production one)."""
    if settings.session_file is not None:
        return settings.session_file
    state_home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    name = settings.crm_host.replace(":", "-").replace("[", "").replace("]", "")
    return Path(state_home) / "crm-robot" / f"{name}.session"


def check_location(settings: Settings) -> Path:
    """The session file's path; SettingsError when it lies inside the output folder."""
    path = session_path(settings).expanduser().resolve()
    output = Path(settings.output_dir).expanduser().resolve()
    if path.is_relative_to(output):
        raise SettingsError(
            f"CRM_ROBOT_SESSION_FILE: {path} is inside CRM_ROBOT_OUTPUT_DIR ({output}), which "
            "is shared as the run's proof; keep the saved session elsewhere"
        )
    return path


def require_key(settings: Settings, path: Path, *, saving: bool = False) -> Fernet:
    """What encrypts the session file: CRM_ROBOT_SESSION_KEY, or SettingsError saying how to
    make one."""
    if settings.session_key is None and saving:
        raise SettingsError(
            f"CRM_ROBOT_SESSION_KEY: required to save the session in {path} encrypted; "
            f"{_NEW_KEY_HINT}"
        )
    if settings.session_key is None:
        raise SettingsError(
            f"CRM_ROBOT_SESSION_KEY: required to use the saved session in {path}; set the key "
            f"it was saved with, or {_NEW_KEY_HINT}, then run `crm-robot sign-in` again"
        )
    return Fernet(settings.session_key.get_secret_value().encode())


def load(settings: Settings) -> SavedSession | None:
    """The saved session for this CRM, or None when there is none. SettingsError when it cannot
    be opened (no key, another key, a damaged file), before a browser starts."""
    path = check_location(settings)
    if not path.is_file():
        return None
    fernet = require_key(settings, path)
    try:
        data = json.loads(fernet.decrypt(path.read_bytes()))
    except (InvalidToken, ValueError):
        raise SettingsError(
            f"CRM_ROBOT_SESSION_KEY: does not open the saved session in {path} (another key, "
            "or a damaged file); run `crm-robot sign-in` again"
        ) from None
    except OSError as exc:
        raise SettingsError(
            f"CRM_ROBOT_SESSION_FILE: {path} cannot be read ({exc.strerror})"
        ) from None
    if data.get("crm_host") != settings.crm_host:
        raise SettingsError(
            f"CRM_ROBOT_SESSION_FILE: {path} holds a session of {data.get('crm_host')}, not of "
            f"CRM_BASE_URL ({settings.crm_host}); run `crm-robot sign-in` for this CRM"
        )
    made = datetime.fromisoformat(str(data["made"]))
    return SavedSession(path, made, settings.crm_host, dict(data["state"]))


def save(settings: Settings, state: dict[str, Any]) -> SavedSession:
    """Encrypt and write the session, mode 0600 from its first byte; replaces the old one."""
    path = check_location(settings)
    fernet = require_key(settings, path, saving=True)
    made = datetime.now(UTC)
    body = {"crm_host": settings.crm_host, "made": made.isoformat(), "state": state}
    token = fernet.encrypt(json.dumps(body).encode())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(token)
    partial.replace(path)
    return SavedSession(path, made, settings.crm_host, state)
