"""The user management a service does with Admin* calls, end to end through boto3, every
response checked against botocore's output shapes."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_identity.local import LocalCognito

from .conftest import PASSWORD
from .helpers import error_of, sign_in


def _attributes(items: list[dict[str, str]]) -> dict[str, str]:
    return {item["Name"]: item["Value"] for item in items}


def test_a_service_manages_a_user_from_creation_to_deletion(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    created = idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ann",
        UserAttributes=[
            {"Name": "email", "Value": "ann@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    assert (created["UserStatus"], created["Enabled"]) == ("FORCE_CHANGE_PASSWORD", True)
    assert local.outbox.messages(pool_id=pool_id, username="ann")[0].purpose == "invitation"
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password=PASSWORD, Permanent=True
    )
    got = idp.admin_get_user(UserPoolId=pool_id, Username="ann")
    assert (got["Username"], got["UserStatus"]) == ("ann", "CONFIRMED")
    assert _attributes(got["UserAttributes"])["email"] == "ann@example.com"
    idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ann",
        UserAttributes=[{"Name": "name", "Value": "Ann Example"}],
    )
    got = idp.admin_get_user(UserPoolId=pool_id, Username="ann")
    assert _attributes(got["UserAttributes"])["name"] == "Ann Example"
    tokens = sign_in(idp, client_id, "ann")
    idp.admin_user_global_sign_out(UserPoolId=pool_id, Username="ann")
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(caught)[1] == "Access Token has been revoked"
    idp.admin_delete_user(UserPoolId=pool_id, Username="ann")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool_id, Username="ann")


def test_admin_confirm_sign_up(idp: Any, pool_id: str, client_id: str) -> None:
    idp.sign_up(ClientId=client_id, Username="bob", Password=PASSWORD)
    assert idp.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"] == "UNCONFIRMED"
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="bob")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"] == "CONFIRMED"
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="bob")
    assert sign_in(idp, client_id, "bob")["AccessToken"]


def test_list_users_pages_filters_and_picks_attributes(idp: Any, pool_id: str) -> None:
    names = [f"user{i:02d}" for i in range(7)]
    for name in reversed(names):
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=name,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
        )
    first = idp.list_users(UserPoolId=pool_id, Limit=3)
    assert [u["Username"] for u in first["Users"]] == names[:3]
    second = idp.list_users(UserPoolId=pool_id, Limit=3, PaginationToken=first["PaginationToken"])
    assert [u["Username"] for u in second["Users"]] == names[3:6]
    seen = [
        user["Username"]
        for page in idp.get_paginator("list_users").paginate(
            UserPoolId=pool_id, PaginationConfig={"PageSize": 2}
        )
        for user in page["Users"]
    ]
    assert seen == names
    filtered = idp.list_users(UserPoolId=pool_id, Filter='email ^= "user0"', Limit=2)
    assert [u["Username"] for u in filtered["Users"]] == names[:2]
    picked = idp.list_users(UserPoolId=pool_id, AttributesToGet=["email"], Limit=1)["Users"][0]
    assert picked["Attributes"] == [{"Name": "email", "Value": "user00@example.com"}]
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_users(UserPoolId=pool_id, Filter="email contains x")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_users(UserPoolId=pool_id, PaginationToken="garbage")


@pytest.mark.parametrize(
    ("action", "extra"),
    [
        ("admin_get_user", {}),
        ("admin_delete_user", {}),
        ("admin_confirm_sign_up", {}),
        ("admin_user_global_sign_out", {}),
        ("admin_set_user_password", {"Password": PASSWORD}),
        ("admin_update_user_attributes", {"UserAttributes": [{"Name": "name", "Value": "x"}]}),
    ],
)
def test_unknown_users_are_not_found(
    idp: Any, pool_id: str, action: str, extra: dict[str, Any]
) -> None:
    with pytest.raises(idp.exceptions.UserNotFoundException):
        getattr(idp, action)(UserPoolId=pool_id, Username="nobody", **extra)
