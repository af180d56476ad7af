"""Identity pools (``AWSCognitoIdentityService``): CreateIdentityPool, DescribeIdentityPool,
ListIdentityPools, DeleteIdentityPool, GetId, GetCredentialsForIdentity, GetOpenIdToken and
DeleteIdentities.

Logins are id tokens of this server's user pools. A provider is named as in AWS,
``cognito-idp.<region>.amazonaws.com/<user pool id>``, or as the token's ``iss`` says
without its scheme (``127.0.0.1:<port>/<user pool id>``); both name the same provider, so
a pool registered under one name takes logins under either.
The credentials handed out are random and good for nothing but tests: the server keeps
them (:mod:`~cognito_identity.local.aws_keys`) so that its signed-request endpoint,
``/_local/aws/<service>/...``, checks signatures made with them.
"""

from __future__ import annotations

import secrets
import string
from typing import TYPE_CHECKING, Any

from cognito_identity.errors import MalformedTokenError, TokenError
from cognito_identity.jwt import JsonWebKeySet, decode
from cognito_identity.local import aws_keys
from cognito_identity.local import identity as store
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_uuid
from cognito_identity.local.paging import after_token

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

OPEN_ID_TOKEN_SECONDS = 600
_KEY_ALPHABET = string.ascii_uppercase + string.digits
_GUESTS_REFUSED = "Unauthenticated access is not supported for this identity pool."
_UNSUPPORTED_PROVIDER = "Token is not from a supported provider of this identity pool."
_LOGINS_MISMATCH = (
    "Logins don't match. Please include at least one valid login for this identity or"
    " identity pool."
)


def _invalid_login(reason: str) -> ServiceError:
    return ServiceError.not_authorized(f"Invalid login token. {reason}")


def _describe(request: Request, pool_id: str) -> dict[str, Any]:
    return {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": request["IdentityPoolName"],
        "AllowUnauthenticatedIdentities": request["AllowUnauthenticatedIdentities"],
        "AllowClassicFlow": request.get("AllowClassicFlow", False),
        "SupportedLoginProviders": request.get("SupportedLoginProviders", {}),
        "OpenIdConnectProviderARNs": request.get("OpenIdConnectProviderARNs", []),
        "CognitoIdentityProviders": request.get("CognitoIdentityProviders", []),
        "SamlProviderARNs": request.get("SamlProviderARNs", []),
        "IdentityPoolTags": request.get("IdentityPoolTags", {}),
    }


def create_identity_pool(ctx: ServerContext, request: Request) -> Response:
    for provider in request.get("CognitoIdentityProviders", []):
        if "ProviderName" not in provider:
            raise ServiceError.invalid_parameter("CognitoIdentityProvider needs a ProviderName")
    description = _describe(request, f"{ctx.region}:{new_uuid()}")
    with ctx.store.write() as conn:
        store.create_pool(conn, description, ctx.clock.now())
    return description


def describe_identity_pool(ctx: ServerContext, request: Request) -> Response:
    return store.load_pool(ctx.store.connection(), request["IdentityPoolId"]).description


def list_identity_pools(ctx: ServerContext, request: Request) -> Response:
    page = store.list_pools(
        ctx.store.connection(), after_token(request.get("NextToken")), request["MaxResults"]
    )
    pools = [
        {"IdentityPoolId": pool.id, "IdentityPoolName": pool.description["IdentityPoolName"]}
        for pool in page.items
    ]
    response: Response = {"IdentityPools": pools}
    if page.token is not None:
        response["NextToken"] = page.token
    return response


def delete_identity_pool(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        store.delete_pool(conn, request["IdentityPoolId"])
    return {}


def _user_pool_of(ctx: ServerContext, provider_name: str) -> str | None:
    """The user pool a provider name points at, if it is one of the two accepted forms:
    AWS's (``cognito-idp.<region>.amazonaws.com/<pool>``) or this server's issuer without
    its scheme (``127.0.0.1:<port>/<pool>``)."""
    pool_id = provider_name.rpartition("/")[2]
    own_issuer = ctx.issuer(pool_id).split("://", 1)[-1]
    if provider_name in (f"cognito-idp.{ctx.region}.amazonaws.com/{pool_id}", own_issuer):
        return pool_id
    return None


def _provider(
    ctx: ServerContext, pool: store.IdentityPool, provider_name: str
) -> tuple[str, dict[str, Any]]:
    """The user pool a login names and the identity pool's entry for it, under whichever
    of the two names the entry was registered."""
    user_pool_id = _user_pool_of(ctx, provider_name)
    if user_pool_id is not None:
        for provider in pool.providers:
            if _user_pool_of(ctx, str(provider.get("ProviderName", ""))) == user_pool_id:
                return user_pool_id, provider
    raise ServiceError.not_authorized(_UNSUPPORTED_PROVIDER)


def _login(ctx: ServerContext, pool: store.IdentityPool, logins: dict[str, str]) -> str | None:
    """The login (``"<user pool id>/<sub>"``) the request's Logins prove, None for none."""
    if not logins:
        return None
    if len(logins) > 1:
        raise ServiceError.invalid_parameter("The local identity pool takes one login at a time.")
    ((provider_name, token),) = logins.items()
    user_pool_id, provider = _provider(ctx, pool, provider_name)
    claims = _verified_claims(ctx, user_pool_id, token)
    client_id = provider.get("ClientId")
    if client_id is not None and claims["aud"] != client_id:
        raise _invalid_login("Incorrect token audience.")
    return f"{user_pool_id}/{claims['sub']}"


def _verified_claims(ctx: ServerContext, user_pool_id: str, token: str) -> dict[str, Any]:
    try:
        _, unverified = decode(token)
    except MalformedTokenError:
        raise _invalid_login("Not a valid OpenId Connect identity token.") from None
    if unverified.get("iss") != ctx.issuer(user_pool_id):
        raise _invalid_login("Issuer doesn't match providerName")
    conn = ctx.store.connection()
    ctx.catalog.pool(conn, user_pool_id)  # the issuer's pool still exists
    try:
        claims = JsonWebKeySet.from_dict(ctx.tokens.jwks(user_pool_id)).verify(token)
    except TokenError:
        raise _invalid_login("Couldn't verify signed token.") from None
    for claim in ("aud", "sub", "exp"):
        if claim not in claims:
            raise _invalid_login(f"Missing a required claim: {claim}")
    now = int(ctx.clock.now())
    expires = claims["exp"]
    if not isinstance(expires, int) or now >= expires:
        raise _invalid_login(f"Token expired: {now} >= {expires}")
    return claims


def get_id(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool = store.load_pool(conn, request["IdentityPoolId"])
    login = _login(ctx, pool, request.get("Logins", {}))
    if login is None and not pool.allows_guests:
        raise ServiceError.not_authorized(_GUESTS_REFUSED)
    with ctx.store.write() as conn:
        identity_id = store.identity_for(conn, pool, login, ctx.region, ctx.clock.now())
    return {"IdentityId": identity_id}


def _authorized_identity(ctx: ServerContext, request: Request) -> store.Identity:
    """The request's identity, once its Logins prove it (or it is a guest's, allowed)."""
    conn = ctx.store.connection()
    identity = store.find_identity(conn, request["IdentityId"])
    pool = store.load_pool(conn, identity.pool_id)
    logins = request.get("Logins", {})
    if identity.login is None:
        if logins:
            raise ServiceError.not_authorized(_LOGINS_MISMATCH)
        if not pool.allows_guests:
            raise ServiceError.not_authorized(_GUESTS_REFUSED)
    elif not logins:
        raise ServiceError.not_authorized(f"Access to Identity '{identity.id}' is forbidden.")
    elif _login(ctx, pool, logins) != identity.login:
        raise ServiceError.not_authorized(_LOGINS_MISMATCH)
    return identity


def get_credentials_for_identity(ctx: ServerContext, request: Request) -> Response:
    identity = _authorized_identity(ctx, request)
    return {"IdentityId": identity.id, "Credentials": _new_credentials(ctx, identity.id)}


def delete_identities(ctx: ServerContext, request: Request) -> Response:
    """Delete identities; an id that does not exist is listed back as unprocessed, with
    ``InternalServerError`` (of the two codes Cognito's model allows, the one that does
    not claim a missing permission). Keys already issued to it stay good until they
    expire, as STS keys do."""
    unprocessed = []
    with ctx.store.write() as conn:
        for identity_id in request["IdentityIdsToDelete"]:
            if not store.delete_identity(conn, identity_id):
                unprocessed.append({"IdentityId": identity_id, "ErrorCode": "InternalServerError"})
    return {"UnprocessedIdentityIds": unprocessed}


def get_open_id_token(ctx: ServerContext, request: Request) -> Response:
    """An OpenID token for the identity, signed with the server's key (JWKS at
    ``<endpoint>/.well-known/jwks_uri``, as Cognito's is at its issuer's)."""
    identity = _authorized_identity(ctx, request)
    now = int(ctx.clock.now())
    claims = {
        "iss": ctx.endpoint,
        "sub": identity.id,
        "aud": identity.pool_id,
        "amr": ["unauthenticated"] if identity.login is None else ["authenticated"],
        "iat": now,
        "exp": now + OPEN_ID_TOKEN_SECONDS,
    }
    return {"IdentityId": identity.id, "Token": store.signing_key(ctx.store).sign(claims)}


def _new_credentials(ctx: ServerContext, identity_id: str) -> dict[str, Any]:
    """Random temporary credentials in AWS's formats (the session token says it is
    local), kept for the signed-request endpoint."""
    now = ctx.clock.now()
    issued = aws_keys.IssuedCredentials(
        "ASIA" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16)),
        secrets.token_urlsafe(30),
        "LocalCognitoIdentity/" + secrets.token_urlsafe(96),
        int(now) + ctx.credentials_seconds,
        identity_id,
    )
    with ctx.store.write() as conn:
        aws_keys.record(conn, issued, now)
    return {
        "AccessKeyId": issued.access_key_id,
        "SecretKey": issued.secret_access_key,
        "SessionToken": issued.session_token,
        "Expiration": int(issued.expires),
    }


ACTIONS: dict[str, Handler] = {
    "CreateIdentityPool": create_identity_pool,
    "DescribeIdentityPool": describe_identity_pool,
    "ListIdentityPools": list_identity_pools,
    "DeleteIdentityPool": delete_identity_pool,
    "GetId": get_id,
    "GetCredentialsForIdentity": get_credentials_for_identity,
    "GetOpenIdToken": get_open_id_token,
    "DeleteIdentities": delete_identities,
}
