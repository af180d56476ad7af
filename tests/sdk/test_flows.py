"""Sign-in flows driven through a MockTransport: every outcome a flow can return, the
answers it builds, malformed answers and errors thrown into it. No server."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool, MemoryStorage
from cognito_identity._protocol import HttpResponse
from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserConfirmationNecessaryException,
    CognitoUserMfaRequiredException,
    CognitoUserNewPasswordRequiredException,
    CognitoUserSelectChallengeException,
    NotAuthorizedException,
)
from cognito_identity.flows import (
    AppClient,
    Challenge,
    ChallengeAnswer,
    PasswordSignIn,
    Refresh,
    RememberedDevice,
    SrpSignIn,
    Tokens,
)
from cognito_identity.transports import MockRequest, MockTransport

POOL_ID = "eu-west-1_Flows1234"
APP = AppClient("client-id", "Flows1234")
SRP_CHALLENGE = {
    "ChallengeName": "PASSWORD_VERIFIER",
    "Session": "session-1",
    "ChallengeParameters": {
        "USER_ID_FOR_SRP": "user-sub-1",
        "SALT": "0a1b2c",
        "SRP_B": "02",
        "SECRET_BLOCK": base64.b64encode(b"block").decode(),
    },
}


def jwt(**claims: Any) -> str:
    def part(document: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()

    now = int(time.time())
    body = {"iat": now, "exp": now + 3600, "sub": "user-sub-1", **claims}
    return f"{part({'alg': 'RS256', 'kid': 'k'})}.{part(body)}.c2ln"


TOKENS = {
    "AuthenticationResult": {
        "IdToken": jwt(token_use="id"),
        "AccessToken": jwt(token_use="access", username="user-sub-1"),
        "RefreshToken": "refresh-1",
        "ExpiresIn": 3600,
    }
}


class Book(dict[str, RememberedDevice]):
    """A device book in a dict."""

    def lookup(self, username: str) -> RememberedDevice | None:
        return self.get(username)

    def forget(self, username: str) -> None:
        self.pop(username, None)


def drive(flow: Any, *answers: Any) -> tuple[list[Any], Any]:
    """Run ``flow`` by hand: send each answer (an exception is thrown in); return the
    calls it made and its result."""
    calls = [next(flow)]
    try:
        for answer in answers:
            calls.append(flow.throw(answer) if isinstance(answer, Exception) else flow.send(answer))
    except StopIteration as done:
        return calls, done.value
    raise AssertionError("the flow did not end")


def test_srp_proves_the_password_as_user_id_for_srp() -> None:
    devices = Book(**{"user-sub-1": RememberedDevice("dev-key", "group", "pw")})
    calls, result = drive(
        SrpSignIn(APP, "ann@example.com", "pw", devices).flow(), SRP_CHALLENGE, TOKENS
    )
    assert calls[0].action == "InitiateAuth"
    assert calls[0].params["AuthParameters"]["USERNAME"] == "ann@example.com"
    responses = calls[1].params["ChallengeResponses"]
    assert calls[1].params["Session"] == "session-1"
    assert responses["USERNAME"] == "user-sub-1" and responses["DEVICE_KEY"] == "dev-key"
    assert set(responses) >= {
        "PASSWORD_CLAIM_SIGNATURE",
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "TIMESTAMP",
    }
    assert isinstance(result, Tokens) and result.username == "user-sub-1"
    assert result.refresh_token == "refresh-1" and "refresh-1" not in repr(result)


def test_a_challenge_after_the_password_is_returned_not_raised() -> None:
    mfa = {
        "ChallengeName": "SMS_MFA",
        "Session": "s2",
        "ChallengeParameters": {"CODE_DELIVERY_DESTINATION": "+*******12"},
    }
    _, result = drive(SrpSignIn(APP, "ann", "pw", Book()).flow(), SRP_CHALLENGE, mfa)
    assert isinstance(result, Challenge) and result.name == "SMS_MFA" and result.session == "s2"


def test_admin_flows_use_the_admin_api() -> None:
    admin = AppClient("client-id", "Flows1234", user_pool_id=POOL_ID)
    calls, _ = drive(PasswordSignIn(admin, "ann", "pw", Book()).flow(), TOKENS)
    assert calls[0].action == "AdminInitiateAuth"
    assert calls[0].params["AuthFlow"] == "ADMIN_USER_PASSWORD_AUTH"
    assert calls[0].params["UserPoolId"] == POOL_ID
    calls, _ = drive(
        ChallengeAnswer(admin, "ann", "SMS_MFA", {"SMS_MFA_CODE": "1"}, "s", Book()).flow(), TOKENS
    )
    assert calls[0].action == "AdminRespondToAuthChallenge"


def test_an_unknown_device_is_forgotten_and_the_step_sent_once_more() -> None:
    from cognito_identity.errors import ResourceNotFoundException

    devices = Book(ann=RememberedDevice("gone", "group", "pw"))
    calls, result = drive(
        PasswordSignIn(APP, "ann", "pw", devices).flow(),
        ResourceNotFoundException("Device does not exist."),
        TOKENS,
    )
    assert calls[0].params["AuthParameters"]["DEVICE_KEY"] == "gone"
    assert "DEVICE_KEY" not in calls[1].params["AuthParameters"]
    assert devices == {} and isinstance(result, Tokens)


def test_errors_thrown_into_a_flow() -> None:
    from cognito_identity.errors import UserNotConfirmedException

    flow = SrpSignIn(APP, "ann", "pw", Book()).flow()
    next(flow)
    with pytest.raises(CognitoUserConfirmationNecessaryException):
        flow.throw(UserNotConfirmedException("User is not confirmed."))
    flow = SrpSignIn(APP, "ann", "pw", Book()).flow()
    next(flow)
    flow.send(SRP_CHALLENGE)
    with pytest.raises(NotAuthorizedException):
        flow.throw(NotAuthorizedException("Incorrect username or password."))


@pytest.mark.parametrize(
    "answer",
    [
        {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {**SRP_CHALLENGE["ChallengeParameters"], "SALT": 1234},
        },  # type: ignore[dict-item]
        {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": "SALT=1"},
        {"ChallengeName": 7},
        {"AuthenticationResult": {"IdToken": 1, "AccessToken": "x"}},
        {"AuthenticationResult": "tokens"},
        {},
    ],
)
def test_malformed_answers_name_the_field(answer: dict[str, Any]) -> None:
    flow = SrpSignIn(APP, "ann", "pw", Book()).flow()
    next(flow)
    with pytest.raises(CognitoResponseError):
        flow.send(answer)


def test_refresh_with_and_without_rotation() -> None:
    calls, tokens = drive(Refresh(APP, "ann", "r1", "dev", rotate=True).flow(), TOKENS)
    assert calls[0].action == "GetTokensFromRefreshToken"
    assert calls[0].params["RefreshToken"] == "r1" and calls[0].params["DeviceKey"] == "dev"
    assert tokens.refresh_token == "refresh-1"
    calls, _ = drive(
        Refresh(APP, "ann", "r1").flow(),
        {
            "AuthenticationResult": {
                k: v for k, v in TOKENS["AuthenticationResult"].items() if k != "RefreshToken"
            }
        },
    )
    assert calls[0].params["AuthFlow"] == "REFRESH_TOKEN_AUTH"
    assert "USERNAME" not in calls[0].params["AuthParameters"]
    flow = Refresh(APP, "ann", "r1").flow()
    next(flow)
    with pytest.raises(CognitoResponseError):
        flow.send({"ChallengeName": "SMS_MFA"})


# --- The user object over a MockTransport: challenges raised, wrong types refused ---


def scripted_pool(*answers: Any) -> tuple[CognitoUserPool, list[MockRequest]]:
    queue = list(answers)

    def handler(request: MockRequest) -> Any:
        return queue.pop(0)

    transport = MockTransport(handler)
    pool = CognitoUserPool(POOL_ID, "client-id", storage=MemoryStorage(), transport=transport)
    return pool, transport.requests


def test_the_user_raises_challenges_and_answers_them_in_their_session() -> None:
    new_password = {
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": "s1",
        "ChallengeParameters": {"requiredAttributes": "[]", "userAttributes": "{}"},
    }
    mfa = {"ChallengeName": "SMS_MFA", "Session": "s2", "ChallengeParameters": {}}
    pool, sent = scripted_pool(new_password, mfa, TOKENS)
    user = CognitoUser("ann", pool)
    user.authentication_flow_type = "USER_PASSWORD_AUTH"
    with pytest.raises(CognitoUserNewPasswordRequiredException):
        user.authenticate_user(AuthenticationDetails(password="pw"))
    with pytest.raises(CognitoUserMfaRequiredException):
        user.send_new_password_required_answer("N3w-password!")
    session = user.send_mfa_code("123456")
    assert [r.params.get("Session") for r in sent[1:]] == ["s1", "s2"]
    assert session.is_valid() and pool.get_current_user() is not None


def test_select_challenge_is_raised_with_its_choices() -> None:
    select = {
        "ChallengeName": "SELECT_CHALLENGE",
        "Session": "s1",
        "AvailableChallenges": ["PASSWORD", "EMAIL_OTP"],
    }
    pool, _ = scripted_pool(select)
    with pytest.raises(CognitoUserSelectChallengeException) as caught:
        CognitoUser("ann", pool).sign_in()
    assert caught.value.available_challenges == ["PASSWORD", "EMAIL_OTP"]


def test_wrong_types_in_a_success_answer_are_refused() -> None:
    pool, _ = scripted_pool({"UserConfirmed": "false", "UserSub": "sub"})
    with pytest.raises(CognitoResponseError, match="UserConfirmed"):
        pool.sign_up("ann", "pw")
    pool, _ = scripted_pool(TOKENS, {"UserAttributes": "email=ann@example.com"})
    user = CognitoUser("ann", pool)
    user.authentication_flow_type = "USER_PASSWORD_AUTH"
    user.authenticate_user(AuthenticationDetails(password="pw"))
    with pytest.raises(CognitoResponseError, match="UserAttributes"):
        user.get_user_attributes()


def test_a_session_is_saved_in_one_write() -> None:
    writes: list[dict[str, str | None]] = []

    class Recording(MemoryStorage):
        def set_item(self, key: str, value: str) -> None:
            raise AssertionError("a session is saved with set_items")

        def set_items(self, items: Any) -> None:
            writes.append(dict(items))
            super().set_items(items)

    pool, _ = scripted_pool(TOKENS)
    user = CognitoUser("ann", pool, storage=Recording())
    user.authentication_flow_type = "USER_PASSWORD_AUTH"
    user.authenticate_user(AuthenticationDetails(password="pw"))
    (record,) = writes
    assert {key.rsplit(".", 1)[-1] for key in record} == {
        "idToken",
        "accessToken",
        "refreshToken",
        "clockDrift",
        "LastAuthUser",
    }


def test_a_bad_http_answer_mid_flow_keeps_the_challenge() -> None:
    mfa = {"ChallengeName": "SMS_MFA", "Session": "s2", "ChallengeParameters": {}}
    refused = HttpResponse(400, {}, b'{"__type": "CodeMismatchException", "message": "wrong"}')
    pool, _ = scripted_pool(mfa, refused, TOKENS)
    user = CognitoUser("ann", pool)
    user.authentication_flow_type = "USER_PASSWORD_AUTH"
    with pytest.raises(CognitoUserMfaRequiredException):
        user.authenticate_user(AuthenticationDetails(password="pw"))
    from cognito_identity.errors import CodeMismatchException

    with pytest.raises(CodeMismatchException):
        user.send_mfa_code("000000")
    assert user.send_mfa_code("123456").is_valid()
