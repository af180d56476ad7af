"""Software tokens (TOTP): the secret AssociateSoftwareToken hands out, kept in the
``software_tokens`` table until VerifySoftwareToken proves the user's app has it."""

from __future__ import annotations

import sqlite3

from cognito_identity.local.models import User

__all__ = ["has_verified_token"]


def has_verified_token(conn: sqlite3.Connection, user: User) -> bool:
    """Whether the user has a software token that passed VerifySoftwareToken."""
    row = conn.execute(
        "SELECT verified FROM software_tokens WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    ).fetchone()
    return bool(row is not None and row["verified"])
