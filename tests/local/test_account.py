"""The local pool's account actions as boto3 sends them: the service-side rules."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_identity.local import LocalCognito

from .conftest import PASSWORD


def _user(idp: Any, pool_id: str, name: str = "ann", **attributes: str) -> None:
    attributes.setdefault("email", f"{name}@example.com")
    attributes.setdefault("email_verified", "true")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=name,
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True
    )


def _token(idp: Any, client_id: str, name: str = "ann", password: str = PASSWORD) -> str:
    answer = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": password},
    )
    return str(answer["AuthenticationResult"]["AccessToken"])


def test_change_password_without_the_previous_one_is_refused(
    idp: Any, pool_id: str, client_id: str
) -> None:
    _user(idp, pool_id)
    token = _token(idp, client_id)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.change_password(AccessToken=token, ProposedPassword="N3w-Password!")
    idp.change_password(
        AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="N3w-Password!"
    )
    _token(idp, client_id, password="N3w-Password!")


def test_forgot_password_hides_unknown_users_when_the_client_asks(
    idp: Any, pool_id: str, local: LocalCognito
) -> None:
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="quiet", PreventUserExistenceErrors="ENABLED"
    )["UserPoolClient"]["ClientId"]
    answer = idp.forgot_password(ClientId=client_id, Username="nobody")
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert local.outbox.messages(pool_id) == []
    # Confirming for an unknown user looks like a wrong code, not a missing user.
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_forgot_password(
            ClientId=client_id, Username="nobody", ConfirmationCode="123456", Password=PASSWORD
        )


def test_forgot_password_prefers_a_verified_phone(
    idp: Any, pool_id: str, client_id: str, local: LocalCognito
) -> None:
    _user(idp, pool_id, phone_number="+15555550100", phone_number_verified="true")
    answer = idp.forgot_password(ClientId=client_id, Username="ann")
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "+*******0100",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    message = local.outbox.messages(pool_id, "ann")[-1]
    assert (message.medium, message.purpose) == ("SMS", "forgot_password")


def test_admin_reset_needs_a_verified_address(idp: Any, pool_id: str) -> None:
    _user(idp, pool_id, email_verified="false")
    with pytest.raises(idp.exceptions.InvalidParameterException, match="no registered/verified"):
        idp.admin_reset_user_password(UserPoolId=pool_id, Username="ann")
    user = idp.admin_get_user(UserPoolId=pool_id, Username="ann")
    assert user["UserStatus"] == "CONFIRMED"


def test_update_attributes_lists_the_codes_sent(
    idp: Any, pool_id: str, client_id: str, local: LocalCognito
) -> None:
    _user(idp, pool_id)
    token = _token(idp, client_id)
    answer = idp.update_user_attributes(
        AccessToken=token,
        UserAttributes=[
            {"Name": "email", "Value": "ann@new.example"},
            {"Name": "phone_number", "Value": "+15555550100"},
        ],
    )
    # Only e-mail is auto-verified in this pool: one code, to the new address.
    assert answer["CodeDeliveryDetailsList"] == [
        {"Destination": "a***@n***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    assert local.outbox.messages(pool_id)[-1].destination == "ann@new.example"


def test_a_sign_in_email_cannot_be_taken_twice(idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="by-email", UsernameAttributes=["email"])["UserPool"][
        "Id"
    ]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    for address in ("ann@example.com", "bob@example.com"):
        idp.admin_create_user(UserPoolId=pool_id, Username=address, MessageAction="SUPPRESS")
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username=address, Password=PASSWORD, Permanent=True
        )
    token = _token(idp, client_id, "bob@example.com")
    with pytest.raises(idp.exceptions.AliasExistsException):
        idp.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "email", "Value": "ann@example.com"}]
        )
    # A free address works, and signs in from then on.
    idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": "bob@new.example"}]
    )
    _token(idp, client_id, "bob@new.example")


def test_deleted_user_token_is_refused_everywhere(idp: Any, pool_id: str, client_id: str) -> None:
    _user(idp, pool_id)
    token = _token(idp, client_id)
    idp.delete_user(AccessToken=token)
    for call in (
        lambda: idp.get_user(AccessToken=token),
        lambda: idp.delete_user(AccessToken=token),
        lambda: idp.change_password(
            AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="N3w-Password!"
        ),
        lambda: idp.set_user_mfa_preference(AccessToken=token, EmailMfaSettings={"Enabled": True}),
    ):
        with pytest.raises(idp.exceptions.NotAuthorizedException):
            call()


def test_a_verified_phone_stays_until_the_new_one_is_verified(
    idp: Any, local: LocalCognito
) -> None:
    pool_id = idp.create_user_pool(
        PoolName="keep",
        AutoVerifiedAttributes=["phone_number"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["phone_number"]},
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    _user(idp, pool_id, phone_number="+15555550100", phone_number_verified="true")
    token = _token(idp, client_id)
    answer = idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "phone_number", "Value": "+15555550199"}]
    )
    assert answer["CodeDeliveryDetailsList"][0]["Destination"] == "+*******0199"
    attributes = {a["Name"]: a["Value"] for a in idp.get_user(AccessToken=token)["UserAttributes"]}
    assert attributes["phone_number"] == "+15555550100"
    assert attributes["phone_number_verified"] == "true"
    # Asking again sends a new code to the pending number, not the old one.
    again = idp.get_user_attribute_verification_code(
        AccessToken=token, AttributeName="phone_number"
    )
    assert again["CodeDeliveryDetails"]["Destination"] == "+*******0199"
    code = local.outbox.last_code("+15555550199", pool_id)
    idp.verify_user_attribute(AccessToken=token, AttributeName="phone_number", Code=code)
    attributes = {a["Name"]: a["Value"] for a in idp.get_user(AccessToken=token)["UserAttributes"]}
    assert attributes["phone_number"] == "+15555550199"
    assert attributes["phone_number_verified"] == "true"


def test_immutable_attributes_are_set_at_creation_only(idp: Any) -> None:
    pool_id = idp.create_user_pool(
        PoolName="tenants",
        Schema=[{"Name": "tenant", "AttributeDataType": "String", "Mutable": False}],
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    _user(idp, pool_id, **{"custom:tenant": "acme"})
    token = _token(idp, client_id)
    change = [{"Name": "custom:tenant", "Value": "other"}]
    with pytest.raises(idp.exceptions.InvalidParameterException, match="cannot be updated"):
        idp.update_user_attributes(AccessToken=token, UserAttributes=change)
    with pytest.raises(idp.exceptions.InvalidParameterException, match="cannot be updated"):
        idp.admin_update_user_attributes(UserPoolId=pool_id, Username="ann", UserAttributes=change)
    with pytest.raises(idp.exceptions.InvalidParameterException, match="cannot be updated"):
        idp.delete_user_attributes(AccessToken=token, UserAttributeNames=["custom:tenant"])
    attributes = {a["Name"]: a["Value"] for a in idp.get_user(AccessToken=token)["UserAttributes"]}
    assert attributes["custom:tenant"] == "acme"
