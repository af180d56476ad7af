"""Signed-in users: GetUser, GlobalSignOut, RevokeToken."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from cognito_identity.local.actions.account import mfa_description
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.policy import access_token_user
from cognito_identity.local.tokens import token_digest
from cognito_identity.local.user_records import revoke_refresh_token, revoke_tokens

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]


def get_user(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    _, user = access_token_user(ctx, conn, request["AccessToken"])
    return {
        "Username": user.username,
        "UserAttributes": user.attribute_list(),
        **mfa_description(conn, user),
    }


def global_sign_out(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        _, user = access_token_user(ctx, conn, request["AccessToken"])
        revoke_tokens(conn, user)
    return {}


def revoke_token(ctx: ServerContext, request: Request) -> Response:
    token = request["Token"]
    with ctx.store.write() as conn:
        client = ctx.catalog.client(conn, request["ClientId"])
        if client.secret is not None:
            given = request.get("ClientSecret", "")
            if not hmac.compare_digest(given.encode(), client.secret.encode()):
                raise ServiceError.unauthorized("Invalid client secret.")
        if not client.token_revocation:
            raise ServiceError.unsupported_operation(
                "Token revocation is not enabled for this client."
            )
        if token.count(".") == 2:
            # A JWT: id and access tokens cannot be revoked, only refresh tokens.
            raise ServiceError.unsupported_token_type()
        issued_to = revoke_refresh_token(conn, token_digest(token))
        # RFC 7009: revoking an unknown token succeeds and changes nothing.
        if issued_to is not None and issued_to != client.id:
            # Raising rolls the revocation back.
            raise ServiceError.unauthorized("Token was not issued to this client.")
    return {}


ACTIONS: dict[str, Handler] = {
    "GetUser": get_user,
    "GlobalSignOut": global_sign_out,
    "RevokeToken": revoke_token,
}
