"""Every parser of Cognito's answers, fed hostile answers through the public calls: each
call succeeds or raises a CognitoError, never a KeyError, TypeError, IndexError,
AttributeError, ValueError or anything else untyped (hypothesis, through MockTransport).

Covered: sign-up and confirmation, password and SRP sign-in with a new device, every
challenge (SMS, TOTP, selection, new password, custom, MFA setup, USER_AUTH's selection
and one-time codes), refresh, attributes and MFA settings, devices, identity-pool
credentials, admin calls, and the OAuth token and userInfo endpoints; sync, and the asyncio
API (user pool and OAuth clients) too.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings

from cognito_identity import (
    AuthenticationDetails,
    CognitoCredentials,
    CognitoOAuthClient,
    CognitoUser,
    CognitoUserPool,
    MemoryStorage,
    UserPoolAdmin,
)
from cognito_identity._protocol import HttpResponse
from cognito_identity.asyncio import (
    AsyncCognitoOAuthClient,
    AsyncCognitoUser,
    AsyncCognitoUserPool,
)
from cognito_identity.errors import CognitoError, CognitoUserException
from cognito_identity.transports import MockRequest, MockTransport

from .helpers import ADMIN_CREDENTIALS
from .malformed import HTML_PAGE, TALLY, examples, spoiled_step
from .test_flows import POOL_ID, SRP_CHALLENGE, TOKENS, jwt

PASSWORD = "Corr3ct-Horse!"
IDENTITY_POOL = "eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
DELIVERY = {"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
DEVICE = {
    "DeviceKey": "eu-west-1_dev-1",
    "DeviceAttributes": [{"Name": "device_name", "Value": "laptop"}],
    "DeviceCreateDate": 1_700_000_000.0,
    "DeviceLastModifiedDate": 1_700_000_100.5,
    "DeviceLastAuthenticatedDate": 1_700_000_200,
}
GET_USER = {
    "Username": "ann",
    "UserAttributes": [{"Name": "sub", "Value": "user-sub-1"}, {"Name": "email", "Value": "a@x"}],
    "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}],
    "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
    "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
}
WITH_DEVICE = {
    "AuthenticationResult": {
        **TOKENS["AuthenticationResult"],
        "NewDeviceMetadata": {"DeviceKey": "eu-west-1_dev-1", "DeviceGroupKey": "group-1"},
    }
}


def challenge(name: str, **parameters: str) -> dict[str, Any]:
    return {"ChallengeName": name, "Session": f"session-{name}", "ChallengeParameters": parameters}


async def done(call: Callable[[], Any]) -> Any:
    """The value of a sync call, or the awaited value of an async one: one scenario
    body serves both APIs."""
    value = call()
    return await value if inspect.isawaitable(value) else value


async def until_challenge(call: Callable[[], Any]) -> None:
    """A sign-in step expected to stop at a challenge (raised as its exception)."""
    with contextlib.suppress(CognitoUserException):
        await done(call)


@dataclass
class Env:
    """What a scenario works with: the pool and a user of it (sync or asyncio)."""

    pool: Any
    user: Any


async def sign_in(env: Env) -> None:
    env.user.authentication_flow_type = "USER_PASSWORD_AUTH"
    await done(lambda: env.user.authenticate_user(AuthenticationDetails(password=PASSWORD)))


Scenario = Callable[[Env], Awaitable[Any]]


async def sign_up(env: Env) -> Any:
    result = await done(lambda: env.pool.sign_up("ann", PASSWORD, {"email": "a@x"}))
    await done(lambda: env.user.confirm_registration("123456"))
    await done(lambda: env.user.resend_confirmation_code())
    return result


async def srp_sign_in_with_new_device(env: Env) -> Any:
    session = await done(
        lambda: env.user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    )
    return session.id_token.expiration, session.id_token.sub, session.is_valid()


async def challenges_sms_and_totp(env: Env) -> Any:
    env.user.authentication_flow_type = "USER_PASSWORD_AUTH"
    await until_challenge(
        lambda: env.user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    )
    await until_challenge(lambda: env.user.send_mfa_code("123456"))
    await until_challenge(lambda: env.user.send_mfa_selection_answer("SOFTWARE_TOKEN_MFA"))
    return await done(lambda: env.user.send_mfa_code("654321", "SOFTWARE_TOKEN_MFA"))


async def challenges_new_password_and_custom(env: Env) -> Any:
    env.user.authentication_flow_type = "USER_PASSWORD_AUTH"
    await until_challenge(
        lambda: env.user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    )
    await until_challenge(lambda: env.user.send_new_password_required_answer("N3w-Passw0rd!", {}))
    return await done(lambda: env.user.send_custom_challenge_answer("42"))


async def challenge_mfa_setup(env: Env) -> Any:
    env.user.authentication_flow_type = "USER_PASSWORD_AUTH"
    await until_challenge(
        lambda: env.user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    )
    secret = await done(lambda: env.user.associate_software_token())
    return secret, await done(lambda: env.user.verify_software_token("123456", "phone"))


async def user_auth_otp(env: Env) -> Any:
    await until_challenge(lambda: env.user.sign_in())
    await until_challenge(lambda: env.user.send_challenge_selection("EMAIL_OTP"))
    return await done(lambda: env.user.send_otp_code("12345678"))


async def refresh(env: Env) -> Any:
    await sign_in(env)
    session = await done(lambda: env.user.get_session())
    if session.refresh_token is None:  # the sign-in answer lost it: nothing to refresh
        return None
    session = await done(lambda: env.user.refresh_session(session.refresh_token))
    return session.access_token.expiration, session.access_token.username


async def attributes(env: Env) -> Any:
    await sign_in(env)
    found = await done(lambda: env.user.get_user_attributes())
    await done(lambda: env.user.update_attributes({"email": "b@x"}))
    await done(lambda: env.user.get_attribute_verification_code("email"))
    mfa = await done(lambda: env.user.get_user_mfa_setting_list())
    return [str(item) for item in found], mfa, await done(lambda: env.user.get_mfa_options())


async def devices(env: Env) -> Any:
    await sign_in(env)
    listed = await done(lambda: env.user.list_devices(10, None))
    return listed, await done(lambda: env.user.get_device("eu-west-1_dev-1"))


SCENARIOS: dict[str, tuple[Scenario, list[dict[str, Any]]]] = {
    "sign-up": (
        sign_up,
        [
            {"UserConfirmed": False, "UserSub": "user-sub-1", "CodeDeliveryDetails": DELIVERY},
            {},
            {"CodeDeliveryDetails": DELIVERY},
        ],
    ),
    "srp sign-in, new device": (
        srp_sign_in_with_new_device,
        [SRP_CHALLENGE, WITH_DEVICE, {"UserConfirmationNecessary": False}],
    ),
    "sms and totp challenges": (
        challenges_sms_and_totp,
        [
            challenge(
                "SMS_MFA", CODE_DELIVERY_DESTINATION="+***12", CODE_DELIVERY_DELIVERY_MEDIUM="SMS"
            ),
            challenge("SELECT_MFA_TYPE", MFAS_CAN_CHOOSE='["SMS_MFA","SOFTWARE_TOKEN_MFA"]'),
            challenge("SOFTWARE_TOKEN_MFA"),
            TOKENS,
        ],
    ),
    "new password and custom challenges": (
        challenges_new_password_and_custom,
        [
            challenge(
                "NEW_PASSWORD_REQUIRED",
                userAttributes='{"email": "a@x", "email_verified": "true"}',
                requiredAttributes="[]",
            ),
            challenge("CUSTOM_CHALLENGE", question="6 x 7?"),
            TOKENS,
        ],
    ),
    "mfa setup": (
        challenge_mfa_setup,
        [
            challenge("MFA_SETUP", MFAS_CAN_SETUP='["SOFTWARE_TOKEN_MFA"]'),
            {"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "session-2"},
            {"Status": "SUCCESS", "Session": "session-3"},
            TOKENS,
        ],
    ),
    "user auth, one-time code": (
        user_auth_otp,
        [
            {
                "ChallengeName": "SELECT_CHALLENGE",
                "Session": "s1",
                "ChallengeParameters": {},
                "AvailableChallenges": ["PASSWORD", "EMAIL_OTP"],
            },
            challenge("EMAIL_OTP", CODE_DELIVERY_DESTINATION="a***@x"),
            TOKENS,
        ],
    ),
    "refresh": (
        refresh,
        [
            TOKENS,
            {
                "AuthenticationResult": {
                    "IdToken": jwt(token_use="id"),
                    "AccessToken": jwt(token_use="access", username="user-sub-1"),
                    "ExpiresIn": 3600,
                    "TokenType": "Bearer",
                }
            },
        ],
    ),
    "attributes": (
        attributes,
        [
            TOKENS,
            GET_USER,
            {"CodeDeliveryDetailsList": [DELIVERY]},
            {"CodeDeliveryDetails": DELIVERY},
            GET_USER,
            GET_USER,
        ],
    ),
    "devices": (
        devices,
        [TOKENS, {"Devices": [DEVICE], "PaginationToken": "next"}, {"Device": DEVICE}],
    ),
}


def scripted(
    script: list[dict[str, Any]], step: int, answer: HttpResponse
) -> Callable[[MockRequest], Any]:
    """A handler that answers call ``n`` with ``script[n]``, except ``answer`` at
    ``step``; calls past the script are refused, as a confused server might."""
    calls = iter(range(10**6))

    def handler(request: MockRequest) -> Any:
        n = next(calls)
        if n == step:
            return answer
        if n < len(script):
            return script[n]
        return HttpResponse(400, {}, b'{"__type": "InvalidParameterException", "message": "?"}')

    return handler


def run_sync(scenario: Scenario, handler: Callable[[MockRequest], Any]) -> Any:
    pool = CognitoUserPool(
        POOL_ID, "client-id", storage=MemoryStorage(), transport=MockTransport(handler)
    )
    return asyncio.run(scenario(Env(pool, CognitoUser("ann", pool))))


def run_async(scenario: Scenario, handler: Callable[[MockRequest], Any]) -> Any:
    async def main() -> Any:
        pool = AsyncCognitoUserPool(
            POOL_ID, "client-id", storage=MemoryStorage(), transport=MockTransport(handler)
        )
        try:
            return await scenario(Env(pool, AsyncCognitoUser("ann", pool)))
        finally:
            await pool.aclose()

    return asyncio.run(main())


def outcome(kind: str, attempt: Callable[[], Any]) -> None:
    """Run ``attempt``; record and re-raise anything that is not a CognitoError."""
    try:
        attempt()
    except CognitoError as error:
        TALLY.record(kind, error)
    except Exception as error:
        TALLY.record(kind, error)
        raise
    else:
        TALLY.record(kind, None)


@pytest.fixture(autouse=True, scope="module")
def flush_tally() -> Any:
    yield
    TALLY.flush()


PROPERTY = settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    database=None,
)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_good_script_succeeds(name: str) -> None:
    scenario, script = SCENARIOS[name]
    handler = scripted(script, -1, HttpResponse(200))
    assert run_sync(scenario, handler) is not None or name == "sign-up"
    assert (
        run_async(scenario, scripted(script, -1, HttpResponse(200))) is not None
        or name == "sign-up"
    )


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_an_html_page_at_the_first_step_is_a_cognito_error(name: str) -> None:
    scenario, script = SCENARIOS[name]
    page = HttpResponse(502, {"Content-Type": "text/html"}, HTML_PAGE)
    with pytest.raises(CognitoError):
        run_sync(scenario, scripted(script, 0, page))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_spoilt_answers_end_in_a_cognito_error_or_success(name: str) -> None:
    scenario, script = SCENARIOS[name]

    @PROPERTY
    @given(spoiled_step(script))
    def check(damage: tuple[int, str, HttpResponse]) -> None:
        step, kind, answer = damage
        outcome(kind, lambda: run_sync(scenario, scripted(script, step, answer)))

    check()


@pytest.mark.parametrize(
    "name", ["srp sign-in, new device", "sms and totp challenges", "attributes"]
)
def test_spoilt_answers_to_the_asyncio_api(name: str) -> None:
    scenario, script = SCENARIOS[name]

    @settings(PROPERTY, max_examples=examples(15))
    @given(spoiled_step(script))
    def check(damage: tuple[int, str, HttpResponse]) -> None:
        step, kind, answer = damage
        outcome(kind, lambda: run_async(scenario, scripted(script, step, answer)))

    check()


# --- Identity pools ---

CREDENTIALS_SCRIPT: list[dict[str, Any]] = [
    {"IdentityId": "eu-west-1:11111111-2222-3333-4444-555555555555"},
    {
        "IdentityId": "eu-west-1:11111111-2222-3333-4444-555555555555",
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLE",
            "SecretKey": "secret-key",
            "SessionToken": "session-token",
            "Expiration": 4_000_000_000.0,
        },
    },
]


def run_credentials(handler: Callable[[MockRequest], Any]) -> Any:
    pool = CognitoUserPool(
        POOL_ID, "client-id", storage=MemoryStorage(), transport=MockTransport(handler)
    )
    credentials = CognitoCredentials(IDENTITY_POOL, pool, endpoint="https://identity.example/")
    credentials.get_aws_credentials(
        jwt(token_use="id", iss="https://cognito-idp.eu-west-1.amazonaws.com/" + POOL_ID)
    )
    frozen = credentials.get_frozen_credentials()
    return frozen.access_key, frozen.expires_within(60), repr(credentials)


def test_identity_pool_good_script() -> None:
    assert run_credentials(scripted(CREDENTIALS_SCRIPT, -1, HttpResponse(200)))[0] == "ASIAEXAMPLE"


@PROPERTY
@given(spoiled_step(CREDENTIALS_SCRIPT))
def test_spoilt_identity_pool_answers(damage: tuple[int, str, HttpResponse]) -> None:
    step, kind, answer = damage
    outcome(kind, lambda: run_credentials(scripted(CREDENTIALS_SCRIPT, step, answer)))


# --- The admin API ---

POOL_USER = {
    "Username": "ann",
    "Attributes": [{"Name": "email", "Value": "a@x"}],
    "UserCreateDate": 1_700_000_000.25,
    "UserLastModifiedDate": 1_700_000_000,
    "Enabled": True,
    "UserStatus": "CONFIRMED",
}
ADMIN_SCRIPT: list[dict[str, Any]] = [
    {"User": POOL_USER},
    {**{k: v for k, v in POOL_USER.items() if k != "Attributes"}, "UserAttributes": []},
    {"Users": [POOL_USER], "PaginationToken": "p"},
    {"Users": []},
    SRP_CHALLENGE,
    TOKENS,
]


def run_admin(handler: Callable[[MockRequest], Any]) -> Any:
    admin = UserPoolAdmin(
        POOL_ID,
        client_id="client-id",
        credentials=ADMIN_CREDENTIALS,
        transport=MockTransport(handler),
    )
    created = admin.create_user("ann", attributes={"email": "a@x"}, message_action="SUPPRESS")
    found = admin.get_user("ann")
    pages = list(admin.list_users(page_size=1))
    session = admin.authenticate_user("ann", PASSWORD)
    return created, found.created, pages, session.id_token.expiration


def test_admin_good_script() -> None:
    assert run_admin(scripted(ADMIN_SCRIPT, -1, HttpResponse(200)))[1] is not None


@PROPERTY
@given(spoiled_step(ADMIN_SCRIPT))
def test_spoilt_admin_answers(damage: tuple[int, str, HttpResponse]) -> None:
    step, kind, answer = damage
    outcome(kind, lambda: run_admin(scripted(ADMIN_SCRIPT, step, answer)))


# --- OAuth endpoints ---

DOMAIN = "https://auth.example"
OAUTH_TOKENS = {
    "access_token": jwt(token_use="access", username="user-sub-1", client_id="client-id"),
    "id_token": jwt(token_use="id", aud="client-id"),
    "refresh_token": "refresh-1",
    "expires_in": 3600,
    "token_type": "Bearer",
}
USER_INFO = {"sub": "user-sub-1", "email": "a@x", "email_verified": "true"}
OAUTH_SCRIPT: list[dict[str, Any]] = [
    OAUTH_TOKENS,
    OAUTH_TOKENS,
    {"access_token": "m2m", "expires_in": 3600},
    USER_INFO,
]


def run_oauth(handler: Callable[[MockRequest], Any]) -> Any:
    pool = CognitoUserPool(
        POOL_ID, "client-id", storage=MemoryStorage(), transport=MockTransport(handler)
    )
    oauth = CognitoOAuthClient(
        DOMAIN,
        "client-id",
        "https://app.example/cb",
        "client-secret",
        transport=MockTransport(handler),
    )
    url = oauth.authorize_url()
    state = parse_qs(urlsplit(url).query)["state"][0]
    code = oauth.parse_redirect(f"https://app.example/cb?code=c0de&state={state}")
    user = oauth.sign_in(pool, code)
    refreshed = oauth.refresh("refresh-1")
    machine = oauth.client_credentials(["orders/read"])
    return user.username, refreshed.session().is_valid(), machine, oauth.user_info("a")


def test_oauth_good_script() -> None:
    assert run_oauth(scripted(OAUTH_SCRIPT, -1, HttpResponse(200)))[2] == "m2m"


@PROPERTY
@given(spoiled_step(OAUTH_SCRIPT))
def test_spoilt_oauth_answers(damage: tuple[int, str, HttpResponse]) -> None:
    step, kind, answer = damage
    outcome(kind, lambda: run_oauth(scripted(OAUTH_SCRIPT, step, answer)))


def run_oauth_async(handler: Callable[[MockRequest], Any]) -> Any:
    async def main() -> Any:
        oauth = AsyncCognitoOAuthClient(
            DOMAIN, "client-id", "https://app.example/cb", transport=MockTransport(handler)
        )
        try:
            state = parse_qs(urlsplit(oauth.authorize_url()).query)["state"][0]
            code = oauth.parse_redirect(f"https://app.example/cb?code=c0de&state={state}")
            tokens = await oauth.exchange_code(code)
            refreshed = await oauth.refresh("refresh-1")
            machine = await oauth.client_credentials(["orders/read"])
            info = await oauth.user_info("a")
            return tokens.session().is_valid(), refreshed.expires_in, machine, info
        finally:
            await oauth.aclose()

    return asyncio.run(main())


def test_async_oauth_good_script() -> None:
    assert run_oauth_async(scripted(OAUTH_SCRIPT, -1, HttpResponse(200)))[2] == "m2m"


@settings(PROPERTY, max_examples=examples(15))
@given(spoiled_step(OAUTH_SCRIPT))
def test_spoilt_oauth_answers_to_the_asyncio_client(
    damage: tuple[int, str, HttpResponse],
) -> None:
    step, kind, answer = damage
    outcome(kind, lambda: run_oauth_async(scripted(OAUTH_SCRIPT, step, answer)))


@pytest.mark.parametrize("date", [float("nan"), float("inf"), 2**70])
def test_a_device_date_no_datetime_can_hold_is_no_date(date: float) -> None:
    # Found by the property above at 100 examples: these raised ValueError/OverflowError.
    _, script = SCENARIOS["devices"]
    broken = {"Devices": [{**DEVICE, "DeviceCreateDate": date}]}
    listed, _ = run_sync(
        devices, scripted(script, 1, HttpResponse(200, {}, json.dumps(broken).encode()))
    )
    assert listed.devices[0].created is None
