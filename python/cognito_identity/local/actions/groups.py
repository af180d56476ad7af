"""Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AdminAddUserToGroup,
AdminRemoveUserFromGroup, AdminListGroupsForUser and ListUsersInGroup.

A user's groups become the ``cognito:groups`` claim of its id and access tokens (see
:mod:`cognito_identity.local.tokens`) from its next sign-in or refresh on.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING

from cognito_identity.local import groups
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import Pool, User, find_user
from cognito_identity.local.paging import DEFAULT_PAGE, after_token

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]


def _member(conn: sqlite3.Connection, pool: Pool, username: str) -> User:
    user = find_user(conn, pool, username)
    if user is None:
        raise ServiceError.user_not_found()
    return user


def create_group(ctx: ServerContext, request: Request) -> Response:
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        group = groups.Group(
            pool_id=pool.id,
            name=request["GroupName"],
            description=request.get("Description"),
            role_arn=request.get("RoleArn"),
            precedence=request.get("Precedence"),
            created=now,
            modified=now,
        )
        groups.create_group(conn, group)
    return {"Group": group.describe()}


def get_group(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    return {"Group": groups.load_group(conn, pool.id, request["GroupName"]).describe()}


def update_group(ctx: ServerContext, request: Request) -> Response:
    """UpdateGroup: members given replace the group's; members left out are kept."""
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        group = groups.load_group(conn, pool.id, request["GroupName"])
        group = replace(
            group,
            description=request.get("Description", group.description),
            role_arn=request.get("RoleArn", group.role_arn),
            precedence=request.get("Precedence", group.precedence),
            modified=ctx.clock.now(),
        )
        groups.update_group(conn, group)
    return {"Group": group.describe()}


def delete_group(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        groups.delete_group(conn, pool.id, request["GroupName"])
    return {}


def _limit(request: Request) -> int:
    return int(request.get("Limit") or DEFAULT_PAGE)


def list_groups(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    page = groups.list_groups(conn, pool.id, after_token(request.get("NextToken")), _limit(request))
    response: Response = {"Groups": [group.describe() for group in page.items]}
    if page.token is not None:
        response["NextToken"] = page.token
    return response


def admin_add_user_to_group(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        user = _member(conn, pool, request["Username"])
        groups.add_member(conn, groups.load_group(conn, pool.id, request["GroupName"]), user)
    return {}


def admin_remove_user_from_group(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        user = _member(conn, pool, request["Username"])
        groups.remove_member(conn, groups.load_group(conn, pool.id, request["GroupName"]), user)
    return {}


def admin_list_groups_for_user(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    user = _member(conn, pool, request["Username"])
    page = groups.groups_of(conn, user, after_token(request.get("NextToken")), _limit(request))
    response: Response = {"Groups": [group.describe() for group in page.items]}
    if page.token is not None:
        response["NextToken"] = page.token
    return response


def list_users_in_group(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    group = groups.load_group(conn, pool.id, request["GroupName"])
    page = groups.members_of(conn, group, after_token(request.get("NextToken")), _limit(request))
    response: Response = {"Users": [user.describe() for user in page.items]}
    if page.token is not None:
        response["NextToken"] = page.token
    return response


ACTIONS: dict[str, Handler] = {
    "CreateGroup": create_group,
    "GetGroup": get_group,
    "UpdateGroup": update_group,
    "DeleteGroup": delete_group,
    "ListGroups": list_groups,
    "AdminAddUserToGroup": admin_add_user_to_group,
    "AdminRemoveUserFromGroup": admin_remove_user_from_group,
    "AdminListGroupsForUser": admin_list_groups_for_user,
    "ListUsersInGroup": list_users_in_group,
}
