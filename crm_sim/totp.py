"""One-time codes as authenticator apps make them: RFC 6238 TOTP, HMAC-SHA1, 30 s, 6 digits."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
import time

STEP_S = 30
DIGITS = 6


class SeedError(ValueError):
    """The seed is not a base32 secret (RFC 4648)."""


def decode_seed(seed_base32: str) -> bytes:
    """The secret behind a base32 seed; spaces, lower case and missing padding are accepted, as
    authenticator apps show seeds that way."""
    text = "".join(seed_base32.split()).upper()
    padded = text + "=" * (-len(text) % 8)
    try:
        secret = base64.b32decode(padded)
    except (binascii.Error, ValueError):
        raise SeedError("not a base32 secret (letters A-Z and digits 2-7)") from None
    if not secret:
        raise SeedError("the secret is empty")
    return secret


def _code_at_step(secret: bytes, step: int) -> str:
    digest = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def totp_code(seed_base32: str, at: float | None = None) -> str:
    """The code an authenticator app holding `seed_base32` shows at `at` (default: now)."""
    moment = time.time() if at is None else at
    return _code_at_step(decode_seed(seed_base32), int(moment // STEP_S))


def code_is_valid(seed_base32: str, code: str, at: float | None = None) -> bool:
    """`code` is the current one or the one just before or after: clocks drift, and people
    type a code in the seconds after it changed."""
    secret = decode_seed(seed_base32)
    step = int((time.time() if at is None else at) // STEP_S)
    typed = "".join(code.split())
    # Every candidate is compared, so the time taken says nothing about which one matched.
    matches = [
        hmac.compare_digest(_code_at_step(secret, s), typed) for s in range(step - 1, step + 2)
    ]
    return any(matches)
