"""The sign-in sessions behind refresh tokens: finding a refresh token's session, and
rotating a session's refresh token (the statements of GetTokensFromRefreshToken).

A rotated-out token is kept by its SHA-256 in ``rotated_refresh_tokens`` with the end of
its grace period. Callers run :func:`session_of` and :func:`rotate` in one write
transaction, so that concurrent refreshes of one token see each other's rotations.
"""

from __future__ import annotations

import sqlite3

from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient
from cognito_identity.local.tokens import token_digest

__all__ = ["check_live", "current_session", "rotate", "session_of"]


def _of_client(row: sqlite3.Row | None, client: AppClient) -> sqlite3.Row:
    if row is None or row["client_id"] != client.id:
        raise ServiceError.not_authorized("Invalid Refresh Token")
    return row


def check_live(row: sqlite3.Row, now: float) -> None:
    """Refuse a session that was revoked (sign-out, a disabled user) or has expired."""
    if row["revoked"]:
        raise ServiceError.not_authorized("Refresh Token has been revoked")
    if row["expires"] <= now:
        raise ServiceError.not_authorized("Refresh Token has expired")


def current_session(conn: sqlite3.Connection, client: AppClient, token: str) -> sqlite3.Row:
    """The session whose current refresh token is ``token`` (issued to ``client``), live
    or not; NotAuthorizedException for any other token."""
    row = conn.execute(
        "SELECT * FROM sessions WHERE refresh_hash = ?", (token_digest(token),)
    ).fetchone()
    return _of_client(row, client)


def session_of(conn: sqlite3.Connection, client: AppClient, token: str, now: float) -> sqlite3.Row:
    """The session of ``token``, live or not: the one whose current refresh token it is,
    or the one it was rotated out of while still inside its grace period (after it:
    RefreshTokenReuseException)."""
    rotated = conn.execute(
        "SELECT origin_jti, usable_until FROM rotated_refresh_tokens WHERE token_hash = ?",
        (token_digest(token),),
    ).fetchone()
    if rotated is None:
        return current_session(conn, client, token)
    if rotated["usable_until"] <= now:
        raise ServiceError.refresh_token_reuse()
    row = conn.execute(
        "SELECT * FROM sessions WHERE origin_jti = ?", (rotated["origin_jti"],)
    ).fetchone()
    return _of_client(row, client)


def rotate(
    conn: sqlite3.Connection, session: sqlite3.Row, new_token: str, usable_until: float
) -> None:
    """Give ``session`` the refresh token ``new_token``; the one it has now keeps working
    until ``usable_until``."""
    conn.execute(
        "INSERT OR IGNORE INTO rotated_refresh_tokens (token_hash, origin_jti, usable_until)"
        " VALUES (?, ?, ?)",
        (session["refresh_hash"], session["origin_jti"], usable_until),
    )
    conn.execute(
        "UPDATE sessions SET refresh_hash = ? WHERE origin_jti = ?",
        (token_digest(new_token), session["origin_jti"]),
    )
