"""Self-service registration: SignUp, ConfirmSignUp, ResendConfirmationCode."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cognito_identity.local.actions.base import Handler, Request, Response, check_secret_hash
from cognito_identity.local.directory import (
    attributes_from_request,
    delivery_for,
    insert_user,
    issue_code,
    new_user,
    set_status,
    take_code,
)
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient, Pool, User, UserStatus, find_user
from cognito_identity.local.passwords import check_policy, make_credentials
from cognito_identity.local.trigger_events import post_confirmation, pre_sign_up

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

_SIGNUP = "signup"


def _client_and_pool(
    ctx: ServerContext, conn: sqlite3.Connection, request: Request
) -> tuple[AppClient, Pool]:
    client = ctx.catalog.client(conn, request["ClientId"])
    check_secret_hash(client, request["Username"], request.get("SecretHash"))
    return client, ctx.catalog.pool(conn, client.pool_id)


def _registered_user(conn: sqlite3.Connection, pool: Pool, username: str) -> User:
    user = find_user(conn, pool, username)
    if user is None:
        raise ServiceError.user_not_found("Username/client id combination not found.")
    return user


def sign_up(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    client, pool = _client_and_pool(ctx, conn, request)
    if pool.admin_create_user_only:
        raise ServiceError.not_authorized("SignUp is not permitted for this user pool")
    password = request.get("Password")
    if password is None:
        raise ServiceError.invalid_parameter("Password cannot be empty")
    new = new_user(
        pool, request["Username"], attributes_from_request(pool, request.get("UserAttributes"))
    )
    check_policy(pool.password_policy, password)
    decision = pre_sign_up(
        ctx, pool, client.id, new, request.get("ValidationData"), request.get("ClientMetadata")
    )
    new = decision.user
    credentials = make_credentials(pool.srp_pool_name, new.username, password)
    now = ctx.clock.now()
    # A user the trigger confirmed gets no confirmation code.
    delivery = None if decision.confirmed else delivery_for(pool, new.attributes)
    with ctx.store.write() as conn:
        user = insert_user(
            conn,
            pool,
            new=new,
            status=UserStatus.CONFIRMED if decision.confirmed else UserStatus.UNCONFIRMED,
            credentials=credentials,
            now=now,
            exists_message="User already exists",
        )
        if delivery is not None:
            issue_code(ctx, conn, user, delivery, _SIGNUP, now)
    response: dict[str, Any] = {"UserConfirmed": decision.confirmed, "UserSub": user.sub}
    if delivery is not None:
        response["CodeDeliveryDetails"] = delivery.describe()
    return response


def confirm_sign_up(ctx: ServerContext, request: Request) -> Response:
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        _, pool = _client_and_pool(ctx, conn, request)
        user = _registered_user(conn, pool, request["Username"])
        if user.status != UserStatus.UNCONFIRMED:
            raise ServiceError.not_authorized(
                f"User cannot be confirmed. Current status is {user.status}"
            )
        take_code(conn, user, _SIGNUP, request["ConfirmationCode"], now)
        attributes = dict(user.attributes)
        delivery = delivery_for(pool, attributes)
        if delivery is not None:
            attributes[f"{delivery.attribute}_verified"] = "true"
        set_status(conn, user, UserStatus.CONFIRMED, now, attributes)
    confirmed = replace(user, status=UserStatus.CONFIRMED, attributes=attributes)
    post_confirmation(ctx, pool, request["ClientId"], confirmed, request.get("ClientMetadata"))
    return {}


def resend_confirmation_code(ctx: ServerContext, request: Request) -> Response:
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        _, pool = _client_and_pool(ctx, conn, request)
        user = _registered_user(conn, pool, request["Username"])
        if user.status != UserStatus.UNCONFIRMED:
            raise ServiceError.invalid_parameter("User is already confirmed.")
        delivery = delivery_for(pool, user.attributes)
        if delivery is None:
            raise ServiceError.invalid_parameter(
                "Cannot resend codes. Auto verification not turned on."
            )
        issue_code(ctx, conn, user, delivery, _SIGNUP, now, source="CustomMessage_ResendCode")
    return {"CodeDeliveryDetails": delivery.describe()}


ACTIONS: dict[str, Handler] = {
    "SignUp": sign_up,
    "ConfirmSignUp": confirm_sign_up,
    "ResendConfirmationCode": resend_confirmation_code,
}
