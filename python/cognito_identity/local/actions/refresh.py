"""GetTokensFromRefreshToken: the client secret is checked here, the refresh (and the
rotation of the refresh token for a client that enables it) in
:mod:`cognito_identity.local.signin.refresh`."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient
from cognito_identity.local.signin.refresh import get_tokens

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]


def get_tokens_from_refresh_token(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    client = ctx.catalog.client(conn, request["ClientId"])
    _check_client_secret(client, request.get("ClientSecret"))
    pool = ctx.catalog.pool(conn, client.pool_id)
    return get_tokens(ctx, pool, client, request["RefreshToken"], request.get("DeviceKey"))


def _check_client_secret(client: AppClient, given: str | None) -> None:
    if client.secret is None:
        return
    if not given:
        raise ServiceError.not_authorized(
            f"Client {client.id} is configured for secret but secret was not received"
        )
    if not hmac.compare_digest(given.encode(), client.secret.encode()):
        raise ServiceError.not_authorized(f"Unable to verify secret for client {client.id}")


ACTIONS: dict[str, Handler] = {"GetTokensFromRefreshToken": get_tokens_from_refresh_token}
