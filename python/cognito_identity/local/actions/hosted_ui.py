"""The hosted UI's pool resources: CreateUserPoolDomain, DescribeUserPoolDomain,
DeleteUserPoolDomain, and CreateResourceServer, DescribeResourceServer,
ListResourceServers, DeleteResourceServer (custom scopes for app clients).

A domain here is a name kept for the pool, as Cognito keeps it; the local pool serves
every pool's hosted UI at its own endpoint whatever the domain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.oauth import records
from cognito_identity.local.paging import after_token

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

_ACCOUNT = "000000000000"
#: Words Cognito refuses in a prefix domain.
_RESERVED = ("aws", "amazon", "cognito")
#: ListResourceServers' page size when the request gives none.
_DEFAULT_SERVERS_PAGE = 50


def create_user_pool_domain(ctx: ServerContext, request: Request) -> Response:
    domain, pool_id = request["Domain"], request["UserPoolId"]
    for word in _RESERVED:
        if word in domain:
            raise ServiceError.invalid_parameter(f"Domain cannot contain reserved word: {word}")
    version = request.get("ManagedLoginVersion", 1)
    with ctx.store.write() as conn:
        ctx.catalog.pool(conn, pool_id)
        if records.find_domain(conn, domain) is not None:
            raise ServiceError.invalid_parameter(
                "Domain already associated with another user pool."
            )
        if records.domain_of_pool(conn, pool_id) is not None:
            raise ServiceError.invalid_parameter("User pool already has a domain configured.")
        records.insert_domain(
            conn,
            {
                "UserPoolId": pool_id,
                "AWSAccountId": _ACCOUNT,
                "Domain": domain,
                # Where the pages are really served: this server.
                "CloudFrontDistribution": ctx.endpoint.split("://", 1)[-1],
                "Version": "1",
                "Status": "ACTIVE",
                "ManagedLoginVersion": version,
            },
        )
    return {"ManagedLoginVersion": version}


def describe_user_pool_domain(ctx: ServerContext, request: Request) -> Response:
    """As in Cognito, an unknown domain is described as empty, not refused."""
    return {
        "DomainDescription": records.find_domain(ctx.store.connection(), request["Domain"]) or {}
    }


def delete_user_pool_domain(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        found = records.find_domain(conn, request["Domain"])
        if found is None or found["UserPoolId"] != request["UserPoolId"]:
            raise ServiceError.invalid_parameter("No such domain or user pool exists.")
        records.delete_domain(conn, request["Domain"])
    return {}


def create_resource_server(ctx: ServerContext, request: Request) -> Response:
    pool_id, identifier = request["UserPoolId"], request["Identifier"]
    scopes = request.get("Scopes", [])
    names = [scope["ScopeName"] for scope in scopes]
    if len(set(names)) != len(names):
        raise ServiceError.invalid_parameter("Scope names must be unique.")
    description = {
        "UserPoolId": pool_id,
        "Identifier": identifier,
        "Name": request["Name"],
        "Scopes": scopes,
    }
    with ctx.store.write() as conn:
        ctx.catalog.pool(conn, pool_id)
        if records.find_resource_server(conn, pool_id, identifier) is not None:
            raise ServiceError.invalid_parameter(f"{identifier} already exists in pool {pool_id}.")
        records.insert_resource_server(conn, description)
    return {"ResourceServer": description}


def _resource_server(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    ctx.catalog.pool(conn, request["UserPoolId"])
    found = records.find_resource_server(conn, request["UserPoolId"], request["Identifier"])
    if found is None:
        raise ServiceError.resource_not_found(
            f"Resource server {request['Identifier']} does not exist."
        )
    return found


def describe_resource_server(ctx: ServerContext, request: Request) -> Response:
    return {"ResourceServer": _resource_server(ctx, request)}


def list_resource_servers(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    limit = request.get("MaxResults") or _DEFAULT_SERVERS_PAGE
    page = records.list_resource_servers(
        conn, pool.id, after_token(request.get("NextToken")), limit
    )
    response: Response = {"ResourceServers": page.items}
    if page.token is not None:
        response["NextToken"] = page.token
    return response


def delete_resource_server(ctx: ServerContext, request: Request) -> Response:
    """The scopes go with the server: clients that list them can no longer be granted
    them (client_credentials refuses them as invalid_scope)."""
    with ctx.store.write() as conn:
        found = _resource_server(ctx, request)
        records.delete_resource_server(conn, found["UserPoolId"], found["Identifier"])
    return {}


ACTIONS: dict[str, Handler] = {
    "CreateUserPoolDomain": create_user_pool_domain,
    "DescribeUserPoolDomain": describe_user_pool_domain,
    "DeleteUserPoolDomain": delete_user_pool_domain,
    "CreateResourceServer": create_resource_server,
    "DescribeResourceServer": describe_resource_server,
    "ListResourceServers": list_resource_servers,
    "DeleteResourceServer": delete_resource_server,
}
