"""Sign-in through an OIDC identity provider, as the hosted UI does it: to the provider's
authorize endpoint, back to ``/oauth2/idpresponse``, the code exchanged with the provider,
its id token checked, and the federated user created or updated in the pool.

The provider is any OIDC issuer reachable over HTTP, such as another local pool
(``oidc_issuer`` = ``<its endpoint>/<its pool id>``, whose app client lists
``<this endpoint>/oauth2/idpresponse`` as a callback URL). The federated user is named
``<provider>_<subject>``, has the status ``EXTERNAL_PROVIDER``, the provider's claims
under the names the attribute mapping gives them, and an ``identities`` attribute that
becomes the id token's ``identities`` claim. As in Cognito, it is put in the group
``<pool id>_<provider>`` (made at the provider's first sign-in), so its tokens carry that
group in ``cognito:groups``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import requests

from cognito_identity.errors import CognitoError
from cognito_identity.jwt import JsonWebKeySet
from cognito_identity.local import groups, user_records
from cognito_identity.local.directory import STANDARD_ATTRIBUTES, NewUser, insert_user
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_uuid
from cognito_identity.local.models import Pool, User
from cognito_identity.local.oauth import links, records

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "IDP_RESPONSE",
    "PENDING_SECONDS",
    "FederationError",
    "PendingSignIn",
    "Provider",
    "federated_user",
    "find_provider",
    "upstream_authorize_url",
]

IDP_RESPONSE = "/oauth2/idpresponse"
#: How long a sign-in may stay at the provider before coming back.
PENDING_SECONDS = 600
EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"
_TIMEOUT = 10.0


class FederationError(Exception):
    """The provider could not be reached, refused, or answered something unusable; the
    message (never a token or secret) becomes the redirect's ``error_description``."""


@dataclass(frozen=True)
class PendingSignIn:
    """An authorize request waiting for its provider: the request's own fields."""

    fields: dict[str, str]
    expires: float


@dataclass(frozen=True)
class Provider:
    """An identity provider of a pool, as CreateIdentityProvider stored it."""

    pool_id: str
    name: str
    kind: str
    details: Mapping[str, str] = field(repr=False)
    mapping: Mapping[str, str]


def find_provider(ctx: ServerContext, pool_id: str, name: str) -> Provider | None:
    """The pool's provider ``name``, or None."""
    found = records.find_provider(ctx.store.connection(), pool_id, name)
    if found is None:
        return None
    return Provider(
        pool_id,
        name,
        found["ProviderType"],
        dict(found["ProviderDetails"]),
        dict(found.get("AttributeMapping") or {}),
    )


def _redirect_uri(ctx: ServerContext) -> str:
    return f"{ctx.endpoint}{IDP_RESPONSE}"


def _get_json(url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = requests.request(kwargs.pop("method", "GET"), url, timeout=_TIMEOUT, **kwargs)
        document = response.json()
    except (requests.RequestException, ValueError):
        raise FederationError("The identity provider could not be reached.") from None
    if not isinstance(document, dict):
        raise FederationError("The identity provider answered something unusable.")
    if response.status_code != 200:
        error = document.get("error", "")
        raise FederationError(f"The identity provider refused: {error}".rstrip(": "))
    return document


def _endpoints(provider: Provider) -> dict[str, str]:
    """The provider's endpoints: those its details give, else from its issuer's discovery
    document (as Cognito reads them)."""
    details = provider.details
    given = {
        "authorization_endpoint": details.get("authorize_url"),
        "token_endpoint": details.get("token_url"),
        "userinfo_endpoint": details.get("attributes_url"),
        "jwks_uri": details.get("jwks_uri"),
    }
    if all(given.values()):
        return {name: str(url) for name, url in given.items()}
    issuer = details["oidc_issuer"].rstrip("/")
    discovered = _get_json(f"{issuer}/.well-known/openid-configuration")
    endpoints: dict[str, str] = {}
    for name, url in given.items():
        value = url or discovered.get(name)
        if isinstance(value, str):
            endpoints[name] = value
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if name not in endpoints:
            raise FederationError(f"The identity provider's discovery document lacks {name}.")
    return endpoints


def upstream_authorize_url(
    ctx: ServerContext, provider: Provider, state: str, prompt: str | None = None
) -> str:
    """Where the browser goes to sign in at ``provider``, coming back with ``state``;
    the authorize request's ``prompt``, if any, goes along (as Cognito forwards it)."""
    if provider.kind != "OIDC":
        raise FederationError(f"Sign-in through {provider.kind} providers is not simulated.")
    query = {
        "response_type": "code",
        "client_id": provider.details["client_id"],
        "redirect_uri": _redirect_uri(ctx),
        "scope": provider.details["authorize_scopes"],
        "state": state,
    }
    if prompt:
        query["prompt"] = prompt
    return f"{_endpoints(provider)['authorization_endpoint']}?{urlencode(query)}"


def _provider_claims(ctx: ServerContext, provider: Provider, code: str) -> dict[str, Any]:
    """Exchange ``code`` at the provider and return its user's claims: the checked id
    token's, then what the userInfo endpoint adds."""
    endpoints = _endpoints(provider)
    client_id = provider.details["client_id"]
    secret = provider.details.get("client_secret")
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": _redirect_uri(ctx)}
    if secret:
        tokens = _get_json(
            endpoints["token_endpoint"], method="POST", data=form, auth=(client_id, secret)
        )
    else:
        tokens = _get_json(
            endpoints["token_endpoint"], method="POST", data={**form, "client_id": client_id}
        )
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise FederationError("The identity provider sent no id token (is openid a scope?).")
    try:
        keys = JsonWebKeySet.from_dict(_get_json(endpoints["jwks_uri"]))
        claims = keys.verify(id_token)
    except CognitoError:
        raise FederationError("The identity provider's id token does not verify.") from None
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if claims.get("iss") != provider.details["oidc_issuer"].rstrip("/"):
        raise FederationError("The id token comes from another issuer.")
    if client_id not in audiences:
        raise FederationError("The id token is for another client.")
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] <= ctx.clock.now():
        raise FederationError("The id token has expired.")
    if not isinstance(claims.get("sub"), str):
        raise FederationError("The id token has no subject.")
    access_token = tokens.get("access_token")
    info_url = endpoints.get("userinfo_endpoint")
    if isinstance(access_token, str) and info_url:
        method = provider.details.get("attributes_request_method", "GET")
        info = _get_json(
            info_url, method=method, headers={"Authorization": f"Bearer {access_token}"}
        )
        claims = {**info, **claims}
    return claims


def _claim_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def _mapped_attributes(pool: Pool, provider: Provider, claims: Mapping[str, Any]) -> dict[str, str]:
    """The pool attributes the mapping fills from the provider's claims."""
    attributes: dict[str, str] = {}
    for attribute, claim in provider.mapping.items():
        known = attribute in STANDARD_ATTRIBUTES or attribute in pool.custom_attributes
        if known and claim in claims and claims[claim] is not None:
            attributes[attribute] = _claim_text(claims[claim])
    return attributes


def federated_user(ctx: ServerContext, pool: Pool, provider: Provider, code: str) -> User:
    """The pool's user for the provider's user behind ``code``: the user its identity is
    linked to (AdminLinkProviderForUser), else ``<provider>_<subject>``, created at the
    first sign-in; its mapped attributes are refreshed at every sign-in (as Cognito
    does)."""
    claims = _provider_claims(ctx, provider, code)
    subject_claim = provider.mapping.get("username", "sub")
    subject = claims.get(subject_claim)
    if not isinstance(subject, str) or not subject:
        raise FederationError(f"The provider's claims have no {subject_claim}.")
    username = f"{provider.name}_{subject}"
    mapped = _mapped_attributes(pool, provider, claims)
    now = ctx.clock.now()
    identity = {"provider": provider.name, "provider_type": provider.kind, "subject": subject}
    with ctx.store.write() as conn:
        linked = links.linked_username_key(conn, pool.id, provider.name, subject, mapped)
        existing = user_records.load_user(conn, pool.id, linked or pool.key(username))
        if existing is not None:
            if not existing.enabled:
                raise FederationError("User is disabled.")
            attributes = {**existing.attributes, **mapped}
            if linked is not None:
                attributes = links.with_identity(attributes, **identity, now=now, primary=False)
                links.remember_subject(conn, pool.id, provider.name, subject, linked)
            user_records.save_attributes(conn, pool, existing, attributes, now)
            return user_records.load_user(conn, pool.id, existing.username_key) or existing
        attributes = links.with_identity(mapped, **identity, now=now, primary=True)
        new = NewUser(username, new_uuid(), attributes)
        try:
            user = insert_user(
                conn,
                pool,
                new=new,
                status=EXTERNAL_PROVIDER,
                credentials=None,
                now=now,
                exists_message="User already exists",
            )
        except ServiceError as error:
            raise FederationError(error.message) from None
        groups.add_member(conn, _provider_group(conn, pool, provider, now), user)
        return user


def _provider_group(
    conn: sqlite3.Connection, pool: Pool, provider: Provider, now: float
) -> groups.Group:
    """The group Cognito keeps for the provider's users, ``<pool id>_<provider>``, made
    when its first user signs in (or the group of that name an administrator made)."""
    name = f"{pool.id}_{provider.name}"
    try:
        return groups.load_group(conn, pool.id, name)
    except ServiceError:
        description = f"Autogenerated group for users who sign in using {provider.name}"
        group = groups.Group(pool.id, name, description, None, None, now, now)
        groups.create_group(conn, group)
        return group
