"""CognitoCredentials.boto3_session(): boto3 clients that sign with a user's
identity-pool credentials and get new ones when botocore's refresh window begins."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config

from cognito_identity import CognitoCredentials
from cognito_identity.boto3_credentials import BOTOCORE_ADVISORY_SECONDS
from cognito_identity.errors import CognitoError, MissingDependencyError, NotAuthenticatedError
from cognito_identity.local import ManualClock

from .conftest import PoolSetup
from .signing_oracle import Received, echo_server
from .test_credentials import identity_pool, recording
from .test_credentials_refresh import move_clocks, signed_in_user, user_credentials


@pytest.fixture
def echo() -> Iterator[tuple[str, list[Received]]]:
    with echo_server() as server:
        yield server


def s3_client(credentials: CognitoCredentials, url: str) -> Any:
    session = credentials.boto3_session(region="eu-west-1")
    return session.client("s3", endpoint_url=url, config=Config(s3={"addressing_style": "path"}))


def test_clients_sign_with_the_users_credentials(
    setup: PoolSetup, echo: tuple[str, list[Received]]
) -> None:
    url, received = echo
    credentials = user_credentials(setup, signed_in_user(setup))
    session = credentials.boto3_session()
    assert session.region_name == "us-east-1"  # the identity pool's
    client = s3_client(credentials, url)
    client.get_object(Bucket="photos", Key="cat.jpg")
    (sent,) = received
    snapshot = credentials.get_credentials()
    assert sent.path == "/photos/cat.jpg"
    assert sent.access_key_id == snapshot.access_key_id
    assert "/eu-west-1/s3/aws4_request" in sent.headers["authorization"]
    assert sent.headers["x-amz-security-token"] == snapshot.session_token
    frozen = session.get_credentials().get_frozen_credentials()
    assert (frozen.access_key, frozen.token) == (snapshot.access_key_id, snapshot.session_token)
    assert session.get_credentials().method == "cognito-identity"


@pytest.mark.parametrize("remaining", [BOTOCORE_ADVISORY_SECONDS - 60, 30, -60])
def test_botocore_gets_new_credentials_in_its_refresh_window(
    setup: PoolSetup,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    echo: tuple[str, list[Received]],
    remaining: int,
) -> None:
    url, received = echo
    user = signed_in_user(setup)
    credentials = user_credentials(setup, user)
    client = s3_client(credentials, url)
    first = credentials.get_credentials()
    transport = recording(user.pool)
    client.get_object(Bucket="photos", Key="0")
    # Inside botocore's advisory window (but an hour is left for the SDK's own margin),
    # inside its mandatory one, then past expiry: each time one fetch, no failed call.
    move_clocks(monkeypatch, clock, 3600 - remaining)
    for key in ("1", "2"):
        client.get_object(Bucket="photos", Key=key)
    keys = [sent.access_key_id for sent in received]
    second = credentials.get_credentials()
    assert keys == [first.access_key_id, second.access_key_id, second.access_key_id]
    assert second.access_key_id != first.access_key_id
    assert [action for action, _ in transport.sent if action != "InitiateAuth"] == [
        "GetCredentialsForIdentity"
    ]


def test_without_boto3_a_clear_error(setup: PoolSetup, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = user_credentials(setup, signed_in_user(setup))
    monkeypatch.setitem(sys.modules, "boto3", None)
    with pytest.raises(MissingDependencyError, match=r"cognito-identity\[boto3\]") as raised:
        credentials.boto3_session()
    assert isinstance(raised.value, CognitoError) and isinstance(raised.value, ImportError)


def test_importing_the_package_does_not_import_boto3() -> None:
    code = (
        "import sys, cognito_identity, cognito_identity.credentials;"
        " print('boto3' in sys.modules, 'botocore' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False False"


def test_nothing_to_start_from(setup: PoolSetup) -> None:
    credentials = CognitoCredentials(
        identity_pool(setup), setup.pool(), endpoint=setup.local.endpoint
    )
    with pytest.raises(NotAuthenticatedError):
        credentials.boto3_session()
    credentials.get_guest_aws_credentials()
    frozen = credentials.boto3_session().get_credentials().get_frozen_credentials()
    assert frozen.access_key == credentials.access_key_id
