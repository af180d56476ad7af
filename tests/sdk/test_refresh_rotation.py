"""Refresh token rotation through the SDK against the local pool: GetTokensFromRefreshToken,
the grace period, reuse, revocation, a deleted user, and clients that do not rotate."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool
from cognito_identity.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    RefreshTokenReuseException,
)
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.session import CognitoRefreshToken
from cognito_identity.storage import MemoryStorage, key_prefix

from .conftest import PASSWORD, PoolSetup, admin_client
from .helpers import sign_in, tracking, user_of


def rotation_setup(
    local: LocalCognito, rotation: dict[str, Any] | None, *, secret: bool = False
) -> PoolSetup:
    idp = admin_client(local.endpoint)
    pool_id = idp.create_user_pool(PoolName="rotating")["UserPool"]["Id"]
    extra = {} if rotation is None else {"RefreshTokenRotation": rotation}
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        GenerateSecret=secret,
        **extra,
    )["UserPoolClient"]
    idp.admin_create_user(UserPoolId=pool_id, Username="rita", MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="rita", Password=PASSWORD, Permanent=True
    )
    return PoolSetup(local, idp, pool_id, client["ClientId"], client.get("ClientSecret"))


def signed_in(setup: PoolSetup, *, rotation: bool = True) -> CognitoUser:
    user = CognitoUser("rita", setup.pool(refresh_token_rotation=rotation))
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    return user


def refresh_token_of(user: CognitoUser) -> CognitoRefreshToken:
    session = user.sign_in_user_session
    assert session is not None and session.refresh_token is not None
    return session.refresh_token


ENABLED = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}


def test_each_refresh_hands_out_a_new_refresh_token(local: LocalCognito) -> None:
    setup = rotation_setup(local, ENABLED)
    user = signed_in(setup)
    seen = [refresh_token_of(user)]
    for _ in range(3):
        session = user.refresh_session(seen[-1])
        seen.append(refresh_token_of(user))
        assert session.refresh_token == seen[-1]
        assert user.get_user_attributes()  # the new access token works
    assert len({token.token for token in seen}) == 4
    stored = user.storage.get_item(f"{key_prefix(setup.client_id, 'rita')}.refreshToken")
    assert stored == seen[-1].token


def test_a_rotated_token_is_refused_without_a_grace_period(local: LocalCognito) -> None:
    setup = rotation_setup(local, ENABLED)
    user = signed_in(setup)
    old = refresh_token_of(user)
    newest = user.refresh_session(old).refresh_token
    with pytest.raises(RefreshTokenReuseException):
        user.refresh_session(old)
    # The refused token is not the stored one: the newest tokens stay, and still work.
    key = f"{key_prefix(setup.client_id, 'rita')}.refreshToken"
    assert newest is not None and user.storage.get_item(key) == newest.token
    assert user.refresh_session(newest).refresh_token is not None
    # A refusal of the stored token itself forgets the stored tokens.
    stored = refresh_token_of(user)
    user.refresh_session(stored)
    with pytest.raises(RefreshTokenReuseException):
        user.refresh_session(stored)
    assert user.storage.get_item(key) is not None  # the rotated one, not the refused one
    user.storage.set_item(key, stored.token)
    with pytest.raises(RefreshTokenReuseException):
        user.refresh_session(stored)
    assert user.storage.get_item(key) is None


def test_the_grace_period_allows_a_retry(local: LocalCognito, clock: ManualClock) -> None:
    setup = rotation_setup(local, {"Feature": "ENABLED", "RetryGracePeriodSeconds": 30})
    user = signed_in(setup)
    old = refresh_token_of(user)
    newer = user.refresh_session(old).refresh_token
    clock.advance(20)
    retried = user.refresh_session(old).refresh_token  # a client retrying a lost answer
    assert newer is not None and retried is not None and retried != newer
    clock.advance(11)
    with pytest.raises(RefreshTokenReuseException):
        user.refresh_session(old)
    # Both tokens the session handed out are still usable while unused.
    assert user.refresh_session(retried).refresh_token is not None


def test_rotating_client_refuses_refresh_token_auth(local: LocalCognito) -> None:
    setup = rotation_setup(local, ENABLED)
    user = signed_in(setup)
    with pytest.raises(InvalidParameterException, match="GetTokensFromRefreshToken"):
        user.refresh_session(refresh_token_of(user), rotate=False)


def test_a_client_without_rotation_keeps_its_refresh_token(local: LocalCognito) -> None:
    setup = rotation_setup(local, None)
    user = signed_in(setup)
    token = refresh_token_of(user)
    assert user.refresh_session(token).refresh_token == token
    assert user.refresh_session(token).refresh_token == token
    assert user.refresh_session(token, rotate=False).refresh_token == token


def test_a_revoked_family_is_refused_even_in_its_grace_period(local: LocalCognito) -> None:
    setup = rotation_setup(local, {"Feature": "ENABLED", "RetryGracePeriodSeconds": 60})
    user = signed_in(setup)
    old = refresh_token_of(user)
    current = user.refresh_session(old).refresh_token
    assert current is not None
    user.sign_out(revoke_refresh_token=True)
    for token in (old, current):
        with pytest.raises(NotAuthorizedException, match="revoked"):
            user.refresh_session(token)


def test_a_deleted_user_cannot_refresh(local: LocalCognito) -> None:
    setup = rotation_setup(local, ENABLED)
    user = signed_in(setup)
    token = refresh_token_of(user)
    setup.idp.admin_delete_user(UserPoolId=setup.pool_id, Username="rita")
    with pytest.raises(NotAuthorizedException):
        user.refresh_session(token)


def test_get_session_rotates_once_the_tokens_expire(
    local: LocalCognito, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = rotation_setup(local, ENABLED)
    user = signed_in(setup)
    old = refresh_token_of(user)
    # An hour later on both clocks (the server's and the SDK's).
    clock.advance(3601)
    later = time.time() + 3601
    monkeypatch.setattr("cognito_identity.session._now", lambda: later)
    session = user.get_session()
    assert session.is_valid()
    assert session.refresh_token is not None and session.refresh_token != old


def test_a_client_secret_is_required(local: LocalCognito) -> None:
    setup = rotation_setup(local, ENABLED, secret=True)
    user = signed_in(setup)
    token = refresh_token_of(user)
    bare = CognitoUser(
        "rita",
        CognitoUserPool(
            setup.pool_id, setup.client_id, endpoint=local.endpoint, refresh_token_rotation=True
        ),
    )
    with pytest.raises(NotAuthorizedException, match="secret"):
        bare.refresh_session(token)
    assert user.refresh_session(token).refresh_token != token


def test_a_device_bound_token_needs_its_device(local: LocalCognito) -> None:
    setup = tracking(local)
    user = user_of(setup, MemoryStorage())
    sign_in(user)
    token = refresh_token_of(user)
    device_key = user.get_device_key()
    assert device_key is not None
    # The SDK sends the device key: the refresh works.
    assert user.refresh_session(token, rotate=True).is_valid()
    with pytest.raises(setup.idp.exceptions.NotAuthorizedException):
        setup.idp.get_tokens_from_refresh_token(ClientId=setup.client_id, RefreshToken=token.token)
    setup.idp.admin_forget_device(UserPoolId=setup.pool_id, Username="ann", DeviceKey=device_key)
    with pytest.raises(NotAuthorizedException, match="Invalid Refresh Token"):
        user.refresh_session(token, rotate=True)
