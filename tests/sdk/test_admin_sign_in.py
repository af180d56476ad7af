"""Signing users in through the admin API (AdminInitiateAuth /
AdminRespondToAuthChallenge) with UserPoolAdmin, end to end against the local pool: each
flow, refresh, and challenges answered with the Session the exception carries."""

from __future__ import annotations

import pytest

from cognito_identity import CognitoUserSession, UserPoolAdmin
from cognito_identity.errors import (
    CognitoUserConfirmationNecessaryException,
    CognitoUserCustomChallengeException,
    CognitoUserMfaRequiredException,
    CognitoUserNewPasswordRequiredException,
    InvalidConfigurationError,
    NotAuthorizedException,
)
from cognito_identity.local import LocalCognito

from .conftest import PASSWORD, PoolSetup, make_setup
from .helpers import ADMIN_CREDENTIALS, PHONE, mfa_code, mfa_pool, outbox_code

ADMIN_FLOWS = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


def service_admin(setup: PoolSetup, *, secret: bool = False) -> UserPoolAdmin:
    """An admin over a new app client that allows the admin flows."""
    client = setup.idp.create_user_pool_client(
        UserPoolId=setup.pool_id,
        ClientName="service",
        ExplicitAuthFlows=ADMIN_FLOWS,
        GenerateSecret=secret,
    )["UserPoolClient"]
    return UserPoolAdmin(
        setup.pool_id,
        client_id=client["ClientId"],
        client_secret=client.get("ClientSecret"),
        credentials=ADMIN_CREDENTIALS,
        endpoint=setup.local.endpoint,
    )


def confirmed(admin: UserPoolAdmin, username: str = "ann", **attributes: str) -> None:
    admin.create_user(username, attributes=attributes or None, message_action="SUPPRESS")
    admin.set_user_password(username, PASSWORD, permanent=True)


def assert_signed_in(session: CognitoUserSession, username: str = "ann") -> None:
    assert session.is_valid()
    assert session.access_token.username == username
    assert session.refresh_token is not None


@pytest.mark.parametrize("secret", [False, True])
@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH"])
def test_password_flows_sign_in(local: LocalCognito, flow: str, secret: bool) -> None:
    admin = service_admin(make_setup(local), secret=secret)
    confirmed(admin)
    assert_signed_in(admin.authenticate_user("ann", PASSWORD, auth_flow=flow))


def test_a_wrong_password_is_refused(setup: PoolSetup) -> None:
    admin = service_admin(setup)
    confirmed(admin)
    with pytest.raises(NotAuthorizedException):
        admin.authenticate_user("ann", "Wr0ng-password!", auth_flow="ADMIN_USER_PASSWORD_AUTH")


def test_an_unconfirmed_user_needs_confirmation(setup: PoolSetup) -> None:
    admin = service_admin(setup)
    setup.pool().sign_up("bo", PASSWORD, {"email": "bo@example.com"})
    with pytest.raises(CognitoUserConfirmationNecessaryException):
        admin.authenticate_user("bo", PASSWORD)


def test_an_unknown_flow_is_a_configuration_error(setup: PoolSetup) -> None:
    with pytest.raises(InvalidConfigurationError, match="unsupported auth flow"):
        service_admin(setup).authenticate_user("ann", PASSWORD, auth_flow="USER_AUTH")


@pytest.mark.parametrize("secret", [False, True])
def test_refresh_token_auth(local: LocalCognito, secret: bool) -> None:
    admin = service_admin(make_setup(local), secret=secret)
    confirmed(admin)
    session = admin.authenticate_user("ann", PASSWORD)
    assert session.refresh_token is not None
    refreshed = admin.refresh_session(session.refresh_token, username="ann")
    assert refreshed.is_valid()
    assert refreshed.refresh_token == session.refresh_token
    assert refreshed.access_token.username == "ann"


def test_refresh_after_global_sign_out_is_refused(setup: PoolSetup) -> None:
    admin = service_admin(setup)
    confirmed(admin)
    session = admin.authenticate_user("ann", PASSWORD)
    assert session.refresh_token is not None
    admin.global_sign_out("ann")
    with pytest.raises(NotAuthorizedException):
        admin.refresh_session(session.refresh_token, username="ann")


def test_custom_auth_without_a_password(setup: PoolSetup) -> None:
    admin = service_admin(setup)
    confirmed(admin, "gail", email="gail@example.com")
    with pytest.raises(CognitoUserCustomChallengeException) as caught:
        admin.initiate_custom_auth("gail")
    challenge = caught.value
    assert challenge.session is not None
    assert challenge.username == "gail"
    assert challenge.session not in repr(challenge) and challenge.session not in str(challenge)
    assert_signed_in(admin.send_custom_challenge_answer(challenge, outbox_code(setup)), "gail")


def test_custom_auth_after_an_srp_proof(setup: PoolSetup) -> None:
    admin = service_admin(setup)
    confirmed(admin, "gail", email="gail@example.com")
    with pytest.raises(CognitoUserCustomChallengeException) as caught:
        admin.authenticate_user("gail", PASSWORD, auth_flow="CUSTOM_AUTH")
    assert_signed_in(admin.send_custom_challenge_answer(caught.value, outbox_code(setup)), "gail")


def test_new_password_required_for_a_created_user(setup: PoolSetup) -> None:
    admin = service_admin(setup)
    admin.create_user("hal", temporary_password="Temp-0rary-pass!", message_action="SUPPRESS")
    with pytest.raises(CognitoUserNewPasswordRequiredException) as caught:
        admin.authenticate_user("hal", "Temp-0rary-pass!", auth_flow="ADMIN_USER_PASSWORD_AUTH")
    session = admin.send_new_password_required_answer(caught.value, PASSWORD)
    assert_signed_in(session, "hal")
    assert admin.get_user("hal").status == "CONFIRMED"
    assert_signed_in(admin.authenticate_user("hal", PASSWORD), "hal")


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH"])
def test_sms_mfa_answered_through_the_admin_api(setup: PoolSetup, flow: str) -> None:
    mfa_pool(setup)
    admin = service_admin(setup)
    confirmed(admin, "dana", phone_number=PHONE)
    with pytest.raises(CognitoUserMfaRequiredException) as caught:
        admin.authenticate_user("dana", PASSWORD, auth_flow=flow)
    assert caught.value.challenge_name == "SMS_MFA"
    assert_signed_in(admin.send_mfa_code(caught.value, mfa_code(setup, PHONE)), "dana")


def test_a_challenge_not_raised_by_the_admin_cannot_be_answered(setup: PoolSetup) -> None:
    admin = service_admin(setup)
    with pytest.raises(InvalidConfigurationError, match="Session"):
        admin.send_custom_challenge_answer(CognitoUserCustomChallengeException(), "42")
