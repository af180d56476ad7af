"""Ending a user's sessions or the user: delete_user, global and admin sign-out."""

from __future__ import annotations

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser
from cognito_identity.errors import (
    NotAuthenticatedError,
    NotAuthorizedException,
    UserNotFoundException,
)
from cognito_identity.session import CognitoRefreshToken
from cognito_identity.storage import key_prefix

from .conftest import PASSWORD, PoolSetup
from .helpers import signed_in


def _stored_keys(user: CognitoUser) -> list[str]:
    prefix = key_prefix(user.pool.client_id, user.username)
    names = ("idToken", "accessToken", "refreshToken", "clockDrift")
    return [name for name in names if user.storage.get_item(f"{prefix}.{name}") is not None]


def test_delete_user_removes_the_user_and_the_session(setup: PoolSetup) -> None:
    user = signed_in(setup)
    session = user.sign_in_user_session
    assert session is not None and session.refresh_token is not None
    assert _stored_keys(user)
    user.delete_user()
    # Q16: the session is gone from memory and from storage.
    assert user.sign_in_user_session is None
    assert _stored_keys(user) == []
    assert setup.pool().get_current_user() is None
    with pytest.raises(NotAuthenticatedError):
        user.get_session()
    with pytest.raises(setup.idp.exceptions.UserNotFoundException):
        setup.idp.admin_get_user(UserPoolId=setup.pool_id, Username="ann")
    # The old tokens stop working at the pool.
    with pytest.raises(setup.idp.exceptions.NotAuthorizedException):
        setup.idp.get_user(AccessToken=session.access_token.jwt_token)
    with pytest.raises(NotAuthorizedException):
        user.refresh_session(CognitoRefreshToken(session.refresh_token.token))


def test_a_deleted_user_cannot_sign_in_or_reset(setup: PoolSetup) -> None:
    signed_in(setup).delete_user()
    again = CognitoUser("ann", setup.pool())
    with pytest.raises(UserNotFoundException):
        again.authenticate_user(AuthenticationDetails(password=PASSWORD))
    with pytest.raises(UserNotFoundException):
        again.forgot_password()


def test_delete_user_needs_a_session(setup: PoolSetup) -> None:
    signed_in(setup)
    with pytest.raises(NotAuthenticatedError):
        CognitoUser("ann", setup.pool()).delete_user()
    # Nothing was deleted.
    setup.idp.admin_get_user(UserPoolId=setup.pool_id, Username="ann")


def test_global_sign_out_forgets_the_session_here_too(setup: PoolSetup) -> None:
    user = signed_in(setup)
    session = user.sign_in_user_session
    assert session is not None
    user.global_sign_out()
    # Q16: the in-memory session is gone, as are the stored tokens.
    assert user.sign_in_user_session is None
    assert _stored_keys(user) == []
    with pytest.raises(NotAuthenticatedError):
        user.get_user_attributes()
    with pytest.raises(setup.idp.exceptions.NotAuthorizedException, match="revoked"):
        setup.idp.get_user(AccessToken=session.access_token.jwt_token)


def test_sign_out_with_revocation_ends_the_refresh_token(setup: PoolSetup) -> None:
    user = signed_in(setup)
    session = user.sign_in_user_session
    assert session is not None and session.refresh_token is not None
    user.sign_out(revoke_refresh_token=True)
    assert user.sign_in_user_session is None
    with pytest.raises(NotAuthorizedException, match="revoked"):
        user.refresh_session(CognitoRefreshToken(session.refresh_token.token))


def test_admin_global_sign_out_ends_every_session(setup: PoolSetup) -> None:
    user = signed_in(setup)
    session = user.sign_in_user_session
    assert session is not None and session.refresh_token is not None
    setup.idp.admin_user_global_sign_out(UserPoolId=setup.pool_id, Username="ann")
    with pytest.raises(NotAuthorizedException, match="revoked"):
        user.get_user_attributes()
    with pytest.raises(NotAuthorizedException, match="revoked"):
        user.refresh_session(CognitoRefreshToken(session.refresh_token.token))
    # Signing in again works.
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert user.get_user_attributes()
