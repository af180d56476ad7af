"""Passwords end to end: change, forgot/confirm (codes from the outbox), admin reset."""

from __future__ import annotations

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser
from cognito_identity.errors import (
    CodeMismatchException,
    ExpiredCodeException,
    InvalidParameterException,
    InvalidPasswordException,
    NotAuthenticatedError,
    NotAuthorizedException,
    PasswordResetRequiredException,
    UserNotFoundException,
)
from cognito_identity.local import ManualClock

from .conftest import PASSWORD, PoolSetup
from .helpers import signed_in

NEW_PASSWORD = "N3w-Battery-Staple!"


def _can_sign_in(setup: PoolSetup, username: str, password: str) -> bool:
    try:
        CognitoUser(username, setup.pool()).authenticate_user(
            AuthenticationDetails(password=password)
        )
    except NotAuthorizedException:
        return False
    return True


def test_change_password_replaces_the_password(setup: PoolSetup) -> None:
    user = signed_in(setup)
    user.change_password(PASSWORD, NEW_PASSWORD)
    assert _can_sign_in(setup, "ann", NEW_PASSWORD)
    assert not _can_sign_in(setup, "ann", PASSWORD)


def test_change_password_with_a_wrong_old_password(setup: PoolSetup) -> None:
    user = signed_in(setup)
    with pytest.raises(NotAuthorizedException, match="Incorrect username or password"):
        user.change_password("Wr0ng-Password!", NEW_PASSWORD)
    assert _can_sign_in(setup, "ann", PASSWORD)


def test_change_password_to_one_the_policy_refuses(setup: PoolSetup) -> None:
    user = signed_in(setup)
    with pytest.raises(InvalidPasswordException, match="conform with policy"):
        user.change_password(PASSWORD, "short")
    assert _can_sign_in(setup, "ann", PASSWORD)


def test_change_password_needs_a_session(setup: PoolSetup) -> None:
    user = CognitoUser("ann", setup.pool())
    with pytest.raises(NotAuthenticatedError):
        user.change_password(PASSWORD, NEW_PASSWORD)


def test_change_password_sends_no_secret_hash(secret_setup: PoolSetup) -> None:
    # Q19: the original SDK added a SecretHash ChangePassword does not take.
    user = signed_in(secret_setup)
    sent: list[dict[str, object]] = []
    transport = user.pool.transport
    original = transport.call

    def spy(action: str, params: dict[str, object], **kwargs: object) -> dict[str, object]:
        sent.append({"action": action, **params})
        return original(action, params, **kwargs)  # type: ignore[arg-type]

    transport.call = spy  # type: ignore[method-assign]
    user.change_password(PASSWORD, NEW_PASSWORD)
    assert sent[0]["action"] == "ChangePassword" and "SecretHash" not in sent[0]
    assert _can_sign_in(secret_setup, "ann", NEW_PASSWORD)


def test_forgot_and_confirm_password(setup: PoolSetup) -> None:
    signed_in(setup)
    user = CognitoUser("ann", setup.pool())
    details = user.forgot_password()
    assert details == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    code = setup.code_for("ann")
    assert user.confirm_password(code, NEW_PASSWORD) is None
    assert _can_sign_in(setup, "ann", NEW_PASSWORD)
    assert not _can_sign_in(setup, "ann", PASSWORD)


def test_forgot_password_with_a_client_secret(secret_setup: PoolSetup) -> None:
    signed_in(secret_setup)
    user = CognitoUser("ann", secret_setup.pool())
    user.forgot_password()
    user.confirm_password(secret_setup.code_for("ann"), NEW_PASSWORD)
    assert _can_sign_in(secret_setup, "ann", NEW_PASSWORD)
    # The same calls without the secret are refused.
    bare = CognitoUser("ann", secret_setup.pool(client_secret=None))
    with pytest.raises(NotAuthorizedException, match="secret"):
        bare.forgot_password()


def test_confirm_password_with_a_wrong_code(setup: PoolSetup) -> None:
    signed_in(setup)
    user = CognitoUser("ann", setup.pool())
    user.forgot_password()
    code = setup.code_for("ann")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(CodeMismatchException):
        user.confirm_password(wrong, NEW_PASSWORD)
    # The right code still works after a wrong one.
    user.confirm_password(code, NEW_PASSWORD)
    assert _can_sign_in(setup, "ann", NEW_PASSWORD)


def test_confirm_password_code_cannot_be_reused(setup: PoolSetup) -> None:
    signed_in(setup)
    user = CognitoUser("ann", setup.pool())
    user.forgot_password()
    code = setup.code_for("ann")
    user.confirm_password(code, NEW_PASSWORD)
    with pytest.raises(CodeMismatchException):
        user.confirm_password(code, "An0ther-Password!")
    assert _can_sign_in(setup, "ann", NEW_PASSWORD)


def test_confirm_password_with_an_expired_code(setup: PoolSetup, clock: ManualClock) -> None:
    signed_in(setup)
    user = CognitoUser("ann", setup.pool())
    user.forgot_password()
    clock.advance(3601)  # reset codes live one hour
    with pytest.raises(ExpiredCodeException):
        user.confirm_password(setup.code_for("ann"), NEW_PASSWORD)
    assert _can_sign_in(setup, "ann", PASSWORD)


def test_a_new_code_replaces_the_old_one(setup: PoolSetup) -> None:
    signed_in(setup)
    user = CognitoUser("ann", setup.pool())
    user.forgot_password()
    first = setup.code_for("ann")
    user.forgot_password()
    second = setup.code_for("ann")
    if first != second:
        with pytest.raises(CodeMismatchException):
            user.confirm_password(first, NEW_PASSWORD)
    user.confirm_password(second, NEW_PASSWORD)


def test_confirm_password_with_a_weak_password_keeps_the_code(setup: PoolSetup) -> None:
    signed_in(setup)
    user = CognitoUser("ann", setup.pool())
    user.forgot_password()
    code = setup.code_for("ann")
    with pytest.raises(InvalidPasswordException):
        user.confirm_password(code, "weak")
    user.confirm_password(code, NEW_PASSWORD)


def test_forgot_password_needs_a_verified_address(setup: PoolSetup) -> None:
    pool = setup.pool()
    # Signed up but never confirmed: the e-mail is not verified.
    user = pool.sign_up("bob", PASSWORD, {"email": "bob@example.com"}).user
    with pytest.raises(InvalidParameterException, match="no registered/verified email"):
        user.forgot_password()


def test_forgot_password_for_an_unknown_user(setup: PoolSetup) -> None:
    with pytest.raises(UserNotFoundException):
        CognitoUser("nobody", setup.pool()).forgot_password()


def test_admin_reset_makes_the_user_choose_a_new_password(setup: PoolSetup) -> None:
    signed_in(setup)
    setup.idp.admin_reset_user_password(UserPoolId=setup.pool_id, Username="ann")
    assert (
        setup.idp.admin_get_user(UserPoolId=setup.pool_id, Username="ann")["UserStatus"]
        == "RESET_REQUIRED"
    )
    # As in Cognito, signing in says why it cannot succeed (SRP and plain password alike).
    for flow in ("USER_SRP_AUTH", "USER_PASSWORD_AUTH"):
        stuck = CognitoUser("ann", setup.pool())
        stuck.authentication_flow_type = flow
        with pytest.raises(PasswordResetRequiredException, match="Password reset required"):
            stuck.authenticate_user(AuthenticationDetails(password=PASSWORD))
    user = CognitoUser("ann", setup.pool())
    user.confirm_password(setup.code_for("ann"), NEW_PASSWORD)
    assert _can_sign_in(setup, "ann", NEW_PASSWORD)
    assert (
        setup.idp.admin_get_user(UserPoolId=setup.pool_id, Username="ann")["UserStatus"]
        == "CONFIRMED"
    )


def test_client_metadata_reaches_the_wire(setup: PoolSetup) -> None:
    user = signed_in(setup)
    sent: dict[str, dict[str, object]] = {}
    transport = user.pool.transport
    original = transport.call

    def spy(action: str, params: dict[str, object], **kwargs: object) -> dict[str, object]:
        sent[action] = dict(params)
        return original(action, params, **kwargs)  # type: ignore[arg-type]

    transport.call = spy  # type: ignore[method-assign]
    metadata = {"source": "test"}
    user.update_attributes({"given_name": "Ann"}, client_metadata=metadata)
    user.get_attribute_verification_code("email", client_metadata=metadata)
    user.forgot_password(client_metadata=metadata)
    user.confirm_password(setup.code_for("ann"), NEW_PASSWORD, client_metadata=metadata)
    for action in (
        "UpdateUserAttributes",
        "GetUserAttributeVerificationCode",
        "ForgotPassword",
        "ConfirmForgotPassword",
    ):
        assert sent[action]["ClientMetadata"] == metadata, action
