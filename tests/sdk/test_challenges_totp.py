"""TOTP through the SDK against the local pool: our Rust TOTP against RFC 6238 and an
independent stdlib computation, software-token set-up with an access token or inside
MFA_SETUP (finished in the same session), SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, and the
failure paths: wrong code, wrong window, replayed code, revoked token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, _native
from cognito_identity.errors import (
    CodeMismatchException,
    CognitoUserMfaSetupException,
    CognitoUserNewPasswordRequiredException,
    CognitoUserSelectMfaTypeException,
    CognitoUserTotpRequiredException,
    EnableSoftwareTokenMFAException,
    ExpiredCodeException,
    NotAuthenticatedError,
    NotAuthorizedException,
    OtpError,
)
from cognito_identity.local import ManualClock
from cognito_identity.local.totp import totp_code

from .conftest import PASSWORD, PoolSetup
from .helpers import PHONE, confirmed_user, mfa_code, totp_pool

RFC_SEED = b"12345678901234567890"


def _reference_totp(secret: bytes, unix_time: int) -> str:
    """RFC 6238 with SHA-1 and six digits, written from the RFC with the stdlib."""
    digest = hmac.new(secret, struct.pack(">Q", unix_time // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    (word,) = struct.unpack(">I", digest[offset : offset + 4])
    return f"{(word & 0x7FFFFFFF) % 1_000_000:06d}"


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_native_totp_matches_rfc6238_appendix_b(unix_time: int, code: str) -> None:
    assert _native.otp_totp(RFC_SEED, unix_time, digits=8) == code
    assert _native.otp_totp(RFC_SEED, unix_time) == _reference_totp(RFC_SEED, unix_time)


def test_totp_code_agrees_with_an_independent_computation(clock: ManualClock) -> None:
    secret = base64.b32encode(bytes(range(20))).decode()
    for offset in range(0, 3000, 97):
        now = int(clock.now()) + offset
        assert totp_code(secret, now) == _reference_totp(bytes(range(20)), now)


def test_bad_otp_parameters_are_typed_errors() -> None:
    with pytest.raises(OtpError):
        _native.otp_totp(b"", 59)
    with pytest.raises(OtpError):
        _native.otp_totp(RFC_SEED, 59, digits=12)
    with pytest.raises(OtpError):
        _native.otp_totp(RFC_SEED, 59, step=0)
    with pytest.raises(OtpError):
        _native.otp_hotp(RFC_SEED, 1, algorithm="MD5")


def set_up_in_sign_in(setup: PoolSetup, clock: ManualClock, user: CognitoUser) -> str:
    """Sign in to MFA_SETUP, associate and verify; returns the secret."""
    with pytest.raises(CognitoUserMfaSetupException) as caught:
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert caught.value.mfas_can_setup == ["SOFTWARE_TOKEN_MFA"]
    secret = user.associate_software_token()
    assert len(secret) == 32
    session = user.verify_software_token(totp_code(secret, clock.now()), "phone")
    assert session is not None and session.is_valid()
    assert user.sign_in_user_session is session
    return secret


def test_mfa_setup_finishes_in_the_same_session_then_totp_signs_in(
    setup: PoolSetup, clock: ManualClock
) -> None:
    # Q8: the original never sent RespondToAuthChallenge(MFA_SETUP): a second sign-in was
    # needed. Here verify_software_token returns the session.
    totp_pool(setup)
    user = confirmed_user(setup)
    secret = set_up_in_sign_in(setup, clock, user)

    clock.advance(30)
    with pytest.raises(CognitoUserTotpRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    session = user.send_mfa_code(totp_code(secret, clock.now()), "SOFTWARE_TOKEN_MFA")
    assert session.is_valid()


def test_new_password_then_mfa_setup(setup: PoolSetup, clock: ManualClock) -> None:
    totp_pool(setup)
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="finn",
        TemporaryPassword="Temp0rary-Pass!",
        MessageAction="SUPPRESS",
    )
    user = CognitoUser("finn", setup.pool())
    with pytest.raises(CognitoUserNewPasswordRequiredException):
        user.authenticate_user(AuthenticationDetails(password="Temp0rary-Pass!"))
    with pytest.raises(CognitoUserMfaSetupException):
        user.send_new_password_required_answer(PASSWORD)
    secret = user.associate_software_token()
    assert user.verify_software_token(totp_code(secret, clock.now())) is not None


def test_wrong_setup_code_can_be_retried(setup: PoolSetup, clock: ManualClock) -> None:
    totp_pool(setup)
    user = confirmed_user(setup)
    with pytest.raises(CognitoUserMfaSetupException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    secret = user.associate_software_token()
    right = totp_code(secret, clock.now())
    with pytest.raises(EnableSoftwareTokenMFAException):
        user.verify_software_token(f"{(int(right) + 1) % 1_000_000:06d}")
    assert user.verify_software_token(right) is not None


def test_totp_window_and_replay(setup: PoolSetup, clock: ManualClock) -> None:
    totp_pool(setup)
    user = confirmed_user(setup)
    secret = set_up_in_sign_in(setup, clock, user)
    clock.advance(300)

    # Two steps old: outside the window, and the session stays open for a retry.
    with pytest.raises(CognitoUserTotpRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    stale = totp_code(secret, clock.now() - 60)
    if stale != totp_code(secret, clock.now() - 30) and stale != totp_code(secret, clock.now()):
        with pytest.raises(CodeMismatchException):
            user.send_mfa_code(stale, "SOFTWARE_TOKEN_MFA")
    # One step old: inside the window.
    previous = totp_code(secret, clock.now() - 30)
    assert user.send_mfa_code(previous, "SOFTWARE_TOKEN_MFA").is_valid()

    # The same code again in a new sign-in: refused as used.
    with pytest.raises(CognitoUserTotpRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    with pytest.raises(ExpiredCodeException, match="already been used"):
        user.send_mfa_code(previous, "SOFTWARE_TOKEN_MFA")
    # The current step's code still works in that session.
    assert user.send_mfa_code(totp_code(secret, clock.now()), "SOFTWARE_TOKEN_MFA").is_valid()


def test_signed_in_user_adds_totp_with_the_access_token(
    setup: PoolSetup, clock: ManualClock
) -> None:
    totp_pool(setup, "OPTIONAL")
    user = confirmed_user(setup)
    assert user.authenticate_user(AuthenticationDetails(password=PASSWORD)).is_valid()
    secret = user.associate_software_token()
    assert user.verify_software_token(totp_code(secret, clock.now())) is None
    setup.idp.admin_set_user_mfa_preference(
        UserPoolId=setup.pool_id,
        Username="dana",
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    clock.advance(30)
    with pytest.raises(CognitoUserTotpRequiredException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert user.send_mfa_code(totp_code(secret, clock.now()), "SOFTWARE_TOKEN_MFA").is_valid()


def test_associate_needs_a_live_access_token(setup: PoolSetup) -> None:
    user = confirmed_user(setup)
    with pytest.raises(NotAuthenticatedError):
        user.associate_software_token()
    session = user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    setup.idp.global_sign_out(AccessToken=session.access_token.jwt_token)
    with pytest.raises(NotAuthorizedException, match="revoked"):
        user.associate_software_token()
    with pytest.raises(NotAuthorizedException, match="revoked"):
        user.verify_software_token("123456")


def test_select_mfa_type_is_answered(setup: PoolSetup, clock: ManualClock) -> None:
    # Q8: the original had no way to answer SELECT_MFA_TYPE.
    totp_pool(setup, "OPTIONAL", sms=True)
    user = confirmed_user(setup, phone_number=PHONE)
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    secret = user.associate_software_token()
    user.verify_software_token(totp_code(secret, clock.now()))
    setup.idp.admin_set_user_mfa_preference(
        UserPoolId=setup.pool_id,
        Username="dana",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    clock.advance(30)
    with pytest.raises(CognitoUserSelectMfaTypeException) as caught:
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert caught.value.mfas_can_choose == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    with pytest.raises(CognitoUserTotpRequiredException):
        user.send_mfa_selection_answer("SOFTWARE_TOKEN_MFA")
    assert user.send_mfa_code(totp_code(secret, clock.now()), "SOFTWARE_TOKEN_MFA").is_valid()

    # Choosing SMS instead sends a code to the phone.
    with pytest.raises(CognitoUserSelectMfaTypeException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    with pytest.raises(Exception) as chosen:
        user.send_mfa_selection_answer("SMS_MFA")
    assert getattr(chosen.value, "challenge_name", None) == "SMS_MFA"
    assert user.send_mfa_code(mfa_code(setup, PHONE)).is_valid()
