"""The hosted UI's sign-in session: the cookie a browser gets when it signs in through a
pool's pages, so that its next ``/oauth2/authorize`` (for the same or another app client
of that pool) comes straight back with a code, as Cognito's managed login does.

A session lasts one hour from the sign-in, as in Cognito, whatever is done with it.
The cookie holds an opaque random value; the store keeps only its SHA-256, with the pool
and user it stands for. It is named after the pool (every pool is served at the same
endpoint here, where Cognito gives each its own domain) and only that pool accepts it.
The session ends at ``/logout``, and with the user: deleting a user deletes its sessions
(ON DELETE CASCADE), and disabling it or resetting its password ends them
(:func:`cognito_identity.local.user_records.end_login_sessions`). A global sign-out
leaves them, as Cognito documents. A user who may no longer sign in (disabled, or told
to reset its password) is not signed in by its session either.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_opaque_token
from cognito_identity.local.models import User
from cognito_identity.local.policy import check_may_sign_in
from cognito_identity.local.tokens import token_digest
from cognito_identity.local.user_records import load_user

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "SESSION_SECONDS",
    "LoginSession",
    "clear_cookie",
    "end_provider_sessions",
    "end_session",
    "find_session",
    "session_cookie",
    "set_cookie",
    "start_session",
]

#: How long a hosted-UI session lasts from its sign-in (Cognito: one hour).
SESSION_SECONDS = 3600
_COOKIE_PREFIX = "cognito-session-"


@dataclass(frozen=True)
class LoginSession:
    """A live session: its user (checked as able to sign in), the provider it signed in
    with (``COGNITO`` for the pool's own page) and when it signed in."""

    user: User
    provider: str
    auth_time: int


def _cookie_name(pool_id: str) -> str:
    return f"{_COOKIE_PREFIX}{pool_id}"


def session_cookie(headers: Mapping[str, str], pool_id: str) -> str | None:
    """The value of the pool's session cookie in the request's ``Cookie`` header."""
    wanted = _cookie_name(pool_id)
    for name, value in headers.items():
        if name.lower() != "cookie":
            continue
        for pair in value.split(";"):
            key, _, found = pair.strip().partition("=")
            if key == wanted and found:
                return found
    return None


def _attributes(ctx: ServerContext, max_age: int) -> str:
    # HttpOnly: no script reads it; Lax: a top-level navigation from the app brings it;
    # Secure whenever the pool is served over https.
    secure = "; Secure" if ctx.endpoint.startswith("https://") else ""
    return f"Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"


def set_cookie(ctx: ServerContext, pool_id: str, value: str) -> tuple[str, str]:
    """The ``Set-Cookie`` header that gives the browser the pool's session ``value``."""
    return ("Set-Cookie", f"{_cookie_name(pool_id)}={value}; {_attributes(ctx, SESSION_SECONDS)}")


def clear_cookie(ctx: ServerContext, pool_id: str) -> tuple[str, str]:
    """The ``Set-Cookie`` header that makes the browser drop the pool's session."""
    return ("Set-Cookie", f"{_cookie_name(pool_id)}=; {_attributes(ctx, 0)}")


def start_session(ctx: ServerContext, user: User, provider: str, auth_time: int) -> str:
    """Record a new session for ``user`` and return the cookie's value."""
    value = new_opaque_token()
    with ctx.store.write() as conn:
        conn.execute(
            "INSERT INTO login_sessions (cookie_hash, pool_id, username_key, provider,"
            " auth_time, expires) VALUES (?, ?, ?, ?, ?, ?)",
            (
                token_digest(value),
                user.pool_id,
                user.username_key,
                provider,
                auth_time,
                auth_time + SESSION_SECONDS,
            ),
        )
        # Sessions past their hour are of no use to anyone.
        conn.execute("DELETE FROM login_sessions WHERE expires <= ?", (ctx.clock.now(),))
    return value


def _row(conn: sqlite3.Connection, pool_id: str, value: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM login_sessions WHERE cookie_hash = ? AND pool_id = ?",
        (token_digest(value), pool_id),
    ).fetchone()
    return row


def find_session(ctx: ServerContext, pool_id: str, value: str | None) -> LoginSession | None:
    """The live session behind cookie ``value`` in ``pool_id``; None for no cookie, an
    unknown, ended or expired one, or a user who may no longer sign in."""
    if not value:
        return None
    conn = ctx.store.connection()
    row = _row(conn, pool_id, value)
    if row is None or row["expires"] <= ctx.clock.now():
        return None
    user = load_user(conn, pool_id, row["username_key"])
    if user is None:
        return None
    try:
        check_may_sign_in(user)
    except ServiceError:
        return None
    return LoginSession(user, str(row["provider"]), int(row["auth_time"]))


def end_session(ctx: ServerContext, pool_id: str, value: str | None) -> None:
    """Forget the session behind cookie ``value`` (nothing happens for an unknown one)."""
    if not value:
        return
    with ctx.store.write() as conn:
        conn.execute(
            "DELETE FROM login_sessions WHERE cookie_hash = ? AND pool_id = ?",
            (token_digest(value), pool_id),
        )


def end_provider_sessions(conn: sqlite3.Connection, user: User, provider: str) -> None:
    """End the user's sessions made through ``provider`` (its identity was unlinked)."""
    conn.execute(
        "DELETE FROM login_sessions WHERE pool_id = ? AND username_key = ? AND provider = ?",
        (user.pool_id, user.username_key, provider),
    )
