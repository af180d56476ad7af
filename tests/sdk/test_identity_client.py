"""Identity pools have their own client: CognitoIdentityClient (and its asyncio twin), or
one that shares the user pool's client without its signer; CognitoCredentials uses it."""

from __future__ import annotations

import asyncio

import pytest

from cognito_identity import AwsCredentials, CognitoCredentials, CognitoUserPool
from cognito_identity.client import (
    IDENTITY_POOLS,
    AsyncCognitoIdentityClient,
    CallRecord,
    CognitoClient,
    CognitoIdentityClient,
    RetryPolicy,
)
from cognito_identity.errors import InvalidConfigurationError
from cognito_identity.signing import SigV4Signer
from cognito_identity.transports import MockRequest, MockTransport

from .conftest import PoolSetup
from .test_credentials import identity_pool

IDENTITY_POOL_ID = "eu-west-1:9f8e7d6c-1234-4abc-8def-0123456789ab"
IDENTITY_ID = "eu-west-1:0b2c4d6e-1234-4abc-8def-0123456789ab"
GUEST_CREDENTIALS = {
    "IdentityId": IDENTITY_ID,
    "Credentials": {
        "AccessKeyId": "ASIAEXAMPLE",
        "SecretKey": "secret-key-value",
        "SessionToken": "session-token-value",
        "Expiration": 4102444800,
    },
}


def identity_service(request: MockRequest) -> dict[str, object]:
    """GetId and GetCredentialsForIdentity as an identity pool answers a guest."""
    assert request.service == IDENTITY_POOLS
    if request.action == "GetId":
        return {"IdentityId": IDENTITY_ID}
    return GUEST_CREDENTIALS


def test_the_identity_client_calls_identity_pools_at_the_regions_endpoint() -> None:
    transport = MockTransport(identity_service)
    client = CognitoIdentityClient(region="eu-west-1", transport=transport)
    assert client.endpoint == "https://cognito-identity.eu-west-1.amazonaws.com/"
    answer = client.call("GetId", {"IdentityPoolId": "eu-west-1:0b2c"})
    assert answer == {"IdentityId": IDENTITY_ID}
    (sent,) = transport.requests
    assert sent.http.url == client.endpoint
    assert sent.http.headers["X-Amz-Target"] == f"{IDENTITY_POOLS}.GetId"


def test_the_async_identity_client_too() -> None:
    async def main() -> dict[str, object]:
        transport = MockTransport(identity_service)
        async with AsyncCognitoIdentityClient("http://127.0.0.1:9/", transport=transport) as client:
            assert client.service == IDENTITY_POOLS
            return await client.call("GetId", {"IdentityPoolId": "eu-west-1:0b2c"})

    assert asyncio.run(main()) == {"IdentityId": IDENTITY_ID}


def test_credentials_use_the_identity_client_given() -> None:
    records: list[CallRecord] = []
    client = CognitoIdentityClient(
        region="eu-west-1",
        transport=MockTransport(identity_service),
        hooks=[records.append],
        retry=RetryPolicy(max_attempts=1),
    )
    user_pools = MockTransport(lambda request: pytest.fail("no user pool call expected"))
    pool = CognitoUserPool("eu-west-1_Abc123", "client", transport=user_pools)
    credentials = CognitoCredentials(IDENTITY_POOL_ID, pool, client=client)
    assert credentials.endpoint == client.endpoint
    credentials.get_guest_aws_credentials()
    snapshot = credentials.get_credentials()
    assert snapshot.access_key_id == "ASIAEXAMPLE"
    assert [(r.service, r.action) for r in records] == [
        (IDENTITY_POOLS, "GetId"),
        (IDENTITY_POOLS, "GetCredentialsForIdentity"),
    ]
    assert user_pools.requests == []


def test_without_one_credentials_share_the_user_pool_client_but_not_its_signer(
    setup: PoolSetup,
) -> None:
    """The user pool's client here signs for cognito-idp; the identity pool calls share
    its connections and hooks, and go unsigned to the identity endpoint."""
    records: list[CallRecord] = []
    pool = setup.pool(hooks=(records.append,))
    pool.transport.signer = SigV4Signer(AwsCredentials("AKIDEXAMPLE", "secret"), "us-east-1")
    sent_headers: list[dict[str, str]] = []
    real_send = pool.transport.transport.send

    def send(request, timeouts, deadline):  # type: ignore[no-untyped-def]
        sent_headers.append(dict(request.headers))
        return real_send(request, timeouts, deadline)

    pool.transport.transport.send = send  # type: ignore[method-assign]
    credentials = CognitoCredentials(identity_pool(setup), pool, endpoint=setup.local.endpoint)
    credentials.get_guest_aws_credentials()
    assert [(r.service, r.action) for r in records] == [
        (IDENTITY_POOLS, "GetId"),
        (IDENTITY_POOLS, "GetCredentialsForIdentity"),
    ]
    assert [h["X-Amz-Target"].split(".")[1] for h in sent_headers] == [
        "GetId",
        "GetCredentialsForIdentity",
    ]
    assert not any("Authorization" in headers for headers in sent_headers)
    assert pool.transport.service != IDENTITY_POOLS  # the pool's own client is unchanged
    assert pool.transport.signer is not None


def test_for_service_shares_transport_and_hooks_and_checks_the_endpoint() -> None:
    records: list[CallRecord] = []
    user_pools = CognitoClient(
        "https://cognito-idp.eu-west-1.amazonaws.com/",
        transport=MockTransport(identity_service),
        hooks=[records.append],
    )
    identity = user_pools.for_service(
        IDENTITY_POOLS, "https://cognito-identity.eu-west-1.amazonaws.com/"
    )
    assert identity.transport is user_pools.transport
    identity.call("GetId", {})
    later: list[CallRecord] = []
    user_pools.hooks.append(later.append)
    identity.call("GetId", {})
    assert len(records) == 2 and len(later) == 1
    with pytest.raises(InvalidConfigurationError):
        user_pools.for_service(IDENTITY_POOLS, "cognito-identity.eu-west-1.amazonaws.com")
