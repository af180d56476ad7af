"""Pool and app-client administration: CreateUserPool, DescribeUserPool, DeleteUserPool,
CreateUserPoolClient, DescribeUserPoolClient."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.directory import STANDARD_ATTRIBUTES
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_client_id, new_client_secret, new_pool_id
from cognito_identity.local.models import PasswordPolicy

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
        "DeletionProtection": "INACTIVE",
        "LambdaConfig": {},
        "LastModifiedDate": now,
        "CreationDate": now,
        "AutoVerifiedAttributes": request.get("AutoVerifiedAttributes", []),
        "MfaConfiguration": request.get("MfaConfiguration", "OFF"),
        "EstimatedNumberOfUsers": 0,
        "UserPoolTags": request.get("UserPoolTags", {}),
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": request.get("AdminCreateUserConfig", {}).get(
                "AllowAdminCreateUserOnly", False
            ),
            "UnusedAccountValidityDays": policy.temporary_password_validity_days,
        },
        "UsernameConfiguration": {
            "CaseSensitive": request.get("UsernameConfiguration", {}).get("CaseSensitive", True)
        },
        "Arn": f"arn:aws:cognito-idp:{ctx.region}:{_ACCOUNT}:userpool/{pool_id}",
    }
    if "Schema" in request:
        description["SchemaAttributes"] = _schema(request["Schema"])
    for key in (
        "UsernameAttributes",
        "AliasAttributes",
        "UserAttributeUpdateSettings",
        "DeviceConfiguration",
    ):
        if key in request:
            description[key] = request[key]
    with ctx.store.write() as conn:
        conn.execute(
            "INSERT INTO pools (id, config, created) VALUES (?, ?, ?)",
            (pool_id, json.dumps(description), now),
        )
    return {"UserPool": description}


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
    """UpdateUserPool for the pool's Policies; as in Cognito, a policy left out of the
    request goes back to its default. (Other members are accepted and ignored.)"""
    pool_id = request["UserPoolId"]
    given = request.get("Policies", {})
    policy = _password_policy(given.get("PasswordPolicy"))
    with ctx.store.write() as conn:
        description = dict(ctx.catalog.pool(conn, pool_id).description)
        description["Policies"] = {
            "PasswordPolicy": policy.describe(),
            "SignInPolicy": _sign_in_policy(given.get("SignInPolicy")),
        }
        description["LastModifiedDate"] = ctx.clock.now()
        conn.execute("UPDATE pools SET config = ? WHERE id = ?", (json.dumps(description), pool_id))
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
            name = f"custom:{name}"
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


def describe_user_pool(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    (count,) = conn.execute("SELECT COUNT(*) FROM users WHERE pool_id = ?", (pool.id,)).fetchone()
    return {"UserPool": {**pool.description, "EstimatedNumberOfUsers": count}}


def delete_user_pool(ctx: ServerContext, request: Request) -> Response:
    pool_id = request["UserPoolId"]
    with ctx.store.write() as conn:
        ctx.catalog.pool(conn, pool_id)
        # Clients, users, codes, sessions, tokens and keys go by ON DELETE CASCADE.
        conn.execute("DELETE FROM outbox WHERE pool_id = ?", (pool_id,))
        conn.execute("DELETE FROM pools WHERE id = ?", (pool_id,))
    ctx.catalog.forget_pool(pool_id)
    ctx.tokens.forget_pool(pool_id)
    return {}


def create_user_pool_client(ctx: ServerContext, request: Request) -> Response:
    now = ctx.clock.now()
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
    secret = request.get("ClientSecret")
    if secret is None and request.get("GenerateSecret"):
        secret = new_client_secret()
    client_id = new_client_id()
    description: dict[str, Any] = {
        "UserPoolId": request["UserPoolId"],
        "ClientName": request["ClientName"],
        "ClientId": client_id,
        "LastModifiedDate": now,
        "CreationDate": now,
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
    if secret is not None:
        description["ClientSecret"] = secret
    with ctx.store.write() as conn:
        ctx.catalog.pool(conn, request["UserPoolId"])
        conn.execute(
            "INSERT INTO clients (id, pool_id, secret, config) VALUES (?, ?, ?, ?)",
            (client_id, request["UserPoolId"], secret, json.dumps(description)),
        )
    return {"UserPoolClient": description}


def describe_user_pool_client(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    ctx.catalog.pool(conn, request["UserPoolId"])
    client = ctx.catalog.client(conn, request["ClientId"])
    if client.pool_id != request["UserPoolId"]:
        raise ServiceError.client_not_found(request["ClientId"])
    return {"UserPoolClient": client.description}


ACTIONS: dict[str, Handler] = {
    "CreateUserPool": create_user_pool,
    "DescribeUserPool": describe_user_pool,
    "UpdateUserPool": update_user_pool,
    "DeleteUserPool": delete_user_pool,
    "CreateUserPoolClient": create_user_pool_client,
    "DescribeUserPoolClient": describe_user_pool_client,
}
