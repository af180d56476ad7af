"""MFA settings end to end: SetUserMFAPreference, legacy SetUserSettings, GetUser's lists."""

from __future__ import annotations

import pytest

from cognito_identity import CognitoUser
from cognito_identity.account import IMfaSettings, MfaSettings
from cognito_identity.errors import (
    CognitoUserPhoneNumberVerificationNecessaryException,
    InvalidParameterException,
    NotAuthenticatedError,
    NotAuthorizedException,
)
from cognito_identity.local import ManualClock
from cognito_identity.local.totp import totp_code

from .conftest import PoolSetup
from .helpers import signed_in

ON = MfaSettings(enabled=True)
PREFERRED = MfaSettings(enabled=True, preferred_mfa=True)
OFF = MfaSettings(enabled=False)


def _with_phone(setup: PoolSetup, verified: bool) -> CognitoUser:
    user = signed_in(setup)
    setup.idp.admin_update_user_attributes(
        UserPoolId=setup.pool_id,
        Username="ann",
        UserAttributes=[
            {"Name": "phone_number", "Value": "+15555550100"},
            {"Name": "phone_number_verified", "Value": str(verified).lower()},
        ],
    )
    return user


def test_no_mfa_at_first(setup: PoolSetup) -> None:
    user = signed_in(setup)
    # Q18: a list, never a string (the original's return type made Dart throw).
    assert user.get_user_mfa_setting_list() == []
    assert user.get_preferred_mfa() is None
    assert user.get_mfa_options() == []


def test_set_preference_for_sms_and_email(setup: PoolSetup) -> None:
    user = _with_phone(setup, verified=True)
    user.set_user_mfa_preference(sms=ON, email=PREFERRED)
    assert user.get_user_mfa_setting_list() == ["SMS_MFA", "EMAIL_OTP"]
    assert user.get_preferred_mfa() == "EMAIL_OTP"
    # Changing one factor leaves the others as they were.
    user.set_user_mfa_preference(sms=PREFERRED)
    assert user.get_user_mfa_setting_list() == ["SMS_MFA", "EMAIL_OTP"]
    assert user.get_preferred_mfa() == "SMS_MFA"
    user.set_user_mfa_preference(sms=OFF, email=OFF)
    assert user.get_user_mfa_setting_list() == []
    assert user.get_preferred_mfa() is None
    # boto3's view agrees.
    answer = setup.idp.admin_get_user(UserPoolId=setup.pool_id, Username="ann")
    assert "UserMFASettingList" not in answer


def test_refusals_are_raised_not_swallowed(setup: PoolSetup) -> None:
    # Q17: the original returned False on any error; here Cognito's error is raised.
    user = signed_in(setup)
    with pytest.raises(InvalidParameterException, match="delivery config set to turn on SMS_MFA"):
        user.set_user_mfa_preference(sms=ON)
    with pytest.raises(InvalidParameterException, match="not verified software token"):
        user.set_user_mfa_preference(software_token=PREFERRED)
    # A refused request changes nothing, even for the factors it could have set.
    with pytest.raises(InvalidParameterException):
        user.set_user_mfa_preference(email=ON, sms=ON)
    assert user.get_user_mfa_setting_list() == []


def test_email_mfa_needs_an_email(setup: PoolSetup) -> None:
    user = signed_in(setup)
    user.delete_attributes(["email"])
    with pytest.raises(InvalidParameterException, match="turn on EMAIL_OTP"):
        user.set_user_mfa_preference(email=ON)


def test_original_sdk_name_for_the_settings(setup: PoolSetup) -> None:
    assert IMfaSettings(True, True).to_json() == {"Enabled": True, "PreferredMfa": True}
    assert MfaSettings(enabled=False).to_json() == {"Enabled": False, "PreferredMfa": False}


def test_legacy_enable_and_disable_mfa(setup: PoolSetup) -> None:
    user = _with_phone(setup, verified=True)
    user.enable_mfa()
    assert user.get_mfa_options() == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    assert user.get_user_mfa_setting_list() == ["SMS_MFA"]
    user.disable_mfa()
    assert user.get_mfa_options() == []
    assert user.get_user_mfa_setting_list() == []


def test_enable_mfa_needs_a_verified_phone(setup: PoolSetup) -> None:
    user = _with_phone(setup, verified=False)
    with pytest.raises(CognitoUserPhoneNumberVerificationNecessaryException) as raised:
        user.enable_mfa()
    assert raised.value.sign_in_user_session is user.sign_in_user_session
    assert user.get_mfa_options() == []


def test_admin_settings_show_in_get_user(setup: PoolSetup) -> None:
    user = _with_phone(setup, verified=True)
    setup.idp.admin_set_user_settings(
        UserPoolId=setup.pool_id,
        Username="ann",
        MFAOptions=[{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}],
    )
    assert user.get_user_mfa_setting_list() == ["SMS_MFA"]
    setup.idp.admin_set_user_mfa_preference(
        UserPoolId=setup.pool_id,
        Username="ann",
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    answer = setup.idp.admin_get_user(UserPoolId=setup.pool_id, Username="ann")
    assert answer["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"]
    assert answer["PreferredMfaSetting"] == "EMAIL_OTP"
    assert answer["MFAOptions"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    with pytest.raises(setup.idp.exceptions.InvalidParameterException):
        setup.idp.admin_set_user_settings(
            UserPoolId=setup.pool_id,
            Username="ann",
            MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "email"}],
        )


def test_mfa_calls_need_a_session(setup: PoolSetup) -> None:
    signed_in(setup)
    user = CognitoUser("ann", setup.pool())
    for call in (
        lambda: user.set_user_mfa_preference(sms=ON),
        user.get_user_mfa_setting_list,
        user.get_preferred_mfa,
        user.get_mfa_options,
        user.enable_mfa,
        user.disable_mfa,
    ):
        with pytest.raises(NotAuthenticatedError):
            call()


def test_mfa_settings_with_a_revoked_token(setup: PoolSetup) -> None:
    user = signed_in(setup)
    setup.idp.admin_user_global_sign_out(UserPoolId=setup.pool_id, Username="ann")
    with pytest.raises(NotAuthorizedException, match="revoked"):
        user.set_user_mfa_preference(email=ON)


def test_software_token_can_be_enabled_once_verified(setup: PoolSetup, clock: ManualClock) -> None:
    user = signed_in(setup)
    secret = user.associate_software_token()
    # Associated but not verified yet: still refused.
    with pytest.raises(InvalidParameterException, match="not verified software token"):
        user.set_user_mfa_preference(software_token=PREFERRED)
    user.verify_software_token(totp_code(secret, clock.now()))
    user.set_user_mfa_preference(software_token=PREFERRED, email=ON)
    assert user.get_user_mfa_setting_list() == ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
    assert user.get_preferred_mfa() == "SOFTWARE_TOKEN_MFA"
