"""NEW_PASSWORD_REQUIRED and the challenge exception family, through the SDK, against the
local pool (and, where the local pool cannot produce the answer, a scripted transport)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserException
from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserChallengeException,
    CognitoUserCustomChallengeException,
    CognitoUserEmailOtpRequiredException,
    CognitoUserMfaRequiredException,
    CognitoUserMfaSetupException,
    CognitoUserNewPasswordRequiredException,
    CognitoUserSelectMfaTypeException,
    CognitoUserTotpRequiredException,
    InvalidPasswordException,
    NotAuthenticatedError,
    NotAuthorizedException,
)
from cognito_identity.transport import USER_POOLS, Transport

from .conftest import PASSWORD, PoolSetup

TEMPORARY = "Temp0rary-Pass!"
NEW_PASSWORD = "Brand-N3w-Secret!"


def admin_created(setup: PoolSetup, username: str = "carol", **attributes: str) -> CognitoUser:
    """A user made by AdminCreateUser with a known temporary password."""
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username=username,
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            *({"Name": k, "Value": v} for k, v in attributes.items()),
        ],
    )
    return CognitoUser(username, setup.pool())


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_new_password_required_is_raised_and_answered(setup: PoolSetup, flow: str) -> None:
    user = admin_created(setup, given_name="Carol")
    user.authentication_flow_type = flow
    with pytest.raises(CognitoUserNewPasswordRequiredException) as caught:
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
    challenge = caught.value
    assert challenge.challenge_name == "NEW_PASSWORD_REQUIRED"
    assert challenge.user_attributes == {"email": "carol@example.com", "given_name": "Carol"}
    assert challenge.required_attributes == []
    assert isinstance(challenge, CognitoUserException)

    session = user.send_new_password_required_answer(NEW_PASSWORD, {"family_name": "Doe"})
    assert session.is_valid()
    assert session.id_token.payload["family_name"] == "Doe"
    assert user.sign_in_user_session is session
    status = setup.idp.admin_get_user(UserPoolId=setup.pool_id, Username="carol")["UserStatus"]
    assert status == "CONFIRMED"

    # The new password is the password now; the temporary one is gone.
    again = CognitoUser("carol", setup.pool())
    again.authentication_flow_type = flow
    assert again.authenticate_user(AuthenticationDetails(password=NEW_PASSWORD)).is_valid()
    with pytest.raises(NotAuthorizedException):
        again.authenticate_user(AuthenticationDetails(password=TEMPORARY))


def test_new_password_must_meet_the_policy(setup: PoolSetup) -> None:
    user = admin_created(setup)
    with pytest.raises(CognitoUserNewPasswordRequiredException):
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
    with pytest.raises(InvalidPasswordException):
        user.send_new_password_required_answer("short")


def test_new_password_session_is_answered_once(setup: PoolSetup) -> None:
    user = admin_created(setup)
    with pytest.raises(CognitoUserNewPasswordRequiredException):
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
    stale = user._challenge_session
    user.send_new_password_required_answer(NEW_PASSWORD)
    # The SDK knows nothing is pending any more...
    with pytest.raises(NotAuthenticatedError):
        user.send_new_password_required_answer(PASSWORD)
    # ...and the server refuses the same session a second time.
    user._challenge_session = stale
    with pytest.raises(NotAuthorizedException, match="only be used once"):
        user.send_new_password_required_answer(PASSWORD)


def test_new_password_challenge_expires(setup: PoolSetup, clock: Any) -> None:
    user = admin_created(setup)
    with pytest.raises(CognitoUserNewPasswordRequiredException):
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
    clock.advance(3 * 60 + 1)
    with pytest.raises(NotAuthorizedException, match="expired"):
        user.send_new_password_required_answer(NEW_PASSWORD)


def test_deleted_user_cannot_answer_new_password(setup: PoolSetup) -> None:
    user = admin_created(setup)
    with pytest.raises(CognitoUserNewPasswordRequiredException):
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
    setup.idp.admin_delete_user(UserPoolId=setup.pool_id, Username="carol")
    with pytest.raises(NotAuthorizedException):
        user.send_new_password_required_answer(NEW_PASSWORD)


# --- Answers the local pool does not give: a transport that replays scripted ones ---


class ScriptedTransport(Transport):
    """Answers each call with the next scripted response and records what was sent."""

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        super().__init__("http://scripted.invalid/")
        self.answers = answers
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def call(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        service: str = USER_POOLS,
        endpoint: str | None = None,
    ) -> dict[str, Any]:
        self.sent.append((action, dict(params)))
        return self.answers.pop(0)


def scripted_user(setup: PoolSetup, answers: list[dict[str, Any]]) -> CognitoUser:
    pool = setup.pool()
    pool.transport = ScriptedTransport(answers)
    user = CognitoUser("carol", pool)
    user.authentication_flow_type = "USER_PASSWORD_AUTH"
    return user


def _new_password_answer(required: list[str]) -> dict[str, Any]:
    return {
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": "s" * 40,
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": "carol",
            "userAttributes": json.dumps({"email": "carol@example.com"}),
            "requiredAttributes": json.dumps(required),
        },
    }


def test_required_attributes_are_prefix_stripped_in_every_path(setup: PoolSetup) -> None:
    # Q6: the original stripped "userAttributes." after SRP but not in its common handler.
    user = scripted_user(
        setup, [_new_password_answer(["userAttributes.given_name", "userAttributes.custom:team"])]
    )
    with pytest.raises(CognitoUserNewPasswordRequiredException) as caught:
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
    assert caught.value.required_attributes == ["given_name", "custom:team"]
    assert caught.value.user_attributes == {"email": "carol@example.com"}

    # Answering with the stripped names puts the prefix back on the wire.
    transport = user.pool.transport
    assert isinstance(transport, ScriptedTransport)
    transport.answers.append(_new_password_answer([]))
    with pytest.raises(CognitoUserNewPasswordRequiredException):
        user.send_new_password_required_answer(NEW_PASSWORD, {"given_name": "Carol"})
    action, params = transport.sent[-1]
    assert action == "RespondToAuthChallenge"
    assert params["ChallengeResponses"] == {
        "USERNAME": "carol",
        "NEW_PASSWORD": NEW_PASSWORD,
        "userAttributes.given_name": "Carol",
    }
    assert params["Session"] == "s" * 40


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("SMS_MFA", CognitoUserMfaRequiredException),
        ("SOFTWARE_TOKEN_MFA", CognitoUserTotpRequiredException),
        ("EMAIL_OTP", CognitoUserEmailOtpRequiredException),
        ("SELECT_MFA_TYPE", CognitoUserSelectMfaTypeException),
        ("MFA_SETUP", CognitoUserMfaSetupException),
        ("CUSTOM_CHALLENGE", CognitoUserCustomChallengeException),
        ("WEB_AUTHN", CognitoUserChallengeException),
        ("SOMETHING_NEW", CognitoUserChallengeException),
    ],
)
def test_each_challenge_has_its_exception_and_unknown_ones_are_generic(
    setup: PoolSetup, name: str, cls: type[CognitoUserException]
) -> None:
    # Q9: a challenge the SDK does not know is a generic challenge, never a crash.
    user = scripted_user(
        setup,
        [{"ChallengeName": name, "Session": "t" * 40, "ChallengeParameters": {"A": "b"}}],
    )
    with pytest.raises(cls) as caught:
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
    assert type(caught.value) is cls
    assert caught.value.challenge_name == name
    assert caught.value.challenge_parameters == {"A": "b"}
    assert "t" * 40 not in repr(caught.value) + str(caught.value)


def test_mfa_lists_are_decoded(setup: PoolSetup) -> None:
    user = scripted_user(
        setup,
        [
            {
                "ChallengeName": "SELECT_MFA_TYPE",
                "Session": "t" * 40,
                "ChallengeParameters": {"MFAS_CAN_CHOOSE": '["SMS_MFA","SOFTWARE_TOKEN_MFA"]'},
            }
        ],
    )
    with pytest.raises(CognitoUserSelectMfaTypeException) as caught:
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
    assert caught.value.mfas_can_choose == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]


def test_malformed_new_password_parameters_are_a_typed_error(setup: PoolSetup) -> None:
    answer = _new_password_answer([])
    answer["ChallengeParameters"]["requiredAttributes"] = "{not json"
    user = scripted_user(setup, [answer])
    with pytest.raises(CognitoResponseError, match="requiredAttributes"):
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
