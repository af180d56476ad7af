"""Sign-up, confirmation, SRP and password sign-in through the SDK, against the local pool,
tried as a new user of the library would: the happy path first, then each way it fails."""

from __future__ import annotations

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserSession
from cognito_identity.errors import (
    CodeMismatchException,
    CognitoUserConfirmationNecessaryException,
    ExpiredCodeException,
    InvalidPasswordException,
    NotAuthorizedException,
    UsernameExistsException,
    UserNotFoundException,
)
from cognito_identity.local import ManualClock

from .conftest import PASSWORD, PoolSetup


def _signed_up(setup: PoolSetup, username: str = "ann") -> CognitoUser:
    pool = setup.pool()
    result = pool.sign_up(username, PASSWORD, {"email": f"{username}@example.com"})
    assert result.user_confirmed is False
    assert result.user_sub
    result.user.confirm_registration(setup.code_for(username))
    return result.user


def test_sign_up_confirm_and_srp_sign_in(setup: PoolSetup) -> None:
    user = _signed_up(setup)
    session = user.authenticate_user(AuthenticationDetails(username="ann", password=PASSWORD))
    assert isinstance(session, CognitoUserSession)
    assert session.is_valid()
    assert session.id_token.payload["email"] == "ann@example.com"
    assert session.id_token.payload["cognito:username"] == "ann"
    assert session.id_token.token_use == "id"
    assert session.access_token.token_use == "access"
    assert session.access_token.payload["client_id"] == setup.client_id
    assert session.id_token.issuer == f"{setup.local.endpoint}/{setup.pool_id}"
    assert session.refresh_token is not None
    attributes = {a.name: a.value for a in user.get_user_attributes()}
    assert attributes["email"] == "ann@example.com"
    assert attributes["sub"] == session.id_token.sub


def test_password_auth_flow(setup: PoolSetup) -> None:
    user = _signed_up(setup)
    user.authentication_flow_type = "USER_PASSWORD_AUTH"
    session = user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert session.is_valid()
    assert session.access_token.username == "ann"


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_wrong_password_is_refused(setup: PoolSetup, flow: str) -> None:
    user = _signed_up(setup)
    user.authentication_flow_type = flow
    with pytest.raises(NotAuthorizedException) as caught:
        user.authenticate_user(AuthenticationDetails(password="Wrong-Passw0rd!"))
    assert caught.value.message == "Incorrect username or password."
    assert "Wrong-Passw0rd!" not in repr(caught.value) + str(caught.value)


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_unknown_user_is_refused(setup: PoolSetup, flow: str) -> None:
    user = CognitoUser("nobody", setup.pool())
    user.authentication_flow_type = flow
    with pytest.raises(UserNotFoundException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_unconfirmed_user_must_confirm_first(setup: PoolSetup, flow: str) -> None:
    user = setup.pool().sign_up("bob", PASSWORD, {"email": "bob@example.com"}).user
    user.authentication_flow_type = flow
    with pytest.raises(CognitoUserConfirmationNecessaryException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))


def test_wrong_and_expired_codes(setup: PoolSetup, clock: ManualClock) -> None:
    user = setup.pool().sign_up("cy", PASSWORD, {"email": "cy@example.com"}).user
    with pytest.raises(CodeMismatchException):
        user.confirm_registration("000000" if setup.code_for("cy") != "000000" else "111111")
    clock.advance(25 * 3600)  # confirmation codes live 24 hours
    with pytest.raises(ExpiredCodeException):
        user.confirm_registration(setup.code_for("cy"))
    details = user.resend_confirmation_code()
    assert details["DeliveryMedium"] == "EMAIL"
    user.confirm_registration(setup.code_for("cy"))
    assert user.authenticate_user(AuthenticationDetails(password=PASSWORD)).is_valid()


@pytest.mark.parametrize(
    "password",
    ["Sh0rt!a", "nouppercase1!", "NOLOWERCASE1!", "NoDigits-here!", "NoSymbols123"],
)
def test_password_policy_violations(setup: PoolSetup, password: str) -> None:
    with pytest.raises(InvalidPasswordException) as caught:
        setup.pool().sign_up("dee", password, {"email": "dee@example.com"})
    assert password not in str(caught.value)


def test_username_taken(setup: PoolSetup) -> None:
    _signed_up(setup, "eve")
    with pytest.raises(UsernameExistsException):
        setup.pool().sign_up("eve", PASSWORD, {"email": "eve2@example.com"})


def test_client_secret_is_sent_where_needed(secret_setup: PoolSetup) -> None:
    user = _signed_up(secret_setup, "fay")
    for flow in ("USER_SRP_AUTH", "USER_PASSWORD_AUTH"):
        user.authentication_flow_type = flow
        session = user.authenticate_user(AuthenticationDetails(password=PASSWORD))
        assert user.refresh_session(session.refresh_token).is_valid()  # type: ignore[arg-type]


def test_wrong_or_missing_client_secret_is_refused(secret_setup: PoolSetup) -> None:
    with pytest.raises(NotAuthorizedException):
        secret_setup.pool(client_secret="not-the-secret").sign_up(
            "gus", PASSWORD, {"email": "gus@example.com"}
        )
    with pytest.raises(NotAuthorizedException):
        secret_setup.pool(client_secret=None).sign_up("gus", PASSWORD, {"email": "g@example.com"})
    user = _signed_up(secret_setup, "gus")
    wrong = CognitoUser("gus", secret_setup.pool(client_secret="not-the-secret"))
    with pytest.raises(NotAuthorizedException):
        wrong.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert user.authenticate_user(AuthenticationDetails(password=PASSWORD)).is_valid()
