"""The httpx auths, sync and async, against a loopback server; signatures compared with
botocore's for the requests as received."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from cognito_identity.httpx_auth import CognitoBearerAuth, CognitoSigV4Auth

from .conftest import PoolSetup
from .signing_oracle import Received, echo_server
from .test_credentials_refresh import signed_in_user, user_credentials


@pytest.fixture
def echo() -> Iterator[tuple[str, list[Received]]]:
    with echo_server() as server:
        yield server


def test_sync_post_and_bearer(setup: PoolSetup, echo: tuple[str, list[Received]]) -> None:
    url, received = echo
    user = signed_in_user(setup)
    credentials = user_credentials(setup, user)
    with httpx.Client() as client:
        auth = CognitoSigV4Auth(credentials, "execute-api", "us-east-1")
        client.post(f"{url}/prod/items?color=blue", json={"name": "lamp"}, auth=auth)
        client.get(f"{url}/prod/me", auth=CognitoBearerAuth(user, token="access"))
    signed, bearer = received
    assert signed.signature == signed.botocore_signature(
        credentials.get_credentials(), "execute-api", "us-east-1"
    )
    assert bearer.headers["authorization"] == user.get_session().access_token.jwt_token


def test_async_streams_and_bearer(setup: PoolSetup, echo: tuple[str, list[Received]]) -> None:
    url, received = echo
    user = signed_in_user(setup)
    credentials = user_credentials(setup, user)

    async def chunks() -> AsyncIterator[bytes]:
        yield b"first,"
        yield b"second"

    async def main() -> None:
        # Content-Length given, so the stream is not sent chunked to the test server.
        length = {"Content-Length": "12"}
        async with httpx.AsyncClient() as client:
            api = CognitoSigV4Auth(credentials, "execute-api", "us-east-1")
            s3 = CognitoSigV4Auth(credentials, "s3", "us-east-1")
            await client.put(f"{url}/prod/up", content=chunks(), headers=length, auth=api)
            await client.put(f"{url}/bucket/key", content=chunks(), headers=length, auth=s3)
            await client.get(f"{url}/prod/me", auth=CognitoBearerAuth(user))

    asyncio.run(main())
    api_put, s3_put, bearer = received
    snapshot = credentials.get_credentials()
    assert api_put.body == s3_put.body == b"first,second"
    assert api_put.signature == api_put.botocore_signature(snapshot, "execute-api", "us-east-1")
    assert s3_put.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"
    assert s3_put.signature == s3_put.botocore_signature(snapshot, "s3", "us-east-1")
    assert bearer.headers["authorization"] == user.get_session().id_token.jwt_token
