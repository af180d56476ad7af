"""Custom attributes: AddCustomAttributes, and values checked against their declared type,
length and mutability."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import error_of, make_user, sign_in

NOT_CONFORMING = "Attributes did not conform to the schema: "


def _pool(idp: Any) -> str:
    return str(
        idp.create_user_pool(
            PoolName="custom",
            Schema=[
                {
                    "Name": "nickname2",
                    "AttributeDataType": "String",
                    "StringAttributeConstraints": {"MinLength": "2", "MaxLength": "5"},
                },
                {
                    "Name": "age",
                    "AttributeDataType": "Number",
                    "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"},
                },
                {"Name": "tenant", "AttributeDataType": "String", "Mutable": False},
            ],
        )["UserPool"]["Id"]
    )


def _create(idp: Any, pool_id: str, name: str, **attributes: str) -> Any:
    return idp.admin_create_user(
        UserPoolId=pool_id,
        Username=name,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )


@pytest.mark.parametrize(
    ("attribute", "value", "reason"),
    [
        ("custom:nickname2", "x", "custom:nickname2: String must be no shorter than 2 characters"),
        (
            "custom:nickname2",
            "abcdef",
            "custom:nickname2: String must be no longer than 5 characters",
        ),
        ("custom:age", "old", "custom:age: Number must be an integer"),
        ("custom:age", "151", "custom:age: Number must be no greater than 150"),
        ("custom:age", "-1", "custom:age: Number must be no less than 0"),
    ],
)
def test_values_are_checked_against_their_declaration(
    idp: Any, attribute: str, value: str, reason: str
) -> None:
    pool_id = _pool(idp)
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        _create(idp, pool_id, "ann", **{attribute: value})
    assert error_of(caught)[1] == NOT_CONFORMING + reason


def test_conforming_values_are_kept(idp: Any) -> None:
    pool_id = _pool(idp)
    user = _create(idp, pool_id, "ann", **{"custom:nickname2": "an", "custom:age": "42"})["User"]
    values = {a["Name"]: a["Value"] for a in user["Attributes"]}
    assert (values["custom:nickname2"], values["custom:age"]) == ("an", "42")


def test_an_immutable_attribute_is_set_once(idp: Any, client_id: str, pool_id: str) -> None:
    custom_pool = _pool(idp)
    _create(idp, custom_pool, "ann", **{"custom:tenant": "acme"})
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.admin_update_user_attributes(
            UserPoolId=custom_pool,
            Username="ann",
            UserAttributes=[{"Name": "custom:tenant", "Value": "other"}],
        )
    assert error_of(caught)[1] == NOT_CONFORMING + "custom:tenant: Attribute cannot be updated."
    idp.admin_update_user_attributes(
        UserPoolId=custom_pool,
        Username="ann",
        UserAttributes=[{"Name": "custom:age", "Value": "7"}],
    )
    got = idp.admin_get_user(UserPoolId=custom_pool, Username="ann")["UserAttributes"]
    assert {a["Name"]: a["Value"] for a in got}["custom:tenant"] == "acme"


def test_add_custom_attributes(idp: Any, pool_id: str, client_id: str) -> None:
    make_user(idp, pool_id, "ann")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.admin_update_user_attributes(
            UserPoolId=pool_id,
            Username="ann",
            UserAttributes=[{"Name": "custom:plan", "Value": "pro"}],
        )
    assert (
        idp.add_custom_attributes(
            UserPoolId=pool_id,
            CustomAttributes=[
                {"Name": "plan", "AttributeDataType": "String"},
                {"Name": "seats", "AttributeDataType": "Number", "Mutable": False},
                {"Name": "beta", "AttributeDataType": "Boolean"},
            ],
        )
        is not None
    )
    schema = {
        a["Name"]: a
        for a in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]
    }
    assert schema["custom:plan"]["AttributeDataType"] == "String"
    assert schema["custom:seats"]["Mutable"] is False
    assert schema["custom:beta"]["Required"] is False
    # Existing users take the new attributes; the user's own token shows them.
    idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ann",
        UserAttributes=[
            {"Name": "custom:plan", "Value": "pro"},
            {"Name": "custom:beta", "Value": "true"},
        ],
    )
    token = sign_in(idp, client_id, "ann")["AccessToken"]
    values = {a["Name"]: a["Value"] for a in idp.get_user(AccessToken=token)["UserAttributes"]}
    assert (values["custom:plan"], values["custom:beta"]) == ("pro", "true")
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "custom:beta", "Value": "yes"}]
        )
    assert error_of(caught)[1] == NOT_CONFORMING + "custom:beta: Boolean must be true or false"


def test_add_custom_attributes_refusals(idp: Any, pool_id: str) -> None:
    idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[{"Name": "plan"}])
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[{"Name": "plan"}])
    assert error_of(caught)[1] == "Existing attribute already has name custom:plan."
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.add_custom_attributes(
            UserPoolId=pool_id, CustomAttributes=[{"Name": "must", "Required": True}]
        )
    assert error_of(caught)[1] == "Required custom attributes are not supported currently."
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.add_custom_attributes(
            UserPoolId=pool_id,
            CustomAttributes=[
                {
                    "Name": "code",
                    "StringAttributeConstraints": {"MinLength": "9", "MaxLength": "3"},
                }
            ],
        )
    for batch in range(2):
        idp.add_custom_attributes(
            UserPoolId=pool_id,
            CustomAttributes=[{"Name": f"a{batch}_{i}"} for i in range(24)],
        )
    with pytest.raises(idp.exceptions.LimitExceededException):
        idp.add_custom_attributes(
            UserPoolId=pool_id, CustomAttributes=[{"Name": "one"}, {"Name": "two"}]
        )
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.add_custom_attributes(
            UserPoolId="us-east-1_missing00", CustomAttributes=[{"Name": "plan"}]
        )
