"""MFA set-up: SetUserPoolMfaConfig, GetUserPoolMfaConfig, and software tokens
(AssociateSoftwareToken, VerifySoftwareToken).

A software token is set up either by a signed-in user (AccessToken) or in the middle of a
sign-in that stopped at MFA_SETUP (Session): then each call answers with a new Session,
and RespondToAuthChallenge(MFA_SETUP) with the last one finishes the sign-in.
(A user's factors are chosen by SetUserMFAPreference and its admin twin, in
``actions/account.py``.)"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from cognito_identity.local import pool_records
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.mfa import load_pool_mfa, save_pool_mfa
from cognito_identity.local.models import User
from cognito_identity.local.policy import access_token_user
from cognito_identity.local.signin.answers import claim, continue_setup
from cognito_identity.local.signin.payloads import Challenge, MfaSetup
from cognito_identity.local.totp import (
    accept_code,
    associate,
    has_token,
    mark_verified,
    new_secret,
)

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

_FACTOR_CONFIGS = ("SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration")


def set_user_pool_mfa_config(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        mode = request.get("MfaConfiguration", pool.description.get("MfaConfiguration", "OFF"))
        config = {key: request[key] for key in _FACTOR_CONFIGS if key in request}
        software = config.get("SoftwareTokenMfaConfiguration", {})
        if mode != "OFF" and not (
            "SmsMfaConfiguration" in config
            or "EmailMfaConfiguration" in config
            or software.get("Enabled")
        ):
            raise ServiceError.invalid_parameter(
                "At least one MFA method must be enabled when MFA is ON or OPTIONAL."
            )
        save_pool_mfa(conn, pool.id, config)
        pool_records.save_pool(conn, {**pool.description, "MfaConfiguration": mode})
    # The catalog caches pools; the next request reads the new MfaConfiguration.
    ctx.catalog.forget_pool(pool.id)
    return _describe(ctx, conn, request["UserPoolId"])


def get_user_pool_mfa_config(ctx: ServerContext, request: Request) -> Response:
    return _describe(ctx, ctx.store.connection(), request["UserPoolId"])


def _describe(ctx: ServerContext, conn: sqlite3.Connection, pool_id: str) -> dict[str, Any]:
    return load_pool_mfa(conn, ctx.catalog.pool(conn, pool_id)).config


def _token_owner(
    ctx: ServerContext, conn: sqlite3.Connection, request: Request
) -> tuple[User, Challenge | None]:
    """Whose software token this is: the AccessToken's user, or the MFA_SETUP Session's
    (then also the challenge, taken; the caller continues it under a new Session)."""
    token, session = request.get("AccessToken"), request.get("Session")
    if (token is None) == (session is None):
        raise ServiceError.invalid_parameter("Exactly one of AccessToken or Session is required.")
    if token is not None:
        return access_token_user(ctx, conn, token)[1], None
    taken, _, sign_in = claim(ctx, conn, session, MfaSetup)
    return sign_in.user, Challenge(sign_in, taken.payload, taken.failures)


def associate_software_token(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    user, pending = _token_owner(ctx, conn, request)
    secret = new_secret()
    with ctx.store.write() as conn:
        associate(conn, user, secret)
    if pending is None:
        return {"SecretCode": secret}
    return {"SecretCode": secret, "Session": continue_setup(ctx, pending, verified=False)}


def verify_software_token(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    user, pending = _token_owner(ctx, conn, request)
    try:
        with ctx.store.write() as conn:
            if not has_token(conn, user):
                raise ServiceError.software_token_not_found()
            if not accept_code(conn, user, request["UserCode"], ctx.clock.now()):
                raise ServiceError.software_token_mismatch()
            mark_verified(conn, user)
    except ServiceError:
        if pending is not None:
            # A typo should not cost the whole set-up: the same Session may try again.
            ctx.challenges.reopen(request["Session"], pending)
        raise
    if pending is None:
        return {"Status": "SUCCESS"}
    return {
        "Status": "SUCCESS",
        "Session": continue_setup(ctx, pending, verified=True),
    }


ACTIONS: dict[str, Handler] = {
    "SetUserPoolMfaConfig": set_user_pool_mfa_config,
    "GetUserPoolMfaConfig": get_user_pool_mfa_config,
    "AssociateSoftwareToken": associate_software_token,
    "VerifySoftwareToken": verify_software_token,
}
