"""CognitoCredentials that fetch and refresh by themselves from a signed-in user's
session, shared by threads, against the local pool's identity pools."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timezone

import pytest

from cognito_identity import AuthenticationDetails, CognitoCredentials, CognitoUser
from cognito_identity.credentials import TemporaryCredentials, identity_id_key
from cognito_identity.errors import NotAuthenticatedError
from cognito_identity.local import ManualClock
from cognito_identity.signing import SigV4Signer

from .conftest import PASSWORD, PoolSetup
from .test_credentials import identity_pool, recording


def signed_in_user(setup: PoolSetup, username: str = "alice") -> CognitoUser:
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id, Username=username, MessageAction="SUPPRESS"
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    user = CognitoUser(username, setup.pool())
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    return user


def user_credentials(setup: PoolSetup, user: CognitoUser) -> CognitoCredentials:
    return CognitoCredentials(
        identity_pool(setup), user.pool, endpoint=setup.local.endpoint, user=user
    )


def move_clocks(monkeypatch: pytest.MonkeyPatch, clock: ManualClock, seconds: float) -> None:
    """Move the server's clock and this machine's (as the SDK reads it) together."""
    clock.advance(seconds)
    monkeypatch.setattr("cognito_identity.session._now", clock.now)
    monkeypatch.setattr("cognito_identity.credentials._now", clock.now)


def test_a_user_s_credentials_need_no_earlier_call(setup: PoolSetup, clock: ManualClock) -> None:
    user = signed_in_user(setup)
    credentials = user_credentials(setup, user)
    snapshot = credentials.get_credentials()
    assert isinstance(snapshot, TemporaryCredentials)
    assert snapshot.access_key_id.startswith("ASIA")
    assert snapshot.expiration.tzinfo is not None
    assert snapshot.expiration.astimezone(timezone.utc).timestamp() == int(clock.now()) + 3600
    assert snapshot.expiration_timestamp == credentials.expire_timestamp
    assert (snapshot.identity_id, snapshot.access_key_id) == (
        credentials.identity_id,
        credentials.access_key_id,
    )
    # The user's identity: the one a plain id-token fetch finds too.
    other = CognitoCredentials(
        credentials.identity_pool_id, setup.pool(), endpoint=setup.local.endpoint
    )
    session = user.get_session()
    other.get_aws_credentials(session.id_token.jwt_token)
    assert other.identity_id == snapshot.identity_id
    # Read again while fresh: the same snapshot, no call.
    assert credentials.get_credentials() is snapshot


def test_snapshot_is_immutable_and_keeps_its_secrets(setup: PoolSetup) -> None:
    credentials = user_credentials(setup, signed_in_user(setup))
    snapshot = credentials.get_credentials()
    text = repr(snapshot) + repr(credentials)
    assert snapshot.access_key_id in text
    assert snapshot.secret_access_key not in text and snapshot.session_token not in text
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.access_key_id = "ASIAOTHER"  # type: ignore[misc]
    # botocore's names for the same values.
    assert (snapshot.access_key, snapshot.secret_key, snapshot.token) == (
        snapshot.access_key_id,
        snapshot.secret_access_key,
        snapshot.session_token,
    )


def test_refreshed_before_expiry_by_itself(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = signed_in_user(setup)
    credentials = user_credentials(setup, user)
    first = credentials.get_credentials()
    transport = recording(user.pool)
    move_clocks(monkeypatch, clock, 3600 - 61)
    assert credentials.get_credentials() is first
    assert transport.sent == []
    move_clocks(monkeypatch, clock, 2)
    second = credentials.get_credentials()
    assert second.access_key_id != first.access_key_id
    assert second.identity_id == first.identity_id
    assert second.expiration_timestamp == int(clock.now()) + 3600
    # The id token still had a minute to live: no session refresh, no second GetId.
    assert [action for action, _ in transport.sent] == ["GetCredentialsForIdentity"]


def test_an_expired_id_token_is_refreshed_first(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = signed_in_user(setup)
    credentials = user_credentials(setup, user)
    first = credentials.get_credentials()
    old_token = user.get_session().id_token
    transport = recording(user.pool)
    move_clocks(monkeypatch, clock, 3700)
    second = credentials.get_credentials()
    assert [action for action, _ in transport.sent] == [
        "InitiateAuth",
        "GetCredentialsForIdentity",
    ]
    ((provider, token),) = transport.steps("GetCredentialsForIdentity")[0]["Logins"].items()
    assert token == user.get_session().id_token.jwt_token != old_token.jwt_token
    assert provider == credentials.default_authenticator(token)
    assert second.identity_id == first.identity_id
    assert not second.expires_within(3000)


def test_a_stale_cached_identity_is_dropped_and_fetched_once_more(setup: PoolSetup) -> None:
    alice = signed_in_user(setup, "alice")
    bob = signed_in_user(setup, "bob")
    identity_pool_id = identity_pool(setup)
    alice_identity = (
        CognitoCredentials(identity_pool_id, alice.pool, endpoint=setup.local.endpoint, user=alice)
        .get_credentials()
        .identity_id
    )
    credentials = CognitoCredentials(
        identity_pool_id, bob.pool, endpoint=setup.local.endpoint, user=bob
    )
    provider = credentials.default_authenticator(bob.get_session().id_token.jwt_token)
    key = identity_id_key(identity_pool_id, provider)
    for stale in (alice_identity, "us-east-1:00000000-0000-4000-8000-000000000000"):
        # Another user's identity (NotAuthorizedException), then one that is gone.
        bob.pool.storage.set_item(key, stale)
        credentials.reset_aws_credentials()
        bob.pool.storage.set_item(key, stale)
        transport = recording(bob.pool)
        snapshot = credentials.get_credentials()
        assert [action for action, _ in transport.sent] == [
            "GetCredentialsForIdentity",
            "GetId",
            "GetCredentialsForIdentity",
        ]
        assert snapshot.identity_id not in (stale, None)
        assert bob.pool.storage.get_item(key) == snapshot.identity_id


def test_sixteen_threads_find_them_expired_and_fetch_once(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = signed_in_user(setup)
    credentials = user_credentials(setup, user)
    first = credentials.get_credentials()
    transport = recording(user.pool)
    move_clocks(monkeypatch, clock, 3600 - 30)
    start = threading.Barrier(16)
    seen: list[TemporaryCredentials] = []
    errors: list[BaseException] = []

    def read() -> None:
        start.wait()
        try:
            seen.append(credentials.get_credentials())
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [action for action, _ in transport.sent] == ["GetCredentialsForIdentity"]
    assert len(seen) == 16 and len({id(snapshot) for snapshot in seen}) == 1
    assert seen[0].access_key_id != first.access_key_id


def test_without_a_user_it_refreshes_the_last_login(
    setup: PoolSetup, monkeypatch: pytest.MonkeyPatch, clock: ManualClock
) -> None:
    pool = setup.pool()
    credentials = CognitoCredentials(identity_pool(setup), pool, endpoint=setup.local.endpoint)
    with pytest.raises(NotAuthenticatedError):
        credentials.get_credentials()
    credentials.get_guest_aws_credentials()
    guest = credentials.get_credentials()
    assert guest.access_key_id == credentials.access_key_id
    move_clocks(monkeypatch, clock, 3700)
    again = credentials.get_credentials()
    assert again.identity_id == guest.identity_id
    assert again.access_key_id != guest.access_key_id
    credentials.reset_aws_credentials()
    with pytest.raises(NotAuthenticatedError):
        credentials.get_credentials()


def test_a_signer_takes_the_credentials_and_follows_refreshes(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cognito_identity._protocol import HttpRequest

    credentials = user_credentials(setup, signed_in_user(setup))
    signer = SigV4Signer(credentials, "us-east-1", "execute-api")
    request = HttpRequest("https://abc.execute-api.us-east-1.amazonaws.com/", {}, b"{}", "")
    first = credentials.get_credentials()
    assert first.access_key_id in signer.sign(request).headers["Authorization"]
    move_clocks(monkeypatch, clock, 3700)
    signed = signer.sign(request)
    assert credentials.get_credentials().access_key_id in signed.headers["Authorization"]
    assert first.access_key_id not in signed.headers["Authorization"]
    assert signed.headers["X-Amz-Security-Token"] == credentials.get_credentials().session_token
