"""The asyncio API over a MockTransport with an ``async def`` handler: no server. Malformed
answers raise CognitoResponseError naming the field, service errors come out typed, and
a challenge is raised as its exception, as in the sync API."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from cognito_identity import AuthenticationDetails, CognitoUserPool, MemoryStorage
from cognito_identity._protocol import HttpResponse
from cognito_identity.asyncio import AsyncCognitoUser, AsyncCognitoUserPool
from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserMfaRequiredException,
    InvalidArgumentTypeError,
    NotAuthorizedException,
)
from cognito_identity.transports import MockRequest, MockTransport

from .test_flows import POOL_ID, SRP_CHALLENGE, TOKENS


def scripted(*answers: Any) -> tuple[AsyncCognitoUserPool, MockTransport]:
    """A pool whose transport answers each request with the next answer, after a pause
    that lets other tasks run (an ``async def`` handler)."""
    script = list(answers)

    async def handler(request: MockRequest) -> Any:
        await asyncio.sleep(0)
        return script.pop(0)

    transport = MockTransport(handler)
    pool = AsyncCognitoUserPool(POOL_ID, "client-id", storage=MemoryStorage(), transport=transport)
    return pool, transport


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def password_user(pool: AsyncCognitoUserPool) -> AsyncCognitoUser:
    user = AsyncCognitoUser("ann", pool)
    user.authentication_flow_type = "USER_PASSWORD_AUTH"
    return user


def test_tokens_from_an_async_handler_sign_in() -> None:
    pool, transport = scripted(TOKENS)
    session = run(password_user(pool).authenticate_user(AuthenticationDetails(password="pw")))
    assert session.is_valid()
    assert [r.action for r in transport.requests] == ["InitiateAuth"]
    assert transport.requests[0].params["AuthParameters"]["PASSWORD"] == "pw"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([{"UserConfirmed": "false", "UserSub": "sub"}], "UserConfirmed"),
        ([{"AuthenticationResult": {"IdToken": 7, "AccessToken": "a"}}], "IdToken"),
        ([{"ChallengeName": "SMS_MFA", "ChallengeParameters": "none"}], "ChallengeParameters"),
        ([TOKENS, {"UserAttributes": "email=ann@example.com"}], "UserAttributes"),
    ],
)
def test_malformed_answers_name_the_field(answers: list[Any], field: str) -> None:
    pool, _ = scripted(*answers)

    async def scenario() -> None:
        if field == "UserConfirmed":
            await pool.sign_up("ann", "pw")
            return
        user = password_user(pool)
        await user.authenticate_user(AuthenticationDetails(password="pw"))
        await user.get_user_attributes()

    with pytest.raises(CognitoResponseError, match=field):
        run(scenario())


def test_a_salt_that_is_a_number_is_refused() -> None:
    challenge = {
        **SRP_CHALLENGE,
        "ChallengeParameters": {**SRP_CHALLENGE["ChallengeParameters"], "SALT": 12},
    }
    pool, _ = scripted(challenge)
    with pytest.raises(CognitoResponseError):
        run(AsyncCognitoUser("ann", pool).authenticate_user(AuthenticationDetails(password="pw")))


def test_a_service_error_and_a_challenge_come_out_typed() -> None:
    refused = HttpResponse(400, {}, b'{"__type": "NotAuthorizedException", "message": "no"}')
    mfa = {"ChallengeName": "SMS_MFA", "Session": "s1", "ChallengeParameters": {}}
    pool, transport = scripted(refused, mfa, TOKENS)

    async def scenario() -> None:
        user = password_user(pool)
        with pytest.raises(NotAuthorizedException):
            await user.authenticate_user(AuthenticationDetails(password="pw"))
        with pytest.raises(CognitoUserMfaRequiredException):
            await user.authenticate_user(AuthenticationDetails(password="pw"))
        session = await user.send_mfa_code("123456")
        assert session.is_valid()

    run(scenario())
    answer = transport.requests[-1].params
    assert answer["Session"] == "s1" and answer["ChallengeResponses"]["SMS_MFA_CODE"] == "123456"


def test_an_async_handler_on_the_sync_client_is_a_type_error_not_a_hang() -> None:
    async def handler(request: MockRequest) -> Any:
        return {}

    pool = CognitoUserPool(POOL_ID, "client-id", transport=MockTransport(handler))
    with pytest.raises(InvalidArgumentTypeError, match="async mock handler needs the asyncio"):
        pool.sign_up("ann", "Passw0rd!")
