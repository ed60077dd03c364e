"""Server settings of one crm_sim instance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal

from crm_sim.totp import decode_seed

Environment = Literal["UAT", "PROD"]
# The look and wording of the screens (crm_sim/skins.py); the data and behaviour are the same.
Skin = Literal["default", "legacy"]
SKINS: tuple[Skin, ...] = ("default", "legacy")


@dataclass(frozen=True)
class SimConfig:
    db_path: Path = Path("crm_sim.sqlite3")
    env: Environment = "UAT"
    session_idle: float = 900.0
    save_delay_ms: int = 300
    faults: str = ""
    extra_billers: int = 0
    reset: bool = False
    skin: Skin = "default"
    # Sign-in through a separate identity provider on a second port (crm_sim/idp.py).
    sso: bool = False
    idp_port: int = 0
    # Base32; when set, the identity provider asks for a one-time code after the password.
    totp_seed: str = ""

    @classmethod
    def from_any(cls, config: SimConfig | Mapping[str, Any] | None) -> SimConfig:
        if config is None:
            return cls()
        if isinstance(config, SimConfig):
            return config
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            raise ValueError(f"unknown crm_sim setting(s): {', '.join(unknown)}")
        made = replace(cls(), **dict(config))
        return replace(made, db_path=Path(made.db_path))

    def __post_init__(self) -> None:
        if self.env not in ("UAT", "PROD"):
            raise ValueError(f"env must be UAT or PROD, not {self.env!r}")
        if self.skin not in SKINS:
            raise ValueError(f"skin must be one of {', '.join(SKINS)}, not {self.skin!r}")
        if self.session_idle <= 0:
            raise ValueError("session_idle must be more than 0 seconds")
        if self.save_delay_ms < 0 or self.extra_billers < 0:
            raise ValueError("save_delay_ms and extra_billers cannot be negative")
        if self.idp_port < 0:
            raise ValueError("idp_port cannot be negative")
        if self.totp_seed:
            decode_seed(self.totp_seed)  # a SeedError (a ValueError) says what is wrong
