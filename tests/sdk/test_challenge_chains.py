"""Challenges chained in the orders Cognito sends them (custom -> MFA -> device, new
password -> MFA set-up -> device, one-time code -> device), end to end through the SDK
against the local pool, and the ``device_key`` claim of access tokens (read with PyJWT)."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool
from cognito_identity.errors import (
    CognitoUserCustomChallengeException,
    CognitoUserEmailOtpRequiredException,
    CognitoUserMfaRequiredException,
    CognitoUserMfaSetupException,
    CognitoUserNewPasswordRequiredException,
    CognitoUserTotpRequiredException,
)
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.local.totp import totp_code
from cognito_identity.session import CognitoUserSession
from cognito_identity.storage import MemoryStorage

from .conftest import PASSWORD, PoolSetup, RecordingTransport, admin_client, make_setup
from .helpers import PHONE, confirmed_user, mfa_code, outbox_code

TEMPORARY = "Temp0rary-Pass!"
CUSTOM_FLOWS = ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def client_pool(setup: PoolSetup, flows: list[str], storage: MemoryStorage) -> CognitoUserPool:
    """A handle on a new app client of the pool allowing ``flows``, recording its calls."""
    client_id = setup.idp.create_user_pool_client(
        UserPoolId=setup.pool_id, ClientName="chains", ExplicitAuthFlows=flows
    )["UserPoolClient"]["ClientId"]
    pool = CognitoUserPool(setup.pool_id, client_id, endpoint=setup.local.endpoint, storage=storage)
    pool.transport = RecordingTransport(setup.local.endpoint)
    return pool


def fresh_user(pool: CognitoUserPool, name: str) -> CognitoUser:
    """A new user object on ``pool`` (as a new app start makes), with a fresh recording."""
    pool.transport = RecordingTransport(pool.transport.endpoint)
    return CognitoUser(name, pool)


def sent(user: CognitoUser) -> RecordingTransport:
    transport = user.pool.transport
    assert isinstance(transport, RecordingTransport)
    return transport


def challenges_sent(user: CognitoUser) -> list[str]:
    """The ChallengeName of every RespondToAuthChallenge the user sent, in order."""
    return [
        str(params["ChallengeName"])
        for action, params in sent(user).sent
        if action == "RespondToAuthChallenge"
    ]


def access_claims(setup: PoolSetup, session: CognitoUserSession) -> dict[str, Any]:
    """The access token's claims, verified by PyJWT with the pool's published JWKS."""
    token = session.access_token.jwt_token
    jwks = jwt.PyJWKClient(f"{setup.local.endpoint}/{setup.pool_id}/.well-known/jwks.json")
    # Leeway: the pool's manual clock may be a TOTP step (30 s) ahead of this one.
    claims: dict[str, Any] = jwt.decode(
        token, jwks.get_signing_key_from_jwt(token).key, algorithms=["RS256"], leeway=60
    )
    assert claims["token_use"] == "access"
    return claims


def sms_mfa_required(setup: PoolSetup) -> None:
    setup.idp.set_user_pool_mfa_config(
        UserPoolId=setup.pool_id,
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Your code is {####}"},
        MfaConfiguration="ON",
    )


# --- 1. custom -> SMS MFA -> new device; then custom -> device SRP (-> MFA) --------------


@pytest.mark.parametrize("challenge_on_new_device", [True, False])
def test_custom_then_sms_mfa_confirms_the_device_and_the_next_custom_sign_in_uses_it(
    local: LocalCognito, challenge_on_new_device: bool
) -> None:
    setup = make_setup(
        local, DeviceConfiguration={"ChallengeRequiredOnNewDevice": challenge_on_new_device}
    )
    sms_mfa_required(setup)
    confirmed_user(setup, "gail", email="gail@example.com", phone_number=PHONE)
    storage = MemoryStorage()
    pool = client_pool(setup, CUSTOM_FLOWS, storage)

    first = fresh_user(pool, "gail")
    with pytest.raises(CognitoUserCustomChallengeException):
        first.initiate_auth(AuthenticationDetails())
    with pytest.raises(CognitoUserMfaRequiredException):
        first.send_custom_challenge_answer(outbox_code(setup))
    session = first.send_mfa_code(mfa_code(setup, PHONE))
    (confirm,) = sent(first).steps("ConfirmDevice")
    key = first.get_device_key()
    assert key is not None and confirm["DeviceKey"] == key
    assert access_claims(setup, session)["device_key"] == key

    second = fresh_user(pool, "gail")
    with pytest.raises(CognitoUserCustomChallengeException):
        second.initiate_auth(AuthenticationDetails())
    if challenge_on_new_device:
        # A remembered device proves itself and skips MFA.
        session = second.send_custom_challenge_answer(outbox_code(setup))
        assert challenges_sent(second) == [
            "CUSTOM_CHALLENGE",
            "DEVICE_SRP_AUTH",
            "DEVICE_PASSWORD_VERIFIER",
        ]
    else:
        with pytest.raises(CognitoUserMfaRequiredException):
            second.send_custom_challenge_answer(outbox_code(setup))
        session = second.send_mfa_code(mfa_code(setup, PHONE))
        assert challenges_sent(second) == [
            "CUSTOM_CHALLENGE",
            "DEVICE_SRP_AUTH",
            "DEVICE_PASSWORD_VERIFIER",
            "SMS_MFA",
        ]
    assert session.is_valid()
    assert sent(second).steps("ConfirmDevice") == []
    assert access_claims(setup, session)["device_key"] == key
    devices = setup.idp.admin_list_devices(UserPoolId=setup.pool_id, Username="gail")["Devices"]
    assert [d["DeviceKey"] for d in devices] == [key]


# --- 2. CUSTOM_AUTH with SRP -> custom challenge -> TOTP ---------------------------------


def test_custom_auth_with_srp_then_custom_challenge_then_totp(
    setup: PoolSetup, clock: ManualClock
) -> None:
    setup.idp.set_user_pool_mfa_config(
        UserPoolId=setup.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    enrolling = confirmed_user(setup, "gail", email="gail@example.com")
    enrolling.authenticate_user(AuthenticationDetails(password=PASSWORD))
    secret = enrolling.associate_software_token()
    enrolling.verify_software_token(totp_code(secret, clock.now()))
    setup.idp.admin_set_user_mfa_preference(
        UserPoolId=setup.pool_id,
        Username="gail",
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    clock.advance(30)

    user = fresh_user(client_pool(setup, CUSTOM_FLOWS, MemoryStorage()), "gail")
    user.authentication_flow_type = "CUSTOM_AUTH"
    with pytest.raises(CognitoUserCustomChallengeException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    (initiate,) = sent(user).steps("InitiateAuth")
    assert initiate["AuthParameters"]["CHALLENGE_NAME"] == "SRP_A"
    with pytest.raises(CognitoUserTotpRequiredException):
        user.send_custom_challenge_answer(outbox_code(setup))
    session = user.send_mfa_code(totp_code(secret, clock.now()), "SOFTWARE_TOKEN_MFA")
    assert session.is_valid()
    assert challenges_sent(user) == ["PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SOFTWARE_TOKEN_MFA"]
    assert "device_key" not in access_claims(setup, session)


def test_custom_auth_with_a_wrong_password_never_reaches_the_custom_challenge(
    setup: PoolSetup,
) -> None:
    confirmed_user(setup, "gail", email="gail@example.com")
    user = fresh_user(client_pool(setup, CUSTOM_FLOWS, MemoryStorage()), "gail")
    user.authentication_flow_type = "CUSTOM_AUTH"
    with pytest.raises(Exception, match="Incorrect username or password"):
        user.authenticate_user(AuthenticationDetails(password="Wr0ng-Password!"))
    messages = setup.local.outbox.messages(setup.pool_id, "gail@example.com")
    assert [m for m in messages if m.purpose == "custom-auth"] == []


# --- 3. NEW_PASSWORD_REQUIRED -> MFA_SETUP (TOTP) -> device confirmation ------------------


def test_new_password_then_totp_setup_then_device_confirmation_in_one_sign_in(
    local: LocalCognito, clock: ManualClock
) -> None:
    setup = make_setup(local, DeviceConfiguration={"ChallengeRequiredOnNewDevice": True})
    setup.idp.set_user_pool_mfa_config(
        UserPoolId=setup.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="eve",
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
    )
    storage = MemoryStorage()
    pool = setup.pool(storage=storage)
    pool.transport = RecordingTransport(setup.local.endpoint)
    user = CognitoUser("eve", pool)
    with pytest.raises(CognitoUserNewPasswordRequiredException):
        user.authenticate_user(AuthenticationDetails(password=TEMPORARY))
    with pytest.raises(CognitoUserMfaSetupException):
        user.send_new_password_required_answer(PASSWORD)
    secret = user.associate_software_token()
    session = user.verify_software_token(totp_code(secret, clock.now()))
    assert session is not None and session.is_valid()
    assert challenges_sent(user) == ["PASSWORD_VERIFIER", "NEW_PASSWORD_REQUIRED", "MFA_SETUP"]
    (confirm,) = sent(user).steps("ConfirmDevice")
    key = user.get_device_key()
    assert key is not None and confirm["DeviceKey"] == key
    assert access_claims(setup, session)["device_key"] == key

    # The confirmed device now signs in by device SRP, and being remembered skips TOTP.
    again = CognitoUser("eve", pool)
    pool.transport = RecordingTransport(setup.local.endpoint)
    session = again.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert challenges_sent(again) == [
        "PASSWORD_VERIFIER",
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
    ]
    assert access_claims(setup, session)["device_key"] == key


# --- 4. USER_AUTH with an e-mail code in a device-tracking pool -------------------------


def user_auth_tracking_setup(local: LocalCognito) -> PoolSetup:
    idp = admin_client(local.endpoint)
    pool_id = idp.create_user_pool(
        PoolName="choice-devices",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True},
    )["UserPool"]["Id"]
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="erin",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "erin@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="erin", Password=PASSWORD, Permanent=True
    )
    return PoolSetup(local, idp, pool_id, "", None)


def email_code(setup: PoolSetup) -> str:
    messages = setup.local.outbox.messages(setup.pool_id, "erin")
    assert messages, "no e-mail code in the outbox"
    return messages[-1].code


def test_email_otp_first_factor_confirms_the_device_and_the_next_sign_in_uses_device_srp(
    local: LocalCognito,
) -> None:
    setup = user_auth_tracking_setup(local)
    pool = client_pool(setup, ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], MemoryStorage())

    first = fresh_user(pool, "erin")
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        first.sign_in("EMAIL_OTP")
    session = first.send_otp_code(email_code(setup))
    (confirm,) = sent(first).steps("ConfirmDevice")
    key = first.get_device_key()
    assert key is not None and confirm["DeviceKey"] == key
    assert access_claims(setup, session)["device_key"] == key

    second = fresh_user(pool, "erin")
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        second.sign_in("EMAIL_OTP")
    (initiate,) = sent(second).steps("InitiateAuth")
    assert initiate["AuthParameters"]["DEVICE_KEY"] == key
    session = second.send_otp_code(email_code(setup))
    assert challenges_sent(second) == ["EMAIL_OTP", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]
    assert sent(second).steps("ConfirmDevice") == []
    assert access_claims(setup, session)["device_key"] == key


def test_email_otp_first_factor_with_a_device_that_is_not_remembered_asks_no_mfa(
    local: LocalCognito,
) -> None:
    """A one-time code is a whole sign-in: after device SRP no MFA follows it, even when
    the device is not remembered and the pool has optional MFA."""
    setup = user_auth_tracking_setup(local)
    setup.idp.set_user_pool_mfa_config(
        UserPoolId=setup.pool_id,
        EmailMfaConfiguration={},
        MfaConfiguration="OPTIONAL",
    )
    setup.idp.admin_set_user_mfa_preference(
        UserPoolId=setup.pool_id,
        Username="erin",
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    pool = client_pool(setup, ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], MemoryStorage())
    first = fresh_user(pool, "erin")
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        first.sign_in("EMAIL_OTP")
    first.send_otp_code(email_code(setup))
    first.set_device_status_not_remembered()

    second = fresh_user(pool, "erin")
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        second.sign_in("EMAIL_OTP")
    session = second.send_otp_code(email_code(setup))
    assert session.is_valid()
    assert challenges_sent(second) == ["EMAIL_OTP", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]


# --- The device_key claim ---------------------------------------------------------------


def test_access_tokens_lack_device_key_without_device_tracking(setup: PoolSetup) -> None:
    user = confirmed_user(setup, "dana")
    session = user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert "device_key" not in access_claims(setup, session)
    assert user.get_device_key() is None
    refreshed = user.refresh_session(session.refresh_token) if session.refresh_token else None
    assert refreshed is not None and "device_key" not in access_claims(setup, refreshed)


@pytest.mark.parametrize("rotate", [False, True])
def test_refreshed_access_tokens_keep_the_device_key(local: LocalCognito, rotate: bool) -> None:
    """REFRESH_TOKEN_AUTH, and GetTokensFromRefreshToken on a client that rotates."""
    setup = make_setup(local, DeviceConfiguration={"ChallengeRequiredOnNewDevice": True})
    confirmed_user(setup, "dana")
    rotation = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0} if rotate else None
    client_id = setup.idp.create_user_pool_client(
        UserPoolId=setup.pool_id,
        ClientName="refreshing",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        **({"RefreshTokenRotation": rotation} if rotation else {}),
    )["UserPoolClient"]["ClientId"]
    pool = CognitoUserPool(
        setup.pool_id,
        client_id,
        endpoint=setup.local.endpoint,
        storage=MemoryStorage(),
        refresh_token_rotation=rotate,
    )
    CognitoUser("dana", pool).authenticate_user(AuthenticationDetails(password=PASSWORD))
    user = CognitoUser("dana", pool)
    session = user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    key = user.get_device_key()
    assert key is not None and access_claims(setup, session)["device_key"] == key
    assert session.refresh_token is not None
    refreshed = user.refresh_session(session.refresh_token)
    assert access_claims(setup, refreshed)["device_key"] == key
    assert refreshed.refresh_token is not None
    assert (refreshed.refresh_token.token != session.refresh_token.token) is rotate
    # The id token carries no device_key, as in Cognito.
    id_claims = jwt.decode(refreshed.id_token.jwt_token, options={"verify_signature": False})
    assert "device_key" not in id_claims


def test_a_device_key_named_without_device_srp_earns_no_device(local: LocalCognito) -> None:
    """Only a device proven by device SRP in this sign-in gets its tokens: naming a
    confirmed device's key in the MFA answer alone registers a new device instead."""
    setup = make_setup(local, DeviceConfiguration={"ChallengeRequiredOnNewDevice": True})
    sms_mfa_required(setup)
    confirmed_user(setup, "dana", phone_number=PHONE)
    owner = CognitoUser("dana", setup.pool(storage=MemoryStorage()))
    with pytest.raises(CognitoUserMfaRequiredException):
        owner.authenticate_user(AuthenticationDetails(password=PASSWORD))
    owner.send_mfa_code(mfa_code(setup, PHONE))
    known = owner.get_device_key()
    assert known is not None

    other = CognitoUser("dana", setup.pool(storage=MemoryStorage()))
    with pytest.raises(CognitoUserMfaRequiredException):
        other.authenticate_user(AuthenticationDetails(password=PASSWORD))
    session = other.respond_to_auth_challenge(
        "SMS_MFA", {"SMS_MFA_CODE": mfa_code(setup, PHONE), "DEVICE_KEY": known}
    )
    claimed = access_claims(setup, session)["device_key"]
    assert claimed != known and claimed == other.get_device_key()
    devices = setup.idp.admin_list_devices(UserPoolId=setup.pool_id, Username="dana")["Devices"]
    assert sorted(d["DeviceKey"] for d in devices) == sorted([known, claimed])
