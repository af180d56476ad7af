"""Pre sign-up and pre token generation triggers, seen through the SDK and PyJWT."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from cognito_identity import AuthenticationDetails, CognitoUser
from cognito_identity.errors import (
    InvalidLambdaResponseException,
    InvalidParameterException,
    UserLambdaValidationException,
)

from .conftest import PASSWORD, PoolSetup


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_pre_sign_up_sees_the_request_and_can_confirm(setup: PoolSetup) -> None:
    events: list[dict[str, Any]] = []

    def confirm(event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        event["response"]["autoConfirmUser"] = True
        event["response"]["autoVerifyEmail"] = True
        return event

    setup.local.triggers.register(setup.pool_id, pre_sign_up=confirm)
    result = setup.pool().sign_up(
        "tess",
        PASSWORD,
        {"email": "tess@example.com"},
        validation_data={"invite": "abc"},
        client_metadata={"origin": "web"},
    )
    assert result.user_confirmed
    assert result.code_delivery_details is None
    assert setup.local.outbox.messages(setup.pool_id, "tess") == []  # no code sent
    (event,) = events
    assert event["triggerSource"] == "PreSignUp_SignUp"
    assert event["userPoolId"] == setup.pool_id
    assert event["callerContext"]["clientId"] == setup.client_id
    assert event["request"]["userAttributes"] == {"email": "tess@example.com"}
    assert event["request"]["validationData"] == {"invite": "abc"}
    assert event["request"]["clientMetadata"] == {"origin": "web"}
    user = CognitoUser("tess", setup.pool())
    session = user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert claims_of(session.id_token.jwt_token)["email_verified"] is True


def test_pre_sign_up_without_a_decision_keeps_confirmation(setup: PoolSetup) -> None:
    setup.local.triggers.register(setup.pool_id, pre_sign_up=lambda event: event)
    result = setup.pool().sign_up("uma", PASSWORD, {"email": "uma@example.com"})
    assert not result.user_confirmed
    assert setup.code_for("uma")


def test_pre_sign_up_rejection(setup: PoolSetup) -> None:
    def reject(event: dict[str, Any]) -> dict[str, Any]:
        raise ValueError("invitations only")

    setup.local.triggers.register(setup.pool_id, pre_sign_up=reject)
    with pytest.raises(UserLambdaValidationException) as raised:
        setup.pool().sign_up("vic", PASSWORD, {"email": "vic@example.com"})
    assert raised.value.message == "PreSignUp failed with error invitations only."
    # Nothing was stored: the name is still free once the trigger is gone.
    setup.local.triggers.register(setup.pool_id, pre_sign_up=None)
    assert setup.pool().sign_up("vic", PASSWORD, {"email": "vic@example.com"}).user_sub


def test_pre_sign_up_cannot_verify_a_missing_phone(setup: PoolSetup) -> None:
    def verify_phone(event: dict[str, Any]) -> dict[str, Any]:
        event["response"]["autoVerifyPhone"] = True
        return event

    setup.local.triggers.register(setup.pool_id, pre_sign_up=verify_phone)
    with pytest.raises(InvalidParameterException, match="phone_number"):
        setup.pool().sign_up("wes", PASSWORD, {"email": "wes@example.com"})


def confirmed_user(setup: PoolSetup, name: str = "zoe") -> CognitoUser:
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username=name,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username=name, Password=PASSWORD, Permanent=True
    )
    return CognitoUser(name, setup.pool())


def test_pre_token_generation_changes_the_id_token(setup: PoolSetup) -> None:
    sources: list[str] = []

    def customize(event: dict[str, Any]) -> dict[str, Any]:
        sources.append(event["triggerSource"])
        assert event["request"]["userAttributes"]["email"] == "zoe@example.com"
        event["response"]["claimsOverrideDetails"] = {
            "claimsToAddOrOverride": {"tenant": "acme", "email": "hidden@example.com"},
            "claimsToSuppress": ["email_verified"],
            "groupOverrideDetails": {
                "groupsToOverride": ["admins", "staff"],
                "iamRolesToOverride": ["arn:aws:iam::000000000000:role/admin"],
                "preferredRole": "arn:aws:iam::000000000000:role/admin",
            },
        }
        return event

    setup.local.triggers.register(setup.pool_id, pre_token_generation=customize)
    user = confirmed_user(setup)
    session = user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    id_claims = claims_of(session.id_token.jwt_token)
    access_claims = claims_of(session.access_token.jwt_token)
    assert id_claims["tenant"] == "acme"
    assert id_claims["email"] == "hidden@example.com"
    assert "email_verified" not in id_claims
    assert id_claims["cognito:groups"] == ["admins", "staff"]
    assert id_claims["cognito:roles"] == ["arn:aws:iam::000000000000:role/admin"]
    assert id_claims["cognito:preferred_role"] == "arn:aws:iam::000000000000:role/admin"
    # Version 1 changes the id token only, groups excepted.
    assert "tenant" not in access_claims
    assert access_claims["cognito:groups"] == ["admins", "staff"]
    assert session.refresh_token is not None
    refreshed = user.refresh_session(session.refresh_token)
    assert claims_of(refreshed.id_token.jwt_token)["tenant"] == "acme"
    assert sources == ["TokenGeneration_Authentication", "TokenGeneration_RefreshTokens"]


def test_pre_token_generation_cannot_touch_protected_claims(setup: PoolSetup) -> None:
    def hijack(event: dict[str, Any]) -> dict[str, Any]:
        event["response"]["claimsOverrideDetails"] = {
            "claimsToAddOrOverride": {"sub": "someone-else", "iss": "https://evil.example"},
            "claimsToSuppress": ["exp", "token_use"],
        }
        return event

    setup.local.triggers.register(setup.pool_id, pre_token_generation=hijack)
    session = confirmed_user(setup).authenticate_user(AuthenticationDetails(password=PASSWORD))
    claims = claims_of(session.id_token.jwt_token)
    assert claims["sub"] != "someone-else"
    assert claims["iss"].endswith(setup.pool_id)
    assert claims["token_use"] == "id" and "exp" in claims


def test_pre_token_generation_failures(setup: PoolSetup) -> None:
    user = confirmed_user(setup)

    def broken(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("no claims today")

    setup.local.triggers.register(setup.pool_id, pre_token_generation=broken)
    with pytest.raises(UserLambdaValidationException, match="PreTokenGeneration failed with"):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))

    def malformed(event: dict[str, Any]) -> dict[str, Any]:
        event["response"]["claimsOverrideDetails"] = {"claimsToAddOrOverride": {"n": 1}}
        return event

    setup.local.triggers.register(setup.pool_id, pre_token_generation=malformed)
    with pytest.raises(InvalidLambdaResponseException):
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))


def test_pre_sign_up_runs_for_admin_create_user(setup: PoolSetup) -> None:
    events: list[dict[str, Any]] = []

    def verify(event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        if event["request"]["userAttributes"].get("email", "").endswith("@blocked.example"):
            raise ValueError("blocked domain")
        event["response"].update(autoConfirmUser=True, autoVerifyEmail=True)
        return event

    setup.local.triggers.register(setup.pool_id, pre_sign_up=verify)
    created = setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="abe",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "abe@example.com"}],
        ClientMetadata={"by": "admin"},
    )["User"]
    # An administrator's user still chooses a password; only the e-mail is verified.
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    attributes = {a["Name"]: a["Value"] for a in created["Attributes"]}
    assert attributes["email_verified"] == "true"
    (event,) = events
    assert event["triggerSource"] == "PreSignUp_AdminCreateUser"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    assert event["request"]["clientMetadata"] == {"by": "admin"}
    with pytest.raises(
        setup.idp.exceptions.UserLambdaValidationException, match="PreSignUp failed with error"
    ):
        setup.idp.admin_create_user(
            UserPoolId=setup.pool_id,
            Username="eve",
            UserAttributes=[{"Name": "email", "Value": "eve@blocked.example"}],
        )
