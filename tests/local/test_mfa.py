"""The local pool's MFA set-up and SMS / e-mail challenges, driven with boto3 as an admin
script or an app would."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_identity import srp
from cognito_identity.local import LocalCognito, ManualClock

from .conftest import PASSWORD

PHONE = "+15555550123"


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def _user(idp: Any, pool_id: str, username: str = "mia", **attributes: str) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )


def _sign_in(idp: Any, client_id: str, username: str = "mia") -> dict[str, Any]:
    return dict(
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
        )
    )


def _mfa_code(local: LocalCognito, pool_id: str, destination: str) -> str:
    return [m for m in local.outbox.messages(pool_id, destination) if m.purpose == "mfa"][-1].code


def test_pool_mfa_config_round_trip(idp: Any, pool_id: str) -> None:
    assert idp.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OFF"
    answer = idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Code: {####}"},
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    assert answer["MfaConfiguration"] == "OPTIONAL"
    stored = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert stored["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert stored["SmsMfaConfiguration"] == {"SmsAuthenticationMessage": "Code: {####}"}
    assert "EmailMfaConfiguration" not in stored
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["MfaConfiguration"] == "OPTIONAL"


def test_mfa_on_without_a_factor_is_refused(idp: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as caught:
        idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON")
    assert _error(caught)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as caught:
        idp.set_user_pool_mfa_config(
            UserPoolId=pool_id, SmsMfaConfiguration={"SmsAuthenticationMessage": "no code here"}
        )
    assert _error(caught)[0] == "InvalidParameterException"


def test_sms_challenge_shape(idp: Any, pool_id: str, client_id: str) -> None:
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, SmsMfaConfiguration={}, MfaConfiguration="ON")
    _user(idp, pool_id, phone_number=PHONE)
    answer = _sign_in(idp, client_id)
    assert answer["ChallengeName"] == "SMS_MFA"
    assert answer["ChallengeParameters"] == {
        "USER_ID_FOR_SRP": "mia",
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
        "CODE_DELIVERY_DESTINATION": "+*******0123",
    }
    assert len(answer["Session"]) >= 20
    assert "AuthenticationResult" not in answer


def test_on_without_a_phone_falls_back_to_email(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, SmsMfaConfiguration={}, EmailMfaConfiguration={}, MfaConfiguration="ON"
    )
    _user(idp, pool_id, email="mia@example.com")
    answer = _sign_in(idp, client_id)
    assert answer["ChallengeName"] == "EMAIL_OTP"
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=answer["Session"],
        ChallengeResponses={
            "USERNAME": "mia",
            "EMAIL_OTP_CODE": _mfa_code(local, pool_id, "mia@example.com"),
        },
    )
    assert result["AuthenticationResult"]["AccessToken"]


def test_code_expires_before_a_long_session(
    idp: Any, local: LocalCognito, clock: ManualClock, pool_id: str
) -> None:
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="slow",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AuthSessionValidity=15,
    )["UserPoolClient"]["ClientId"]
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, SmsMfaConfiguration={}, MfaConfiguration="ON")
    _user(idp, pool_id, phone_number=PHONE)
    answer = _sign_in(idp, client_id)
    clock.advance(181)  # codes last three minutes, this session fifteen
    with pytest.raises(ClientError) as caught:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="SMS_MFA",
            Session=answer["Session"],
            ChallengeResponses={
                "USERNAME": "mia",
                "SMS_MFA_CODE": _mfa_code(local, pool_id, PHONE),
            },
        )
    assert _error(caught)[0] == "ExpiredCodeException"


def test_a_session_answers_only_its_own_challenge(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, SmsMfaConfiguration={}, MfaConfiguration="ON")
    _user(idp, pool_id, phone_number=PHONE, email="mia@example.com")
    answer = _sign_in(idp, client_id)
    with pytest.raises(ClientError) as caught:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="EMAIL_OTP",
            Session=answer["Session"],
            ChallengeResponses={
                "USERNAME": "mia",
                "EMAIL_OTP_CODE": _mfa_code(local, pool_id, PHONE),
            },
        )
    assert _error(caught) == ("NotAuthorizedException", "Invalid session for the user.")


def test_mfa_answer_needs_the_code_field(idp: Any, pool_id: str, client_id: str) -> None:
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, SmsMfaConfiguration={}, MfaConfiguration="ON")
    _user(idp, pool_id, phone_number=PHONE)
    answer = _sign_in(idp, client_id)
    with pytest.raises(ClientError) as caught:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="SMS_MFA",
            Session=answer["Session"],
            ChallengeResponses={"USERNAME": "mia", "SOFTWARE_TOKEN_MFA_CODE": "123456"},
        )
    assert _error(caught) == (
        "InvalidParameterException",
        "Missing required parameter SMS_MFA_CODE",
    )


def test_mfa_answer_from_a_secret_client_needs_its_secret_hash(
    idp: Any, local: LocalCognito, pool_id: str
) -> None:
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="secret",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        GenerateSecret=True,
    )["UserPoolClient"]
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, SmsMfaConfiguration={}, MfaConfiguration="ON")
    _user(idp, pool_id, phone_number=PHONE)
    secret_hash = srp.secret_hash("mia", client["ClientId"], client["ClientSecret"])
    answer = idp.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "mia", "PASSWORD": PASSWORD, "SECRET_HASH": secret_hash},
    )
    responses = {"USERNAME": "mia", "SMS_MFA_CODE": _mfa_code(local, pool_id, PHONE)}
    with pytest.raises(ClientError) as caught:
        idp.respond_to_auth_challenge(
            ClientId=client["ClientId"],
            ChallengeName="SMS_MFA",
            Session=answer["Session"],
            ChallengeResponses=responses,
        )
    assert _error(caught)[0] == "NotAuthorizedException"
    # The refusal came before the session was used: the right answer still works.
    done = idp.respond_to_auth_challenge(
        ClientId=client["ClientId"],
        ChallengeName="SMS_MFA",
        Session=answer["Session"],
        ChallengeResponses={**responses, "SECRET_HASH": secret_hash},
    )
    assert done["AuthenticationResult"]["AccessToken"]


def test_mfa_on_from_pool_creation_means_sms(idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="strict", MfaConfiguration="ON")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    assert idp.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "ON"
    _user(idp, pool_id, phone_number=PHONE)
    assert _sign_in(idp, client_id)["ChallengeName"] == "SMS_MFA"


def test_optional_mfa_follows_the_users_preferred_factor(
    idp: Any, pool_id: str, client_id: str
) -> None:
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SmsMfaConfiguration={},
        EmailMfaConfiguration={},
        MfaConfiguration="OPTIONAL",
    )
    _user(idp, pool_id, phone_number=PHONE, email="mia@example.com")
    assert "AuthenticationResult" in _sign_in(idp, client_id)
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="mia", SMSMfaSettings={"Enabled": True}
    )
    assert _sign_in(idp, client_id)["ChallengeName"] == "SMS_MFA"
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="mia",
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    assert _sign_in(idp, client_id)["ChallengeName"] == "EMAIL_OTP"
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="mia",
        EmailMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    answer = _sign_in(idp, client_id)
    assert answer["ChallengeName"] == "SELECT_MFA_TYPE"
    assert answer["ChallengeParameters"]["MFAS_CAN_CHOOSE"] == '["SMS_MFA","EMAIL_OTP"]'
