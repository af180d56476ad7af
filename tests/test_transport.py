"""The HTTP transport against a scripted server: requests sent, answers and errors mapped."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from cognito_identity.errors import (
    CognitoClientException,
    CognitoNetworkError,
    CognitoResponseError,
    NotAuthorizedException,
    TooManyRequestsException,
    UserNotConfirmedException,
    ValidationException,
)
from cognito_identity.transport import Call, Flow, RetryPolicy, Transport

Reply = tuple[int, dict[str, str], bytes]


class ScriptedServer:
    """Answers each POST with the next scripted reply and records what it received."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.received: list[tuple[dict[str, str], Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                server.received.append((dict(self.headers), body))
                status, headers, payload = server.replies.pop(0)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        payload = (
            b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        )
        self.replies.append((status, headers or {}, payload))


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    s = ScriptedServer()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def test_call_sends_aws_json_and_returns_answer(server: ScriptedServer) -> None:
    server.reply(200, {"it": "works"})
    answer = Transport(server.url).call(
        "SignUp", {"ClientId": "abc", "Username": "u", "Skip": None}
    )
    assert answer == {"it": "works"}
    headers, body = server.received[0]
    assert headers["X-Amz-Target"] == "AWSCognitoIdentityProviderService.SignUp"
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert body == {"ClientId": "abc", "Username": "u"}  # None values are left out


def test_empty_success_body_is_an_empty_answer(server: ScriptedServer) -> None:
    server.reply(200)
    assert Transport(server.url).call("GlobalSignOut", {"AccessToken": "t"}) == {}


def test_error_code_from_type_field_becomes_its_class(server: ScriptedServer) -> None:
    server.reply(
        400, {"__type": "NotAuthorizedException", "message": "Incorrect username or password."}
    )
    with pytest.raises(NotAuthorizedException) as caught:
        Transport(server.url).call("InitiateAuth", {})
    assert caught.value.code == "NotAuthorizedException"
    assert caught.value.message == "Incorrect username or password."
    assert caught.value.status_code == 400


def test_error_code_from_header_when_body_has_none(server: ScriptedServer) -> None:
    server.reply(
        400,
        {"message": "1 validation error detected"},
        {"x-amzn-ErrorType": "ValidationException:http://internal"},
    )
    with pytest.raises(ValidationException) as caught:
        Transport(server.url).call("GetId", {})
    assert caught.value.message == "1 validation error detected"


def test_namespaced_code_is_reduced_to_its_name(server: ScriptedServer) -> None:
    server.reply(400, {"__type": "com.amazonaws.cognito#UserNotConfirmedException", "message": "m"})
    with pytest.raises(UserNotConfirmedException):
        Transport(server.url).call("InitiateAuth", {})


def test_error_without_body_keeps_status_and_a_readable_message(server: ScriptedServer) -> None:
    server.reply(400)
    with pytest.raises(CognitoClientException) as caught:
        Transport(server.url).call("InitiateAuth", {})
    assert caught.value.code == "UnknownError"
    assert caught.value.status_code == 400
    assert "400" in caught.value.message


def test_unknown_code_still_reaches_the_caller(server: ScriptedServer) -> None:
    server.reply(400, {"__type": "SomethingNewException", "message": "new"})
    with pytest.raises(CognitoClientException) as caught:
        Transport(server.url).call("InitiateAuth", {})
    assert type(caught.value) is CognitoClientException
    assert caught.value.code == "SomethingNewException"


def test_non_json_success_is_a_response_error(server: ScriptedServer) -> None:
    server.reply(200, b"<html>proxy page</html>")
    with pytest.raises(CognitoResponseError):
        Transport(server.url).call("GetUser", {})


def test_throttling_is_retried_then_succeeds(server: ScriptedServer) -> None:
    server.reply(400, {"__type": "TooManyRequestsException", "message": "slow down"})
    server.reply(200, {"ok": True})
    transport = Transport(server.url, retry=RetryPolicy(max_attempts=3, base_delay=0.001))
    assert transport.call("InitiateAuth", {}) == {"ok": True}
    assert len(server.received) == 2


def test_throttling_gives_up_after_max_attempts(server: ScriptedServer) -> None:
    for _ in range(2):
        server.reply(400, {"__type": "TooManyRequestsException", "message": "slow down"})
    transport = Transport(server.url, retry=RetryPolicy(max_attempts=2, base_delay=0.001))
    with pytest.raises(TooManyRequestsException):
        transport.call("InitiateAuth", {})
    assert len(server.received) == 2


def test_other_errors_are_not_retried(server: ScriptedServer) -> None:
    server.reply(400, {"__type": "NotAuthorizedException", "message": "no"})
    with pytest.raises(NotAuthorizedException):
        Transport(server.url).call("RespondToAuthChallenge", {})
    assert len(server.received) == 1


def test_refused_connection_is_a_network_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket closes
    transport = Transport(
        f"http://127.0.0.1:{port}/", retry=RetryPolicy(max_attempts=2, base_delay=0.001)
    )
    with pytest.raises(CognitoNetworkError) as caught:
        transport.call("InitiateAuth", {"AuthParameters": {"PASSWORD": "hunter2-secret"}})
    assert "hunter2-secret" not in str(caught.value)
    assert caught.value.__cause__ is not None


def test_run_drives_a_flow_and_throws_errors_into_it(server: ScriptedServer) -> None:
    server.reply(200, {"Step": 1})
    server.reply(400, {"__type": "UserNotConfirmedException", "message": "not confirmed"})

    def flow() -> Flow[str]:
        first = yield Call("InitiateAuth", {"n": 1})
        try:
            yield Call("RespondToAuthChallenge", {"n": first["Step"] + 1})
        except UserNotConfirmedException as error:
            return f"caught {error.code}"
        return "no error"

    assert Transport(server.url).run(flow()) == "caught UserNotConfirmedException"
    assert [body["n"] for _, body in server.received] == [1, 2]
