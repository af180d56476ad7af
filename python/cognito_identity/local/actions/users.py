"""User administration: AdminCreateUser, AdminSetUserPassword, AdminConfirmSignUp,
AdminGetUser, AdminDeleteUser, AdminDisableUser, AdminEnableUser, ListUsers."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cognito_identity.local import user_records
from cognito_identity.local.actions.account import mfa_description
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.directory import (
    attributes_from_request,
    insert_user,
    new_user,
    set_credentials,
    set_status,
)
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import Pool, User, UserStatus, find_user
from cognito_identity.local.outbox import Message
from cognito_identity.local.paging import after_token, next_token
from cognito_identity.local.passwords import check_policy, make_credentials, temporary_password
from cognito_identity.local.trigger_events import NO_CLIENT, post_confirmation, pre_sign_up

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]


def _existing_user(conn: sqlite3.Connection, pool: Pool, username: str) -> User:
    user = find_user(conn, pool, username)
    if user is None:
        raise ServiceError.user_not_found()
    return user


def admin_create_user(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    policy = pool.password_policy
    password = request.get("TemporaryPassword")
    if password is None:
        password = temporary_password(policy)
    else:
        check_policy(policy, password)
    action = request.get("MessageAction")
    if action == "RESEND":
        user = _existing_user(conn, pool, request["Username"])
        if user.status != UserStatus.FORCE_CHANGE_PASSWORD:
            raise ServiceError.unsupported_user_state(
                f"Resend not possible. {user.username} status is not FORCE_CHANGE_PASSWORD."
            )
        credentials = make_credentials(pool.srp_pool_name, user.username, password)
        now = ctx.clock.now()
        with ctx.store.write() as conn:
            set_credentials(conn, user, credentials, UserStatus.FORCE_CHANGE_PASSWORD, now)
            _invite(ctx, conn, user, password, request, now)
        return {"User": _existing_user(conn, pool, user.username).describe()}
    new = new_user(
        pool, request["Username"], attributes_from_request(pool, request.get("UserAttributes"))
    )
    new = pre_sign_up(
        ctx,
        pool,
        NO_CLIENT,
        new,
        request.get("ValidationData"),
        request.get("ClientMetadata"),
        source="PreSignUp_AdminCreateUser",
    ).user
    # The slow part (scrypt and the SRP verifier) runs before the write lock is taken.
    credentials = make_credentials(pool.srp_pool_name, new.username, password)
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        user = insert_user(
            conn,
            pool,
            new=new,
            status=UserStatus.FORCE_CHANGE_PASSWORD,
            credentials=credentials,
            now=now,
            exists_message="User account already exists",
        )
        if action != "SUPPRESS":
            _invite(ctx, conn, user, password, request, now)
    return {"User": user.describe()}


def _invite(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    user: User,
    password: str,
    request: Request,
    now: float,
) -> None:
    """Send the temporary password the way the request asks (SMS unless told otherwise)."""
    mediums = request.get("DesiredDeliveryMediums") or ["SMS"]
    for medium, attribute in (("EMAIL", "email"), ("SMS", "phone_number")):
        destination = user.attributes.get(attribute)
        if medium in mediums and destination:
            ctx.outbox.send(
                conn,
                Message(
                    pool_id=user.pool_id,
                    username=user.username,
                    medium=medium,
                    destination=destination,
                    purpose="invitation",
                    code=password,
                    created=now,
                ),
            )


def admin_set_user_password(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    user = _existing_user(conn, pool, request["Username"])
    check_policy(pool.password_policy, request["Password"])
    credentials = make_credentials(pool.srp_pool_name, user.username, request["Password"])
    status = UserStatus.CONFIRMED if request.get("Permanent") else UserStatus.FORCE_CHANGE_PASSWORD
    with ctx.store.write() as conn:
        set_credentials(conn, user, credentials, status, ctx.clock.now())
    return {}


def admin_confirm_sign_up(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        user = _existing_user(conn, pool, request["Username"])
        if user.status != UserStatus.UNCONFIRMED:
            raise ServiceError.not_authorized(
                f"User cannot be confirmed. Current status is {user.status}"
            )
        set_status(conn, user, UserStatus.CONFIRMED, ctx.clock.now())
    confirmed = replace(user, status=UserStatus.CONFIRMED)
    post_confirmation(ctx, pool, NO_CLIENT, confirmed, request.get("ClientMetadata"))
    return {}


def admin_get_user(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    user = _existing_user(conn, pool, request["Username"])
    return {**user.describe("UserAttributes"), **mfa_description(conn, user)}


def admin_delete_user(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        user_records.delete_user(conn, _existing_user(conn, pool, request["Username"]))
    return {}


def admin_disable_user(ctx: ServerContext, request: Request) -> Response:
    """Disable the user and end its sign-ins: it can no longer sign in, refresh or use an
    access token (see :mod:`cognito_identity.local.policy`)."""
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        user = _existing_user(conn, pool, request["Username"])
        user_records.set_enabled(conn, user, False, ctx.clock.now())
        user_records.revoke_sessions(conn, user)
    return {}


def admin_enable_user(ctx: ServerContext, request: Request) -> Response:
    """Let a disabled user sign in again (its revoked sessions stay revoked)."""
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        user = _existing_user(conn, pool, request["Username"])
        user_records.set_enabled(conn, user, True, ctx.clock.now())
    return {}


# ListUsers filters: `name = "value"` (exact) or `name ^= "value"` (prefix).
_FILTER = re.compile(r'^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$')
_FILTERABLE = frozenset(
    {
        "username",
        "email",
        "phone_number",
        "name",
        "given_name",
        "family_name",
        "preferred_username",
        "cognito:user_status",
        "status",
        "sub",
    }
)


def _filter_value(user: User, name: str) -> str | None:
    if name == "username":
        return user.username
    if name == "sub":
        return user.sub
    if name == "cognito:user_status":
        return user.status
    if name == "status":
        return "Enabled" if user.enabled else "Disabled"
    return user.attributes.get(name)


def list_users(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    predicate = _parse_filter(request.get("Filter", ""))
    limit = request.get("Limit") or 60
    after = after_token(request.get("PaginationToken"))
    users: list[dict[str, Any]] = []
    last_key: str | None = None
    more = False
    for user in user_records.users_after(conn, pool.id, after):
        if not predicate(user):
            continue
        if len(users) == limit:
            more = True
            break
        entry = user.describe()
        if "AttributesToGet" in request:
            entry["Attributes"] = user.attribute_list(request["AttributesToGet"])
        users.append(entry)
        last_key = user.username_key
    response: dict[str, Any] = {"Users": users}
    if more and last_key is not None:
        response["PaginationToken"] = next_token(last_key)
    return response


def _parse_filter(text: str) -> Any:
    if not text.strip():
        return lambda user: True
    match = _FILTER.match(text)
    if match is None or match.group(1) not in _FILTERABLE:
        raise ServiceError.invalid_parameter("Error while parsing filter.")
    name, operator, raw = match.groups()
    wanted = re.sub(r"\\(.)", r"\1", raw)

    def predicate(user: User) -> bool:
        value = _filter_value(user, name)
        if value is None:
            return False
        return value.startswith(wanted) if operator == "^=" else value == wanted

    return predicate


ACTIONS: dict[str, Handler] = {
    "AdminCreateUser": admin_create_user,
    "AdminSetUserPassword": admin_set_user_password,
    "AdminConfirmSignUp": admin_confirm_sign_up,
    "AdminGetUser": admin_get_user,
    "AdminDeleteUser": admin_delete_user,
    "AdminDisableUser": admin_disable_user,
    "AdminEnableUser": admin_enable_user,
    "ListUsers": list_users,
}
