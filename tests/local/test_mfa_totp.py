"""The local pool's software tokens and MFA_SETUP, driven with boto3: the Session chain,
refusals, and codes checked by RFC 6238 with the secret the pool handed out."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_identity.local import ManualClock
from cognito_identity.local.totp import totp_code

from .conftest import PASSWORD


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def setup_session(idp: Any, pool_id: str, client_id: str) -> str:
    """A sign-in stopped at MFA_SETUP (TOTP required, the user has none)."""
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    idp.admin_create_user(UserPoolId=pool_id, Username="max", MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="max", Password=PASSWORD, Permanent=True
    )
    answer = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "max", "PASSWORD": PASSWORD},
    )
    assert answer["ChallengeName"] == "MFA_SETUP"
    assert answer["ChallengeParameters"]["MFAS_CAN_SETUP"] == '["SOFTWARE_TOKEN_MFA"]'
    return str(answer["Session"])


def test_mfa_setup_session_chain(
    idp: Any, clock: ManualClock, client_id: str, setup_session: str
) -> None:
    associated = idp.associate_software_token(Session=setup_session)
    secret = associated["SecretCode"]
    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    verified = idp.verify_software_token(
        Session=associated["Session"], UserCode=totp_code(secret, clock.now())
    )
    assert verified["Status"] == "SUCCESS"
    # Each step used up the Session before it.
    with pytest.raises(ClientError) as caught:
        idp.verify_software_token(Session=associated["Session"], UserCode="123456")
    assert _error(caught)[0] == "NotAuthorizedException"
    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "max"},
    )
    assert done["AuthenticationResult"]["AccessToken"]
    user = idp.get_user(AccessToken=done["AuthenticationResult"]["AccessToken"])
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"


def test_mfa_setup_cannot_skip_verification(idp: Any, client_id: str, setup_session: str) -> None:
    associated = idp.associate_software_token(Session=setup_session)
    with pytest.raises(ClientError) as caught:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="MFA_SETUP",
            Session=associated["Session"],
            ChallengeResponses={"USERNAME": "max"},
        )
    assert _error(caught)[0] == "InvalidParameterException"


def test_software_token_needs_exactly_one_credential(idp: Any, setup_session: str) -> None:
    with pytest.raises(ClientError) as caught:
        idp.associate_software_token()
    assert _error(caught)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as caught:
        idp.associate_software_token(Session=setup_session, AccessToken="abc.def.ghi")
    assert _error(caught)[0] == "InvalidParameterException"


def test_user_code_must_be_six_digits(idp: Any, raw: Any, setup_session: str) -> None:
    # botocore refuses these before sending, so they go as raw JSON.
    associated = idp.associate_software_token(Session=setup_session)
    for code in ("12345", "abcdef"):
        answer = raw.call(
            "VerifySoftwareToken", {"Session": associated["Session"], "UserCode": code}
        )
        assert answer.status_code == 400
        assert answer.json()["__type"] == "InvalidParameterException"


def test_a_new_secret_replaces_the_unverified_one(
    idp: Any, clock: ManualClock, setup_session: str
) -> None:
    first = idp.associate_software_token(Session=setup_session)
    second = idp.associate_software_token(Session=first["Session"])
    assert second["SecretCode"] != first["SecretCode"]
    old_code = totp_code(first["SecretCode"], clock.now())
    if old_code != totp_code(second["SecretCode"], clock.now()):
        with pytest.raises(ClientError) as caught:
            idp.verify_software_token(Session=second["Session"], UserCode=old_code)
        assert _error(caught) == (
            "EnableSoftwareTokenMFAException",
            "Code mismatch and fail enable Software Token MFA",
        )
    verified = idp.verify_software_token(
        Session=second["Session"], UserCode=totp_code(second["SecretCode"], clock.now())
    )
    assert verified["Status"] == "SUCCESS"


def test_verify_before_associate_finds_no_token(idp: Any, setup_session: str) -> None:
    with pytest.raises(ClientError) as caught:
        idp.verify_software_token(Session=setup_session, UserCode="123456")
    assert _error(caught) == (
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA does not exist for the user.",
    )
