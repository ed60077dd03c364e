"""Fingerprints of secret values, so captures can show that a secret changed without holding it.

A fingerprint is an HMAC-SHA256 keyed with a random salt kept beside the captures (mode 0600):
equal secrets give equal fingerprints within one output root, and a fingerprint cannot be
checked against guessed values without the salt.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SALT_FILE = ".fingerprint-salt"
SALT_BYTES = 32


def fingerprint(value: str, salt: bytes) -> str:
    """`secret:<16 hex>`: the first 64 bits of HMAC-SHA256(salt, value)."""
    digest = hmac.new(salt, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"secret:{digest[:16]}"


def load_or_create_salt(output_root: Path) -> bytes:
    """The salt of this output root, created on first use (readable by the owner only)."""
    path = Path(output_root) / SALT_FILE
    try:
        salt = path.read_bytes()
    except FileNotFoundError:
        salt = b""
    if len(salt) >= SALT_BYTES:
        return salt
    path.parent.mkdir(parents=True, exist_ok=True)
    new = secrets.token_bytes(SALT_BYTES)
    tmp = path.with_name(f"{SALT_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(new)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        if salt:
            # A short file is a leftover of an interrupted write: replace it.
            os.replace(tmp, path)
            return new
        # link() fails if the name exists: when two workers start at once, both use one salt.
        os.link(tmp, path)
        return new
    except FileExistsError:
        return path.read_bytes()
    finally:
        tmp.unlink(missing_ok=True)
