"""The provider's RTDR credentials for one plan, from the variables the plan names.

Advanced Settings 10 and 13 hold `<private key>|<password>`: exactly one `|`, both sides present,
neither side the procedure's placeholder. Problems name the variable, never its value.
"""

from __future__ import annotations

from dataclasses import dataclass

from robot.core.errors import SettingsError
from robot.core.secrets import Secret
from robot.core.settings import Settings
from robot.core.validation import given
from robot.plan.model import ConversionPlan

PLACEHOLDERS = {"key": "[PrivateKey]", "password": "[Password]"}
DEFAULT_KEY_ENV = "RTDR_PRIVATE_KEY"


@dataclass(frozen=True)
class RtdrCredentials:
    username: str
    key_password: Secret  # "<private key>|<password>", for settings 10 and 13


def part_problems(name: str, value: str, part: str) -> list[str]:
    """What is wrong with one side of `key|password`; `part` is "key" or "password"."""
    found = []
    if "|" in value:
        other = "password" if part == "key" else "private key"
        found.append(
            f'{name}: must not contain "|"; settings 10 and 13 join the private key and the '
            f'password with one "|" (put the {other} in its own variable)'
        )
    if value.strip() == PLACEHOLDERS[part]:
        found.append(
            f"{name}: is the placeholder {PLACEHOLDERS[part]}; set the provider's real value"
        )
    elif value != value.strip():
        found.append(f"{name}: must not start or end with spaces")
    return found


def key_password_problems(value: str) -> list[str]:
    """Problems of a joined `key|password` value, e.g. one read from a file (value not shown)."""
    if value.count("|") != 1:
        return [f'must be <private key>|<password> with exactly one "|" ({value.count("|")} found)']
    key, password = value.split("|")
    found = []
    if not key:
        found.append('the private key before "|" is empty')
    if not password:
        found.append('the password after "|" is empty')
    found += [p.partition(": ")[2] for p in part_problems("key", key, "key")]
    found += [p.partition(": ")[2] for p in part_problems("password", password, "password")]
    return found


def credential_problems(plan: ConversionPlan, settings: Settings) -> tuple[list[str], list[str]]:
    """(missing, invalid): variables not set, and variables set to something unusable."""
    rtdr = plan.rtdr
    who = f"{plan.biller.name} ({plan.biller.id})"
    missing, invalid = [], []
    for name, part in ((rtdr.private_key_env, "key"), (rtdr.password_env, "password")):
        secret = settings.secret_value(name)
        if secret is None:
            missing.append(
                f"{name}: required for {who}, the provider's RTDR {part}; "
                "set it in .env or the environment"
            )
        else:
            invalid += part_problems(name, secret.get_secret_value(), part)
    # RTDR_USERNAME only speaks for the plans that use the default variables.
    if rtdr.private_key_env == DEFAULT_KEY_ENV and settings.rtdr_username is not None:
        if settings.rtdr_username != rtdr.username:
            invalid.append(
                f"RTDR_USERNAME: must match rtdr.username in the plan ({rtdr.username}); "
                f"the .env may belong to another biller (given {given(settings.rtdr_username)})"
            )
    return missing, invalid


def resolve_credentials(plan: ConversionPlan, settings: Settings) -> RtdrCredentials:
    """The credentials for settings 9-10 and 12-13, or SettingsError listing every problem."""
    missing, invalid = credential_problems(plan, settings)
    if missing or invalid:
        raise SettingsError(missing + invalid)
    key = settings.secret_value(plan.rtdr.private_key_env)
    password = settings.secret_value(plan.rtdr.password_env)
    assert key is not None and password is not None
    joined = f"{key.get_secret_value()}|{password.get_secret_value()}"
    return RtdrCredentials(username=plan.rtdr.username, key_password=Secret(joined))
