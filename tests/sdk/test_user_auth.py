"""Choice-based sign-in (USER_AUTH) through the SDK against the local pool: SELECT_CHALLENGE,
each first factor (PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP) and their failure paths."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from cognito_identity import CognitoUser, CognitoUserPool
from cognito_identity.errors import (
    CodeMismatchException,
    CognitoResponseError,
    CognitoUserEmailOtpRequiredException,
    CognitoUserMfaRequiredException,
    CognitoUserSelectChallengeException,
    CognitoUserSmsOtpRequiredException,
    ExpiredCodeException,
    InvalidConfigurationError,
    InvalidParameterException,
    NotAuthenticatedError,
    NotAuthorizedException,
    PasswordResetRequiredException,
    challenge_exception,
)
from cognito_identity.local import LocalCognito, ManualClock

from .conftest import PASSWORD, PoolSetup, admin_client

EMAIL = "erin@example.com"
PHONE = "+15555550142"
ALL_FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]


def user_auth_setup(
    local: LocalCognito,
    factors: list[str] | None = None,
    *,
    secret: bool = False,
    flows: tuple[str, ...] = ("ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
) -> PoolSetup:
    idp = admin_client(local.endpoint)
    policies: dict[str, Any] = {}
    if factors is not None:
        policies["SignInPolicy"] = {"AllowedFirstAuthFactors": factors}
    pool_id = idp.create_user_pool(PoolName="choice", Policies=policies)["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=list(flows),
        GenerateSecret=secret,
        AuthSessionValidity=15,  # minutes: longer than a code lives
    )["UserPoolClient"]
    return PoolSetup(local, idp, pool_id, client["ClientId"], client.get("ClientSecret"))


def make_user(setup: PoolSetup, username: str = "erin", *, verified: bool = True) -> CognitoUser:
    flag = "true" if verified else "false"
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": EMAIL},
            {"Name": "email_verified", "Value": flag},
            {"Name": "phone_number", "Value": PHONE},
            {"Name": "phone_number_verified", "Value": flag},
        ],
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    return CognitoUser(username, setup.pool())


@pytest.fixture
def choice(local: LocalCognito) -> PoolSetup:
    return user_auth_setup(local, ALL_FACTORS)


def username_in(session: Any) -> str:
    # Read with PyJWT, not with our own decoder.
    claims = jwt.decode(session.access_token.jwt_token, options={"verify_signature": False})
    return str(claims["username"])


def test_without_a_preference_cognito_lists_the_choices(choice: PoolSetup) -> None:
    user = make_user(choice)
    with pytest.raises(CognitoUserSelectChallengeException) as raised:
        user.sign_in()
    assert raised.value.available_challenges == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    assert raised.value.challenge_name == "SELECT_CHALLENGE"
    session = user.send_challenge_selection("PASSWORD_SRP", password=PASSWORD)
    assert username_in(session) == "erin"
    assert user.get_session() is session


@pytest.mark.parametrize("factor", ["PASSWORD", "PASSWORD_SRP"])
def test_a_preferred_password_factor_signs_in_at_once(choice: PoolSetup, factor: str) -> None:
    user = make_user(choice)
    session = user.sign_in(factor, password=PASSWORD)
    assert session.is_valid()
    assert username_in(session) == "erin"


@pytest.mark.parametrize("factor", ["PASSWORD", "PASSWORD_SRP"])
def test_a_wrong_password_is_refused(choice: PoolSetup, factor: str) -> None:
    user = make_user(choice)
    with pytest.raises(NotAuthorizedException, match="Incorrect username or password"):
        user.sign_in(factor, password="Wr0ng-Password!")


def test_password_chosen_from_the_list(choice: PoolSetup) -> None:
    user = make_user(choice)
    with pytest.raises(CognitoUserSelectChallengeException):
        user.sign_in()
    assert username_in(user.send_challenge_selection("PASSWORD", password=PASSWORD)) == "erin"


def test_email_code_signs_in_without_a_password(choice: PoolSetup) -> None:
    user = make_user(choice)
    with pytest.raises(CognitoUserEmailOtpRequiredException) as raised:
        user.sign_in("EMAIL_OTP")
    assert raised.value.challenge_parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    message = choice.local.outbox.messages(choice.pool_id, "erin")[-1]
    assert (message.medium, message.destination) == ("EMAIL", EMAIL)
    session = user.send_otp_code(message.code)
    assert username_in(session) == "erin"


def test_sms_code_chosen_from_the_list(choice: PoolSetup) -> None:
    user = make_user(choice)
    with pytest.raises(CognitoUserSelectChallengeException):
        user.sign_in()
    with pytest.raises(CognitoUserSmsOtpRequiredException) as raised:
        user.send_challenge_selection("SMS_OTP")
    assert raised.value.challenge_parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    message = choice.local.outbox.messages(choice.pool_id, "erin")[-1]
    assert (message.medium, message.destination) == ("SMS", PHONE)
    assert username_in(user.send_otp_code(message.code)) == "erin"


def test_a_wrong_code_may_be_retried_in_the_same_session(choice: PoolSetup) -> None:
    user = make_user(choice)
    with pytest.raises(CognitoUserSmsOtpRequiredException):
        user.sign_in("SMS_OTP")
    code = choice.code_for("erin")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(CodeMismatchException):
        user.send_otp_code(wrong)
    assert username_in(user.send_otp_code(code)) == "erin"


def test_three_wrong_codes_close_the_session(choice: PoolSetup) -> None:
    user = make_user(choice)
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        user.sign_in("EMAIL_OTP")
    code = choice.code_for("erin")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        with pytest.raises(CodeMismatchException):
            user.send_otp_code(wrong)
    with pytest.raises(NotAuthorizedException, match="Invalid session"):
        user.send_otp_code(code)


@pytest.mark.parametrize(
    ("factor", "raised"),
    [
        ("EMAIL_OTP", CognitoUserEmailOtpRequiredException),
        ("SMS_OTP", CognitoUserSmsOtpRequiredException),
    ],
)
def test_an_expired_code_is_refused(
    choice: PoolSetup, clock: ManualClock, factor: str, raised: type[Exception]
) -> None:
    user = make_user(choice)
    with pytest.raises(raised):
        user.sign_in(factor)
    code = choice.code_for("erin")
    clock.advance(181)
    with pytest.raises(ExpiredCodeException):
        user.send_otp_code(code)


def test_a_used_code_and_its_session_work_once(choice: PoolSetup) -> None:
    first = make_user(choice)
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        first.sign_in("EMAIL_OTP")
    used_code = choice.code_for("erin")
    pending = first._challenge_session
    first.send_otp_code(used_code)
    # The same session answered again.
    with pytest.raises(choice.idp.exceptions.NotAuthorizedException, match="only be used once"):
        choice.idp.respond_to_auth_challenge(
            ClientId=choice.client_id,
            ChallengeName="EMAIL_OTP",
            Session=pending,
            ChallengeResponses={"USERNAME": "erin", "EMAIL_OTP_CODE": used_code},
        )
    # The used code in a new sign-in.
    second = CognitoUser("erin", choice.pool())
    while True:  # a new code equal to the used one (one chance in a million) proves nothing
        with pytest.raises(CognitoUserEmailOtpRequiredException):
            second.sign_in("EMAIL_OTP")
        if choice.code_for("erin") != used_code:
            break
    with pytest.raises(CodeMismatchException):
        second.send_otp_code(used_code)


def test_select_challenge_answered_twice(choice: PoolSetup) -> None:
    user = make_user(choice)
    with pytest.raises(CognitoUserSelectChallengeException):
        user.sign_in()
    pending = user._challenge_session
    user.send_challenge_selection("PASSWORD", password=PASSWORD)
    with pytest.raises(choice.idp.exceptions.NotAuthorizedException, match="only be used once"):
        choice.idp.respond_to_auth_challenge(
            ClientId=choice.client_id,
            ChallengeName="SELECT_CHALLENGE",
            Session=pending,
            ChallengeResponses={"USERNAME": "erin", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD},
        )


def test_a_choice_not_offered_is_refused_and_another_may_follow(local: LocalCognito) -> None:
    setup = user_auth_setup(local, ["PASSWORD"])
    user = make_user(setup)
    with pytest.raises(CognitoUserSelectChallengeException) as raised:
        user.sign_in("EMAIL_OTP")  # not allowed by this pool: Cognito offers the list
    assert raised.value.available_challenges == ["PASSWORD", "PASSWORD_SRP"]
    with pytest.raises(InvalidParameterException, match="not one of the available"):
        user.send_challenge_selection("SMS_OTP")
    assert username_in(user.send_challenge_selection("PASSWORD_SRP", password=PASSWORD)) == "erin"


def test_unverified_addresses_get_no_codes(choice: PoolSetup) -> None:
    user = make_user(choice, verified=False)
    with pytest.raises(CognitoUserSelectChallengeException) as raised:
        user.sign_in("SMS_OTP")
    assert raised.value.available_challenges == ["PASSWORD", "PASSWORD_SRP"]


def test_a_user_deleted_during_the_sign_in(choice: PoolSetup) -> None:
    user = make_user(choice)
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        user.sign_in("EMAIL_OTP")
    code = choice.code_for("erin")
    choice.idp.admin_delete_user(UserPoolId=choice.pool_id, Username="erin")
    with pytest.raises(NotAuthorizedException, match="User does not exist"):
        user.send_otp_code(code)


def test_client_without_user_auth_refuses_it(local: LocalCognito) -> None:
    setup = user_auth_setup(local, ALL_FACTORS, flows=("ALLOW_USER_SRP_AUTH",))
    user = make_user(setup)
    with pytest.raises(InvalidParameterException, match="USER_AUTH"):
        user.sign_in("PASSWORD", password=PASSWORD)


def test_a_client_with_a_secret(local: LocalCognito) -> None:
    setup = user_auth_setup(local, ALL_FACTORS, secret=True)
    user = make_user(setup)
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        user.sign_in("EMAIL_OTP")
    assert username_in(user.send_otp_code(setup.code_for("erin"))) == "erin"
    bare = CognitoUserPool(setup.pool_id, setup.client_id, endpoint=local.endpoint)
    with pytest.raises(NotAuthorizedException, match="secret"):
        CognitoUser("erin", bare).sign_in("EMAIL_OTP")


def test_arguments_are_checked_before_any_call(choice: PoolSetup) -> None:
    user = make_user(choice)
    with pytest.raises(InvalidConfigurationError, match="needs a password"):
        user.sign_in("PASSWORD_SRP")
    with pytest.raises(InvalidConfigurationError, match="unknown first factor"):
        user.sign_in("WEB_AUTHN")
    with pytest.raises(NotAuthenticatedError):
        user.send_challenge_selection("PASSWORD", password=PASSWORD)
    with pytest.raises(NotAuthenticatedError):
        user.send_otp_code("123456")


def test_the_challenge_table_knows_the_new_challenges() -> None:
    assert isinstance(challenge_exception("SMS_OTP", {}), CognitoUserSmsOtpRequiredException)
    selection = challenge_exception("SELECT_CHALLENGE", {})
    assert isinstance(selection, CognitoUserSelectChallengeException)
    assert selection.available_challenges == []


def test_a_user_whose_password_was_reset_is_told_so(choice: PoolSetup) -> None:
    user = make_user(choice)
    choice.idp.admin_reset_user_password(UserPoolId=choice.pool_id, Username="erin")
    with pytest.raises(PasswordResetRequiredException, match="Password reset required"):
        user.sign_in("EMAIL_OTP")


def sms_mfa(setup: PoolSetup, mode: str) -> None:
    setup.idp.set_user_pool_mfa_config(
        UserPoolId=setup.pool_id,
        MfaConfiguration=mode,
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Your code is {####}"},
    )


def test_required_mfa_follows_a_password_and_rules_out_codes(choice: PoolSetup) -> None:
    sms_mfa(choice, "ON")
    user = make_user(choice)
    with pytest.raises(CognitoUserSelectChallengeException) as raised:
        user.sign_in("EMAIL_OTP")
    assert raised.value.available_challenges == ["PASSWORD", "PASSWORD_SRP"]
    with pytest.raises(CognitoUserMfaRequiredException):
        user.send_challenge_selection("PASSWORD_SRP", password=PASSWORD)
    assert username_in(user.send_mfa_code(choice.code_for("erin"))) == "erin"


def test_optional_mfa_after_a_password_but_not_after_a_code(choice: PoolSetup) -> None:
    sms_mfa(choice, "OPTIONAL")
    user = make_user(choice)
    choice.idp.admin_set_user_mfa_preference(
        UserPoolId=choice.pool_id,
        Username="erin",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    with pytest.raises(CognitoUserMfaRequiredException):
        user.sign_in("PASSWORD", password=PASSWORD)
    passwordless = CognitoUser("erin", choice.pool())
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        passwordless.sign_in("EMAIL_OTP")
    assert username_in(passwordless.send_otp_code(choice.code_for("erin"))) == "erin"


def test_malformed_answers_are_typed_errors(choice: PoolSetup) -> None:
    user = make_user(choice)
    for answer in (
        {"ChallengeName": "SELECT_CHALLENGE", "Session": "s" * 20},  # no choices
        {"ChallengeName": "SELECT_CHALLENGE", "AvailableChallenges": ["PASSWORD"]},  # no Session
        {
            "ChallengeName": "SELECT_CHALLENGE",
            "Session": "s" * 20,
            "AvailableChallenges": [],
            "ChallengeParameters": ["not", "an", "object"],
        },
    ):
        flow = user._user_auth_flow(None, None, None, None)
        assert next(flow).params["AuthFlow"] == "USER_AUTH"
        with pytest.raises(CognitoResponseError):
            flow.send(answer)
    helper = user._first_factor_helper("PASSWORD_SRP", PASSWORD)
    flow = user._user_auth_flow("PASSWORD_SRP", PASSWORD, helper, None)
    assert "SRP_A" in next(flow).params["AuthParameters"]
    with pytest.raises(CognitoResponseError, match="SALT"):
        flow.send(
            {
                "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeParameters": {"USER_ID_FOR_SRP": "erin", "SRP_B": "ab"},
            }
        )
