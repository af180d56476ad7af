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

A pool configured the AWS way, with Lambda ARNs in its ``LambdaConfig`` (CreateUserPool,
UpdateUserPool), runs the Python function registered under each ARN::

    local.triggers.register_function("arn:aws:lambda:us-east-1:000000000000:function:f", f)

A trigger registered for the pool by name wins over one its LambdaConfig names; an ARN
with no function registered is skipped, as if the pool had no such trigger.

Each custom auth trigger (define, create, verify auth challenge) a pool does not
register falls back to its default in :mod:`cognito_identity.local.signin.custom`
(a code sent to the outbox); register all three to replace the whole flow. Pre sign-up,
pre token generation and post confirmation are described in
:mod:`cognito_identity.local.trigger_events` (version 2 of pre token generation in
:mod:`cognito_identity.local.token_generation_v2`), custom message in
:mod:`cognito_identity.local.messages`, pre and post authentication in
:mod:`cognito_identity.local.signin.hooks`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from cognito_identity.local.errors import ServiceError

__all__ = ["LAMBDA_CONFIG_KEYS", "TRIGGER_NAMES", "Trigger", "Triggers", "invoke"]

Trigger = Callable[[dict[str, Any]], dict[str, Any]]
#: Reads a pool's LambdaConfig (empty for a pool that does not exist).
LambdaConfigs = Callable[[str], dict[str, Any]]

#: The triggers a pool can register: keyword -> the name Cognito's errors use.
TRIGGER_NAMES = {
    "define_auth_challenge": "DefineAuthChallenge",
    "create_auth_challenge": "CreateAuthChallenge",
    "verify_auth_challenge_response": "VerifyAuthChallengeResponse",
    "pre_sign_up": "PreSignUp",
    "pre_token_generation": "PreTokenGeneration",
    "pre_token_generation_v2": "PreTokenGeneration",
    "post_confirmation": "PostConfirmation",
    "custom_message": "CustomMessage",
    "pre_authentication": "PreAuthentication",
    "post_authentication": "PostAuthentication",
}

#: LambdaConfig member -> the trigger it configures (PreTokenGenerationConfig by version).
LAMBDA_CONFIG_KEYS = {
    "PreSignUp": "pre_sign_up",
    "CustomMessage": "custom_message",
    "PostConfirmation": "post_confirmation",
    "PreAuthentication": "pre_authentication",
    "PostAuthentication": "post_authentication",
    "DefineAuthChallenge": "define_auth_challenge",
    "CreateAuthChallenge": "create_auth_challenge",
    "VerifyAuthChallengeResponse": "verify_auth_challenge_response",
    "PreTokenGeneration": "pre_token_generation",
}
_TOKEN_GENERATION_VERSIONS = {"V1_0": "pre_token_generation", "V2_0": "pre_token_generation_v2"}


def _configured(lambda_config: dict[str, Any]) -> dict[str, str]:
    """Trigger name -> ARN, from a pool's LambdaConfig."""
    arns = {
        name: str(lambda_config[key])
        for key, name in LAMBDA_CONFIG_KEYS.items()
        if lambda_config.get(key)
    }
    versioned = lambda_config.get("PreTokenGenerationConfig")
    if isinstance(versioned, dict):
        name = _TOKEN_GENERATION_VERSIONS.get(str(versioned.get("LambdaVersion")))
        if name is not None and versioned.get("LambdaArn"):
            arns.pop("pre_token_generation", None)
            arns[name] = str(versioned["LambdaArn"])
    return arns


class Triggers:
    """The triggers registered for each pool (thread-safe)."""

    def __init__(self) -> None:
        self._by_pool: dict[str, dict[str, Trigger]] = {}
        self._functions: dict[str, Trigger] = {}
        self._lambda_configs: LambdaConfigs = lambda pool_id: {}
        self._lock = threading.Lock()

    def read_lambda_configs_with(self, lambda_configs: LambdaConfigs) -> None:
        """Where the pools' LambdaConfig comes from (set once by the server)."""
        self._lambda_configs = lambda_configs

    def register_function(self, arn: str, function: Trigger | None) -> None:
        """Make ``function`` the Lambda function ``arn`` (None removes it), for the pools
        whose LambdaConfig names that ARN."""
        with self._lock:
            if function is None:
                self._functions.pop(arn, None)
            else:
                self._functions[arn] = function

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
        """The pool's trigger ``name``: registered for the pool, or the function of the
        ARN its LambdaConfig names."""
        with self._lock:
            trigger = self._by_pool.get(pool_id, {}).get(name)
            if trigger is not None or not self._functions:
                return trigger
        arn = _configured(self._lambda_configs(pool_id)).get(name)
        with self._lock:
            return None if arn is None else self._functions.get(arn)


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
