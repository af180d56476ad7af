"""Lambda triggers as Python callables: what a pool runs where Cognito would invoke Lambda.

Register them per pool on the running server::

    def define(event):
        event["response"]["issueTokens"] = ...
        return event

    local.triggers.register(pool_id, define_auth_challenge=define, ...)

A trigger takes the event Cognito would send (``request`` filled in, ``response`` empty)
and returns it with ``response`` filled in, exactly as a Lambda handler does, so handler
code can be tried here unchanged. A trigger that raises makes the action fail with
``UserLambdaValidationException`` ("<Trigger> failed with error <message>."), one that
returns something else than the event with a ``response`` object with
``InvalidLambdaResponseException``.

Each custom auth trigger (define, create, verify auth challenge) a pool does not
register falls back to its default in :mod:`cognito_identity.local.signin.custom`
(a code sent to the outbox); register all three to replace the whole flow. Pre sign-up
and pre token generation are described in :mod:`cognito_identity.local.trigger_events`,
pre and post authentication in :mod:`cognito_identity.local.signin.hooks`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from cognito_identity.local.errors import ServiceError

__all__ = ["TRIGGER_NAMES", "Trigger", "Triggers", "invoke"]

Trigger = Callable[[dict[str, Any]], dict[str, Any]]

#: The triggers a pool can register: keyword -> the name Cognito's errors use.
TRIGGER_NAMES = {
    "define_auth_challenge": "DefineAuthChallenge",
    "create_auth_challenge": "CreateAuthChallenge",
    "verify_auth_challenge_response": "VerifyAuthChallengeResponse",
    "pre_sign_up": "PreSignUp",
    "pre_token_generation": "PreTokenGeneration",
    "pre_authentication": "PreAuthentication",
    "post_authentication": "PostAuthentication",
}


class Triggers:
    """The triggers registered for each pool (thread-safe)."""

    def __init__(self) -> None:
        self._by_pool: dict[str, dict[str, Trigger]] = {}
        self._lock = threading.Lock()

    def register(self, pool_id: str, **triggers: Trigger | None) -> None:
        """Set (or, with None, remove) the pool's triggers, named as in
        :data:`TRIGGER_NAMES` (``define_auth_challenge=...``)."""
        unknown = set(triggers) - set(TRIGGER_NAMES)
        if unknown:
            raise ValueError(f"unknown trigger(s): {', '.join(sorted(unknown))}")
        with self._lock:
            current = self._by_pool.setdefault(pool_id, {})
            for name, trigger in triggers.items():
                if trigger is None:
                    current.pop(name, None)
                else:
                    current[name] = trigger

    def get(self, pool_id: str, name: str) -> Trigger | None:
        """The pool's trigger ``name``, if registered."""
        with self._lock:
            return self._by_pool.get(pool_id, {}).get(name)


def invoke(name: str, trigger: Trigger, event: dict[str, Any]) -> dict[str, Any]:
    """Run ``trigger`` on ``event`` and return its ``response``, or raise the error
    Cognito gives for a failing or malformed trigger."""
    label = TRIGGER_NAMES[name]
    try:
        result = trigger(event)
    except Exception as error:  # a trigger is user code: any failure is the trigger's
        raise ServiceError.lambda_validation(label, error) from error
    response = result.get("response") if isinstance(result, dict) else None
    if not isinstance(response, dict):
        raise ServiceError.invalid_lambda_response()
    return response
