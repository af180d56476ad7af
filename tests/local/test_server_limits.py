"""The server's limits: a cap on connections, deadlines for slow and idle clients, AWS
JSON bodies only, and one access-log line per request."""

from __future__ import annotations

import json
import logging
import selectors
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import boto3
import pytest
import requests

from cognito_identity.local import LocalCognito, ServerLimits

from .conftest import PASSWORD

TARGET = "AWSCognitoIdentityProviderService."
LIMITS = ServerLimits(max_connections=128, header_timeout=0.5, idle_timeout=1.0)


@pytest.fixture
def limited() -> Iterator[LocalCognito]:
    with LocalCognito(limits=LIMITS) as server:
        yield server


def _address(local: LocalCognito) -> tuple[str, int]:
    url = urlparse(local.endpoint)
    assert url.hostname is not None and url.port is not None
    return url.hostname, url.port


def _idp(local: LocalCognito) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=local.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server ends the connection (EOF or reset) within ``seconds``."""
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return True


def _user_and_client(idp: Any) -> str:
    pool_id = idp.create_user_pool(PoolName="limits")["UserPool"]["Id"]
    client_id = str(
        idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
    )
    idp.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password=PASSWORD, Permanent=True
    )
    return client_id


def test_slow_connections_are_closed_while_logins_continue(limited: LocalCognito) -> None:
    client_id = _user_and_client(_idp(limited))
    slow: list[socket.socket] = []
    peak_threads = threading.active_count()
    try:
        for _ in range(1000):
            sock = socket.create_connection(_address(limited), timeout=10)
            # A request head that never ends.
            sock.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: ")
            slow.append(sock)
        logins = 0
        started = time.monotonic()
        while logins < 5:
            answer = _idp(limited).initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
            )
            assert answer["AuthenticationResult"]["AccessToken"]
            logins += 1
            peak_threads = max(peak_threads, threading.active_count())
        assert time.monotonic() - started < 60
        selector = selectors.DefaultSelector()
        for sock in slow:
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ)
        deadline = time.monotonic() + 30
        open_ones = set(slow)
        while open_ones and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=1):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(4096)
                except (ConnectionResetError, BrokenPipeError):
                    data = b""
                if not data:
                    selector.unregister(sock)
                    open_ones.discard(sock)
            peak_threads = max(peak_threads, threading.active_count())
        assert not open_ones, f"{len(open_ones)} slow connections still open"
    finally:
        for sock in slow:
            sock.close()
    # Connection threads never exceeded the cap (plus the test's own few threads).
    assert peak_threads <= LIMITS.max_connections + 10


def test_a_connection_that_sends_nothing_is_closed(limited: LocalCognito) -> None:
    with socket.create_connection(_address(limited), timeout=10) as sock:
        assert _closed_within(sock, LIMITS.header_timeout + 2)


def test_dripping_headers_are_cut_off(limited: LocalCognito) -> None:
    with socket.create_connection(_address(limited), timeout=10) as sock:
        started = time.monotonic()
        try:
            for byte in b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: abcdefghijklmnop":
                sock.sendall(bytes([byte]))
                time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert _closed_within(sock, 2)
        assert time.monotonic() - started < LIMITS.header_timeout + 3


def test_an_idle_keep_alive_connection_is_closed(limited: LocalCognito) -> None:
    body = json.dumps({"PoolName": "p"}).encode()
    request = (
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b"X-Amz-Target: " + (TARGET + "CreateUserPool").encode() + b"\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    with socket.create_connection(_address(limited), timeout=10) as sock:
        sock.sendall(request)
        reply = sock.recv(65536)
        assert reply.startswith(b"HTTP/1.1 200")
        # Kept alive for the next request, then closed once idle too long.
        started = time.monotonic()
        assert _closed_within(sock, LIMITS.idle_timeout + 2)
        assert time.monotonic() - started >= LIMITS.idle_timeout - 0.2


@pytest.mark.parametrize(
    ("content_type", "accepted"),
    [
        ("application/x-amz-json-1.1", True),
        ("application/x-amz-json-1.0", True),
        ("application/x-amz-json-1.1; charset=utf-8", True),
        ("text/plain", False),
        ("application/json", False),
        ("application/x-www-form-urlencoded", False),
    ],
)
def test_only_aws_json_bodies_are_taken(
    local: LocalCognito, content_type: str, accepted: bool
) -> None:
    response = requests.post(
        local.endpoint,
        data=json.dumps({"PoolName": "p"}),
        headers={"Content-Type": content_type, "X-Amz-Target": TARGET + "CreateUserPool"},
        timeout=10,
    )
    if accepted:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response.json()["__type"] == "UnknownOperationException"
    assert "application/x-amz-json-1.1" in response.json()["message"]


def test_one_access_log_line_per_request_without_secrets(
    local: LocalCognito, caplog: pytest.LogCaptureFixture
) -> None:
    idp = _idp(local)
    client_id = _user_and_client(idp)
    with caplog.at_level(logging.INFO, logger="cognito_identity.local.access"):
        caplog.clear()
        tokens = idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        with pytest.raises(idp.exceptions.NotAuthorizedException):
            idp.initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": "ann", "PASSWORD": "Wr0ng-Password!"},
            )
        requests.get(local.endpoint + "/_local/outbox?username=ann", timeout=10)
    lines = [r.getMessage() for r in caplog.records if r.name == "cognito_identity.local.access"]
    assert len(lines) == 3
    first, second, third = lines
    assert " POST InitiateAuth 200 " in first and first.endswith(" ms")
    assert " POST InitiateAuth 400 " in second
    assert " GET /_local/outbox 200 " in third
    for line in lines:
        for secret in (PASSWORD, "Wr0ng-Password!", tokens["AccessToken"], tokens["RefreshToken"]):
            assert secret not in line


def test_limits_are_checked() -> None:
    for bad in (
        {"max_connections": 0},
        {"header_timeout": 0},
        {"idle_timeout": -1},
    ):
        with pytest.raises(ValueError):
            ServerLimits(**bad)
