"""SMS_MFA and EMAIL_OTP through the SDK against the local pool: codes from the outbox, the
field each answer sends, retries, expiry, reuse, and the chain NEW_PASSWORD_REQUIRED -> MFA."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserSession
from cognito_identity.errors import (
    CodeMismatchException,
    CognitoUserEmailOtpRequiredException,
    CognitoUserMfaRequiredException,
    CognitoUserNewPasswordRequiredException,
    InvalidConfigurationError,
    NotAuthorizedException,
)
from cognito_identity.local import LocalCognito, ManualClock

from .conftest import PASSWORD, PoolSetup, RecordingTransport, make_setup
from .helpers import PHONE, confirmed_user, mfa_code, mfa_pool


def last_responses(user: CognitoUser) -> dict[str, Any]:
    transport = user.pool.transport
    assert isinstance(transport, RecordingTransport)
    action, params = transport.sent[-1]
    assert action == "RespondToAuthChallenge"
    responses: dict[str, Any] = params["ChallengeResponses"]
    return responses


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_sms_mfa_code_from_the_outbox_signs_in(setup: PoolSetup, flow: str) -> None:
    mfa_pool(setup)
    user = confirmed_user(setup, phone_number=PHONE)
    user.authentication_flow_type = flow
    with pytest.raises(CognitoUserMfaRequiredException) as caught:
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert caught.value.challenge_name == "SMS_MFA"
    assert caught.value.challenge_parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    assert caught.value.challenge_parameters["CODE_DELIVERY_DESTINATION"] == "+*******0123"

    session = user.send_mfa_code(mfa_code(setup, PHONE))
    assert isinstance(session, CognitoUserSession)
    assert session.is_valid()
    assert session.access_token.username == "dana"
    # Only the SMS field is sent (the original also sent SMS_MFA_CODE for every type).
    assert set(last_responses(user)) == {"USERNAME", "SMS_MFA_CODE"}


def test_email_otp_sends_only_its_own_field(setup: PoolSetup) -> None:
    mfa_pool(setup, sms=False, email=True)
    user = confirmed_user(setup, email="dana@example.com")
    with pytest.raises(CognitoUserEmailOtpRequiredException) as caught:
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert caught.value.challenge_parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert caught.value.challenge_parameters["CODE_DELIVERY_DESTINATION"] == "d***@e***"
    session = user.send_mfa_code(mfa_code(setup, "dana@example.com"), "EMAIL_OTP")
    assert session.is_valid()
    assert set(last_responses(user)) == {"USERNAME", "EMAIL_OTP_CODE"}


def test_send_mfa_code_refuses_an_unknown_type(setup: PoolSetup) -> None:
    user = confirmed_user(setup, phone_number=PHONE)
    with pytest.raises(InvalidConfigurationError, match="unknown MFA type"):
        user.send_mfa_code("123456", "CARRIER_PIGEON")


def _other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_wrong_code_can_be_retried_in_the_same_session(setup: PoolSetup) -> None:
    mfa_pool(setup)
    user = confirmed_user(setup, phone_number=PHONE)
    with pytest.raises(CognitoUserMfaRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    code = mfa_code(setup, PHONE)
    with pytest.raises(CodeMismatchException):
        user.send_mfa_code(_other_code(code))
    assert user.send_mfa_code(code).is_valid()


def test_too_many_wrong_codes_close_the_session(setup: PoolSetup) -> None:
    mfa_pool(setup)
    user = confirmed_user(setup, phone_number=PHONE)
    with pytest.raises(CognitoUserMfaRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    code = mfa_code(setup, PHONE)
    for _ in range(3):
        with pytest.raises(CodeMismatchException):
            user.send_mfa_code(_other_code(code))
    with pytest.raises(NotAuthorizedException, match="only be used once"):
        user.send_mfa_code(code)


def test_expired_session_refuses_the_code(setup: PoolSetup, clock: ManualClock) -> None:
    mfa_pool(setup)
    user = confirmed_user(setup, phone_number=PHONE)
    with pytest.raises(CognitoUserMfaRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    clock.advance(3 * 60 + 1)
    with pytest.raises(NotAuthorizedException, match="expired"):
        user.send_mfa_code(mfa_code(setup, PHONE))


def test_a_code_works_once_and_only_in_its_own_sign_in(setup: PoolSetup) -> None:
    mfa_pool(setup)
    user = confirmed_user(setup, phone_number=PHONE)
    with pytest.raises(CognitoUserMfaRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    first_code = mfa_code(setup, PHONE)
    answered = user._challenge_session
    user.send_mfa_code(first_code)

    # The same session answered again.
    user._challenge_session = answered
    with pytest.raises(NotAuthorizedException, match="only be used once"):
        user.send_mfa_code(first_code)

    # The old code in a new sign-in (which sent its own, different code).
    with pytest.raises(CognitoUserMfaRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    second_code = mfa_code(setup, PHONE)
    if second_code != first_code:
        with pytest.raises(CodeMismatchException):
            user.send_mfa_code(first_code)
    assert user.send_mfa_code(second_code).is_valid()


def test_deleted_user_cannot_finish_mfa(setup: PoolSetup) -> None:
    mfa_pool(setup)
    user = confirmed_user(setup, phone_number=PHONE)
    with pytest.raises(CognitoUserMfaRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    setup.idp.admin_delete_user(UserPoolId=setup.pool_id, Username="dana")
    with pytest.raises(NotAuthorizedException):
        user.send_mfa_code(mfa_code(setup, PHONE))


@pytest.mark.parametrize("mode", ["OFF", "OPTIONAL"])
def test_no_mfa_when_the_pool_does_not_ask(setup: PoolSetup, mode: str) -> None:
    mfa_pool(setup, mode, sms=mode != "OFF")
    user = confirmed_user(setup, phone_number=PHONE)
    assert user.authenticate_user(AuthenticationDetails(password=PASSWORD)).is_valid()
    assert [m for m in setup.local.outbox.messages(setup.pool_id) if m.purpose == "mfa"] == []


def test_new_password_then_sms_mfa(setup: PoolSetup) -> None:
    mfa_pool(setup)
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="eve",
        TemporaryPassword="Temp0rary-Pass!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "phone_number", "Value": PHONE}],
    )
    user = CognitoUser("eve", setup.pool())
    with pytest.raises(CognitoUserNewPasswordRequiredException):
        user.authenticate_user(AuthenticationDetails(password="Temp0rary-Pass!"))
    with pytest.raises(CognitoUserMfaRequiredException):
        user.send_new_password_required_answer(PASSWORD)
    assert user.send_mfa_code(mfa_code(setup, PHONE)).is_valid()


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_mfa_answer_carries_the_secret_hash(secret_setup: PoolSetup, flow: str) -> None:
    mfa_pool(secret_setup)
    user = confirmed_user(secret_setup, phone_number=PHONE)
    user.authentication_flow_type = flow
    with pytest.raises(CognitoUserMfaRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert user.send_mfa_code(mfa_code(secret_setup, PHONE)).is_valid()
    assert set(last_responses(user)) == {"USERNAME", "SMS_MFA_CODE", "SECRET_HASH"}


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_mfa_in_a_pool_that_signs_in_by_email(local: LocalCognito, flow: str) -> None:
    # After SRP the SDK answers as USER_ID_FOR_SRP (the sub), after a password as typed.
    setup = make_setup(local, UsernameAttributes=["email"])
    mfa_pool(setup)
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="jo@example.com",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "phone_number", "Value": PHONE}],
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username="jo@example.com", Password=PASSWORD, Permanent=True
    )
    user = CognitoUser("jo@example.com", setup.pool())
    user.authentication_flow_type = flow
    with pytest.raises(CognitoUserMfaRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    session = user.send_mfa_code(mfa_code(setup, PHONE))
    assert session.id_token.payload["email"] == "jo@example.com"
