"""The users table after sign-up: loading and listing users, enabling and disabling,
their attributes (and new ones waiting for verification), ending their sessions,
deleting them. (Creation and attribute rules are in :mod:`.directory`.)"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from cognito_identity.local.models import Pool, User, UserStatus

__all__ = [
    "alias_taken",
    "delete_user",
    "load_user",
    "pending_attributes",
    "require_password_reset",
    "revoke_refresh_token",
    "revoke_sessions",
    "save_attributes",
    "set_enabled",
    "set_pending_attribute",
    "users_after",
]


def load_user(conn: sqlite3.Connection, pool_id: str, username_key: str) -> User | None:
    """The user stored under ``username_key`` in the pool, if any."""
    row = conn.execute(
        "SELECT * FROM users WHERE pool_id = ? AND username_key = ?", (pool_id, username_key)
    ).fetchone()
    return None if row is None else User.from_row(row)


def set_enabled(conn: sqlite3.Connection, user: User, enabled: bool, now: float) -> None:
    """Enable or disable the user (AdminEnableUser / AdminDisableUser)."""
    conn.execute(
        "UPDATE users SET enabled = ?, modified = ? WHERE pool_id = ? AND username_key = ?",
        (int(enabled), now, user.pool_id, user.username_key),
    )


def revoke_tokens(conn: sqlite3.Connection, user: User) -> None:
    """Revoke the user's refresh tokens and the access tokens issued with them, as a
    global sign-out does. Hosted-UI sessions stay: Cognito documents that a global
    sign-out leaves the managed login cookie, which only ``/logout`` clears."""
    conn.execute(
        "UPDATE sessions SET revoked = 1 WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    )


def revoke_sessions(conn: sqlite3.Connection, user: User) -> None:
    """End every sign-in of the user: its tokens stop working (:func:`revoke_tokens`),
    and its hosted-UI sessions end (:func:`end_login_sessions`)."""
    revoke_tokens(conn, user)
    end_login_sessions(conn, user)


def end_login_sessions(conn: sqlite3.Connection, user: User) -> None:
    """End the user's hosted-UI sessions: the browser's next authorize shows the form."""
    conn.execute(
        "DELETE FROM login_sessions WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    )


def delete_user(conn: sqlite3.Connection, user: User) -> None:
    """Delete the user; its sessions, tokens, codes, devices and pending values go with it
    (ON DELETE CASCADE)."""
    conn.execute(
        "DELETE FROM users WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    )


def users_after(conn: sqlite3.Connection, pool_id: str, after: str) -> Iterator[User]:
    """The pool's users in username-key order, from the first after ``after``."""
    rows = conn.execute(
        "SELECT * FROM users WHERE pool_id = ? AND username_key > ? ORDER BY username_key",
        (pool_id, after),
    )
    for row in rows:
        yield User.from_row(row)


def require_password_reset(conn: sqlite3.Connection, user: User, now: float) -> None:
    """Forget the user's password: it must set a new one with a reset code (a browser
    signed in with the old one no longer skips the hosted UI's form)."""
    conn.execute(
        "UPDATE users SET status = ?, password_hash = NULL, srp_salt = NULL,"
        " srp_verifier = NULL, modified = ? WHERE pool_id = ? AND username_key = ?",
        (UserStatus.RESET_REQUIRED, now, user.pool_id, user.username_key),
    )
    end_login_sessions(conn, user)


def save_attributes(
    conn: sqlite3.Connection, pool: Pool, user: User, attributes: dict[str, str], now: float
) -> None:
    """Store ``attributes`` and the sign-in lookup keys that follow from them."""
    email = attributes.get("email")
    conn.execute(
        "UPDATE users SET attributes = ?, email_key = ?, phone_key = ?, modified = ?"
        " WHERE pool_id = ? AND username_key = ?",
        (
            json.dumps(attributes),
            pool.key(email) if email else None,
            attributes.get("phone_number"),
            now,
            user.pool_id,
            user.username_key,
        ),
    )


def alias_taken(conn: sqlite3.Connection, pool: Pool, user: User, name: str, value: str) -> bool:
    """Whether another user of the pool signs in with this e-mail or phone number."""
    column, key = ("email_key", pool.key(value)) if name == "email" else ("phone_key", value)
    taken = conn.execute(
        f"SELECT 1 FROM users WHERE pool_id = ? AND {column} = ? AND username_key != ?",
        (pool.id, key, user.username_key),
    ).fetchone()
    return taken is not None


def pending_attributes(conn: sqlite3.Connection, user: User) -> dict[str, str]:
    """New e-mail/phone values waiting for verification before they replace the old."""
    rows = conn.execute(
        "SELECT name, value FROM pending_attributes WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    ).fetchall()
    return {row["name"]: row["value"] for row in rows}


def set_pending_attribute(
    conn: sqlite3.Connection, user: User, name: str, value: str | None
) -> None:
    """Keep ``value`` as the attribute's pending value (None: drop any)."""
    conn.execute(
        "DELETE FROM pending_attributes WHERE pool_id = ? AND username_key = ? AND name = ?",
        (user.pool_id, user.username_key, name),
    )
    if value is not None:
        conn.execute(
            "INSERT INTO pending_attributes (pool_id, username_key, name, value)"
            " VALUES (?, ?, ?, ?)",
            (user.pool_id, user.username_key, name, value),
        )


def revoke_refresh_token(conn: sqlite3.Connection, token_hash: str) -> str | None:
    """End the sign-in whose refresh token has this digest; the client it was issued to,
    or None for a token this server never issued."""
    row = conn.execute(
        "SELECT origin_jti, client_id FROM sessions WHERE refresh_hash = ?", (token_hash,)
    ).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE sessions SET revoked = 1 WHERE origin_jti = ?", (row["origin_jti"],))
    return str(row["client_id"])
