"""Linking external identities to a pool's users: AdminLinkProviderForUser and
AdminDisableProviderForUser.

A linked identity's federated sign-in (the hosted UI's ``/oauth2/idpresponse``) signs in
as the user it is linked to, which then lists it in its ``identities`` attribute (see
:mod:`cognito_identity.local.oauth.links`). Disabling an identity removes its links, ends
the sessions made through it, and disables its ``<provider>_<subject>`` user, if any.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cognito_identity.local import user_records
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import Pool, User, find_user
from cognito_identity.local.oauth import links, login_sessions, records

if TYPE_CHECKING:
    import sqlite3

    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

#: The provider name that stands for the pool's own users.
_COGNITO = "Cognito"


def _provider_type(conn: sqlite3.Connection, pool_id: str, name: str) -> str:
    found = records.find_provider(conn, pool_id, name)
    if found is None:
        raise ServiceError.invalid_parameter(f"The provider {name} does not exist for this pool.")
    return str(found["ProviderType"])


def _identity(request: Request, member: str) -> tuple[str, str, str]:
    """ProviderName, ProviderAttributeName and ProviderAttributeValue of ``member``."""
    given = request[member]
    name, attribute, value = (
        given.get("ProviderName"),
        given.get("ProviderAttributeName"),
        given.get("ProviderAttributeValue"),
    )
    if not name or not value:
        raise ServiceError.invalid_parameter(
            f"{member} needs ProviderName and ProviderAttributeValue."
        )
    return name, attribute or "", value


def _destination(conn: sqlite3.Connection, pool: Pool, request: Request) -> User:
    """The user to link to: a user of the pool (``Cognito``, by username or alias), or
    a federated one (its provider's name and its subject)."""
    name, _, value = _identity(request, "DestinationUser")
    if name.lower() == _COGNITO.lower():
        user = find_user(conn, pool, value)
    else:
        _provider_type(conn, pool.id, name)
        user = user_records.load_user(conn, pool.id, pool.key(f"{name}_{value}"))
    if user is None:
        raise ServiceError.user_not_found()
    return user


def admin_link_provider_for_user(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        provider, attribute, value = _identity(request, "SourceUser")
        if provider.lower() == _COGNITO.lower():
            raise ServiceError.invalid_parameter("SourceUser must be a federated identity.")
        if not attribute:
            raise ServiceError.invalid_parameter("SourceUser needs ProviderAttributeName.")
        provider_type = _provider_type(conn, pool.id, provider)
        user = _destination(conn, pool, request)
        existing = links.find_link(conn, pool.id, provider, attribute, value)
        if existing is not None:
            if existing.username_key == user.username_key:
                return {}
            raise ServiceError("AliasExistsException", "This identity is already linked.")
        if attribute == links.COGNITO_SUBJECT and (
            user_records.load_user(conn, pool.id, pool.key(f"{provider}_{value}")) is not None
        ):
            # As Cognito: an identity that has signed in already has a user of its own.
            raise ServiceError.invalid_parameter(
                "Merging is not currently supported, provide a SourceUser that has not"
                " been linked to a user pool"
            )
        if links.count_links(conn, pool.id, user.username_key) >= links.MAX_LINKS:
            raise ServiceError.limit_exceeded(
                f"A user may have at most {links.MAX_LINKS} linked identities."
            )
        now = ctx.clock.now()
        links.insert_link(
            conn, links.Link(pool.id, provider, attribute, value, user.username_key), now
        )
        if attribute == links.COGNITO_SUBJECT:
            attributes = links.with_identity(
                user.attributes,
                provider=provider,
                provider_type=provider_type,
                subject=value,
                now=now,
                primary=False,
            )
            user_records.save_attributes(conn, pool, user, attributes, now)
    return {}


def admin_disable_provider_for_user(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        provider, attribute, value = _identity(request, "User")
        if provider.lower() == _COGNITO.lower():
            raise ServiceError.invalid_parameter(
                "The local pool does not turn off a user's own password: use AdminDisableUser."
            )
        _provider_type(conn, pool.id, provider)
        now = ctx.clock.now()
        found = False
        for username_key, subject in links.unlink(conn, pool.id, provider, attribute, value):
            found = True
            user = user_records.load_user(conn, pool.id, username_key)
            if user is None:
                continue
            attributes = links.without_identity(user.attributes, provider, subject)
            user_records.save_attributes(conn, pool, user, attributes, now)
            login_sessions.end_provider_sessions(conn, user, provider)
        if attribute == links.COGNITO_SUBJECT:
            federated = user_records.load_user(conn, pool.id, pool.key(f"{provider}_{value}"))
            if federated is not None:
                found = True
                user_records.set_enabled(conn, federated, False, now)
                user_records.revoke_sessions(conn, federated)
        if not found:
            raise ServiceError.user_not_found()
    return {}


ACTIONS: dict[str, Handler] = {
    "AdminLinkProviderForUser": admin_link_provider_for_user,
    "AdminDisableProviderForUser": admin_disable_provider_for_user,
}
