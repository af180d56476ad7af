"""Identity providers of a pool: CreateIdentityProvider, DescribeIdentityProvider,
ListIdentityProviders, DeleteIdentityProvider.

Every provider type is kept and described; an ``OIDC`` provider also works for sign-in
through the hosted UI (``identity_provider=`` on ``/oauth2/authorize``), for instance
pointing at another local pool's issuer (see :mod:`cognito_identity.local.oauth.federation`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.oauth import records
from cognito_identity.local.paging import DEFAULT_PAGE, after_token

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

#: The ProviderDetails keys each provider type must have, as Cognito requires them.
_REQUIRED_DETAILS = {
    "OIDC": ("client_id", "authorize_scopes", "oidc_issuer", "attributes_request_method"),
    "Google": ("client_id", "client_secret", "authorize_scopes"),
    "Facebook": ("client_id", "client_secret", "authorize_scopes"),
    "LoginWithAmazon": ("client_id", "client_secret", "authorize_scopes"),
    "SignInWithApple": ("client_id", "team_id", "key_id", "private_key", "authorize_scopes"),
}


def _check_details(provider_type: str, details: dict[str, str]) -> None:
    if provider_type == "SAML":
        if not details.get("MetadataURL") and not details.get("MetadataFile"):
            raise ServiceError.invalid_parameter("MetadataURL or MetadataFile is required.")
        return
    for key in _REQUIRED_DETAILS[provider_type]:
        if not details.get(key):
            raise ServiceError.invalid_parameter(f"ProviderDetails must contain {key}.")
    method = details.get("attributes_request_method")
    if method is not None and method not in ("GET", "POST"):
        raise ServiceError.invalid_parameter("attributes_request_method must be GET or POST.")


def create_identity_provider(ctx: ServerContext, request: Request) -> Response:
    pool_id, name, kind = request["UserPoolId"], request["ProviderName"], request["ProviderType"]
    if name.upper() == "COGNITO":
        raise ServiceError.invalid_parameter("COGNITO is a reserved provider name.")
    details = dict(request["ProviderDetails"])
    _check_details(kind, details)
    mapping = dict(request.get("AttributeMapping") or {})
    if kind == "OIDC":
        # Cognito maps the provider's subject to the username unless told otherwise.
        mapping.setdefault("username", "sub")
    now = ctx.clock.now()
    description = {
        "UserPoolId": pool_id,
        "ProviderName": name,
        "ProviderType": kind,
        "ProviderDetails": details,
        "AttributeMapping": mapping,
        "IdpIdentifiers": list(request.get("IdpIdentifiers") or []),
        "LastModifiedDate": now,
        "CreationDate": now,
    }
    with ctx.store.write() as conn:
        ctx.catalog.pool(conn, pool_id)
        if records.find_provider(conn, pool_id, name) is not None:
            raise ServiceError(
                "DuplicateProviderException",
                f"A provider with the name {name} already exists in this user pool.",
            )
        records.insert_provider(conn, description)
    return {"IdentityProvider": description}


def _provider(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    ctx.catalog.pool(conn, request["UserPoolId"])
    found = records.find_provider(conn, request["UserPoolId"], request["ProviderName"])
    if found is None:
        raise ServiceError.resource_not_found(
            f"Identity provider {request['ProviderName']} does not exist."
        )
    return found


def describe_identity_provider(ctx: ServerContext, request: Request) -> Response:
    return {"IdentityProvider": _provider(ctx, request)}


def list_identity_providers(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    limit = request.get("MaxResults") or DEFAULT_PAGE
    page = records.list_providers(conn, pool.id, after_token(request.get("NextToken")), limit)
    providers = [
        {
            key: provider[key]
            for key in ("ProviderName", "ProviderType", "LastModifiedDate", "CreationDate")
        }
        for provider in page.items
    ]
    response: Response = {"Providers": providers}
    if page.token is not None:
        response["NextToken"] = page.token
    return response


def delete_identity_provider(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        found = _provider(ctx, request)
        records.delete_provider(conn, found["UserPoolId"], found["ProviderName"])
    return {}


ACTIONS: dict[str, Handler] = {
    "CreateIdentityProvider": create_identity_provider,
    "DescribeIdentityProvider": describe_identity_provider,
    "ListIdentityProviders": list_identity_providers,
    "DeleteIdentityProvider": delete_identity_provider,
}
