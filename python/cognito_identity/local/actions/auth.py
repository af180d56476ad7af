"""Sign-in actions: InitiateAuth, RespondToAuthChallenge and their admin counterparts,
AdminInitiateAuth and AdminRespondToAuthChallenge. They read the request and hand it to
the sign-in state machine (:mod:`cognito_identity.local.signin`).

The admin calls name the pool (UserPoolId) as well as the client, which must belong to
it; they take every flow InitiateAuth takes, with ADMIN_USER_PASSWORD_AUTH (or
ADMIN_NO_SRP_AUTH) in place of USER_PASSWORD_AUTH.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient
from cognito_identity.local.signin.answers import Answer, respond
from cognito_identity.local.signin.flows import ADMIN_FLOWS, FLOWS, Begin, Flow, initiate

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]


def _client(ctx: ServerContext, request: Request) -> AppClient:
    """The request's app client; an admin call's UserPoolId must be the client's pool."""
    conn = ctx.store.connection()
    pool_id = request.get("UserPoolId")
    if pool_id is not None:
        ctx.catalog.pool(conn, pool_id)  # an unknown pool is reported as such first
    client = ctx.catalog.client(conn, request["ClientId"])
    if pool_id is not None and client.pool_id != pool_id:
        raise ServiceError.client_not_found(client.id)
    return client


def _initiate(ctx: ServerContext, request: Request, flows: dict[str, Flow]) -> Response:
    client = _client(ctx, request)
    pool = ctx.catalog.pool(ctx.store.connection(), client.pool_id)
    begin = Begin(
        pool, client, request.get("AuthParameters", {}), request.get("ClientMetadata", {})
    )
    return initiate(ctx, flows, request["AuthFlow"], begin)


def respond_to_auth_challenge(ctx: ServerContext, request: Request) -> Response:
    """RespondToAuthChallenge, and AdminRespondToAuthChallenge (whose UserPoolId
    :func:`_client` checks)."""
    answer = Answer(
        _client(ctx, request),
        request.get("Session"),
        request.get("ChallengeResponses", {}),
        request.get("ClientMetadata"),
    )
    return respond(ctx, request["ChallengeName"], answer)


def initiate_auth(ctx: ServerContext, request: Request) -> Response:
    return _initiate(ctx, request, FLOWS)


def admin_initiate_auth(ctx: ServerContext, request: Request) -> Response:
    return _initiate(ctx, request, ADMIN_FLOWS)


ACTIONS: dict[str, Handler] = {
    "InitiateAuth": initiate_auth,
    "RespondToAuthChallenge": respond_to_auth_challenge,
    "AdminInitiateAuth": admin_initiate_auth,
    "AdminRespondToAuthChallenge": respond_to_auth_challenge,
}
