"""A user's own account: passwords, attributes, MFA settings and deletion, with the
administrator's counterparts (AdminResetUserPassword, AdminUpdateUserAttributes, ...).

Self-service actions find the user from the access token; admin actions from the pool id
and username. Codes go to the outbox under a purpose per use (``forgot_password``,
``verify_email``, ``verify_phone_number``) so one kind never consumes another's code.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from cognito_identity.local.actions.base import Handler, Request, Response, check_secret_hash
from cognito_identity.local.directory import (
    Delivery,
    issue_code,
    set_credentials,
    take_code,
)
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import Pool, User, UserStatus, find_user
from cognito_identity.local.passwords import check_policy, make_credentials, verify_password_hash

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

_FORGOT_PASSWORD = "forgot_password"
# Cognito's password-reset codes last one hour (sign-up and attribute codes a day).
_RESET_CODE_SECONDS = 3600
_NO_RECOVERY = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)


# --- Finding the user -------------------------------------------------------------------


def _user_row(conn: sqlite3.Connection, pool_id: str, username_key: str) -> User:
    row = conn.execute(
        "SELECT * FROM users WHERE pool_id = ? AND username_key = ?", (pool_id, username_key)
    ).fetchone()
    if row is None:
        raise ServiceError.user_not_found()
    return User.from_row(row)


def _token_user(
    ctx: ServerContext, conn: sqlite3.Connection, request: Request
) -> tuple[Pool, User]:
    """The pool and user behind the request's AccessToken."""
    grant = ctx.tokens.check_access_token(conn, request["AccessToken"])
    user = _user_row(conn, grant.pool_id, grant.username_key)
    if not user.enabled:
        raise ServiceError.not_authorized("User is disabled.")
    return ctx.catalog.pool(conn, grant.pool_id), user


def _admin_user(
    ctx: ServerContext, conn: sqlite3.Connection, request: Request
) -> tuple[Pool, User]:
    """The pool and user named by the request's UserPoolId and Username."""
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    user = find_user(conn, pool, request["Username"])
    if user is None:
        raise ServiceError.user_not_found()
    return pool, user


# --- Passwords --------------------------------------------------------------------------


def change_password(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool, user = _token_user(ctx, conn, request)
    previous = request.get("PreviousPassword")
    if user.password_hash is not None and (
        previous is None or not verify_password_hash(user.password_hash, previous)
    ):
        raise ServiceError.not_authorized()
    proposed = request["ProposedPassword"]
    check_policy(pool.password_policy, proposed)
    credentials = make_credentials(pool.srp_pool_name, user.username, proposed)
    with ctx.store.write() as conn:
        set_credentials(conn, user, credentials, user.status, ctx.clock.now())
    return {}


def _recovery_delivery(user: User) -> Delivery:
    """Where a password-reset code goes: a verified phone, else a verified e-mail."""
    attributes = user.attributes
    if attributes.get("phone_number") and attributes.get("phone_number_verified") == "true":
        return Delivery("SMS", "phone_number", attributes["phone_number"])
    if attributes.get("email") and attributes.get("email_verified") == "true":
        return Delivery("EMAIL", "email", attributes["email"])
    raise ServiceError.invalid_parameter(_NO_RECOVERY)


def _send_reset_code(ctx: ServerContext, conn: sqlite3.Connection, user: User) -> Delivery:
    delivery = _recovery_delivery(user)
    now = ctx.clock.now()
    issue_code(ctx, conn, user, delivery, _FORGOT_PASSWORD, now)
    conn.execute(
        "UPDATE codes SET expires = ? WHERE pool_id = ? AND username_key = ? AND purpose = ?",
        (now + _RESET_CODE_SECONDS, user.pool_id, user.username_key, _FORGOT_PASSWORD),
    )
    return delivery


def forgot_password(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        client = ctx.catalog.client(conn, request["ClientId"])
        check_secret_hash(client, request["Username"], request.get("SecretHash"))
        pool = ctx.catalog.pool(conn, client.pool_id)
        user = find_user(conn, pool, request["Username"])
        if user is None:
            if client.prevent_user_existence_errors:
                # Cognito answers as if a code went out, so callers cannot probe usernames.
                fake = Delivery("EMAIL", "email", f"{request['Username']}@example.com")
                return {"CodeDeliveryDetails": fake.describe()}
            raise ServiceError.user_not_found("Username/client id combination not found.")
        if not user.enabled:
            raise ServiceError.not_authorized("User is disabled.")
        delivery = _send_reset_code(ctx, conn, user)
    return {"CodeDeliveryDetails": delivery.describe()}


def confirm_forgot_password(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    client = ctx.catalog.client(conn, request["ClientId"])
    check_secret_hash(client, request["Username"], request.get("SecretHash"))
    pool = ctx.catalog.pool(conn, client.pool_id)
    user = find_user(conn, pool, request["Username"])
    if user is None:
        raise ServiceError.user_not_found("Username/client id combination not found.")
    password = request["Password"]
    check_policy(pool.password_policy, password)
    # The slow hashing runs before the write lock; a wrong code then rolls nothing back.
    credentials = make_credentials(pool.srp_pool_name, user.username, password)
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        take_code(conn, user, _FORGOT_PASSWORD, request["ConfirmationCode"], now)
        set_credentials(conn, user, credentials, UserStatus.CONFIRMED, now)
    return {}


def admin_reset_user_password(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        _, user = _admin_user(ctx, conn, request)
        _send_reset_code(ctx, conn, user)
        # The old password stops working: the user must confirm the code with a new one.
        conn.execute(
            "UPDATE users SET status = ?, password_hash = NULL, srp_salt = NULL,"
            " srp_verifier = NULL, modified = ? WHERE pool_id = ? AND username_key = ?",
            (UserStatus.RESET_REQUIRED, ctx.clock.now(), user.pool_id, user.username_key),
        )
    return {}


ACTIONS: dict[str, Handler] = {
    "ChangePassword": change_password,
    "ForgotPassword": forgot_password,
    "ConfirmForgotPassword": confirm_forgot_password,
    "AdminResetUserPassword": admin_reset_user_password,
}
