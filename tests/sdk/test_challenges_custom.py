"""CUSTOM_AUTH through the SDK against the local pool: the default outbox-code triggers,
triggers written as Lambda handlers, SRP first, chains into MFA, and the failure paths."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool
from cognito_identity.errors import (
    CognitoUserConfirmationNecessaryException,
    CognitoUserCustomChallengeException,
    CognitoUserTotpRequiredException,
    InvalidLambdaResponseException,
    InvalidParameterException,
    NotAuthorizedException,
    UserLambdaValidationException,
)
from cognito_identity.local import ManualClock
from cognito_identity.local.totp import totp_code

from .conftest import PASSWORD, PoolSetup
from .helpers import confirmed_user, outbox_code


def custom_client(setup: PoolSetup) -> CognitoUserPool:
    """A pool handle whose app client allows CUSTOM_AUTH (and SRP, refresh)."""
    client_id = setup.idp.create_user_pool_client(
        UserPoolId=setup.pool_id,
        ClientName="custom",
        ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return CognitoUserPool(setup.pool_id, client_id, endpoint=setup.local.endpoint)


def custom_user(setup: PoolSetup, username: str = "gail") -> CognitoUser:
    confirmed_user(setup, username, email=f"{username}@example.com")
    return CognitoUser(username, custom_client(setup))


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_default_custom_auth_asks_for_an_outbox_code(setup: PoolSetup) -> None:
    user = custom_user(setup)
    with pytest.raises(CognitoUserCustomChallengeException) as caught:
        user.initiate_auth(AuthenticationDetails())
    assert caught.value.challenge_name == "CUSTOM_CHALLENGE"
    assert caught.value.challenge_parameters["CODE_DELIVERY_DESTINATION"] == "g***@e***"
    session = user.send_custom_challenge_answer(outbox_code(setup))
    assert session.is_valid()
    assert session.access_token.username == "gail"


def test_wrong_answers_get_a_new_challenge_then_fail(setup: PoolSetup) -> None:
    user = custom_user(setup)
    with pytest.raises(CognitoUserCustomChallengeException):
        user.initiate_auth(AuthenticationDetails())
    for _ in range(2):
        first = outbox_code(setup)
        with pytest.raises(CognitoUserCustomChallengeException):
            user.send_custom_challenge_answer(_other(first))
    with pytest.raises(NotAuthorizedException):
        user.send_custom_challenge_answer(_other(outbox_code(setup)))


def test_a_wrong_answer_then_the_new_code(setup: PoolSetup) -> None:
    user = custom_user(setup)
    with pytest.raises(CognitoUserCustomChallengeException):
        user.initiate_auth(AuthenticationDetails())
    old = outbox_code(setup)
    with pytest.raises(CognitoUserCustomChallengeException):
        user.send_custom_challenge_answer(_other(old))
    new = outbox_code(setup)
    if new != old:
        # The first challenge's code does not answer the second one: it is a wrong answer.
        with pytest.raises(CognitoUserCustomChallengeException):
            user.send_custom_challenge_answer(old)
        new = outbox_code(setup)
    assert user.send_custom_challenge_answer(new).is_valid()


def test_custom_session_expires_and_is_answered_once(setup: PoolSetup, clock: ManualClock) -> None:
    user = custom_user(setup)
    with pytest.raises(CognitoUserCustomChallengeException):
        user.initiate_auth(AuthenticationDetails())
    clock.advance(3 * 60 + 1)
    with pytest.raises(NotAuthorizedException, match="expired"):
        user.send_custom_challenge_answer(outbox_code(setup))

    with pytest.raises(CognitoUserCustomChallengeException):
        user.initiate_auth(AuthenticationDetails())
    answered = user._challenge_session
    user.send_custom_challenge_answer(outbox_code(setup))
    user._challenge_session = answered
    with pytest.raises(NotAuthorizedException, match="only be used once"):
        user.send_custom_challenge_answer(outbox_code(setup))


def test_custom_auth_with_srp_proves_the_password_first(setup: PoolSetup) -> None:
    user = custom_user(setup)
    user.authentication_flow_type = "CUSTOM_AUTH"
    with pytest.raises(NotAuthorizedException):
        user.authenticate_user(AuthenticationDetails(password="Wrong-Passw0rd!"))
    assert [
        m for m in setup.local.outbox.messages(setup.pool_id) if m.purpose == "custom-auth"
    ] == []
    with pytest.raises(CognitoUserCustomChallengeException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert user.send_custom_challenge_answer(outbox_code(setup)).is_valid()


def test_triggers_written_as_lambda_handlers(setup: PoolSetup) -> None:
    seen: dict[str, list[dict[str, Any]]] = {"define": [], "verify": []}

    def define(event: dict[str, Any]) -> dict[str, Any]:
        seen["define"].append(event)
        session = event["request"]["session"]
        if session and session[-1]["challengeResult"]:
            event["response"].update(issueTokens=True, failAuthentication=False)
        elif len(session) >= 2:
            event["response"].update(issueTokens=False, failAuthentication=True)
        else:
            event["response"].update(challengeName="CUSTOM_CHALLENGE", issueTokens=False)
        return event

    def create(event: dict[str, Any]) -> dict[str, Any]:
        event["response"] = {
            "publicChallengeParameters": {"question": "What is 6 x 7?"},
            "privateChallengeParameters": {"answer": "42"},
            "challengeMetadata": "QUIZ",
        }
        return event

    def verify(event: dict[str, Any]) -> dict[str, Any]:
        seen["verify"].append(event)
        request = event["request"]
        event["response"]["answerCorrect"] = (
            request["challengeAnswer"] == request["privateChallengeParameters"]["answer"]
        )
        return event

    setup.local.triggers.register(
        setup.pool_id,
        define_auth_challenge=define,
        create_auth_challenge=create,
        verify_auth_challenge_response=verify,
    )
    user = custom_user(setup)
    with pytest.raises(CognitoUserCustomChallengeException) as caught:
        user.initiate_auth(AuthenticationDetails(validation_data={"app": "quiz"}))
    assert caught.value.challenge_parameters["question"] == "What is 6 x 7?"
    assert "answer" not in caught.value.challenge_parameters
    with pytest.raises(CognitoUserCustomChallengeException):
        user.send_custom_challenge_answer("41")
    session = user.send_custom_challenge_answer("42", {"attempt": "2"})
    assert session.is_valid()

    first, *_, last = seen["define"]
    assert first["triggerSource"] == "DefineAuthChallenge_Authentication"
    assert first["userPoolId"] == setup.pool_id
    assert first["request"]["session"] == []
    assert first["request"]["clientMetadata"] == {"app": "quiz"}
    assert first["request"]["userAttributes"]["email"] == "gail@example.com"
    assert [s["challengeResult"] for s in last["request"]["session"]] == [False, True]
    assert {s["challengeMetadata"] for s in last["request"]["session"]} == {"QUIZ"}
    assert seen["verify"][0]["request"]["clientMetadata"] == {"app": "quiz"}
    assert seen["verify"][1]["request"]["clientMetadata"] == {"attempt": "2"}


def test_a_failing_or_malformed_trigger_is_a_typed_error(setup: PoolSetup) -> None:
    def broken(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("database is down")

    user = custom_user(setup)
    setup.local.triggers.register(setup.pool_id, define_auth_challenge=broken)
    with pytest.raises(UserLambdaValidationException) as caught:
        user.initiate_auth(AuthenticationDetails())
    assert caught.value.message == "DefineAuthChallenge failed with error database is down."

    setup.local.triggers.register(setup.pool_id, define_auth_challenge=lambda event: {"no": 1})
    with pytest.raises(InvalidLambdaResponseException):
        user.initiate_auth(AuthenticationDetails())


def test_custom_auth_then_totp(setup: PoolSetup, clock: ManualClock) -> None:
    setup.idp.set_user_pool_mfa_config(
        UserPoolId=setup.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    user = custom_user(setup)
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    secret = user.associate_software_token()
    user.verify_software_token(totp_code(secret, clock.now()))
    setup.idp.admin_set_user_mfa_preference(
        UserPoolId=setup.pool_id,
        Username="gail",
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    clock.advance(30)
    with pytest.raises(CognitoUserCustomChallengeException):
        user.initiate_auth(AuthenticationDetails())
    with pytest.raises(CognitoUserTotpRequiredException):
        user.send_custom_challenge_answer(outbox_code(setup))
    assert user.send_mfa_code(totp_code(secret, clock.now()), "SOFTWARE_TOKEN_MFA").is_valid()


def test_deleted_user_cannot_answer(setup: PoolSetup) -> None:
    user = custom_user(setup)
    with pytest.raises(CognitoUserCustomChallengeException):
        user.initiate_auth(AuthenticationDetails())
    setup.idp.admin_delete_user(UserPoolId=setup.pool_id, Username="gail")
    with pytest.raises(NotAuthorizedException):
        user.send_custom_challenge_answer(outbox_code(setup))


def test_custom_auth_must_be_enabled_and_the_user_confirmed(setup: PoolSetup) -> None:
    confirmed_user(setup, "hal", email="hal@example.com")
    with pytest.raises(InvalidParameterException, match="not enabled"):
        CognitoUser("hal", setup.pool()).initiate_auth(AuthenticationDetails())
    pool = custom_client(setup)
    setup.pool().sign_up("ivy", PASSWORD, {"email": "ivy@example.com"})
    with pytest.raises(CognitoUserConfirmationNecessaryException):
        CognitoUser("ivy", pool).initiate_auth(AuthenticationDetails())
