"""Cognito calls as Locust request events.

A :class:`StepRecorder` is a call hook (:data:`~cognito_identity.client.CallHook`): the
client calls it after every attempt of every call, and it fires one Locust request event
named after the step (``InitiateAuth USER_SRP_AUTH``, ``RespondToAuthChallenge
PASSWORD_VERIFIER``, ``REFRESH_TOKEN_AUTH``, ``SignUp``...). The hook's record carries the
action but not the parameters, so :func:`drive` names each call before sending it.

A failed step is recorded under Cognito's error code (:class:`StepFailure`); the
throttling codes are set apart in :data:`THROTTLING_CODES` so reports count them as
throttling, not as a wrong password.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Callable, TypeVar, cast

from locust.event import Events

from cognito_identity.client import Call, CallRecord, CognitoClient, Flow
from cognito_identity.errors import CognitoClientException

__all__ = [
    "CALL",
    "CPU",
    "FLOW",
    "SRP_MATH",
    "THROTTLING_CODES",
    "StepFailure",
    "StepRecorder",
    "drive",
    "fire_event",
    "is_throttling",
    "step_name",
]

T = TypeVar("T")

#: Locust request types: one Cognito call, a whole flow, and client CPU time.
CALL = "cognito"
FLOW = "flow"
CPU = "cpu"

#: The client's SRP work during one sign-in (CPU time of the flow's own steps).
SRP_MATH = "srp client math"

#: Codes Cognito answers when a quota or rate limit is hit.
THROTTLING_CODES = frozenset(
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "LimitExceededException",
        "RequestLimitExceeded",
    }
)

# InitiateAuth flows named without the action, as load testers speak of them.
_REFRESH_FLOWS = frozenset({"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"})


def is_throttling(code: str) -> bool:
    """Whether ``code`` says Cognito refused the request for its rate, not its content."""
    return code in THROTTLING_CODES


class StepFailure(Exception):
    """The failure Locust records for a step or a flow: its repr is the error code alone,
    so Locust groups failures by code (``TooManyRequestsException``,
    ``NotAuthorizedException``, ...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def throttling(self) -> bool:
        """Whether the code is a throttling one."""
        return is_throttling(self.code)

    def __repr__(self) -> str:
        return self.code

    def __str__(self) -> str:
        return self.code


def step_name(action: str, params: Mapping[str, Any]) -> str:
    """The event name of a call: the action, with the auth flow or challenge it carries."""
    if action in ("InitiateAuth", "AdminInitiateAuth"):
        flow = str(params.get("AuthFlow", ""))
        if flow in _REFRESH_FLOWS:
            return "REFRESH_TOKEN_AUTH"
        return f"{action} {flow}" if flow else action
    if action in ("RespondToAuthChallenge", "AdminRespondToAuthChallenge"):
        challenge = str(params.get("ChallengeName", ""))
        return f"{action} {challenge}" if challenge else action
    return action


def fire_event(
    events: Events,
    request_type: str,
    name: str,
    response_time_ms: float,
    failure: StepFailure | None = None,
    **context: Any,
) -> None:
    """Fire one Locust request event (Locust's ``fire`` is untyped: this is its face)."""
    fire = cast(Callable[..., Any], events.request.fire)
    fire(
        request_type=request_type,
        name=name,
        response_time=response_time_ms,
        response_length=0,
        exception=failure,
        context=context,
    )


class StepRecorder:
    """A call hook firing one Locust request event per attempt of a call.

    The event's name is the one :meth:`naming` set for the call in progress, else the
    action; its response time is the attempt's (from the client's record), its failure
    the record's error code.
    """

    def __init__(self, events: Events) -> None:
        self._events = events
        self._name: str | None = None

    def naming(self, name: str | None) -> None:
        """Name the events of the next call (None: name them after the action)."""
        self._name = name

    def __call__(self, record: CallRecord) -> None:
        fire_event(
            self._events,
            CALL,
            self._name or record.action,
            record.elapsed * 1000.0,
            StepFailure(record.error) if record.error else None,
            attempt=record.attempt,
            status=record.status,
        )


def drive(client: CognitoClient, recorder: StepRecorder, flow: Flow[T]) -> tuple[T, float]:
    """Run ``flow`` on ``client`` as :meth:`CognitoClient.run` does, naming each call for
    ``recorder``; return the flow's result and the CPU seconds spent in the flow's own
    steps (its SRP math: no IO happens there)."""
    cpu = 0.0

    def advance(step: Any, *args: Any) -> Call:
        nonlocal cpu
        started = time.thread_time()
        try:
            call: Call = step(*args)
            return call
        finally:
            cpu += time.thread_time() - started

    try:
        call = advance(flow.__next__)
        while True:
            recorder.naming(step_name(call.action, call.params))
            try:
                answer = client.call(call.action, call.params, service=call.service)
            except CognitoClientException as error:
                call = advance(flow.throw, error)
            else:
                call = advance(flow.send, answer)
    except StopIteration as done:
        result: T = done.value
        return result, cpu
    finally:
        recorder.naming(None)
