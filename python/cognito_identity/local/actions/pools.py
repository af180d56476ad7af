"""Pool and app-client administration: CreateUserPool, DescribeUserPool, UpdateUserPool,
DeleteUserPool, ListUserPools, AddCustomAttributes, CreateUserPoolClient, DescribeUserPoolClient,
UpdateUserPoolClient, DeleteUserPoolClient, ListUserPoolClients.

As in Cognito, UpdateUserPool and UpdateUserPoolClient replace the whole configuration:
a setting left out of the request goes back to its default (names and ids stay)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from cognito_identity.local import pool_records
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.attribute_schema import MAX_CUSTOM_ATTRIBUTES, declare_custom
from cognito_identity.local.directory import STANDARD_ATTRIBUTES
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_client_id, new_client_secret, new_pool_id
from cognito_identity.local.models import AppClient, PasswordPolicy
from cognito_identity.local.oauth import records
from cognito_identity.local.oauth.settings import PoolOAuth, oauth_settings
from cognito_identity.local.paging import DEFAULT_PAGE, after_token

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

_ACCOUNT = "000000000000"
_DEFAULT_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# token -> (default lifetime, minimum, maximum), in seconds
_TOKEN_LIFETIMES = {
    "AccessToken": (3600, 300, 86400),
    "IdToken": (3600, 300, 86400),
    "RefreshToken": (30 * 86400, 3600, 3650 * 86400),
}
_VALIDITY_KEYS = {
    "AccessToken": "AccessTokenValidity",
    "IdToken": "IdTokenValidity",
    "RefreshToken": "RefreshTokenValidity",
}


def create_user_pool(ctx: ServerContext, request: Request) -> Response:
    if request.get("UsernameAttributes") and request.get("AliasAttributes"):
        raise ServiceError.invalid_parameter(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
        )
    now = ctx.clock.now()
    pool_id = new_pool_id(ctx.region)
    policy = _password_policy(request.get("Policies", {}).get("PasswordPolicy"))
    description: dict[str, Any] = {
        "Id": pool_id,
        "Name": request["PoolName"],
        "Policies": {
            "PasswordPolicy": policy.describe(),
            "SignInPolicy": _sign_in_policy(request.get("Policies", {}).get("SignInPolicy")),
        },
        "LastModifiedDate": now,
        "CreationDate": now,
        "EstimatedNumberOfUsers": 0,
        "UserPoolTags": request.get("UserPoolTags", {}),
        **_settings(request, policy),
        "UsernameConfiguration": {
            "CaseSensitive": request.get("UsernameConfiguration", {}).get("CaseSensitive", True)
        },
        "Arn": f"arn:aws:cognito-idp:{ctx.region}:{_ACCOUNT}:userpool/{pool_id}",
    }
    if "Schema" in request:
        description["SchemaAttributes"] = _schema(request["Schema"])
    for key in ("UsernameAttributes", "AliasAttributes"):
        if key in request:
            description[key] = request[key]
    with ctx.store.write() as conn:
        pool_records.insert_pool(conn, description, now)
    return {"UserPool": description}


#: The settings UpdateUserPool replaces, with what a request that leaves one out sets.
_OPTIONAL_SETTINGS = ("UserAttributeUpdateSettings", "DeviceConfiguration")


def _settings(request: Request, policy: PasswordPolicy) -> dict[str, Any]:
    """The settings CreateUserPool and UpdateUserPool share, from the request or their
    defaults: protection, triggers, auto-verification, MFA, devices, admin-only sign-up."""
    settings: dict[str, Any] = {
        "DeletionProtection": request.get("DeletionProtection", "INACTIVE"),
        "LambdaConfig": request.get("LambdaConfig", {}),
        "AutoVerifiedAttributes": request.get("AutoVerifiedAttributes", []),
        "MfaConfiguration": request.get("MfaConfiguration", "OFF"),
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": request.get("AdminCreateUserConfig", {}).get(
                "AllowAdminCreateUserOnly", False
            ),
            "UnusedAccountValidityDays": policy.temporary_password_validity_days,
        },
    }
    for key in _OPTIONAL_SETTINGS:
        if key in request:
            settings[key] = request[key]
    return settings


def _password_policy(given: dict[str, Any] | None) -> PasswordPolicy:
    """The pool's password policy: what is given, Cognito's defaults for the rest."""
    given = given or {}
    defaults = PasswordPolicy()
    return PasswordPolicy(
        minimum_length=given.get("MinimumLength", defaults.minimum_length),
        require_uppercase=given.get("RequireUppercase", defaults.require_uppercase),
        require_lowercase=given.get("RequireLowercase", defaults.require_lowercase),
        require_numbers=given.get("RequireNumbers", defaults.require_numbers),
        require_symbols=given.get("RequireSymbols", defaults.require_symbols),
        # 0 means "the default", as in the real service.
        temporary_password_validity_days=given.get("TemporaryPasswordValidityDays")
        or defaults.temporary_password_validity_days,
    )


def _sign_in_policy(given: dict[str, Any] | None) -> dict[str, Any]:
    """The pool's first factors for USER_AUTH; a password is always one of them."""
    factors = list((given or {}).get("AllowedFirstAuthFactors") or ["PASSWORD"])
    if "PASSWORD" not in factors:
        raise ServiceError.invalid_parameter("AllowedFirstAuthFactors must include PASSWORD.")
    return {"AllowedFirstAuthFactors": factors}


def update_user_pool(ctx: ServerContext, request: Request) -> Response:
    """UpdateUserPool: the policies, triggers (LambdaConfig), auto-verified attributes,
    MFA mode, device tracking, attribute update rules, tags and admin-only sign-up; as in
    Cognito, each one left out of the request goes back to its default (the tags and the
    name stay unless given)."""
    pool_id = request["UserPoolId"]
    given = request.get("Policies", {})
    policy = _password_policy(given.get("PasswordPolicy"))
    with ctx.store.write() as conn:
        description = dict(ctx.catalog.pool(conn, pool_id).description)
        for key in _OPTIONAL_SETTINGS:
            description.pop(key, None)
        description.update(_settings(request, policy))
        description["Policies"] = {
            "PasswordPolicy": policy.describe(),
            "SignInPolicy": _sign_in_policy(given.get("SignInPolicy")),
        }
        if "PoolName" in request:
            description["Name"] = request["PoolName"]
        if "UserPoolTags" in request:
            description["UserPoolTags"] = request["UserPoolTags"]
        description["LastModifiedDate"] = ctx.clock.now()
        pool_records.save_pool(conn, description)
    ctx.catalog.forget_pool(pool_id)
    return {}


def _schema(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pool's attribute schema: standard attributes as given, custom ones prefixed."""
    schema = []
    for entry in entries:
        name = entry.get("Name")
        if name is None:
            raise ServiceError.invalid_parameter("Schema attribute Name is required.")
        if name not in STANDARD_ATTRIBUTES:
            schema.append(declare_custom(entry))
            continue
        schema.append(
            {
                **entry,
                "Name": name,
                "AttributeDataType": entry.get("AttributeDataType", "String"),
                "Mutable": entry.get("Mutable", True),
                "Required": entry.get("Required", False),
            }
        )
    return schema


def add_custom_attributes(ctx: ServerContext, request: Request) -> Response:
    """AddCustomAttributes: new ``custom:`` attributes (never a name the pool has, never
    more than the pool's limit); existing users simply have no value for them."""
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        existing = list(pool.description.get("SchemaAttributes", []))
        names = {entry["Name"] for entry in existing}
        added = [declare_custom(entry) for entry in request["CustomAttributes"]]
        for entry in added:
            if entry["Name"] in names:
                raise ServiceError.invalid_parameter(
                    f"Existing attribute already has name {entry['Name']}."
                )
            names.add(entry["Name"])
        if len(pool.custom_schema) + len(added) > MAX_CUSTOM_ATTRIBUTES:
            raise ServiceError.limit_exceeded(
                f"A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."
            )
        description = {
            **pool.description,
            "SchemaAttributes": existing + added,
            "LastModifiedDate": ctx.clock.now(),
        }
        pool_records.save_pool(conn, description)
    ctx.catalog.forget_pool(pool.id)
    return {}


def describe_user_pool(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    count = pool_records.count_users(conn, pool.id)
    described = {**pool.description, "EstimatedNumberOfUsers": count}
    domain = records.domain_of_pool(conn, pool.id)
    if domain is not None:
        described["Domain"] = domain
    return {"UserPool": described}


def delete_user_pool(ctx: ServerContext, request: Request) -> Response:
    pool_id = request["UserPoolId"]
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, pool_id)
        if pool.description.get("DeletionProtection") == "ACTIVE":
            raise ServiceError.invalid_parameter(
                "The user pool cannot be deleted because deletion protection is activated."
                " Deletion protection must be inactivated first."
            )
        pool_records.delete_pool(conn, pool_id)
    ctx.catalog.forget_pool(pool_id)
    ctx.tokens.forget_pool(pool_id)
    return {}


def list_user_pools(ctx: ServerContext, request: Request) -> Response:
    page = pool_records.list_pools(
        ctx.store.connection(), after_token(request.get("NextToken")), request["MaxResults"]
    )
    pools = [
        {
            "Id": pool["Id"],
            "Name": pool["Name"],
            "LambdaConfig": pool.get("LambdaConfig", {}),
            "LastModifiedDate": pool["LastModifiedDate"],
            "CreationDate": pool["CreationDate"],
        }
        for pool in page.items
    ]
    response: Response = {"UserPools": pools}
    if page.token is not None:
        response["NextToken"] = page.token
    return response


def _client_settings(request: Request) -> dict[str, Any]:
    """The settings CreateUserPoolClient and UpdateUserPoolClient share, from the request
    or their defaults: token lifetimes, flows, and the security switches."""
    units = {
        token: request.get("TokenValidityUnits", {}).get(
            token, "days" if token == "RefreshToken" else "hours"
        )
        for token in _TOKEN_LIFETIMES
    }
    validity: dict[str, int] = {}
    for token, (default, low, high) in _TOKEN_LIFETIMES.items():
        unit = _UNIT_SECONDS[units[token]]
        value = request.get(_VALIDITY_KEYS[token])
        if value is None:
            # Without a value, the default lifetime is reported in the chosen unit.
            value = default // unit if default % unit == 0 else default // 60
            if default % unit != 0:
                units[token] = "minutes"
                unit = 60
        if not low <= value * unit <= high:
            raise ServiceError.invalid_parameter(
                f"{_VALIDITY_KEYS[token]} must be between {low} and {high} seconds."
            )
        validity[token] = value
    return {
        "RefreshTokenValidity": validity["RefreshToken"],
        "AccessTokenValidity": validity["AccessToken"],
        "IdTokenValidity": validity["IdToken"],
        "TokenValidityUnits": units,
        "ExplicitAuthFlows": request.get("ExplicitAuthFlows") or list(_DEFAULT_FLOWS),
        "AllowedOAuthFlowsUserPoolClient": False,
        "PreventUserExistenceErrors": request.get("PreventUserExistenceErrors", "LEGACY"),
        "EnableTokenRevocation": request.get("EnableTokenRevocation", True),
        "EnablePropagateAdditionalUserContextData": False,
        "AuthSessionValidity": request.get("AuthSessionValidity", 3),
        "RefreshTokenRotation": {
            "Feature": "DISABLED",
            "RetryGracePeriodSeconds": 0,
            **request.get("RefreshTokenRotation", {}),
        },
    }


def create_user_pool_client(ctx: ServerContext, request: Request) -> Response:
    now = ctx.clock.now()
    secret = request.get("ClientSecret")
    if secret is None and request.get("GenerateSecret"):
        secret = new_client_secret()
    description: dict[str, Any] = {
        "UserPoolId": request["UserPoolId"],
        "ClientName": request["ClientName"],
        "ClientId": new_client_id(),
        "LastModifiedDate": now,
        "CreationDate": now,
        **_client_settings(request),
    }
    if secret is not None:
        description["ClientSecret"] = secret
    with ctx.store.write() as conn:
        ctx.catalog.pool(conn, request["UserPoolId"])
        description.update(oauth_settings(request, secret is not None, _pool_oauth(conn, request)))
        pool_records.insert_client(conn, description, secret)
    return {"UserPoolClient": description}


def _pool_oauth(conn: sqlite3.Connection, request: Request) -> PoolOAuth:
    """The scopes and identity providers a client of the request's pool may name."""
    pool_id = request["UserPoolId"]
    return PoolOAuth(
        pool_id, records.pool_scopes(conn, pool_id), records.provider_names(conn, pool_id)
    )


def _pool_client(ctx: ServerContext, request: Request) -> AppClient:
    """The request's app client, which must belong to the request's pool."""
    conn = ctx.store.connection()
    ctx.catalog.pool(conn, request["UserPoolId"])
    client = ctx.catalog.client(conn, request["ClientId"])
    if client.pool_id != request["UserPoolId"]:
        raise ServiceError.client_not_found(request["ClientId"])
    return client


def describe_user_pool_client(ctx: ServerContext, request: Request) -> Response:
    return {"UserPoolClient": _pool_client(ctx, request).description}


def update_user_pool_client(ctx: ServerContext, request: Request) -> Response:
    """UpdateUserPoolClient: new lifetimes, flows and switches (defaults for those left
    out); the id, secret and creation date stay, and so does the name unless given."""
    with ctx.store.write() as conn:
        client = _pool_client(ctx, request)
        description: dict[str, Any] = {
            key: client.description[key]
            for key in ("UserPoolId", "ClientName", "ClientId", "CreationDate", "ClientSecret")
            if key in client.description
        }
        description.update(_client_settings(request))
        description.update(
            oauth_settings(request, "ClientSecret" in description, _pool_oauth(conn, request))
        )
        description["ClientName"] = request.get("ClientName", description["ClientName"])
        description["LastModifiedDate"] = ctx.clock.now()
        pool_records.save_client(conn, description)
    ctx.catalog.forget_client(client.id)
    return {"UserPoolClient": description}


def delete_user_pool_client(ctx: ServerContext, request: Request) -> Response:
    """DeleteUserPoolClient: the client goes, and so do the sign-ins made through it."""
    with ctx.store.write() as conn:
        client = _pool_client(ctx, request)
        pool_records.delete_client(conn, client.id)
    ctx.catalog.forget_client(client.id)
    return {}


def list_user_pool_clients(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    limit = request.get("MaxResults") or DEFAULT_PAGE
    page = pool_records.list_clients(conn, pool.id, after_token(request.get("NextToken")), limit)
    clients = [
        {"ClientId": c["ClientId"], "UserPoolId": c["UserPoolId"], "ClientName": c["ClientName"]}
        for c in page.items
    ]
    response: Response = {"UserPoolClients": clients}
    if page.token is not None:
        response["NextToken"] = page.token
    return response


ACTIONS: dict[str, Handler] = {
    "CreateUserPool": create_user_pool,
    "DescribeUserPool": describe_user_pool,
    "UpdateUserPool": update_user_pool,
    "DeleteUserPool": delete_user_pool,
    "ListUserPools": list_user_pools,
    "AddCustomAttributes": add_custom_attributes,
    "CreateUserPoolClient": create_user_pool_client,
    "DescribeUserPoolClient": describe_user_pool_client,
    "UpdateUserPoolClient": update_user_pool_client,
    "DeleteUserPoolClient": delete_user_pool_client,
    "ListUserPoolClients": list_user_pool_clients,
}
