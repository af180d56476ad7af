"""Post confirmation, custom message and pre token generation (version 2) triggers, as
Python callables with Cognito's event shapes, through boto3."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from cognito_identity.local import LocalCognito

from .conftest import PASSWORD
from .helpers import error_of, make_user, sign_in

V2_ARN = "arn:aws:lambda:us-east-1:000000000000:function:claims-v2"


def _claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def _recorder(events: list[dict[str, Any]]) -> Any:
    def trigger(event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        return event

    return trigger


def test_post_confirmation_after_sign_up(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    events: list[dict[str, Any]] = []
    local.triggers.register(pool_id, post_confirmation=_recorder(events))
    idp.sign_up(
        ClientId=client_id,
        Username="ann",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
    )
    assert events == []
    idp.confirm_sign_up(
        ClientId=client_id,
        Username="ann",
        ConfirmationCode=local.outbox.last_code("ann"),
        ClientMetadata={"source": "web"},
    )
    [event] = events
    assert event["triggerSource"] == "PostConfirmation_ConfirmSignUp"
    assert (event["userPoolId"], event["userName"]) == (pool_id, "ann")
    assert event["callerContext"]["clientId"] == client_id
    attributes = event["request"]["userAttributes"]
    assert attributes["cognito:user_status"] == "CONFIRMED"
    assert attributes["email_verified"] == "true"
    assert event["request"]["clientMetadata"] == {"source": "web"}


def test_post_confirmation_after_admin_confirm_and_password_reset(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    events: list[dict[str, Any]] = []
    local.triggers.register(pool_id, post_confirmation=_recorder(events))
    idp.sign_up(ClientId=client_id, Username="bob", Password=PASSWORD)
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="bob")
    assert [(e["triggerSource"], e["callerContext"]["clientId"]) for e in events] == [
        ("PostConfirmation_ConfirmSignUp", "CLIENT_ID_NOT_APPLICABLE")
    ]
    make_user(idp, pool_id, "cy")
    idp.forgot_password(ClientId=client_id, Username="cy")
    idp.confirm_forgot_password(
        ClientId=client_id,
        Username="cy",
        ConfirmationCode=local.outbox.last_code("cy"),
        Password="N3w-Password!",
    )
    assert events[-1]["triggerSource"] == "PostConfirmation_ConfirmForgotPassword"
    assert events[-1]["userName"] == "cy"


def test_a_failing_post_confirmation_fails_the_call_but_the_user_stays_confirmed(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:

    def failing(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("welcome e-mail bounced")

    local.triggers.register(pool_id, post_confirmation=failing)
    idp.sign_up(ClientId=client_id, Username="ann", Password=PASSWORD)
    with pytest.raises(idp.exceptions.UserLambdaValidationException) as caught:
        idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="ann")
    assert error_of(caught)[1] == "PostConfirmation failed with error welcome e-mail bounced."
    assert idp.admin_get_user(UserPoolId=pool_id, Username="ann")["UserStatus"] == "CONFIRMED"


def test_post_confirmation_from_lambda_config(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    events: list[dict[str, Any]] = []
    arn = "arn:aws:lambda:us-east-1:000000000000:function:welcome"
    local.triggers.register_function(arn, _recorder(events))
    idp.update_user_pool(
        UserPoolId=pool_id, AutoVerifiedAttributes=["email"], LambdaConfig={"PostConfirmation": arn}
    )
    idp.sign_up(ClientId=client_id, Username="ann", Password=PASSWORD)
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="ann")
    assert [e["userName"] for e in events] == ["ann"]


def test_messages_have_cognitos_default_wording(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    idp.sign_up(
        ClientId=client_id,
        Username="ann",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
    )
    [message] = local.outbox.messages(pool_id=pool_id, username="ann")
    assert message.text == f"Your verification code is {message.code}."
    assert message.subject == "Your verification code"
    assert message.code not in repr(message)
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        TemporaryPassword="Temp-Passw0rd!",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    )
    [invite] = local.outbox.messages(pool_id=pool_id, username="bob")
    assert invite.text == "Your username is bob and temporary password is Temp-Passw0rd!."
    assert invite.subject == ""  # a text message has no subject


def test_custom_message_rewrites_the_outbox_text(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    events: list[dict[str, Any]] = []

    def custom(event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        code = event["request"]["codeParameter"]
        source = event["triggerSource"]
        event["response"]["emailSubject"] = f"Welcome ({source})"
        event["response"]["emailMessage"] = f"Hello {event['userName']}, your code is {code}"
        event["response"]["smsMessage"] = f"Code {code}"
        return event

    local.triggers.register(pool_id, custom_message=custom)
    idp.sign_up(
        ClientId=client_id,
        Username="ann",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
    )
    idp.resend_confirmation_code(ClientId=client_id, Username="ann")
    first, resent = local.outbox.messages(pool_id=pool_id, username="ann")
    assert first.text == f"Hello ann, your code is {first.code}"
    assert first.subject == "Welcome (CustomMessage_SignUp)"
    assert resent.subject == "Welcome (CustomMessage_ResendCode)"
    assert [e["triggerSource"] for e in events] == [
        "CustomMessage_SignUp",
        "CustomMessage_ResendCode",
    ]
    request = events[0]["request"]
    assert request["codeParameter"] == "{####}"
    assert request["userAttributes"]["email"] == "ann@example.com"
    assert request["userAttributes"]["cognito:user_status"] == "UNCONFIRMED"
    # The code still confirms: only the wording changed.
    idp.confirm_sign_up(ClientId=client_id, Username="ann", ConfirmationCode=resent.code)
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    )
    [invite] = local.outbox.messages(pool_id=pool_id, username="bob")
    assert invite.text == f"Code {invite.code}"
    assert events[-1]["triggerSource"] == "CustomMessage_AdminCreateUser"
    assert events[-1]["request"]["usernameParameter"] == "{username}"


def test_a_custom_message_without_the_code_is_not_used(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    def forgetful(event: dict[str, Any]) -> dict[str, Any]:
        event["response"]["emailMessage"] = "Welcome!"
        return event

    local.triggers.register(pool_id, custom_message=forgetful)
    make_user(idp, pool_id, "ann")
    idp.forgot_password(ClientId=client_id, Username="ann")
    [message] = local.outbox.messages(pool_id=pool_id, username="ann")
    assert message.text == f"Your verification code is {message.code}."


def test_a_failing_custom_message_fails_the_call(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    def failing(event: dict[str, Any]) -> dict[str, Any]:
        raise ValueError("template missing")

    local.triggers.register(pool_id, custom_message=failing)
    with pytest.raises(idp.exceptions.UserLambdaValidationException) as caught:
        idp.sign_up(
            ClientId=client_id,
            Username="ann",
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
        )
    assert error_of(caught)[1] == "CustomMessage failed with error template missing."
    assert local.outbox.messages(pool_id=pool_id) == []


def _v2(event: dict[str, Any]) -> dict[str, Any]:
    assert event["version"] == "2"
    assert event["request"]["scopes"] == ["aws.cognito.signin.user.admin"]
    event["response"]["claimsAndScopeOverrideDetails"] = {
        "idTokenGeneration": {
            "claimsToAddOrOverride": {"tier": "gold"},
            "claimsToSuppress": ["email"],
        },
        "accessTokenGeneration": {
            "claimsToAddOrOverride": {
                "tenant": "acme",
                "limits": {"requests": 10},
                "beta": True,
                "client_id": "forged",
            },
            "claimsToSuppress": ["username"],
            "scopesToAdd": ["orders/read", "orders/write"],
            "scopesToSuppress": ["aws.cognito.signin.user.admin", "orders/write"],
        },
        "groupOverrideDetails": {"groupsToOverride": ["vip"]},
    }
    return event


def test_pre_token_generation_v2_changes_the_access_token(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    local.triggers.register(pool_id, pre_token_generation_v2=_v2)
    tokens = sign_in(idp, client_id, "ann")
    access, id_claims = _claims(tokens["AccessToken"]), _claims(tokens["IdToken"])
    assert (access["tenant"], access["limits"], access["beta"]) == ("acme", {"requests": 10}, True)
    assert access["scope"] == "orders/read"
    # Protected claims keep their values.
    assert (access["client_id"], access["username"]) == (client_id, "ann")
    assert access["cognito:groups"] == ["vip"]
    assert id_claims["tier"] == "gold"
    assert "email" not in id_claims
    assert id_claims["cognito:groups"] == ["vip"]
    # The access token still works for the user's own calls.
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ann"


def test_pre_token_generation_v2_from_lambda_config(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    local.triggers.register_function(V2_ARN, _v2)
    idp.update_user_pool(
        UserPoolId=pool_id,
        LambdaConfig={"PreTokenGenerationConfig": {"LambdaVersion": "V2_0", "LambdaArn": V2_ARN}},
    )
    assert _claims(sign_in(idp, client_id, "ann")["AccessToken"])["tenant"] == "acme"
    # The same function as version 1 only sees (and may change) the id token.
    idp.update_user_pool(
        UserPoolId=pool_id,
        LambdaConfig={"PreTokenGenerationConfig": {"LambdaVersion": "V1_0", "LambdaArn": V2_ARN}},
    )
    with pytest.raises(idp.exceptions.UserLambdaValidationException):
        sign_in(idp, client_id, "ann")


@pytest.mark.parametrize(
    "details",
    [
        "not an object",
        {"accessTokenGeneration": {"claimsToAddOrOverride": {"x": None}}},
        {"accessTokenGeneration": {"scopesToAdd": "orders/read"}},
        {"idTokenGeneration": ["tier"]},
    ],
)
def test_a_malformed_v2_answer_is_refused(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str, details: Any
) -> None:
    def trigger(event: dict[str, Any]) -> dict[str, Any]:
        event["response"]["claimsAndScopeOverrideDetails"] = details
        return event

    make_user(idp, pool_id, "ann")
    local.triggers.register(pool_id, pre_token_generation_v2=trigger)
    with pytest.raises(idp.exceptions.InvalidLambdaResponseException):
        sign_in(idp, client_id, "ann")
