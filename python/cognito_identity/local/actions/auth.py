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


def _client(ctx: ServerContext, request: Request, *, admin: bool) -> AppClient:
    conn = ctx.store.connection()
    if admin:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
    client = ctx.catalog.client(conn, request["ClientId"])
    if admin and client.pool_id != pool.id:
        raise ServiceError.client_not_found(client.id)
    return client


def _initiate(
    ctx: ServerContext, request: Request, flows: dict[str, Flow], admin: bool
) -> Response:
    client = _client(ctx, request, admin=admin)
    pool = ctx.catalog.pool(ctx.store.connection(), client.pool_id)
    begin = Begin(
        pool, client, request.get("AuthParameters", {}), request.get("ClientMetadata", {})
    )
    return initiate(ctx, flows, request["AuthFlow"], begin)


def _respond(ctx: ServerContext, request: Request, admin: bool) -> Response:
    answer = Answer(
        _client(ctx, request, admin=admin),
        request.get("Session"),
        request.get("ChallengeResponses", {}),
        request.get("ClientMetadata"),
    )
    return respond(ctx, request["ChallengeName"], answer)


def initiate_auth(ctx: ServerContext, request: Request) -> Response:
    return _initiate(ctx, request, FLOWS, admin=False)


def admin_initiate_auth(ctx: ServerContext, request: Request) -> Response:
    return _initiate(ctx, request, ADMIN_FLOWS, admin=True)


def respond_to_auth_challenge(ctx: ServerContext, request: Request) -> Response:
    return _respond(ctx, request, admin=False)


def admin_respond_to_auth_challenge(ctx: ServerContext, request: Request) -> Response:
    return _respond(ctx, request, admin=True)


ACTIONS: dict[str, Handler] = {
    "InitiateAuth": initiate_auth,
    "RespondToAuthChallenge": respond_to_auth_challenge,
    "AdminInitiateAuth": admin_initiate_auth,
    "AdminRespondToAuthChallenge": admin_respond_to_auth_challenge,
}
