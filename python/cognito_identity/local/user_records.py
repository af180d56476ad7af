"""The users table after sign-up: loading a user, enabling and disabling, ending its
sessions, deleting it. (Creation and attribute rules are in :mod:`.directory`.)"""

from __future__ import annotations

import sqlite3

from cognito_identity.local.models import User

__all__ = ["delete_user", "load_user", "revoke_sessions", "set_enabled"]


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


def revoke_sessions(conn: sqlite3.Connection, user: User) -> None:
    """End every sign-in of the user: its refresh tokens and access tokens stop working."""
    conn.execute(
        "UPDATE sessions SET revoked = 1 WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    )


def delete_user(conn: sqlite3.Connection, user: User) -> None:
    """Delete the user; its sessions, tokens, codes, devices and pending values go with it
    (ON DELETE CASCADE)."""
    conn.execute(
        "DELETE FROM users WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    )
