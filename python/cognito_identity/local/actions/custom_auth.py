"""CUSTOM_AUTH: the define / create / verify auth challenge triggers drive the sign-in.

After each step (SRP_A, PASSWORD_VERIFIER, each CUSTOM_CHALLENGE answer) the define
trigger sees the session so far and answers with the next challenge, tokens, or failure;
tokens go through device SRP (when the request names a confirmed device) and MFA as any
sign-in does (custom -> device -> MFA). The challenge's private parameters stay on the
server, in the pending challenge.

Without registered triggers the pool uses :func:`default_triggers`: an optional password
step when the client sent SRP_A, then a six-digit code sent to the user's e-mail (or
phone) through the outbox, three tries.
"""

from __future__ import annotations

import hmac
import sqlite3
from typing import TYPE_CHECKING, Any

from cognito_identity.local.actions import mfa_sign_in
from cognito_identity.local.actions.sign_in import (
    check_answer_secret,
    claim_challenge,
    device_challenge,
    open_challenge,
    param,
)
from cognito_identity.local.directory import Delivery
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_code
from cognito_identity.local.models import AppClient, Pool, User
from cognito_identity.local.outbox import Message
from cognito_identity.local.triggers import TRIGGER_NAMES, Trigger, invoke

if TYPE_CHECKING:
    from cognito_identity.local.actions.base import Request, Response
    from cognito_identity.local.context import ServerContext

__all__ = [
    "CUSTOM_CHALLENGE",
    "MAX_CODE_TRIES",
    "PASSWORD_VERIFIER",
    "answer_custom_challenge",
    "default_triggers",
    "history_entry",
    "next_step",
]

PASSWORD_VERIFIER = "PASSWORD_VERIFIER"
CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE"
#: Wrong answers the default triggers accept before failing the sign-in.
MAX_CODE_TRIES = 3

History = tuple[dict[str, Any], ...]


def history_entry(name: str, result: bool, metadata: str | None = None) -> dict[str, Any]:
    """One element of the define trigger's ``request.session``."""
    return {"challengeName": name, "challengeResult": result, "challengeMetadata": metadata}


def _event(
    source: str,
    pool: Pool,
    client: AppClient,
    user: User,
    request: dict[str, Any],
) -> dict[str, Any]:
    attributes = {"sub": user.sub, **user.attributes, "cognito:user_status": user.status}
    return {
        "version": "1",
        "region": pool.id.split("_", 1)[0],
        "userPoolId": pool.id,
        "userName": user.username,
        "callerContext": {"awsSdkVersion": "cognito-identity-local", "clientId": client.id},
        "triggerSource": f"{source}_Authentication",
        "request": {"userAttributes": attributes, "userNotFound": False, **request},
        "response": {},
    }


def _run(
    ctx: ServerContext,
    name: str,
    pool: Pool,
    client: AppClient,
    user: User,
    request: dict[str, Any],
) -> dict[str, Any]:
    trigger = ctx.triggers.get(pool.id, name) or default_triggers(ctx)[name]
    return invoke(name, trigger, _event(TRIGGER_NAMES[name], pool, client, user, request))


def next_step(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    user: User,
    history: History,
    client_metadata: dict[str, str],
    device_key: str | None,
    *,
    password_allowed: bool = False,
) -> Response | None:
    """Ask the define trigger what follows ``history``: a CUSTOM_CHALLENGE (created now),
    the tokens (after device SRP when ``device_key`` names a confirmed device, and MFA),
    NotAuthorizedException, or None when it asks for PASSWORD_VERIFIER and
    ``password_allowed`` (the caller then runs SRP)."""
    decision = _run(
        ctx,
        "define_auth_challenge",
        pool,
        client,
        user,
        {"session": list(history), "clientMetadata": client_metadata},
    )
    if decision.get("failAuthentication"):
        raise ServiceError.not_authorized()
    if decision.get("issueTokens"):
        device = device_challenge(ctx, conn, pool, client, user, device_key)
        return device or mfa_sign_in.finish_sign_in(ctx, conn, pool, client, user, None)
    challenge = decision.get("challengeName")
    if challenge == PASSWORD_VERIFIER and password_allowed:
        return None
    if challenge != CUSTOM_CHALLENGE:
        raise ServiceError("InvalidLambdaResponseException", "Invalid lambda response")
    created = _run(
        ctx,
        "create_auth_challenge",
        pool,
        client,
        user,
        {
            "challengeName": CUSTOM_CHALLENGE,
            "session": list(history),
            "clientMetadata": client_metadata,
        },
    )
    public = _string_map(created.get("publicChallengeParameters"))
    metadata = created.get("challengeMetadata")
    return open_challenge(
        ctx,
        pool,
        client,
        user,
        {**public, "USERNAME": user.username},
        name=CUSTOM_CHALLENGE,
        custom_history=history,
        private_parameters=_string_map(created.get("privateChallengeParameters")),
        challenge_metadata=metadata if isinstance(metadata, str) else None,
        client_metadata=client_metadata,
    )


def _string_map(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ServiceError("InvalidLambdaResponseException", "Invalid lambda response")
    return {str(k): str(v) for k, v in value.items()}


def answer_custom_challenge(
    ctx: ServerContext, conn: sqlite3.Connection, pool: Pool, client: AppClient, request: Request
) -> Response:
    """RespondToAuthChallenge(CUSTOM_CHALLENGE): the verify trigger judges ``ANSWER``
    (with this request's ClientMetadata, else the sign-in's), then define decides."""
    responses = request.get("ChallengeResponses", {})
    username = check_answer_secret(client, responses)
    answer = param(responses, "ANSWER")
    pending, user = claim_challenge(
        ctx, conn, client, request.get("Session"), CUSTOM_CHALLENGE, username
    )
    metadata = request.get("ClientMetadata", pending.client_metadata)
    verdict = _run(
        ctx,
        "verify_auth_challenge_response",
        pool,
        client,
        user,
        {
            "privateChallengeParameters": pending.private_parameters,
            "challengeAnswer": answer,
            "clientMetadata": metadata,
        },
    )
    correct = verdict.get("answerCorrect") is True
    history = (
        *(pending.custom_history or ()),
        history_entry(CUSTOM_CHALLENGE, correct, pending.challenge_metadata),
    )
    step = next_step(ctx, conn, pool, client, user, history, metadata, responses.get("DEVICE_KEY"))
    assert step is not None
    return step


def default_triggers(ctx: ServerContext) -> dict[str, Trigger]:
    """The pool's custom auth when it registers none: the password if the client sent
    SRP_A, then a code from the outbox (e-mail, else SMS), :data:`MAX_CODE_TRIES` tries."""

    def define(event: dict[str, Any]) -> dict[str, Any]:
        session = event["request"]["session"]
        last = session[-1] if session else None
        response = event["response"]
        codes_wrong = sum(
            1
            for s in session
            if s["challengeName"] == CUSTOM_CHALLENGE and not s["challengeResult"]
        )
        if last is not None and last["challengeName"] == "SRP_A":
            response["challengeName"] = PASSWORD_VERIFIER
        elif (
            last is not None
            and last["challengeName"] == CUSTOM_CHALLENGE
            and last["challengeResult"]
        ):
            response["issueTokens"] = True
        elif codes_wrong >= MAX_CODE_TRIES:
            response["failAuthentication"] = True
        else:
            response["challengeName"] = CUSTOM_CHALLENGE
        return event

    def create(event: dict[str, Any]) -> dict[str, Any]:
        attributes = event["request"]["userAttributes"]
        if attributes.get("email"):
            delivery = Delivery("EMAIL", "email", attributes["email"])
        elif attributes.get("phone_number"):
            delivery = Delivery("SMS", "phone_number", attributes["phone_number"])
        else:
            raise ValueError("the user has no e-mail address or phone number for the code")
        code = new_code()
        now = ctx.clock.now()
        with ctx.store.write() as conn:
            ctx.outbox.send(
                conn,
                Message(
                    pool_id=event["userPoolId"],
                    username=event["userName"],
                    medium=delivery.medium,
                    destination=delivery.destination,
                    purpose="custom-auth",
                    code=code,
                    created=now,
                ),
            )
        shown = delivery.describe()
        event["response"] = {
            "publicChallengeParameters": {
                "CODE_DELIVERY_DELIVERY_MEDIUM": shown["DeliveryMedium"],
                "CODE_DELIVERY_DESTINATION": shown["Destination"],
            },
            "privateChallengeParameters": {"code": code},
            "challengeMetadata": "OUTBOX_CODE",
        }
        return event

    def verify(event: dict[str, Any]) -> dict[str, Any]:
        expected = str(event["request"]["privateChallengeParameters"].get("code", ""))
        given = str(event["request"]["challengeAnswer"])
        event["response"]["answerCorrect"] = bool(expected) and hmac.compare_digest(
            expected.encode(), given.encode()
        )
        return event

    return {
        "define_auth_challenge": define,
        "create_auth_challenge": create,
        "verify_auth_challenge_response": verify,
    }
