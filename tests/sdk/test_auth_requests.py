"""The requests auths against a loopback server: SigV4 with a user's identity-pool
credentials (checked against botocore's signature of the request as received), and the
user's token, both kept current through refreshes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from cognito_identity import CognitoCredentials, CognitoUser
from cognito_identity.auth import CognitoBearerAuth, CognitoSigV4Auth
from cognito_identity.errors import InvalidConfigurationError, SigV4Error
from cognito_identity.local import ManualClock

from .conftest import PoolSetup
from .signing_oracle import Received, echo_server
from .test_credentials import recording
from .test_credentials_refresh import move_clocks, signed_in_user, user_credentials


@pytest.fixture
def echo() -> Iterator[tuple[str, list[Received]]]:
    with echo_server() as server:
        yield server


@pytest.fixture
def user(setup: PoolSetup) -> CognitoUser:
    return signed_in_user(setup)


@pytest.fixture
def credentials(setup: PoolSetup, user: CognitoUser) -> CognitoCredentials:
    return user_credentials(setup, user)


def test_api_gateway_post_is_signed_as_botocore_signs_it(
    echo: tuple[str, list[Received]], credentials: CognitoCredentials
) -> None:
    url, received = echo
    auth = CognitoSigV4Auth(credentials, "execute-api", "eu-west-1")
    answer = requests.post(f"{url}/prod/items?color=blue", json={"name": "lamp"}, auth=auth)
    assert answer.status_code == 200
    (sent,) = received
    snapshot = credentials.get_credentials()
    assert sent.body == b'{"name": "lamp"}'
    assert sent.headers["x-amz-security-token"] == snapshot.session_token
    assert sent.signature == sent.botocore_signature(snapshot, "execute-api", "eu-west-1")
    assert snapshot.secret_access_key not in repr(auth)


def test_appsync_graphql_post(
    echo: tuple[str, list[Received]], credentials: CognitoCredentials
) -> None:
    url, received = echo
    query = {"query": "query { listTodos { items { id } } }"}
    requests.post(
        f"{url}/graphql", json=query, auth=CognitoSigV4Auth(credentials, "appsync", "us-east-1")
    )
    (sent,) = received
    assert sent.signature == sent.botocore_signature(
        credentials.get_credentials(), "appsync", "us-east-1"
    )


def test_streamed_body_for_api_gateway_is_signed_as_sent(
    echo: tuple[str, list[Received]], credentials: CognitoCredentials
) -> None:
    url, received = echo
    chunks = iter([b"first,", b"second"])
    auth = CognitoSigV4Auth(credentials, "execute-api", "us-east-1")
    requests.put(f"{url}/prod/upload", data=chunks, auth=auth)
    (sent,) = received
    assert sent.body == b"first,second"
    assert "transfer-encoding" not in sent.headers
    assert sent.signature == sent.botocore_signature(
        credentials.get_credentials(), "execute-api", "us-east-1"
    )


def test_file_body_for_s3_is_sent_unsigned_payload(
    echo: tuple[str, list[Received]], credentials: CognitoCredentials, tmp_path: Path
) -> None:
    url, received = echo
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    with path.open("rb") as file:
        requests.put(
            f"{url}/my-bucket/photos/photo.jpg",
            data=file,
            auth=CognitoSigV4Auth(credentials, "s3", "us-east-1"),
        )
    (sent,) = received
    assert sent.body == path.read_bytes()
    assert sent.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"
    assert sent.signature == sent.botocore_signature(
        credentials.get_credentials(), "s3", "us-east-1"
    )


def test_file_body_for_api_gateway_is_read_and_signed(
    echo: tuple[str, list[Received]], credentials: CognitoCredentials, tmp_path: Path
) -> None:
    url, received = echo
    path = tmp_path / "report.json"
    path.write_bytes(b'{"rows": [1, 2, 3]}')
    with path.open("rb") as file:
        requests.post(
            f"{url}/prod/reports",
            data=file,
            auth=CognitoSigV4Auth(credentials, "execute-api", "us-east-1"),
        )
    (sent,) = received
    assert sent.body == path.read_bytes()
    assert sent.signature == sent.botocore_signature(
        credentials.get_credentials(), "execute-api", "us-east-1"
    )


def test_unsigned_payload_only_for_s3(
    echo: tuple[str, list[Received]], credentials: CognitoCredentials
) -> None:
    url, received = echo
    auth = CognitoSigV4Auth(credentials, "execute-api", "us-east-1", unsigned_payload=True)
    with pytest.raises(SigV4Error, match="S3"):
        requests.post(f"{url}/prod", data=b"x", auth=auth)
    assert received == []


def test_credentials_expiring_mid_loop_are_refreshed_without_a_failed_request(
    setup: PoolSetup,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    echo: tuple[str, list[Received]],
    user: CognitoUser,
    credentials: CognitoCredentials,
) -> None:
    url, received = echo
    auth = CognitoSigV4Auth(credentials, "execute-api", "us-east-1")
    credentials.get_credentials()
    transport = recording(user.pool)
    snapshots = []
    for step in range(6):
        if step == 3:
            move_clocks(monkeypatch, clock, 3600 - 30)
        assert requests.get(f"{url}/prod/items/{step}", auth=auth).status_code == 200
        snapshots.append(credentials.get_credentials())
    keys = [sent.access_key_id for sent in received]
    assert keys == [snapshot.access_key_id for snapshot in snapshots]
    assert len(set(keys[:3])) == len(set(keys[3:])) == 1 and keys[0] != keys[3]
    for sent, snapshot in zip(received, snapshots):
        assert sent.signature == sent.botocore_signature(snapshot, "execute-api", "us-east-1")
    # The id token had not expired: one GetCredentialsForIdentity, nothing else.
    assert [action for action, _ in transport.sent] == ["GetCredentialsForIdentity"]


def test_bearer_sends_the_token_and_refreshes_the_session(
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    echo: tuple[str, list[Received]],
    user: CognitoUser,
) -> None:
    url, received = echo
    requests.get(f"{url}/prod/me", auth=CognitoBearerAuth(user))
    requests.get(f"{url}/prod/me", auth=CognitoBearerAuth(user, token="access", scheme="Bearer"))
    before = user.get_session()
    move_clocks(monkeypatch, clock, 3700)
    requests.get(f"{url}/prod/me", auth=CognitoBearerAuth(user))
    after = user.get_session()
    assert [sent.headers["authorization"] for sent in received] == [
        before.id_token.jwt_token,
        f"Bearer {before.access_token.jwt_token}",
        after.id_token.jwt_token,
    ]
    assert after.id_token != before.id_token
    assert before.id_token.jwt_token not in repr(CognitoBearerAuth(user))


def test_bearer_token_kind_is_checked(user: CognitoUser) -> None:
    with pytest.raises(InvalidConfigurationError):
        CognitoBearerAuth(user, token="refresh")
