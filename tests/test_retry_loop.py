"""The retry loop both clients share: a pause that overruns the deadline ends the call
with the error that was being retried, and errors keep their causes."""

from __future__ import annotations

import asyncio
import time

import pytest

from cognito_identity._protocol import HttpResponse
from cognito_identity.client import AsyncCognitoClient, CognitoClient, RetryPolicy
from cognito_identity.errors import CognitoConnectError, TooManyRequestsException
from cognito_identity.transports import MockRequest, MockTransport

URL = "https://cognito-idp.eu-west-1.amazonaws.com/"
THROTTLED = HttpResponse(
    400,
    {"Content-Type": "application/x-amz-json-1.1"},
    b'{"__type": "TooManyRequestsException", "message": "slow down"}',
)
POLICY = RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.01)


def test_a_pause_that_overruns_the_deadline_ends_the_call_with_the_last_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    transport = MockTransport(lambda _: THROTTLED)
    client = CognitoClient(URL, transport=transport, retry=POLICY, deadline=0.3)
    real_sleep = time.sleep
    # A loaded machine: the 10 ms pause takes 400 ms.
    monkeypatch.setattr("cognito_identity.client.time.sleep", lambda _: real_sleep(0.4))
    with pytest.raises(TooManyRequestsException):
        client.call("InitiateAuth", {})
    assert len(transport.requests) == 1


def test_the_same_with_asyncio(monkeypatch: pytest.MonkeyPatch) -> None:
    real_sleep = asyncio.sleep

    async def overrun(_: float) -> None:
        await real_sleep(0.4)

    monkeypatch.setattr("cognito_identity.client.asyncio.sleep", overrun)

    async def main() -> int:
        transport = MockTransport(lambda _: THROTTLED)
        async with AsyncCognitoClient(
            URL, transport=transport, retry=POLICY, deadline=0.3
        ) as client:
            with pytest.raises(TooManyRequestsException):
                await client.call("InitiateAuth", {})
        return len(transport.requests)

    assert asyncio.run(main()) == 1


def test_a_transport_error_keeps_its_cause_through_the_retries() -> None:
    cause = ConnectionRefusedError("refused")

    def refuse(_: MockRequest) -> HttpResponse:
        raise CognitoConnectError("cannot connect") from cause

    transport = MockTransport(refuse)
    client = CognitoClient(URL, transport=transport, retry=POLICY)
    with pytest.raises(CognitoConnectError) as caught:
        client.call("InitiateAuth", {})
    assert caught.value.__cause__ is cause
    assert len(transport.requests) == POLICY.max_attempts
