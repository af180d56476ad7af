"""Refreshing a sign-in: REFRESH_TOKEN_AUTH (InitiateAuth, AdminInitiateAuth) and
GetTokensFromRefreshToken, with refresh token rotation for the clients that enable it.

A client's ``RefreshTokenRotation`` (``Feature`` ENABLED, ``RetryGracePeriodSeconds`` 0 to
60) makes every GetTokensFromRefreshToken hand out a new refresh token. The token it
replaces still works for the grace period (so a client that lost the answer can retry);
after that, and at once with a grace period of 0, it gets RefreshTokenReuseException. The
lookups and the rotation happen in one write transaction, so concurrent refreshes of one
token never see a half-rotated session. Without rotation, GetTokensFromRefreshToken
refreshes as REFRESH_TOKEN_AUTH does (no new refresh token), and a rotating client may
not use REFRESH_TOKEN_AUTH at all.

A refresh token bound to a device (a pool that tracks devices) works only with that
device's key, and not at all once the device is forgotten ("Invalid Refresh Token").
"""

from __future__ import annotations

import hmac
import sqlite3
from typing import TYPE_CHECKING

from cognito_identity.local import devices
from cognito_identity.local.actions.base import Response, secret_hash_matches
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_opaque_token
from cognito_identity.local.models import AppClient, Pool, User
from cognito_identity.local.policy import check_may_refresh
from cognito_identity.local.refresh_sessions import (
    check_live,
    current_session,
    rotate,
    session_of,
)
from cognito_identity.local.signin.guards import param
from cognito_identity.local.user_records import load_user

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext
    from cognito_identity.local.signin.flows import Begin

__all__ = ["get_tokens", "rotation_grace_seconds", "start"]


def rotation_grace_seconds(client: AppClient) -> int | None:
    """The client's retry grace period when it rotates refresh tokens, else None."""
    rotation = client.description.get("RefreshTokenRotation") or {}
    if rotation.get("Feature") != "ENABLED":
        return None
    return int(rotation.get("RetryGracePeriodSeconds") or 0)


def _session_user(
    conn: sqlite3.Connection, session: sqlite3.Row, device_key: str | None, now: float
) -> User:
    """The user of a session that may still refresh: the user may (a disabled one is told
    so, though disabling also revoked the session), the session is live, and the request
    names the device the session is bound to, if any."""
    user = load_user(conn, session["pool_id"], session["username_key"])
    if user is not None:
        check_may_refresh(user)
    check_live(session, now)
    bound = devices.bound_device(conn, session["origin_jti"])
    if bound is not None:
        still_there = user is not None and devices.find_device(conn, user, bound) is not None
        given = device_key or ""
        if not still_there or not hmac.compare_digest(given.encode(), bound.encode()):
            raise ServiceError.not_authorized("Invalid Refresh Token")
    if user is None:
        raise ServiceError.not_authorized("User does not exist.")
    return user


def start(ctx: ServerContext, conn: sqlite3.Connection, begin: Begin) -> Response:
    """REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new id and access tokens for a refresh token."""
    params, client = begin.params, begin.client
    token = param(params, "REFRESH_TOKEN")
    if rotation_grace_seconds(client) is not None:
        raise ServiceError.invalid_parameter(
            "Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken"
        )
    session = current_session(conn, client, token)
    user = _session_user(conn, session, params.get("DEVICE_KEY"), ctx.clock.now())
    if client.secret is not None:
        given = params.get("SECRET_HASH")
        if not given:
            raise ServiceError.not_authorized(
                f"Client {client.id} is configured for secret but secret was not received"
            )
        # Clients compute it over the username or, in e-mail pools, the sub.
        names = {user.username, user.sub, params.get("USERNAME") or user.username}
        if not any(secret_hash_matches(client, name, given) for name in names):
            raise ServiceError.not_authorized(
                f"Unable to verify secret hash for client {client.id}"
            )
    return {
        "ChallengeParameters": {},
        "AuthenticationResult": ctx.tokens.issue(begin.pool, client, user, refresh_of=session),
    }


def get_tokens(
    ctx: ServerContext,
    pool: Pool,
    client: AppClient,
    token: str,
    device_key: str | None,
) -> Response:
    """GetTokensFromRefreshToken (its client secret already checked)."""
    grace = rotation_grace_seconds(client)
    now = ctx.clock.now()
    new_token = None
    with ctx.store.write() as conn:
        session = session_of(conn, client, token, now)
        user = _session_user(conn, session, device_key, now)
        if grace is not None:
            new_token = new_opaque_token()
            rotate(conn, session, new_token, now + grace)
    result = ctx.tokens.issue(pool, client, user, refresh_of=session)
    if new_token is not None:
        result["RefreshToken"] = new_token
    return {"AuthenticationResult": result}
