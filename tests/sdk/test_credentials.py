"""CognitoCredentials against the local pool: a user signed in with the SDK, then AWS
credentials from an identity pool, checked with boto3's cognito-identity client."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest

from cognito_identity import (
    AuthenticationDetails,
    AwsSigV4Client,
    CognitoCredentials,
    CognitoUser,
    CognitoUserPool,
)
from cognito_identity.credentials import GUEST, identity_id_key
from cognito_identity.errors import (
    CognitoResponseError,
    InvalidConfigurationError,
    NotAuthenticatedError,
    NotAuthorizedException,
)
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.transport import Transport

from .conftest import PASSWORD, PoolSetup, RecordingTransport, make_setup

_IDENTITY_ID = re.compile(r"^us-east-1:[0-9a-f-]{36}$")


def identity_client(endpoint: str, region: str = "us-east-1") -> Any:
    return boto3.client(
        "cognito-identity",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def aws_provider(setup: PoolSetup) -> str:
    return f"cognito-idp.us-east-1.amazonaws.com/{setup.pool_id}"


def identity_pool(setup: PoolSetup, *, guests: bool = True) -> str:
    return str(
        identity_client(setup.local.endpoint).create_identity_pool(
            IdentityPoolName="app",
            AllowUnauthenticatedIdentities=guests,
            CognitoIdentityProviders=[
                {"ProviderName": aws_provider(setup), "ClientId": setup.client_id},
                # The provider name the SDK derives from a local id token's iss.
                {
                    "ProviderName": f"{setup.local.endpoint.split('://')[1]}/{setup.pool_id}",
                    "ClientId": setup.client_id,
                },
            ],
        )["IdentityPoolId"]
    )


def sign_in(setup: PoolSetup, pool: CognitoUserPool, username: str) -> str:
    """Create ``username`` as an admin, sign in with the SDK (SRP), return the id token."""
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id, Username=username, MessageAction="SUPPRESS"
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    session = CognitoUser(username, pool).authenticate_user(
        AuthenticationDetails(password=PASSWORD)
    )
    return session.id_token.jwt_token


def credentials_for(setup: PoolSetup, pool: CognitoUserPool, **kwargs: Any) -> CognitoCredentials:
    return CognitoCredentials(identity_pool(setup, **kwargs), pool, endpoint=setup.local.endpoint)


def recording(pool: CognitoUserPool) -> RecordingTransport:
    transport = RecordingTransport(pool.transport.endpoint)
    pool.transport = transport
    return transport


def test_authenticated_credentials_end_to_end(setup: PoolSetup, clock: ManualClock) -> None:
    pool = setup.pool()
    token = sign_in(setup, pool, "alice")
    credentials = credentials_for(setup, pool)
    credentials.get_aws_credentials(token)
    assert credentials.access_key_id is not None
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", credentials.access_key_id)
    assert credentials.secret_access_key and credentials.session_token
    assert credentials.identity_id is not None and _IDENTITY_ID.match(credentials.identity_id)
    assert credentials.expire_timestamp == int(clock.now()) + 3600
    assert credentials.expire_time == datetime.fromtimestamp(int(clock.now()) + 3600, timezone.utc)
    # boto3, with AWS's provider name, finds the same identity for this user.
    same = identity_client(setup.local.endpoint).get_id(
        IdentityPoolId=credentials.identity_pool_id, Logins={aws_provider(setup): token}
    )
    assert same["IdentityId"] == credentials.identity_id


def test_same_user_same_identity_other_user_other_identity(setup: PoolSetup) -> None:
    pool = setup.pool()
    alice = sign_in(setup, pool, "alice")
    bob = sign_in(setup, pool, "bob")
    identity_pool_id = identity_pool(setup)
    first = CognitoCredentials(identity_pool_id, pool, endpoint=setup.local.endpoint)
    first.get_aws_credentials(alice)
    # A second app instance with empty storage: the server gives Alice her identity again.
    again = CognitoCredentials(identity_pool_id, setup.pool(), endpoint=setup.local.endpoint)
    again.get_aws_credentials(alice)
    assert again.identity_id == first.identity_id
    assert again.access_key_id != first.access_key_id
    other = CognitoCredentials(identity_pool_id, setup.pool(), endpoint=setup.local.endpoint)
    other.get_aws_credentials(bob)
    assert other.identity_id != first.identity_id


def test_guest_credentials(setup: PoolSetup) -> None:
    pool = setup.pool()
    credentials = credentials_for(setup, pool)
    credentials.get_guest_aws_credentials()
    assert credentials.access_key_id and credentials.access_key_id.startswith("ASIA")
    assert credentials.identity_id is not None
    assert (
        pool.storage.get_item(identity_id_key(credentials.identity_pool_id, GUEST))
        == credentials.identity_id
    )
    # The guest identity is kept in storage: another object on the same storage reuses it.
    later = CognitoCredentials(credentials.identity_pool_id, pool, endpoint=setup.local.endpoint)
    later.get_guest_aws_credentials()
    assert later.identity_id == credentials.identity_id


def test_guest_refused_when_not_allowed(setup: PoolSetup) -> None:
    credentials = credentials_for(setup, setup.pool(), guests=False)
    with pytest.raises(NotAuthorizedException) as excinfo:
        credentials.get_guest_aws_credentials()
    assert (
        excinfo.value.message == "Unauthenticated access is not supported for this identity pool."
    )
    assert credentials.access_key_id is None


def _forged(token: str) -> str:
    header, claims, signature = token.split(".")
    return f"{header}.{claims}.{signature[:-4]}AAAA"


def test_bad_tokens_refused(setup: PoolSetup, clock: ManualClock) -> None:
    pool = setup.pool()
    token = sign_in(setup, pool, "alice")
    credentials = credentials_for(setup, pool)
    with pytest.raises(NotAuthorizedException, match="Couldn't verify signed token"):
        credentials.get_aws_credentials(_forged(token))
    # An id token of another user pool, presented as this user pool's login.
    other = make_setup(setup.local)
    other_token = sign_in(other, other.pool(), "mallory")
    with pytest.raises(NotAuthorizedException, match="Issuer doesn't match providerName"):
        credentials.get_aws_credentials(other_token, aws_provider(setup))
    clock.advance(3600)
    with pytest.raises(NotAuthorizedException, match="Token expired"):
        credentials.get_aws_credentials(token)
    assert credentials.access_key_id is None


def test_cache_reused_until_a_minute_before_expiry(
    setup: PoolSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = setup.pool()
    token = sign_in(setup, pool, "alice")
    credentials = credentials_for(setup, pool)
    transport = recording(pool)
    credentials.get_aws_credentials(token)
    assert [action for action, _ in transport.sent] == ["GetId", "GetCredentialsForIdentity"]
    key = credentials.access_key_id
    assert credentials.expire_timestamp is not None
    expiry = credentials.expire_timestamp
    monkeypatch.setattr("cognito_identity.credentials._now", lambda: expiry - 61)
    credentials.get_aws_credentials(token)
    assert len(transport.sent) == 2 and credentials.access_key_id == key
    monkeypatch.setattr("cognito_identity.credentials._now", lambda: expiry - 59)
    credentials.get_aws_credentials(token)
    # Fresh credentials, for the identity id cached in storage: no second GetId.
    assert [action for action, _ in transport.sent[2:]] == ["GetCredentialsForIdentity"]
    assert credentials.access_key_id != key


def test_q20_cache_is_per_login(setup: PoolSetup) -> None:
    """The original reused whatever credentials it held, whoever asked next."""
    pool = setup.pool()
    alice = sign_in(setup, pool, "alice")
    bob = sign_in(setup, pool, "bob")
    credentials = credentials_for(setup, pool)
    credentials.get_aws_credentials(alice)
    alice_identity, alice_key = credentials.identity_id, credentials.access_key_id
    credentials.get_guest_aws_credentials()
    assert credentials.identity_id != alice_identity
    assert credentials.access_key_id != alice_key
    credentials.get_aws_credentials(bob)
    assert credentials.identity_id not in (alice_identity, None)


def test_q20_guest_and_authenticated_identities_have_their_own_keys(setup: PoolSetup) -> None:
    pool = setup.pool()
    token = sign_in(setup, pool, "alice")
    credentials = credentials_for(setup, pool)
    credentials.get_guest_aws_credentials()
    guest_identity = credentials.identity_id
    credentials.get_aws_credentials(token)
    user_identity = credentials.identity_id
    assert user_identity != guest_identity
    provider = credentials.default_authenticator(token)
    assert provider == f"{setup.local.endpoint.split('://')[1]}/{setup.pool_id}"
    storage = pool.storage
    assert storage.get_item(identity_id_key(credentials.identity_pool_id, GUEST)) == guest_identity
    assert (
        storage.get_item(identity_id_key(credentials.identity_pool_id, provider)) == user_identity
    )
    # Back to the guest: its own identity, not the user's.
    credentials.get_guest_aws_credentials()
    assert credentials.identity_id == guest_identity


def test_q20_identity_pool_region_and_endpoint_for_both_calls(setup: PoolSetup) -> None:
    """GetId used the user pool's region and endpoint in the original; both calls now go
    to the identity pool's. Here the identity pool lives on another server, in eu-west-2."""
    with LocalCognito(region="eu-west-2") as identity_server:
        identity_pool_id = identity_client(
            identity_server.endpoint, "eu-west-2"
        ).create_identity_pool(IdentityPoolName="guests", AllowUnauthenticatedIdentities=True)[
            "IdentityPoolId"
        ]
        pool = setup.pool()  # a us-east-1 user pool on the other server
        transport = recording(pool)
        endpoints: list[str | None] = []
        original = transport.call

        def call(action: str, params: Any, *, service: str, endpoint: str | None = None) -> Any:
            endpoints.append(endpoint)
            return original(action, params, service=service, endpoint=endpoint)

        transport.call = call  # type: ignore[method-assign]
        credentials = CognitoCredentials(identity_pool_id, pool, endpoint=identity_server.endpoint)
        assert credentials.region == "eu-west-2"
        credentials.get_guest_aws_credentials()
        assert credentials.identity_id is not None
        assert credentials.identity_id.startswith("eu-west-2:")
        assert endpoints == [identity_server.endpoint, identity_server.endpoint]


def test_default_endpoint_from_identity_pool_region(setup: PoolSetup) -> None:
    credentials = CognitoCredentials(
        "eu-central-1:0b2c4d6e-1234-4abc-8def-0123456789ab", setup.pool()
    )
    assert credentials.region == "eu-central-1"
    assert credentials.endpoint == "https://cognito-identity.eu-central-1.amazonaws.com/"
    with pytest.raises(InvalidConfigurationError):
        CognitoCredentials("eu-central-1_NotAnIdentityPool", setup.pool())


def test_retry_once_when_the_cached_identity_is_not_this_login(setup: PoolSetup) -> None:
    pool = setup.pool()
    alice = sign_in(setup, pool, "alice")
    bob = sign_in(setup, pool, "bob")
    credentials = credentials_for(setup, pool)
    credentials.get_aws_credentials(alice)
    alice_identity = credentials.identity_id
    transport = recording(pool)
    # Bob signs in on the same device: the cached identity (Alice's) is refused, once.
    credentials.get_aws_credentials(bob)
    assert [action for action, _ in transport.sent] == [
        "GetCredentialsForIdentity",
        "GetId",
        "GetCredentialsForIdentity",
    ]
    assert credentials.identity_id not in (alice_identity, None)


def test_retry_when_the_cached_identity_no_longer_exists(setup: PoolSetup) -> None:
    pool = setup.pool()
    credentials = credentials_for(setup, pool)
    stale = "us-east-1:00000000-0000-4000-8000-000000000000"
    pool.storage.set_item(identity_id_key(credentials.identity_pool_id, GUEST), stale)
    credentials.get_guest_aws_credentials()
    assert credentials.identity_id not in (stale, None)


def test_no_retry_for_a_fresh_identity(setup: PoolSetup) -> None:
    pool = setup.pool()
    token = sign_in(setup, pool, "alice")
    credentials = credentials_for(setup, pool)
    transport = recording(pool)
    with pytest.raises(NotAuthorizedException):
        credentials.get_aws_credentials(_forged(token))
    assert [action for action, _ in transport.sent] == ["GetId"]


def test_reset_forgets_credentials_and_identity_ids(setup: PoolSetup) -> None:
    pool = setup.pool()
    credentials = credentials_for(setup, pool)
    credentials.get_guest_aws_credentials()
    guest_identity = credentials.identity_id
    credentials.reset_aws_credentials()
    assert (credentials.access_key_id, credentials.secret_access_key) == (None, None)
    assert (credentials.session_token, credentials.expire_time) == (None, None)
    assert credentials.identity_id is None
    assert pool.storage.get_item(identity_id_key(credentials.identity_pool_id, GUEST)) is None
    credentials.get_guest_aws_credentials()
    assert credentials.identity_id != guest_identity


def test_secrets_not_in_repr_and_sigv4_client(setup: PoolSetup) -> None:
    credentials = credentials_for(setup, setup.pool())
    with pytest.raises(NotAuthenticatedError):
        credentials.sigv4_client("https://abc.execute-api.us-east-1.amazonaws.com/prod")
    credentials.get_guest_aws_credentials()
    text = repr(credentials)
    assert credentials.access_key_id is not None and credentials.access_key_id in text
    assert credentials.secret_access_key is not None and credentials.session_token is not None
    assert credentials.secret_access_key not in text
    assert credentials.session_token not in text
    client = credentials.sigv4_client("https://abc.execute-api.us-east-1.amazonaws.com/prod")
    assert isinstance(client, AwsSigV4Client)
    assert client.access_key_id == credentials.access_key_id
    assert client.region == "us-east-1"
    assert credentials.secret_access_key not in repr(client)


def test_failed_fetch_for_another_login_leaves_no_credentials(setup: PoolSetup) -> None:
    pool = setup.pool()
    alice = sign_in(setup, pool, "alice")
    bob = sign_in(setup, pool, "bob")
    credentials = credentials_for(setup, pool)
    credentials.get_aws_credentials(alice)
    assert credentials.access_key_id is not None
    with pytest.raises(NotAuthorizedException):
        credentials.get_aws_credentials(_forged(bob))
    # Alice's keys are not left behind to be taken for Bob's.
    assert (credentials.access_key_id, credentials.identity_id) == (None, None)


def test_custom_authenticator_is_the_logins_key(setup: PoolSetup) -> None:
    pool = setup.pool()
    credentials = credentials_for(setup, pool)
    transport = recording(pool)
    with pytest.raises(NotAuthorizedException) as excinfo:
        credentials.get_aws_credentials("facebook-access-token", "graph.facebook.com")
    assert excinfo.value.message == "Token is not from a supported provider of this identity pool."
    (params,) = transport.steps("GetId")
    assert params["Logins"] == {"graph.facebook.com": "facebook-access-token"}


class _Answers(Transport):
    """A transport that answers each call with the next canned document."""

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        super().__init__("https://cognito-idp.us-east-1.amazonaws.com/")
        self.answers = answers

    def call(self, action: str, params: Any, **kwargs: Any) -> dict[str, Any]:
        return self.answers.pop(0)


@pytest.mark.parametrize(
    "answers",
    [
        [{}],
        [{"IdentityId": "us-east-1:1"}, {"IdentityId": "us-east-1:1"}],
        [{"IdentityId": "us-east-1:1"}, {"Credentials": {"AccessKeyId": "ASIA", "SecretKey": 1}}],
    ],
)
def test_malformed_answers_are_response_errors(answers: list[dict[str, Any]]) -> None:
    pool = CognitoUserPool("us-east-1_Abc123", "client")
    pool.transport = _Answers(answers)
    credentials = CognitoCredentials("us-east-1:0b2c4d6e-1234-4abc-8def-0123456789ab", pool)
    with pytest.raises(CognitoResponseError):
        credentials.get_guest_aws_credentials()
