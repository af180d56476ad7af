"""Fixtures for the local user pool tests: a running server and clients for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests

from cognito_identity.local import LocalCognito, ManualClock

from . import output_shapes

TARGET = "AWSCognitoIdentityProviderService."


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1_800_000_000.0)


@pytest.fixture
def local(clock: ManualClock) -> Iterator[LocalCognito]:
    with LocalCognito(clock=clock) as server:
        yield server


@pytest.fixture
def idp(local: LocalCognito) -> Any:
    """A boto3 cognito-idp client pointed at the local server; every successful response
    is checked against botocore's output shape of its action."""
    client = boto3.client(
        "cognito-idp",
        endpoint_url=local.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    return output_shapes.install(client)


@pytest.fixture
def checked_idp(idp: Any) -> Any:
    """``idp``, named for what it does (its responses are checked against the model)."""
    return idp


class RawClient:
    """Posts raw JSON 1.1 requests, for what botocore would refuse to send."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.session = requests.Session()

    def call(self, action: str | None, body: bytes | str | dict[str, Any]) -> requests.Response:
        headers = {"Content-Type": "application/x-amz-json-1.1"}
        if action is not None:
            headers["X-Amz-Target"] = TARGET + action
        if isinstance(body, dict):
            import json

            body = json.dumps(body)
        return self.session.post(self.endpoint + "/", data=body, headers=headers, timeout=10)


@pytest.fixture
def raw(local: LocalCognito) -> Iterator[RawClient]:
    client = RawClient(local.endpoint)
    yield client
    client.session.close()


@pytest.fixture
def pool_id(idp: Any) -> str:
    """A pool with the default password policy, e-mail auto-verified."""
    return str(
        idp.create_user_pool(PoolName="test", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    )


@pytest.fixture
def client_id(idp: Any, pool_id: str) -> str:
    """An app client without a secret, with SRP, password and refresh flows."""
    return str(
        idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="app",
            ExplicitAuthFlows=[
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
            ],
        )["UserPoolClient"]["ClientId"]
    )


PASSWORD = "Corr3ct-Horse!"
