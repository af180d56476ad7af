"""The client layer without Cognito: the protocol, MockTransport, retries, the whole-call
deadline against a server that drips its answer, logging and call hooks."""

from __future__ import annotations

import asyncio
import datetime
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from dripping import dripping_server

from cognito_identity._protocol import MAX_ERROR_MESSAGE, HttpResponse
from cognito_identity.client import (
    AsyncCognitoClient,
    Call,
    CallRecord,
    CognitoClient,
    Flow,
    RetryPolicy,
)
from cognito_identity.errors import (
    CognitoConnectError,
    CognitoResponseError,
    CognitoTimeoutError,
    InvalidArgumentTypeError,
    InvalidConfigurationError,
    NotAuthorizedException,
    TooManyRequestsException,
)
from cognito_identity.transports import MockRequest, MockTransport

URL = "https://cognito-idp.eu-west-1.amazonaws.com/"


def error(code: str, message: str = "refused", status: int = 400) -> HttpResponse:
    body = f'{{"__type": "{code}", "message": {message!r}}}'.replace("'", '"').encode()
    return HttpResponse(status, {"Content-Type": "application/x-amz-json-1.1"}, body)


def test_mock_transport_sees_the_decoded_call_and_answers_json() -> None:
    transport = MockTransport(lambda request: {"echo": request.params["Username"]})
    client = CognitoClient(URL, transport=transport)
    assert client.call("GetUser", {"Username": "ann", "Skipped": None}) == {"echo": "ann"}
    (sent,) = transport.requests
    assert (sent.service, sent.action) == ("AWSCognitoIdentityProviderService", "GetUser")
    assert sent.params == {"Username": "ann"}  # None values are left out
    assert sent.http.headers["Content-Type"] == "application/x-amz-json-1.1"


@pytest.mark.parametrize(
    "metadata",
    [{"when": datetime.datetime(2026, 12, 2)}, "circular", "deep"],
    ids=["datetime", "circular", "deep"],
)
def test_parameters_json_cannot_carry_are_a_type_error_and_nothing_is_sent(
    metadata: Any,
) -> None:
    if metadata == "circular":
        metadata = {}
        metadata["self"] = metadata
    elif metadata == "deep":
        metadata = {}
        for _ in range(5_000):
            metadata = {"next": metadata}
    transport = MockTransport(lambda request: {})
    client = CognitoClient(URL, transport=transport)
    with pytest.raises(InvalidArgumentTypeError, match="parameters of SignUp cannot be sent"):
        client.call("SignUp", {"Username": "ann", "ClientMetadata": metadata})
    assert transport.requests == []


def test_an_error_message_is_capped() -> None:
    huge = "x" * 5_000_000
    client = CognitoClient(
        URL, transport=MockTransport(lambda _: error("NotAuthorizedException", huge))
    )
    with pytest.raises(NotAuthorizedException) as caught:
        client.call("InitiateAuth", {})
    assert len(caught.value.message) < MAX_ERROR_MESSAGE + 100


def test_only_throttling_and_unopened_connections_are_retried() -> None:
    answers: list[Any] = [error("TooManyRequestsException"), {"ok": True}]

    def handler(request: MockRequest) -> Any:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    policy = RetryPolicy(max_attempts=3, base_delay=0.001)
    client = CognitoClient(URL, transport=MockTransport(handler), retry=policy)
    assert client.call("InitiateAuth", {}) == {"ok": True}
    answers[:] = [CognitoConnectError("refused"), {"ok": 2}]
    assert client.call("InitiateAuth", {}) == {"ok": 2}
    answers[:] = [error("NotAuthorizedException"), {"never": True}]
    with pytest.raises(NotAuthorizedException):
        client.call("InitiateAuth", {})
    assert answers == [{"never": True}]
    off = CognitoClient(
        URL,
        transport=MockTransport(lambda _: error("TooManyRequestsException")),
        retry=RetryPolicy(max_attempts=1),
    )
    with pytest.raises(TooManyRequestsException):
        off.call("InitiateAuth", {})
    assert len(off.transport.requests) == 1  # type: ignore[attr-defined]


def test_retries_stop_at_the_deadline() -> None:
    transport = MockTransport(lambda _: error("TooManyRequestsException"))
    policy = RetryPolicy(max_attempts=1000, base_delay=0.05, max_delay=0.05)
    client = CognitoClient(URL, transport=transport, retry=policy, deadline=0.3)
    started = time.monotonic()
    with pytest.raises(TooManyRequestsException):
        client.call("InitiateAuth", {})
    # Without the deadline, 1000 attempts at ~25 ms apart would take ~25 s; the bound is
    # loose because a loaded machine stretches every pause.
    assert time.monotonic() - started < 5.0
    assert len(transport.requests) < 1000


def test_a_bad_endpoint_is_refused() -> None:
    with pytest.raises(InvalidConfigurationError):
        CognitoClient("ftp://example.com/")
    with pytest.raises(InvalidConfigurationError):
        CognitoClient("127.0.0.1:9229")


@pytest.fixture
def body_dripping_server() -> Iterator[str]:
    """A server that sends its headers, then one byte of body every 0.1 s, for ever."""
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b"Content-Length: 100000\r\n\r\n{"
    )
    with dripping_server(head, b" ") as url:
        yield url


def test_a_dripping_server_is_cut_off_at_the_deadline(body_dripping_server: str) -> None:
    client = CognitoClient(body_dripping_server, timeout=(1.0, 5.0), deadline=1.0)
    started = time.monotonic()
    with pytest.raises(CognitoTimeoutError):
        client.call("GetUser", {"AccessToken": "secret-token-value"})
    # The whole answer would take hours at this pace; the slack is for a loaded machine.
    assert time.monotonic() - started < 4.0


def test_a_dripping_server_is_cut_off_at_the_deadline_with_asyncio(
    body_dripping_server: str,
) -> None:
    pytest.importorskip("httpx")

    async def main() -> float:
        async with AsyncCognitoClient(body_dripping_server, deadline=1.0) as client:
            started = time.monotonic()
            with pytest.raises(CognitoTimeoutError):
                await client.call("GetUser", {})
            return time.monotonic() - started

    assert asyncio.run(main()) < 4.0


def test_one_debug_line_per_attempt_and_no_parameter_in_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = CognitoClient(URL, transport=MockTransport(lambda _: error("NotAuthorizedException")))
    with (
        caplog.at_level(logging.DEBUG, logger="cognito_identity"),
        pytest.raises(NotAuthorizedException),
    ):
        client.call("InitiateAuth", {"AuthParameters": {"PASSWORD": "hunter2-secret"}})
    (record,) = [r for r in caplog.records if r.name == "cognito_identity"]
    line = record.getMessage()
    assert "InitiateAuth" in line and "status=400" in line and "attempt=1" in line
    assert "ms" in line and "NotAuthorizedException" in line
    assert "hunter2-secret" not in line


def test_hooks_see_every_attempt() -> None:
    records: list[CallRecord] = []
    answers: list[Any] = [error("TooManyRequestsException"), {"ok": True}]
    client = CognitoClient(
        URL,
        transport=MockTransport(lambda _: answers.pop(0)),
        retry=RetryPolicy(base_delay=0.001),
        hooks=[records.append],
    )
    client.call("SignUp", {})
    assert [(r.action, r.attempt, r.status, r.error) for r in records] == [
        ("SignUp", 1, 400, "TooManyRequestsException"),
        ("SignUp", 2, 200, None),
    ]
    assert all(r.elapsed >= 0 for r in records)


def _busy(seconds: float) -> None:
    """Spend ``seconds`` of this thread's CPU time."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def _sign_in_flow() -> Flow[str]:
    """A flow shaped like an SRP sign-in, with CPU work before its second call."""
    challenge = yield Call(
        "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"SRP_A": "a-secret"}}
    )
    _busy(0.02)
    answer = yield Call(
        "RespondToAuthChallenge",
        {
            "ChallengeName": challenge["ChallengeName"],
            "ChallengeResponses": {"PASSWORD_CLAIM_SIGNATURE": "sig-secret"},
        },
    )
    return str(answer["AuthenticationResult"]["AccessToken"])


_CHALLENGE = b'{"ChallengeName": "PASSWORD_VERIFIER", "Session": "s"}'
_SIGNED_IN = b'{"AuthenticationResult": {"AccessToken": "token-secret"}}'


def _sign_in_handler(request: MockRequest) -> HttpResponse:
    return HttpResponse(200, {}, _CHALLENGE if request.action == "InitiateAuth" else _SIGNED_IN)


def _check_sign_in_records(records: list[CallRecord], transport: MockTransport) -> None:
    first, second = records
    assert (first.action, first.auth_step) == ("InitiateAuth", "USER_SRP_AUTH")
    assert (second.action, second.auth_step) == ("RespondToAuthChallenge", "PASSWORD_VERIFIER")
    # The size of each answer as sent, the flow's CPU time before each call.
    assert (first.response_length, second.response_length) == (len(_CHALLENGE), len(_SIGNED_IN))
    assert first.flow_cpu < 0.015 <= second.flow_cpu
    assert len(transport.requests) == 2
    for record in records:
        assert "secret" not in repr(record)


def test_hooks_name_the_sign_in_step_and_see_the_flows_cpu_time() -> None:
    records: list[CallRecord] = []
    transport = MockTransport(_sign_in_handler)
    client = CognitoClient(URL, transport=transport, hooks=[records.append])
    assert client.run(_sign_in_flow()) == "token-secret"
    _check_sign_in_records(records, transport)


def test_async_hooks_name_the_sign_in_step_and_see_the_flows_cpu_time() -> None:
    records: list[CallRecord] = []
    transport = MockTransport(_sign_in_handler)

    async def main() -> str:
        async with AsyncCognitoClient(URL, transport=transport, hooks=[records.append]) as client:
            return await client.run(_sign_in_flow())

    assert asyncio.run(main()) == "token-secret"
    _check_sign_in_records(records, transport)


def test_a_hook_gets_the_flows_cpu_time_once_and_no_value_that_is_not_a_step_name() -> None:
    records: list[CallRecord] = []
    ok = HttpResponse(200, {}, b'{"ok": true}')
    answers: list[Any] = [error("TooManyRequestsException"), ok, ok]
    client = CognitoClient(
        URL,
        transport=MockTransport(lambda _: answers.pop(0)),
        retry=RetryPolicy(base_delay=0.001),
        hooks=[records.append],
    )

    def flow() -> Flow[None]:
        _busy(0.02)
        yield Call("InitiateAuth", {"AuthFlow": "hunter2 secret", "ChallengeName": 7})
        return None

    client.run(flow())
    client.call("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH"})
    throttled, retried, direct = records
    assert throttled.flow_cpu >= 0.015 and retried.flow_cpu == 0.0 and direct.flow_cpu == 0.0
    assert throttled.auth_step is None and retried.auth_step is None
    assert direct.auth_step == "USER_PASSWORD_AUTH"
    assert throttled.response_length > 0 and retried.response_length == len(ok.body)


def test_a_non_object_answer_is_a_response_error() -> None:
    client = CognitoClient(URL, transport=MockTransport(lambda _: HttpResponse(200, {}, b"[1]")))
    with pytest.raises(CognitoResponseError):
        client.call("GetUser", {})


def test_the_async_client_runs_the_same_flows() -> None:
    def flow() -> Flow[str]:
        first = yield Call("InitiateAuth", {"n": 1})
        try:
            yield Call("RespondToAuthChallenge", {"n": first["n"] + 1})
        except NotAuthorizedException as refused:
            return f"caught {refused.code}"
        return "no error"

    def handler(request: MockRequest) -> Any:
        if request.action == "InitiateAuth":
            return {"n": request.params["n"]}
        return error("NotAuthorizedException")

    async def main() -> str:
        async with AsyncCognitoClient(URL, transport=MockTransport(handler)) as client:
            return await client.run(flow())

    assert asyncio.run(main()) == "caught NotAuthorizedException"
    assert CognitoClient(URL, transport=MockTransport(handler)).run(flow()) == (
        "caught NotAuthorizedException"
    )
