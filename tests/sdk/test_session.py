"""Sessions after sign-in: storage, refresh, expiry, sign-out, revocation and restarts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cognito_identity import (
    AuthenticationDetails,
    CognitoAccessToken,
    CognitoIdToken,
    CognitoRefreshToken,
    CognitoUser,
    CognitoUserSession,
    FileStorage,
    MemoryStorage,
)
from cognito_identity.errors import NotAuthenticatedError, NotAuthorizedException
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.storage import key_prefix

from .conftest import PASSWORD, PoolSetup, make_setup


def _signed_in(setup: PoolSetup, username: str = "ann", **pool_args: object) -> CognitoUser:
    pool = setup.pool(**pool_args)
    user = pool.sign_up(username, PASSWORD, {"email": f"{username}@example.com"}).user
    user.confirm_registration(setup.code_for(username))
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    return user


def test_session_comes_back_from_storage(setup: PoolSetup, tmp_path: Path) -> None:
    store = tmp_path / "tokens.json"
    first = _signed_in(setup, storage=FileStorage(store))
    signed_in = first.sign_in_user_session
    assert signed_in is not None
    # A new process: new pool object, same file.
    current = setup.pool(storage=FileStorage(store)).get_current_user()
    assert current is not None and current.username == "ann"
    session = current.get_session()
    assert session.access_token == signed_in.access_token
    token_text = signed_in.access_token.jwt_token
    assert token_text not in repr(session) + repr(current) + repr(signed_in.refresh_token)


def test_expired_session_is_refreshed(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = _signed_in(setup)
    before = user.get_session()
    # An hour later on both clocks: access and id tokens live one hour by default.
    clock.advance(3601)
    later = time.time() + 3601
    monkeypatch.setattr("cognito_identity.session._now", lambda: later)
    assert not before.is_valid()
    refreshed = user.get_session()
    assert refreshed.access_token != before.access_token
    assert refreshed.refresh_token == before.refresh_token
    assert refreshed.access_token.issued_at >= before.access_token.issued_at + 3601


def test_refresh_after_revocation_fails_and_clears_storage(setup: PoolSetup) -> None:
    user = _signed_in(setup)
    session = user.get_session()
    assert session.refresh_token is not None
    user.sign_out(revoke_refresh_token=True)
    with pytest.raises(NotAuthenticatedError):
        user.get_session()
    with pytest.raises(NotAuthorizedException):
        user.refresh_session(session.refresh_token)


def test_sign_out_without_revoking_keeps_the_refresh_token_usable(setup: PoolSetup) -> None:
    user = _signed_in(setup)
    session = user.get_session()
    assert session.refresh_token is not None
    user.sign_out()
    assert setup.pool().get_current_user() is None
    assert user.refresh_session(session.refresh_token).is_valid()


def test_global_sign_out_ends_every_token(setup: PoolSetup) -> None:
    user = _signed_in(setup)
    session = user.get_session()
    user.global_sign_out()
    assert user.sign_in_user_session is None
    with pytest.raises(setup.idp.exceptions.NotAuthorizedException):
        setup.idp.get_user(AccessToken=session.access_token.jwt_token)
    with pytest.raises(NotAuthorizedException):
        user.refresh_session(session.refresh_token)  # type: ignore[arg-type]


def test_calls_needing_a_session_say_so(setup: PoolSetup) -> None:
    user = CognitoUser("ann", setup.pool())
    with pytest.raises(NotAuthenticatedError):
        user.get_user_attributes()
    with pytest.raises(NotAuthenticatedError):
        user.get_session()


def test_restart_with_the_same_database(tmp_path: Path) -> None:
    db = str(tmp_path / "pool.sqlite3")
    with LocalCognito(db=db) as local:
        setup = make_setup(local)
        user = _signed_in(setup)
        refresh = user.get_session().refresh_token
        assert refresh is not None
        pool_id, client_id = setup.pool_id, setup.client_id
    with LocalCognito(db=db) as local:
        from cognito_identity import CognitoUserPool

        pool = CognitoUserPool(pool_id, client_id, endpoint=local.endpoint)
        again = CognitoUser("ann", pool)
        assert again.authenticate_user(AuthenticationDetails(password=PASSWORD)).is_valid()
        assert isinstance(again.refresh_session(refresh), CognitoUserSession)


def test_refresh_stays_with_its_own_user(setup: PoolSetup) -> None:
    """Quirk Q5: the original switched to LastAuthUser when refreshing."""
    storage = MemoryStorage()
    ann = _signed_in(setup, "ann", storage=storage)
    _signed_in(setup, "bob", storage=storage)  # bob is now the last user
    refresh_token = ann.get_session().refresh_token
    assert refresh_token is not None
    session = ann.refresh_session(refresh_token)
    assert ann.username == "ann"
    assert session.access_token.username == "ann"
    prefix = key_prefix(setup.client_id, "ann")
    assert storage.get_item(f"{prefix}.accessToken") == session.access_token.jwt_token


def test_a_user_from_tokens_obtained_elsewhere(setup: PoolSetup) -> None:
    """Use case 19: tokens from the hosted UI's code exchange become a signed-in user."""
    signed_in = _signed_in(setup, "ann").get_session()
    tokens = (signed_in.id_token.jwt_token, signed_in.access_token.jwt_token)
    assert signed_in.refresh_token is not None
    session = CognitoUserSession(
        CognitoIdToken(tokens[0]),
        CognitoAccessToken(tokens[1]),
        CognitoRefreshToken(signed_in.refresh_token.token),
    )
    pool = setup.pool()
    user = CognitoUser.from_session(pool, session)
    assert user.username == "ann"
    assert {a.name: a.value for a in user.get_user_attributes()}["email"] == "ann@example.com"
    current = pool.get_current_user()
    assert current is not None and current.get_session().access_token == session.access_token
    assert user.refresh_session(session.refresh_token).is_valid()  # type: ignore[arg-type]
