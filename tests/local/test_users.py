"""User administration through boto3: AdminCreateUser, AdminSetUserPassword,
AdminConfirmSignUp, AdminGetUser, AdminDeleteUser, ListUsers."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from cognito_identity.local import LocalCognito

from .conftest import PASSWORD


def _attrs(items: list[dict[str, str]]) -> dict[str, str]:
    return {item["Name"]: item["Value"] for item in items}


def test_admin_create_user_is_force_change_password(
    idp: Any, local: LocalCognito, pool_id: str
) -> None:
    user = idp.admin_create_user(
        UserPoolId=pool_id,
        Username="alice",
        TemporaryPassword="Temp-Passw0rd",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    assert user["Username"] == "alice"
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert user["Enabled"] is True
    attrs = _attrs(user["Attributes"])
    assert attrs["email"] == "alice@example.com"
    assert len(attrs["sub"]) == 36
    [invite] = local.outbox.messages(pool_id=pool_id, username="alice")
    assert (invite.purpose, invite.medium, invite.destination, invite.code) == (
        "invitation",
        "EMAIL",
        "alice@example.com",
        "Temp-Passw0rd",
    )
    assert "Temp-Passw0rd" not in repr(invite)
    got = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert _attrs(got["UserAttributes"]) == attrs


def test_generated_temporary_password_meets_policy(
    idp: Any, local: LocalCognito, pool_id: str
) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    )
    [invite] = local.outbox.messages(username="bob")
    assert invite.medium == "SMS"
    password = invite.code
    assert len(password) >= 8
    assert any(c.isupper() for c in password) and any(c.islower() for c in password)
    assert any(c.isdigit() for c in password)


def test_suppressed_invitation_sends_nothing(idp: Any, local: LocalCognito, pool_id: str) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="quiet",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "q@example.com"}],
    )
    assert local.outbox.messages(username="quiet") == []


def test_duplicate_user(idp: Any, pool_id: str) -> None:
    idp.admin_create_user(UserPoolId=pool_id, Username="dup", MessageAction="SUPPRESS")
    with pytest.raises(idp.exceptions.UsernameExistsException) as caught:
        idp.admin_create_user(UserPoolId=pool_id, Username="dup", MessageAction="SUPPRESS")
    assert caught.value.response["Error"]["Message"] == "User account already exists"


def test_temporary_password_must_meet_policy(idp: Any, pool_id: str) -> None:
    with pytest.raises(idp.exceptions.InvalidPasswordException) as caught:
        idp.admin_create_user(UserPoolId=pool_id, Username="weak", TemporaryPassword="short")
    assert caught.value.response["Error"]["Message"] == (
        "Password did not conform with policy: Password not long enough"
    )


def test_set_password_permanent_confirms(idp: Any, local: LocalCognito, pool_id: str) -> None:
    idp.admin_create_user(UserPoolId=pool_id, Username="carol", MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="carol", Password=PASSWORD, Permanent=True
    )
    assert idp.admin_get_user(UserPoolId=pool_id, Username="carol")["UserStatus"] == "CONFIRMED"
    idp.admin_set_user_password(UserPoolId=pool_id, Username="carol", Password=PASSWORD)
    assert (
        idp.admin_get_user(UserPoolId=pool_id, Username="carol")["UserStatus"]
        == "FORCE_CHANGE_PASSWORD"
    )


def test_password_is_never_stored(idp: Any, local: LocalCognito, pool_id: str) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id, Username="dave", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
    )
    with open(local.db_path, "rb") as db:
        content = db.read()
    with sqlite3.connect(local.db_path) as conn:
        row = conn.execute(
            "SELECT password_hash, srp_salt, srp_verifier FROM users WHERE username = 'dave'"
        ).fetchone()
    assert row[0].startswith("scrypt$")
    assert int(row[1], 16) > 0 and int(row[2], 16) > 0
    assert PASSWORD.encode() not in content
    wal = local.db_path + "-wal"
    with open(wal, "rb") as f:
        assert PASSWORD.encode() not in f.read()


def test_admin_confirm_sign_up(idp: Any, pool_id: str, client_id: str) -> None:
    idp.sign_up(ClientId=client_id, Username="erin", Password=PASSWORD)
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="erin")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="erin")["UserStatus"] == "CONFIRMED"
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="erin")
    assert caught.value.response["Error"]["Message"] == (
        "User cannot be confirmed. Current status is CONFIRMED"
    )


def test_missing_user(idp: Any, pool_id: str) -> None:
    for call in (idp.admin_get_user, idp.admin_delete_user, idp.admin_confirm_sign_up):
        with pytest.raises(idp.exceptions.UserNotFoundException) as caught:
            call(UserPoolId=pool_id, Username="ghost")
        assert caught.value.response["Error"]["Message"] == "User does not exist."


def test_delete_user(idp: Any, pool_id: str) -> None:
    idp.admin_create_user(UserPoolId=pool_id, Username="frank", MessageAction="SUPPRESS")
    idp.admin_delete_user(UserPoolId=pool_id, Username="frank")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool_id, Username="frank")


def test_unknown_attribute_is_refused(idp: Any, pool_id: str) -> None:
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username="gina",
            UserAttributes=[{"Name": "shoe_size", "Value": "9"}],
        )
    assert "shoe_size" in caught.value.response["Error"]["Message"]


def test_list_users_filter_and_pages(idp: Any, pool_id: str) -> None:
    for name in ("ann", "andy", "bea", "bill", "cy"):
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=name,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
        )
    everyone = idp.list_users(UserPoolId=pool_id)["Users"]
    assert sorted(u["Username"] for u in everyone) == ["andy", "ann", "bea", "bill", "cy"]
    prefixed = idp.list_users(UserPoolId=pool_id, Filter='username ^= "b"')["Users"]
    assert sorted(u["Username"] for u in prefixed) == ["bea", "bill"]
    exact = idp.list_users(UserPoolId=pool_id, Filter='email = "cy@example.com"')["Users"]
    assert [u["Username"] for u in exact] == ["cy"]
    only_email = idp.list_users(UserPoolId=pool_id, AttributesToGet=["email"], Limit=1)
    assert [a["Name"] for a in only_email["Users"][0]["Attributes"]] == ["email"]
    pages = list(
        idp.get_paginator("list_users").paginate(
            UserPoolId=pool_id, PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["Users"]) for p in pages] == [2, 2, 1]
    assert sorted(u["Username"] for p in pages for u in p["Users"]) == [
        "andy",
        "ann",
        "bea",
        "bill",
        "cy",
    ]
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_users(UserPoolId=pool_id, Filter="username is bob")


def test_email_username_pool(idp: Any, local: LocalCognito) -> None:
    pool_id = idp.create_user_pool(
        PoolName="email", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"]
    )["UserPool"]["Id"]
    user = idp.admin_create_user(
        UserPoolId=pool_id, Username="Hana@Example.com", MessageAction="SUPPRESS"
    )["User"]
    attrs = _attrs(user["Attributes"])
    # The stored username is the sub; the e-mail becomes the attribute.
    assert user["Username"] == attrs["sub"]
    assert attrs["email"] == "Hana@Example.com"
    got = idp.admin_get_user(UserPoolId=pool_id, Username="Hana@Example.com")
    assert got["Username"] == attrs["sub"]
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.admin_create_user(UserPoolId=pool_id, Username="not-an-email")
    assert caught.value.response["Error"]["Message"] == "Username should be an email."
    with pytest.raises(idp.exceptions.UsernameExistsException) as exists:
        idp.admin_create_user(
            UserPoolId=pool_id, Username="Hana@Example.com", MessageAction="SUPPRESS"
        )
    assert exists.value.response["Error"]["Message"] == (
        "An account with the given email already exists."
    )


def test_case_insensitive_pool(idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="ci", UsernameConfiguration={"CaseSensitive": False})[
        "UserPool"
    ]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="Ivan", MessageAction="SUPPRESS")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="IVAN")["Username"] == "Ivan"
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.admin_create_user(UserPoolId=pool_id, Username="ivan", MessageAction="SUPPRESS")


def test_case_sensitive_pool_by_default(idp: Any, pool_id: str) -> None:
    idp.admin_create_user(UserPoolId=pool_id, Username="Jo", MessageAction="SUPPRESS")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool_id, Username="jo")


def test_describe_pool_counts_users(idp: Any, pool_id: str) -> None:
    idp.admin_create_user(UserPoolId=pool_id, Username="k1", MessageAction="SUPPRESS")
    idp.admin_create_user(UserPoolId=pool_id, Username="k2", MessageAction="SUPPRESS")
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["EstimatedNumberOfUsers"] == 2


def test_schema_custom_and_required_attributes(idp: Any) -> None:
    pool_id = idp.create_user_pool(
        PoolName="schema",
        Schema=[
            {"Name": "team", "AttributeDataType": "String", "Mutable": True},
            {"Name": "given_name", "Required": True},
        ],
    )["UserPool"]["Id"]
    schema = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]
    assert [(a["Name"], a["Required"]) for a in schema] == [
        ("custom:team", False),
        ("given_name", True),
    ]
    with pytest.raises(idp.exceptions.InvalidParameterException) as required:
        idp.admin_create_user(UserPoolId=pool_id, Username="lee", MessageAction="SUPPRESS")
    assert required.value.response["Error"]["Message"] == (
        "Attributes did not conform to the schema: given_name: The attribute is required"
    )
    with pytest.raises(idp.exceptions.InvalidParameterException) as undeclared:
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username="lee",
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "given_name", "Value": "Lee"},
                {"Name": "custom:shoe", "Value": "9"},
            ],
        )
    assert undeclared.value.response["Error"]["Message"] == (
        "Attributes did not conform to the schema: "
        "Type for attribute {custom:shoe} could not be determined"
    )
    user = idp.admin_create_user(
        UserPoolId=pool_id,
        Username="lee",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "given_name", "Value": "Lee"},
            {"Name": "custom:team", "Value": "red"},
        ],
    )["User"]
    assert _attrs(user["Attributes"])["custom:team"] == "red"
