"""Software tokens (TOTP): the secret AssociateSoftwareToken hands out, kept in the
``software_tokens`` table until VerifySoftwareToken proves the user's app has it.

Codes are RFC 6238 TOTP (HMAC-SHA1, six digits, 30-second steps), computed and compared
by the Rust ``cognito-otp`` crate. A code is accepted one step either side of now, and
each step's code works once: the newest accepted step is stored.
"""

from __future__ import annotations

import base64
import secrets
import sqlite3

from cognito_identity import _native
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import User

__all__ = [
    "WINDOW_STEPS",
    "accept_code",
    "associate",
    "has_token",
    "has_verified_token",
    "mark_verified",
    "new_secret",
    "totp_code",
]

#: Steps either side of the current one whose codes are accepted (clock drift).
WINDOW_STEPS = 1
# 20 bytes (160 bits, the HMAC-SHA1 block RFC 4226 recommends) are 32 base32 characters,
# the length of Cognito's SecretCode.
_SECRET_BYTES = 20


def new_secret() -> str:
    """A new shared secret, base32 without padding as Cognito's ``SecretCode``."""
    return base64.b32encode(secrets.token_bytes(_SECRET_BYTES)).decode().rstrip("=")


def _secret_bytes(secret: str) -> bytes:
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def totp_code(secret: str, unix_time: float) -> str:
    """The six-digit code an authenticator app shows for ``secret`` (base32) at
    ``unix_time``: what a test or script types in."""
    return str(_native.otp_totp(_secret_bytes(secret), int(unix_time)))


def _token_row(conn: sqlite3.Connection, user: User) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT secret, verified, last_step FROM software_tokens"
        " WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    ).fetchone()
    return row


def has_token(conn: sqlite3.Connection, user: User) -> bool:
    """Whether AssociateSoftwareToken has given the user a secret."""
    return _token_row(conn, user) is not None


def has_verified_token(conn: sqlite3.Connection, user: User) -> bool:
    """Whether the user has a software token that passed VerifySoftwareToken."""
    row = _token_row(conn, user)
    return bool(row is not None and row["verified"])


def associate(conn: sqlite3.Connection, user: User, secret: str) -> None:
    """Give the user a new, not yet verified secret (replacing any earlier one)."""
    conn.execute(
        "INSERT OR REPLACE INTO software_tokens"
        " (pool_id, username_key, secret, verified, last_step) VALUES (?, ?, ?, 0, NULL)",
        (user.pool_id, user.username_key, secret),
    )


def mark_verified(conn: sqlite3.Connection, user: User) -> None:
    """Record that the user's app produced a right code for the secret."""
    conn.execute(
        "UPDATE software_tokens SET verified = 1 WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    )


def accept_code(conn: sqlite3.Connection, user: User, code: str, now: float) -> bool:
    """Check ``code`` against the user's secret and use up its step.

    Returns False for a wrong code (or no secret at all). A right code whose step was
    already used raises ExpiredCodeException, as Cognito does for a replayed code.
    """
    row = _token_row(conn, user)
    if row is None:
        return False
    step = _native.otp_totp_verify(
        _secret_bytes(row["secret"]), code, int(now), window=WINDOW_STEPS
    )
    if step is None:
        return False
    if row["last_step"] is not None and step <= row["last_step"]:
        raise ServiceError.software_token_reused()
    conn.execute(
        "UPDATE software_tokens SET last_step = ? WHERE pool_id = ? AND username_key = ?",
        (step, user.pool_id, user.username_key),
    )
    return True
