"""CUSTOM_AUTH: the define / create / verify auth challenge triggers.

After each step (SRP_A, PASSWORD_VERIFIER, each CUSTOM_CHALLENGE answer) the define
trigger sees the session so far and answers with the next challenge, tokens, or failure
(:func:`.machine.advance` acts on it). The challenge's private parameters stay on the
server, in the challenge's payload.

Without registered triggers the pool uses :func:`default_triggers`: an optional password
step when the client sent SRP_A, then a six-digit code sent to the user's e-mail (or
phone) through the outbox, three tries.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cognito_identity.local.directory import Delivery
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_code
from cognito_identity.local.outbox import Message
from cognito_identity.local.signin.hooks import run
from cognito_identity.local.signin.state import CustomHistory, SignIn
from cognito_identity.local.triggers import Trigger

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "CUSTOM_CHALLENGE",
    "MAX_CODE_TRIES",
    "PASSWORD_VERIFIER",
    "Created",
    "Decision",
    "create",
    "default_triggers",
    "define",
    "history_entry",
    "verify",
]

PASSWORD_VERIFIER = "PASSWORD_VERIFIER"
CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE"
#: Wrong answers the default triggers accept before failing the sign-in.
MAX_CODE_TRIES = 3


def history_entry(name: str, result: bool, metadata: str | None = None) -> dict[str, Any]:
    """One element of the define trigger's ``request.session``."""
    return {"challengeName": name, "challengeResult": result, "challengeMetadata": metadata}


@dataclass(frozen=True)
class Decision:
    """The define trigger's answer: fail, issue tokens, or the next challenge's name."""

    fail: bool
    issue_tokens: bool
    challenge: object


@dataclass(frozen=True)
class Created:
    """A custom challenge from the create trigger."""

    public: dict[str, str]
    private: dict[str, str]
    metadata: str | None


def _run(ctx: ServerContext, sign_in: SignIn, name: str, request: dict[str, Any]) -> dict[str, Any]:
    answer = run(ctx, sign_in, name, request, default_triggers(ctx)[name])
    assert answer is not None  # there is always a default
    return answer


def define(ctx: ServerContext, sign_in: SignIn, history: CustomHistory) -> Decision:
    """Ask the define trigger what follows ``history``."""
    decision = _run(
        ctx,
        sign_in,
        "define_auth_challenge",
        {
            "session": list(history),
            "clientMetadata": sign_in.client_metadata,
            "userNotFound": False,
        },
    )
    return Decision(
        fail=bool(decision.get("failAuthentication")),
        issue_tokens=bool(decision.get("issueTokens")),
        challenge=decision.get("challengeName"),
    )


def create(ctx: ServerContext, sign_in: SignIn, history: CustomHistory) -> Created:
    """Ask the create trigger for the next CUSTOM_CHALLENGE."""
    created = _run(
        ctx,
        sign_in,
        "create_auth_challenge",
        {
            "challengeName": CUSTOM_CHALLENGE,
            "session": list(history),
            "clientMetadata": sign_in.client_metadata,
            "userNotFound": False,
        },
    )
    metadata = created.get("challengeMetadata")
    return Created(
        public=_string_map(created.get("publicChallengeParameters")),
        private=_string_map(created.get("privateChallengeParameters")),
        metadata=metadata if isinstance(metadata, str) else None,
    )


def verify(
    ctx: ServerContext,
    sign_in: SignIn,
    private: dict[str, str],
    answer: str,
    client_metadata: dict[str, str],
) -> bool:
    """Ask the verify trigger whether ``answer`` meets the challenge."""
    verdict = _run(
        ctx,
        sign_in,
        "verify_auth_challenge_response",
        {
            "privateChallengeParameters": private,
            "challengeAnswer": answer,
            "clientMetadata": client_metadata,
            "userNotFound": False,
        },
    )
    return verdict.get("answerCorrect") is True


def _string_map(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ServiceError.invalid_lambda_response()
    return {str(k): str(v) for k, v in value.items()}


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
