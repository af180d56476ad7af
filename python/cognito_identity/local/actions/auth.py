"""Sign-in: InitiateAuth (USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_AUTH, REFRESH_TOKEN_AUTH)
and RespondToAuthChallenge (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, CUSTOM_CHALLENGE via
``custom_auth``, and the MFA challenges of ``mfa_sign_in``).

The SRP server half (``cognito_identity.srp``) makes B and checks the client's claim
signature; the state between the two calls stays in memory under the SECRET_BLOCK. Once
the password is proven, a temporary one must be replaced (NEW_PASSWORD_REQUIRED), then
``mfa_sign_in.finish_sign_in`` asks for MFA or issues the tokens.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cognito_identity import srp
from cognito_identity.local.actions import custom_auth, mfa_sign_in, refresh, user_auth
from cognito_identity.local.actions.base import (
    Handler,
    Request,
    Response,
    check_secret_hash,
    secret_hash_matches,
)
from cognito_identity.local.actions.devices import ANSWERS as DEVICE_ANSWERS
from cognito_identity.local.actions.sign_in import (
    INVALID_SESSION,
    ChallengeAnswer,
    check_answer_secret,
    claim_challenge,
    claim_proven,
    device_challenge,
    open_challenge,
    param,
    user_by_key,
)
from cognito_identity.local.challenges import PendingChallenge
from cognito_identity.local.directory import attributes_from_request, set_credentials, set_status
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_opaque_token
from cognito_identity.local.models import AppClient, Pool, User, UserStatus, find_user
from cognito_identity.local.passwords import (
    check_policy,
    make_credentials,
    verify_password_hash,
)

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

_HEX = re.compile(r"[0-9a-fA-F]+")
_NEW_ATTRIBUTE_PREFIX = "userAttributes."


def _sign_in_user(conn: sqlite3.Connection, pool: Pool, client: AppClient, name: str) -> User:
    user = find_user(conn, pool, name)
    if user is None:
        if client.prevent_user_existence_errors:
            raise ServiceError.not_authorized()
        raise ServiceError.user_not_found()
    if not user.enabled:
        raise ServiceError.not_authorized("User is disabled.")
    if user.status == UserStatus.RESET_REQUIRED:
        raise ServiceError("PasswordResetRequiredException", "Password reset required for the user")
    return user


def initiate_auth(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    client = ctx.catalog.client(conn, request["ClientId"])
    pool = ctx.catalog.pool(conn, client.pool_id)
    flow = request["AuthFlow"]
    if flow == "CUSTOM_AUTH":
        if "ALLOW_CUSTOM_AUTH" not in client.auth_flows:
            raise ServiceError.invalid_parameter("Custom auth flow not enabled for this client")
        return _start_custom(
            ctx,
            conn,
            pool,
            client,
            request.get("AuthParameters", {}),
            request.get("ClientMetadata", {}),
        )
    entry = _FLOWS.get(flow)
    if entry is None:
        raise ServiceError.invalid_parameter("Initiate Auth method not supported.")
    if entry.allow not in client.auth_flows:
        raise ServiceError.invalid_parameter(entry.disabled_message)
    return entry.start(ctx, conn, pool, client, request.get("AuthParameters", {}))


def _start_srp(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    params: dict[str, str],
) -> Response:
    username = param(params, "USERNAME")
    srp_a = param(params, "SRP_A")
    check_secret_hash(client, username, params.get("SECRET_HASH"))
    if not _HEX.fullmatch(srp_a):
        raise ServiceError.invalid_parameter("SRP_A must be a hexadecimal string")
    if client.prevent_user_existence_errors and find_user(conn, pool, username) is None:
        # As Cognito does, answer with a challenge nobody can meet (its verifier belongs
        # to a random password), so the failure comes only after the client's proof.
        salt, verifier = srp.generate_verifier(pool.srp_pool_name, username, new_opaque_token())
        return _srp_challenge(ctx, pool, client, "", username, salt, verifier, srp_a)
    user = _sign_in_user(conn, pool, client, username)
    if user.status == UserStatus.UNCONFIRMED:
        raise ServiceError.user_not_confirmed()
    if user.srp_verifier is None or user.srp_salt is None:
        raise ServiceError.not_authorized()
    return _srp_challenge(
        ctx, pool, client, user.username_key, user.username, user.srp_salt, user.srp_verifier, srp_a
    )


def _start_custom(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    params: dict[str, str],
    client_metadata: dict[str, str],
) -> Response:
    """CUSTOM_AUTH: the define trigger leads. With ``CHALLENGE_NAME: SRP_A`` (and SRP_A)
    it may ask for the password first, proven by SRP as in USER_SRP_AUTH."""
    username = param(params, "USERNAME")
    check_secret_hash(client, username, params.get("SECRET_HASH"))
    with_srp = params.get("CHALLENGE_NAME") == "SRP_A"
    srp_a = param(params, "SRP_A") if with_srp else ""
    if with_srp and not _HEX.fullmatch(srp_a):
        raise ServiceError.invalid_parameter("SRP_A must be a hexadecimal string")
    user = _sign_in_user(conn, pool, client, username)
    if user.status == UserStatus.UNCONFIRMED:
        raise ServiceError.user_not_confirmed()
    history = (custom_auth.history_entry("SRP_A", True),) if with_srp else ()
    step = custom_auth.next_step(
        ctx,
        conn,
        pool,
        client,
        user,
        history,
        client_metadata,
        params.get("DEVICE_KEY"),
        password_allowed=with_srp,
    )
    if step is not None:
        return step
    if user.srp_verifier is None or user.srp_salt is None:
        raise ServiceError.not_authorized()
    return _srp_challenge(
        ctx,
        pool,
        client,
        user.username_key,
        user.username,
        user.srp_salt,
        user.srp_verifier,
        srp_a,
        custom_history=history,
        client_metadata=client_metadata,
    )


def _srp_challenge(
    ctx: ServerContext,
    pool: Pool,
    client: AppClient,
    username_key: str,
    user_id: str,
    salt: str,
    verifier: str,
    srp_a: str,
    *,
    custom_history: tuple[dict[str, Any], ...] | None = None,
    client_metadata: dict[str, str] | None = None,
) -> Response:
    """Draw B for ``verifier`` and remember the login under a new SECRET_BLOCK (with the
    custom auth session so far, when the define trigger asked for the password)."""
    session = srp.ServerSession(verifier)
    secret_block = srp.new_secret_block()
    now = ctx.clock.now()
    ctx.challenges.put(
        secret_block,
        PendingChallenge(
            name="PASSWORD_VERIFIER",
            pool_id=pool.id,
            client_id=client.id,
            username_key=username_key,
            expires=now + client.auth_session_seconds,
            srp=session,
            srp_a=srp_a,
            custom_history=custom_history,
            client_metadata=client_metadata or {},
        ),
        now,
    )
    return {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": salt,
            "SECRET_BLOCK": secret_block,
            "SRP_B": session.large_b_hex,
            "USERNAME": user_id,
            "USER_ID_FOR_SRP": user_id,
        },
    }


def _password_auth(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    params: dict[str, str],
) -> Response:
    username = param(params, "USERNAME")
    password = param(params, "PASSWORD")
    check_secret_hash(client, username, params.get("SECRET_HASH"))
    user = _sign_in_user(conn, pool, client, username)
    if user.password_hash is None or not verify_password_hash(user.password_hash, password):
        raise ServiceError.not_authorized()
    device = device_challenge(ctx, conn, pool, client, user, params.get("DEVICE_KEY"))
    return device or _signed_in(ctx, conn, pool, client, user)


def _signed_in(
    ctx: ServerContext, conn: sqlite3.Connection, pool: Pool, client: AppClient, user: User
) -> Response:
    """After the password is proven (and no device asked for device SRP): the next
    challenge, or the tokens."""
    if user.status == UserStatus.UNCONFIRMED:
        raise ServiceError.user_not_confirmed()
    now = ctx.clock.now()
    if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
        days = pool.password_policy.temporary_password_validity_days
        if user.password_set is not None and now > user.password_set + days * 86400:
            raise ServiceError.not_authorized(
                "Temporary password has expired and must be reset by an administrator."
            )
        visible = {k: v for k, v in user.attributes.items() if not k.endswith("_verified")}
        required = [_NEW_ATTRIBUTE_PREFIX + name for name in _missing_attributes(pool, user)]
        return open_challenge(
            ctx,
            pool,
            client,
            user,
            {
                # Compact, as Cognito writes these JSON-in-a-string parameters.
                "requiredAttributes": json.dumps(required, separators=(",", ":")),
                "userAttributes": json.dumps(visible, separators=(",", ":")),
            },
            name="NEW_PASSWORD_REQUIRED",
        )
    return mfa_sign_in.finish_sign_in(ctx, conn, pool, client, user, None)


def _missing_attributes(pool: Pool, user: User, given: dict[str, str] | None = None) -> list[str]:
    """The pool's required attributes that the user (with ``given`` added) lacks."""
    have = {**user.attributes, **(given or {})}
    return [name for name in pool.required_attributes if not have.get(name)]


def _refresh(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    params: dict[str, str],
) -> Response:
    token = param(params, "REFRESH_TOKEN")
    refresh.check_not_rotating(client)
    session = ctx.tokens.refresh_session(conn, client, token)
    user = user_by_key(conn, pool.id, session["username_key"])
    if user is None:
        raise ServiceError.not_authorized("User does not exist.")
    if not user.enabled:
        raise ServiceError.not_authorized("User is disabled.")
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
        "AuthenticationResult": ctx.tokens.issue(pool, client, user, refresh_of=session),
    }


def respond_to_auth_challenge(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    client = ctx.catalog.client(conn, request["ClientId"])
    pool = ctx.catalog.pool(conn, client.pool_id)
    name = request["ChallengeName"]
    if name == custom_auth.CUSTOM_CHALLENGE:
        return custom_auth.answer_custom_challenge(ctx, conn, pool, client, request)
    answer = _CHALLENGES.get(name)
    if answer is None:
        raise ServiceError.invalid_parameter(f"Challenge {name} is not supported by this server")
    return answer(
        ctx, conn, pool, client, request.get("Session"), request.get("ChallengeResponses", {})
    )


def _password_verifier(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    session: str | None,
    responses: dict[str, str],
) -> Response:
    # The SECRET_BLOCK, not a Session, identifies an SRP login (Cognito sends no Session).
    username = param(responses, "USERNAME")
    secret_block = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
    timestamp = param(responses, "TIMESTAMP")
    signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")
    check_secret_hash(client, username, responses.get("SECRET_HASH"))
    pending = ctx.challenges.take(secret_block, ctx.clock.now())
    if pending.client_id != client.id or pending.name != "PASSWORD_VERIFIER":
        raise ServiceError.not_authorized(INVALID_SESSION)
    user = user_by_key(conn, pool.id, pending.username_key)
    if user is None or user.srp_salt is None:
        raise ServiceError.not_authorized()
    if find_user(conn, pool, username) != user:
        raise ServiceError.not_authorized()
    if not claim_proven(
        pending,
        pool.srp_pool_name,
        user.username,
        user.srp_salt,
        secret_block,
        timestamp,
        signature,
    ):
        raise ServiceError.not_authorized()
    if not user.enabled:
        raise ServiceError.not_authorized("User is disabled.")
    if pending.custom_history is not None:
        history = (*pending.custom_history, custom_auth.history_entry("PASSWORD_VERIFIER", True))
        step = custom_auth.next_step(
            ctx,
            conn,
            pool,
            client,
            user,
            history,
            pending.client_metadata,
            responses.get("DEVICE_KEY"),
        )
        assert step is not None  # PASSWORD_VERIFIER again is refused by next_step
        return step
    device = device_challenge(ctx, conn, pool, client, user, responses.get("DEVICE_KEY"))
    return device or _signed_in(ctx, conn, pool, client, user)


def _new_password(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    session: str | None,
    responses: dict[str, str],
) -> Response:
    username = check_answer_secret(client, responses)
    password = param(responses, "NEW_PASSWORD")
    _, user = claim_challenge(ctx, conn, client, session, "NEW_PASSWORD_REQUIRED", username)
    check_policy(pool.password_policy, password)
    given = attributes_from_request(
        pool,
        [
            {"Name": key[len(_NEW_ATTRIBUTE_PREFIX) :], "Value": value}
            for key, value in responses.items()
            if key.startswith(_NEW_ATTRIBUTE_PREFIX)
        ],
    )
    missing = _missing_attributes(pool, user, given)
    if missing:
        raise ServiceError.invalid_parameter(f"Invalid attributes given, {missing[0]} is missing")
    attributes = {**user.attributes, **given}
    credentials = make_credentials(pool.srp_pool_name, user.username, password)
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        set_credentials(conn, user, credentials, UserStatus.CONFIRMED, now)
        set_status(conn, user, UserStatus.CONFIRMED, now, attributes)
    confirmed = user_by_key(conn, pool.id, user.username_key)
    assert confirmed is not None
    return mfa_sign_in.finish_sign_in(ctx, conn, pool, client, confirmed, None)


FlowStart = Callable[
    ["ServerContext", sqlite3.Connection, Pool, AppClient, dict[str, str]], Response
]


@dataclass(frozen=True)
class _Flow:
    """An AuthFlow: the ExplicitAuthFlows entry that enables it, the error when the
    client does not, and how it starts."""

    allow: str
    disabled_message: str
    start: FlowStart


_REFRESH = _Flow("ALLOW_REFRESH_TOKEN_AUTH", "Auth flow not enabled for this client", _refresh)
_FLOWS: dict[str, _Flow] = {
    "USER_SRP_AUTH": _Flow(
        "ALLOW_USER_SRP_AUTH", "USER_SRP_AUTH is not enabled for the client.", _start_srp
    ),
    "USER_PASSWORD_AUTH": _Flow(
        "ALLOW_USER_PASSWORD_AUTH",
        "USER_PASSWORD_AUTH flow not enabled for this client",
        _password_auth,
    ),
    "REFRESH_TOKEN_AUTH": _REFRESH,
    "REFRESH_TOKEN": _REFRESH,
}
_USER_AUTH_STEPS = user_auth.PasswordSteps(_sign_in_user, _password_auth, _start_srp)
_FLOWS["USER_AUTH"] = _Flow(
    "ALLOW_USER_AUTH",
    "USER_AUTH flow not enabled for this client",
    user_auth.flow(_USER_AUTH_STEPS),
)

# ChallengeName -> how an answer is checked (given the Session and ChallengeResponses).
_CHALLENGES: dict[str, ChallengeAnswer] = {
    "PASSWORD_VERIFIER": _password_verifier,
    "NEW_PASSWORD_REQUIRED": _new_password,
    **mfa_sign_in.ANSWERS,
    **DEVICE_ANSWERS,
    **user_auth.answers(_USER_AUTH_STEPS),
}

ACTIONS: dict[str, Handler] = {
    "InitiateAuth": initiate_auth,
    "RespondToAuthChallenge": respond_to_auth_challenge,
}
