"""Fixtures for the SDK's end-to-end tests: a local pool set up as an app would use it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from cognito_identity import CognitoUserPool
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.transport import USER_POOLS, Transport

PASSWORD = "Corr3ct-Horse!"
ALL_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@dataclass
class PoolSetup:
    """A running local server with one pool and one app client, plus admin access."""

    local: LocalCognito
    idp: Any
    pool_id: str
    client_id: str
    client_secret: str | None

    def pool(self, **kwargs: Any) -> CognitoUserPool:
        kwargs.setdefault("client_secret", self.client_secret)
        return CognitoUserPool(self.pool_id, self.client_id, endpoint=self.local.endpoint, **kwargs)

    def code_for(self, username: str) -> str:
        return self.local.outbox.last_code(username, self.pool_id)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def local(clock: ManualClock) -> Iterator[LocalCognito]:
    with LocalCognito(clock=clock) as server:
        yield server


def admin_client(endpoint: str) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def make_setup(local: LocalCognito, *, secret: bool = False, **pool_args: Any) -> PoolSetup:
    idp = admin_client(local.endpoint)
    pool_args.setdefault("AutoVerifiedAttributes", ["email"])
    pool_id = idp.create_user_pool(PoolName="app-users", **pool_args)["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=ALL_FLOWS, GenerateSecret=secret
    )["UserPoolClient"]
    return PoolSetup(local, idp, pool_id, client["ClientId"], client.get("ClientSecret"))


@pytest.fixture
def setup(local: LocalCognito) -> PoolSetup:
    return make_setup(local)


@pytest.fixture
def secret_setup(local: LocalCognito) -> PoolSetup:
    return make_setup(local, secret=True)


class RecordingTransport(Transport):
    """The real transport, remembering each call's parameters as they were handed over
    (not copied, so a later change to a request would show)."""

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint)
        self.sent: list[tuple[str, Mapping[str, Any]]] = []

    def call(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        service: str = USER_POOLS,
        endpoint: str | None = None,
    ) -> dict[str, Any]:
        self.sent.append((action, params))
        return super().call(action, params, service=service, endpoint=endpoint)

    def steps(self, action: str, name: str | None = None) -> list[Mapping[str, Any]]:
        """The requests of ``action`` (RespondToAuthChallenge: of challenge ``name``)."""
        return [
            params
            for sent, params in self.sent
            if sent == action and (name is None or params.get("ChallengeName") == name)
        ]
