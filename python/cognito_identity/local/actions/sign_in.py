"""What every sign-in step shares: reading parameters, opening and claiming a challenge
session, device SRP after the first factor, and the tokens at the end (bound to the
sign-in's device in a pool that tracks devices)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional

from cognito_identity.errors import SrpError
from cognito_identity.local import devices
from cognito_identity.local.actions.base import Response, check_secret_hash
from cognito_identity.local.challenges import PendingChallenge
from cognito_identity.local.devices import DeviceTracking
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_opaque_token
from cognito_identity.local.models import AppClient, Pool, User, UserStatus, find_user

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "DEVICE_SRP_AUTH",
    "INVALID_SESSION",
    "ChallengeAnswer",
    "check_answer_secret",
    "claim_challenge",
    "claim_proven",
    "device_challenge",
    "open_challenge",
    "param",
    "tokens_response",
    "user_by_key",
]

INVALID_SESSION = "Invalid session for the user."
DEVICE_SRP_AUTH = "DEVICE_SRP_AUTH"

#: How a challenge's answer is checked, given the Session and ChallengeResponses.
ChallengeAnswer = Callable[
    ["ServerContext", sqlite3.Connection, Pool, AppClient, Optional[str], dict[str, str]],
    Response,
]


def param(params: dict[str, str], name: str) -> str:
    """A required AuthParameters / ChallengeResponses entry."""
    value = params.get(name)
    if not value:
        raise ServiceError.invalid_parameter(f"Missing required parameter {name}")
    return value


def user_by_key(conn: sqlite3.Connection, pool_id: str, username_key: str) -> User | None:
    """The user stored under ``username_key``, if it still exists."""
    row = conn.execute(
        "SELECT * FROM users WHERE pool_id = ? AND username_key = ?", (pool_id, username_key)
    ).fetchone()
    return None if row is None else User.from_row(row)


def open_challenge(
    ctx: ServerContext,
    pool: Pool,
    client: AppClient,
    user: User,
    parameters: dict[str, str],
    pending: PendingChallenge | None = None,
    **state: Any,
) -> Response:
    """Remember a new challenge for ``user`` under a fresh Session and return it.

    ``state`` fills the :class:`PendingChallenge` (``name`` is required); ``pending``, when
    given, is the challenge this one continues (its fields are the defaults).
    """
    now = ctx.clock.now()
    session = new_opaque_token()
    base: dict[str, Any] = {
        "pool_id": pool.id,
        "client_id": client.id,
        "username_key": user.username_key,
        "expires": now + client.auth_session_seconds,
    }
    if pending is not None:
        base.update(
            name=pending.name,
            expires=pending.expires,
            options=pending.options,
            token_verified=pending.token_verified,
            proven_device=pending.proven_device,
        )
    challenge = PendingChallenge(**{**base, **state})
    ctx.challenges.put(session, challenge, now)
    return {
        "ChallengeName": challenge.name,
        "Session": session,
        "ChallengeParameters": {"USER_ID_FOR_SRP": user.username, **parameters},
    }


def claim_challenge(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    client: AppClient | None,
    session: str | None,
    name: str,
    username: str | None,
) -> tuple[PendingChallenge, User]:
    """Take the challenge ``session`` (once) and its user, checking it is ``name``, for
    ``client`` (None: calls that name no client), and still the user named ``username``
    (None: skip that check)."""
    if session is None:
        raise ServiceError.invalid_parameter("Missing required parameter Session")
    pending = ctx.challenges.take(session, ctx.clock.now())
    if pending.name != name or (client is not None and pending.client_id != client.id):
        raise ServiceError.not_authorized(INVALID_SESSION)
    pool = ctx.catalog.pool(conn, pending.pool_id)
    user = user_by_key(conn, pool.id, pending.username_key)
    if user is None:
        raise ServiceError.not_authorized("User does not exist.")
    if username is not None and find_user(conn, pool, username) != user:
        raise ServiceError.not_authorized()
    if not user.enabled:
        raise ServiceError.not_authorized("User is disabled.")
    return pending, user


def check_answer_secret(client: AppClient, responses: dict[str, str]) -> str:
    """The answer's USERNAME, after checking its SECRET_HASH for a client with a secret."""
    username = param(responses, "USERNAME")
    check_secret_hash(client, username, responses.get("SECRET_HASH"))
    return username


def device_challenge(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    user: User,
    device_key: str | None,
    *,
    passwordless: bool = False,
) -> Response | None:
    """After the first factor (a password, custom challenges, a one-time code):
    DEVICE_SRP_AUTH when ``device_key`` names a confirmed device of the user in a pool
    that tracks devices, else None and the sign-in goes on as usual. ``passwordless``
    (the first factor was a one-time code, a whole sign-in) rules out MFA after it."""
    if not device_key or user.status != UserStatus.CONFIRMED:
        return None
    if not DeviceTracking.of(pool).enabled:
        return None
    device = devices.find_device(conn, user, device_key)
    if device is None or not device.confirmed:
        return None
    return open_challenge(
        ctx,
        pool,
        client,
        user,
        {"USERNAME": user.username},
        name=DEVICE_SRP_AUTH,
        passwordless=passwordless,
    )


def tokens_response(
    ctx: ServerContext, pool: Pool, client: AppClient, user: User, proven_device: str | None
) -> Response:
    """The end of a sign-in: new tokens. In a pool that tracks devices they belong to the
    device the sign-in proved by device SRP (``proven_device``), else to a new device
    handed out as NewDeviceMetadata (for ConfirmDevice): a DEVICE_KEY merely named in a
    request earns nothing."""
    if not DeviceTracking.of(pool).enabled:
        result = ctx.tokens.issue(pool, client, user)
        return {"ChallengeParameters": {}, "AuthenticationResult": result}
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        known = devices.find_device(conn, user, proven_device) if proven_device else None
        if known is not None and known.confirmed:
            devices.touch(conn, known, now)
            device = known
        else:
            device = devices.create_device(conn, ctx.region, user, now)
    result = ctx.tokens.issue(pool, client, user, device=device)
    if device is not known:
        result["NewDeviceMetadata"] = {"DeviceKey": device.key, "DeviceGroupKey": device.group_key}
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


def claim_proven(
    pending: PendingChallenge,
    pool_name: str,
    user_id: str,
    salt_hex: str,
    secret_block: str,
    timestamp: str,
    signature: str,
) -> bool:
    """Whether a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) signature proves the
    password behind the verifier of ``pending``'s SRP session; unusable input is no proof."""
    try:
        return bool(
            pending.srp.verify_claim(
                pool_name, user_id, salt_hex, pending.srp_a, secret_block, timestamp, signature
            )
        )
    except SrpError:
        return False
