"""Against the local pool's signature-checking endpoint: credentials that expire in the
middle of a loop of signed requests are refreshed by themselves, with no failed request;
streamed and file bodies are signed as they are sent; a deleted identity is recovered."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import requests

from cognito_identity import (
    AwsSigV4Client,
    CognitoCredentials,
    CognitoUser,
    SigV4Request,
    httpx_auth,
)
from cognito_identity import auth as requests_auth
from cognito_identity.local import ManualClock

from .conftest import PoolSetup
from .signed_endpoint import S3_CONFIG, aws_url, credentials, echo, refusal, user
from .test_credentials import identity_client, recording
from .test_credentials_refresh import move_clocks

__all__ = ["credentials", "user"]  # fixtures


@pytest.mark.parametrize("jump", [3600 - 30, 3600 + 60])
def test_requests_loop_across_expiry_never_fails(
    setup: PoolSetup,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    user: CognitoUser,
    credentials: CognitoCredentials,
    jump: int,
) -> None:
    auth = requests_auth.CognitoSigV4Auth(credentials, "execute-api", "us-east-1")
    first = credentials.get_credentials()
    transport = recording(user.pool)
    keys = []
    for step in range(6):
        if step == 3:
            # Half a minute before expiry, then past it: the pool's clock and the SDK's.
            move_clocks(monkeypatch, clock, jump)
        answer = requests.post(f"{aws_url(setup, 'execute-api')}/prod/{step}", json={}, auth=auth)
        keys.append(echo(answer)["access_key_id"])
    assert keys[:3] == [first.access_key_id] * 3
    assert keys[3:] == [credentials.get_credentials().access_key_id] * 3 != keys[:3]
    if jump > 3600:
        # The first key is now refused: the loop was saved by the refresh.
        old = AwsSigV4Client(
            first.access_key_id,
            first.secret_access_key,
            aws_url(setup, "execute-api"),
            session_token=first.session_token,
        )
        request = SigV4Request(old, "GET", "/prod")
        answer = requests.get(request.url, headers=request.headers)
        assert refusal(answer) == (403, "ExpiredToken")
    fetched = [action for action, _ in transport.sent]
    assert fetched.count("GetCredentialsForIdentity") == 1
    if jump > 3600:
        assert fetched == ["InitiateAuth", "GetCredentialsForIdentity"]  # id token first


def test_the_old_key_is_refused_once_expired(
    setup: PoolSetup,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    credentials: CognitoCredentials,
) -> None:
    old = credentials.sigv4_client(aws_url(setup, "s3"), "s3")
    move_clocks(monkeypatch, clock, 3601)
    fresh = credentials.sigv4_client(aws_url(setup, "s3"), "s3")
    assert fresh.access_key_id != old.access_key_id
    assert refusal(requests.get(old.presign_url("GET", "/bucket/a")))[1] == "ExpiredToken"
    assert echo(requests.get(fresh.presign_url("GET", "/bucket/a")))["signed_with"] == "query"


def test_boto3_loop_across_botocore_refresh_never_fails(
    setup: PoolSetup,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    credentials: CognitoCredentials,
) -> None:
    s3 = credentials.boto3_session().client(
        "s3", endpoint_url=aws_url(setup, "s3"), config=S3_CONFIG
    )
    keys = []
    for step in range(6):
        if step == 2:
            move_clocks(monkeypatch, clock, 3600 - 600)  # botocore's advisory window
        if step == 4:
            move_clocks(monkeypatch, clock, 3600)  # past the second key's expiry
        body = s3.get_object(Bucket="bucket", Key=f"k{step}")["Body"].read()
        keys.append(json.loads(body)["access_key_id"])
    assert keys[0] == keys[1] != keys[2] == keys[3] != keys[4] == keys[5]
    assert keys[4] == credentials.get_credentials().access_key_id


def test_a_deleted_identity_is_recovered(
    setup: PoolSetup, user: CognitoUser, credentials: CognitoCredentials
) -> None:
    old = credentials.get_credentials().identity_id
    answer = identity_client(setup.local.endpoint).delete_identities(IdentityIdsToDelete=[old])
    assert answer["UnprocessedIdentityIds"] == []
    # A new device, same storage: the cached identity id is gone from the identity pool.
    again = CognitoCredentials(
        credentials.identity_pool_id, user.pool, endpoint=setup.local.endpoint, user=user
    )
    transport = recording(user.pool)
    auth = requests_auth.CognitoSigV4Auth(again, "appsync", "us-east-1")
    got = echo(requests.post(f"{aws_url(setup, 'appsync')}/graphql", json={}, auth=auth))
    assert got["identity_id"] == again.identity_id not in (old, None)
    assert [action for action, _ in transport.sent] == [
        "GetCredentialsForIdentity",
        "GetId",
        "GetCredentialsForIdentity",
    ]


def test_guests_users_and_other_users_sign_as_their_own_identities(
    setup: PoolSetup, user: CognitoUser, credentials: CognitoCredentials
) -> None:
    from .test_credentials_refresh import signed_in_user, user_credentials

    other = user_credentials(setup, signed_in_user(setup, "bob"))
    guest = CognitoCredentials(
        credentials.identity_pool_id, setup.pool(), endpoint=setup.local.endpoint
    )
    guest.get_guest_aws_credentials()
    seen = []
    for source in (credentials, other, guest):
        auth = requests_auth.CognitoSigV4Auth(source, "execute-api", "us-east-1")
        seen.append(
            echo(requests.get(f"{aws_url(setup, 'execute-api')}/me", auth=auth))["identity_id"]
        )
    assert seen == [credentials.identity_id, other.identity_id, guest.identity_id]
    assert len(set(seen)) == 3


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    return path


def test_requests_streamed_and_file_bodies(
    setup: PoolSetup, credentials: CognitoCredentials, photo: Path
) -> None:
    s3 = requests_auth.CognitoSigV4Auth(credentials, "s3", "us-east-1")
    api = requests_auth.CognitoSigV4Auth(credentials, "execute-api", "us-east-1")
    with photo.open("rb") as file:
        answer = requests.put(f"{aws_url(setup, 's3')}/bucket/photo.jpg", data=file, auth=s3)
    got = echo(answer)
    assert got["headers"]["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"
    assert got["body_size"] == photo.stat().st_size
    # A generator is sent chunked to S3 (its length is unknown), unsigned.
    answer = requests.put(
        f"{aws_url(setup, 's3')}/bucket/parts", data=iter([b"first,", b"second"]), auth=s3
    )
    assert echo(answer)["body"] == "first,second"
    # Other services sign the bytes: the stream or file is read, then sent as signed.
    with photo.open("rb") as file:
        assert (
            echo(requests.post(f"{aws_url(setup, 'execute-api')}/up", data=file, auth=api))[
                "body_size"
            ]
            == photo.stat().st_size
        )
    answer = requests.post(f"{aws_url(setup, 'execute-api')}/up", data=iter([b"a", b"b"]), auth=api)
    assert echo(answer)["body"] == "ab"
    assert "transfer-encoding" not in echo(answer)["headers"]


def test_httpx_streamed_and_file_bodies(
    setup: PoolSetup, credentials: CognitoCredentials, photo: Path
) -> None:
    s3 = httpx_auth.CognitoSigV4Auth(credentials, "s3", "us-east-1")
    api = httpx_auth.CognitoSigV4Auth(credentials, "execute-api", "us-east-1")
    size = photo.stat().st_size

    def chunks() -> Iterator[bytes]:
        yield b"first,"
        yield b"second"

    with httpx.Client() as client, photo.open("rb") as file:
        got = echo(client.put(f"{aws_url(setup, 's3')}/bucket/photo.jpg", content=file, auth=s3))
        assert (got["headers"]["x-amz-content-sha256"], got["body_size"]) == (
            "UNSIGNED-PAYLOAD",
            size,
        )
        got = echo(client.put(f"{aws_url(setup, 'execute-api')}/up", content=chunks(), auth=api))
        assert got["body"] == "first,second"
        # Read to be signed, then sent with its length (as signed), not chunked.
        assert got["headers"]["content-length"] == "12"
        assert "transfer-encoding" not in got["headers"]

    async def achunks() -> AsyncIterator[bytes]:
        yield b"first,"
        yield b"second"

    async def main() -> list[httpx.Response]:
        async with httpx.AsyncClient() as client:
            return [
                await client.put(f"{aws_url(setup, 's3')}/bucket/k", content=achunks(), auth=s3),
                await client.put(
                    f"{aws_url(setup, 'execute-api')}/up", content=achunks(), auth=api
                ),
            ]

    s3_put, api_put = (echo(answer) for answer in asyncio.run(main()))
    assert s3_put["body"] == api_put["body"] == "first,second"
    assert s3_put["headers"]["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"
    assert "transfer-encoding" not in api_put["headers"]
