"""GetTokensFromRefreshToken, and refresh token rotation for the clients that enable it.

A client's ``RefreshTokenRotation`` (``Feature`` ENABLED, ``RetryGracePeriodSeconds`` 0 to
60) makes every refresh hand out a new refresh token. The token it replaces is kept by its
SHA-256 in ``rotated_refresh_tokens`` and still works for the grace period (so a client
that lost the answer can retry); after that it gets RefreshTokenReuseException. Without
rotation, GetTokensFromRefreshToken refreshes as REFRESH_TOKEN_AUTH does (no new refresh
token), and a rotating client may not use REFRESH_TOKEN_AUTH at all.

A refresh token bound to a device (a pool that tracks devices) works only with that
device's ``DeviceKey``, as with REFRESH_TOKEN_AUTH.
"""

from __future__ import annotations

import hmac
import sqlite3
from typing import TYPE_CHECKING

from cognito_identity.local import devices
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.actions.sign_in import user_by_key
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_opaque_token
from cognito_identity.local.models import AppClient
from cognito_identity.local.tokens import token_digest

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS", "check_not_rotating", "rotation_grace_seconds"]


def rotation_grace_seconds(client: AppClient) -> int | None:
    """The client's retry grace period when it rotates refresh tokens, else None."""
    rotation = client.description.get("RefreshTokenRotation") or {}
    if rotation.get("Feature") != "ENABLED":
        return None
    return int(rotation.get("RetryGracePeriodSeconds") or 0)


def check_not_rotating(client: AppClient) -> None:
    """REFRESH_TOKEN_AUTH cannot rotate: refuse it for a client that rotates."""
    if rotation_grace_seconds(client) is not None:
        raise ServiceError.invalid_parameter(
            "Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken"
        )


def get_tokens_from_refresh_token(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    client = ctx.catalog.client(conn, request["ClientId"])
    _check_client_secret(client, request.get("ClientSecret"))
    pool = ctx.catalog.pool(conn, client.pool_id)
    token = request["RefreshToken"]
    session = _live_session(ctx, conn, client, token)
    _check_device(conn, session, request.get("DeviceKey"))
    user = user_by_key(conn, pool.id, session["username_key"])
    if user is None:
        raise ServiceError.not_authorized("User does not exist.")
    if not user.enabled:
        raise ServiceError.not_authorized("User is disabled.")
    result = ctx.tokens.issue(pool, client, user, refresh_of=session)
    grace = rotation_grace_seconds(client)
    if grace is not None:
        result["RefreshToken"] = _rotate(ctx, session["origin_jti"], grace)
    return {"AuthenticationResult": result}


def _check_client_secret(client: AppClient, given: str | None) -> None:
    if client.secret is None:
        return
    if not given:
        raise ServiceError.not_authorized(
            f"Client {client.id} is configured for secret but secret was not received"
        )
    if not hmac.compare_digest(given.encode(), client.secret.encode()):
        raise ServiceError.not_authorized(f"Unable to verify secret for client {client.id}")


def _live_session(
    ctx: ServerContext, conn: sqlite3.Connection, client: AppClient, token: str
) -> sqlite3.Row:
    """The session of ``token``: its current refresh token, or one rotated out of it that
    is still inside its grace period."""
    rotated = conn.execute(
        "SELECT origin_jti, usable_until FROM rotated_refresh_tokens WHERE token_hash = ?",
        (token_digest(token),),
    ).fetchone()
    if rotated is None:
        return ctx.tokens.refresh_session(conn, client, token)
    if rotated["usable_until"] <= ctx.clock.now():
        raise ServiceError("RefreshTokenReuseException", "Refresh token has already been used.")
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM sessions WHERE origin_jti = ?", (rotated["origin_jti"],)
    ).fetchone()
    if row is None or row["client_id"] != client.id:
        raise ServiceError.not_authorized("Invalid Refresh Token")
    if row["revoked"]:
        raise ServiceError.not_authorized("Refresh Token has been revoked")
    if row["expires"] <= ctx.clock.now():
        raise ServiceError.not_authorized("Refresh Token has expired")
    return row


def _check_device(conn: sqlite3.Connection, session: sqlite3.Row, given: str | None) -> None:
    bound = devices.bound_device(conn, session["origin_jti"])
    if bound is None:
        return
    user = user_by_key(conn, session["pool_id"], session["username_key"])
    still_there = user is not None and devices.find_device(conn, user, bound) is not None
    if not still_there or not hmac.compare_digest((given or "").encode(), bound.encode()):
        raise ServiceError.not_authorized("Invalid Refresh Token")


def _rotate(ctx: ServerContext, origin_jti: str, grace: int) -> str:
    """Give the session a new refresh token; the one it had works ``grace`` seconds more."""
    new_token = new_opaque_token()
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        # Read inside the write lock: two refreshes at once both leave a usable old token.
        current = conn.execute(
            "SELECT refresh_hash FROM sessions WHERE origin_jti = ?", (origin_jti,)
        ).fetchone()
        if current is None:  # signed out or deleted since the check
            raise ServiceError.not_authorized("Invalid Refresh Token")
        conn.execute(
            "INSERT OR IGNORE INTO rotated_refresh_tokens (token_hash, origin_jti, usable_until)"
            " VALUES (?, ?, ?)",
            (current["refresh_hash"], origin_jti, now + grace),
        )
        conn.execute(
            "UPDATE sessions SET refresh_hash = ? WHERE origin_jti = ?",
            (token_digest(new_token), origin_jti),
        )
    return new_token


ACTIONS: dict[str, Handler] = {"GetTokensFromRefreshToken": get_tokens_from_refresh_token}
