"""The temporary AWS credentials the local identity pools hand out, kept so that the
signed-request endpoint (:mod:`cognito_identity.local.aws_endpoint`) can check
signatures made with them, as AWS knows the keys STS issued.

Keys are kept a day past their expiry (so a late request is told ExpiredToken rather
than that the key does not exist), then dropped when new ones are issued.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

__all__ = ["IssuedCredentials", "find", "record"]

# How long an expired key is still recognised (answered ExpiredToken).
KEEP_EXPIRED_SECONDS = 24 * 3600


@dataclass(frozen=True)
class IssuedCredentials:
    """One access key as GetCredentialsForIdentity issued it; secrets kept out of repr."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str = field(repr=False)
    #: Seconds since the epoch, by the server's clock.
    expires: float
    identity_id: str


def record(conn: sqlite3.Connection, issued: IssuedCredentials, now: float) -> None:
    """Keep ``issued`` and forget keys that expired long ago (in a write transaction)."""
    conn.execute("DELETE FROM aws_credentials WHERE expires < ?", (now - KEEP_EXPIRED_SECONDS,))
    conn.execute(
        "INSERT INTO aws_credentials (access_key_id, secret, session_token, expires, identity_id)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            issued.access_key_id,
            issued.secret_access_key,
            issued.session_token,
            issued.expires,
            issued.identity_id,
        ),
    )


def find(conn: sqlite3.Connection, access_key_id: str) -> IssuedCredentials | None:
    """The credentials of ``access_key_id``, or None if this server never issued it."""
    row = conn.execute(
        "SELECT access_key_id, secret, session_token, expires, identity_id"
        " FROM aws_credentials WHERE access_key_id = ?",
        (access_key_id,),
    ).fetchone()
    if row is None:
        return None
    return IssuedCredentials(
        row["access_key_id"],
        row["secret"],
        row["session_token"],
        row["expires"],
        row["identity_id"],
    )
