"""Cognito calls as Locust request events.

A :class:`StepRecorder` is a call hook (:data:`~cognito_identity.client.CallHook`): the
client calls it after every attempt of every call, and it fires one Locust request event
named after the step (``InitiateAuth USER_SRP_AUTH``, ``RespondToAuthChallenge
PASSWORD_VERIFIER``, ``REFRESH_TOKEN_AUTH``, ``SignUp``...) from what the client's
:class:`~cognito_identity.client.CallRecord` says: the action, the auth flow or challenge
it carries, the attempt's time and the answer's size. Flows run on the SDK's own runner
(:meth:`~cognito_identity.client.CognitoClient.run`), whose records also carry the CPU
time the flow spent on each call: the recorder sums it for the ``srp client math`` event.

A failed step is recorded under Cognito's error code (:class:`StepFailure`); the
throttling codes are set apart in :data:`THROTTLING_CODES` so reports count them as
throttling, not as a wrong password.
"""

from __future__ import annotations

from typing import Any, Callable, cast

from locust.event import Events

from cognito_identity.client import CallRecord

__all__ = [
    "CALL",
    "CPU",
    "FLOW",
    "SRP_MATH",
    "THROTTLING_CODES",
    "StepFailure",
    "StepRecorder",
    "fire_event",
    "is_throttling",
    "step_name",
]

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


def step_name(action: str, auth_step: str | None) -> str:
    """The event name of a call: the action, with the auth flow or challenge it carries
    (:attr:`~cognito_identity.client.CallRecord.auth_step`); a refresh by its flow alone."""
    if auth_step in _REFRESH_FLOWS:
        return "REFRESH_TOKEN_AUTH"
    return f"{action} {auth_step}" if auth_step else action


def fire_event(
    events: Events,
    request_type: str,
    name: str,
    response_time_ms: float,
    failure: StepFailure | None = None,
    response_length: int = 0,
    **context: Any,
) -> None:
    """Fire one Locust request event (Locust's ``fire`` is untyped: this is its face)."""
    fire = cast(Callable[..., Any], events.request.fire)
    fire(
        request_type=request_type,
        name=name,
        response_time=response_time_ms,
        response_length=response_length,
        exception=failure,
        context=context,
    )


class StepRecorder:
    """A call hook firing one Locust request event per attempt of a call: named by
    :func:`step_name`, timed and sized from the client's record, failed under the record's
    error code. :attr:`flow_cpu` sums the CPU seconds the flows run on the client spent
    working out their calls (read it before and after a flow for that flow's share)."""

    def __init__(self, events: Events) -> None:
        self._events = events
        self.flow_cpu = 0.0

    def __call__(self, record: CallRecord) -> None:
        self.flow_cpu += record.flow_cpu
        fire_event(
            self._events,
            CALL,
            step_name(record.action, record.auth_step),
            record.elapsed * 1000.0,
            StepFailure(record.error) if record.error else None,
            record.response_length,
            attempt=record.attempt,
            status=record.status,
        )
