"""Groups through boto3 (and pycognito): the group actions, membership, paging, and the
cognito:groups claim of the tokens."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from pycognito import Cognito

from cognito_identity.local import LocalCognito

from .conftest import PASSWORD
from .helpers import error_of, make_user, sign_in

ROLE = "arn:aws:iam::123456789012:role/readers"
ADMIN_ROLE = "arn:aws:iam::123456789012:role/admins"


def _claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_create_get_update_delete(idp: Any, pool_id: str) -> None:
    group = idp.create_group(
        UserPoolId=pool_id, GroupName="readers", Description="read only", Precedence=5
    )["Group"]
    assert (group["GroupName"], group["UserPoolId"], group["Precedence"]) == (
        "readers",
        pool_id,
        5,
    )
    assert group["Description"] == "read only"
    assert "RoleArn" not in group
    with pytest.raises(idp.exceptions.GroupExistsException):
        idp.create_group(UserPoolId=pool_id, GroupName="readers")
    updated = idp.update_group(UserPoolId=pool_id, GroupName="readers", RoleArn=ROLE)["Group"]
    assert (updated["RoleArn"], updated["Description"], updated["Precedence"]) == (
        ROLE,
        "read only",
        5,
    )
    assert idp.get_group(UserPoolId=pool_id, GroupName="readers")["Group"]["RoleArn"] == ROLE
    idp.delete_group(UserPoolId=pool_id, GroupName="readers")
    with pytest.raises(idp.exceptions.ResourceNotFoundException) as caught:
        idp.get_group(UserPoolId=pool_id, GroupName="readers")
    assert error_of(caught) == ("ResourceNotFoundException", "Group not found.")
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.delete_group(UserPoolId=pool_id, GroupName="readers")


def test_groups_of_another_pool_are_separate(idp: Any, pool_id: str) -> None:
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    idp.create_group(UserPoolId=pool_id, GroupName="staff")
    idp.create_group(UserPoolId=other, GroupName="staff")
    assert [g["GroupName"] for g in idp.list_groups(UserPoolId=other)["Groups"]] == ["staff"]
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.create_group(UserPoolId="us-east-1_missing00", GroupName="staff")


def test_list_groups_pages(idp: Any, pool_id: str) -> None:
    names = [f"group-{i:02d}" for i in range(7)]
    for name in reversed(names):
        idp.create_group(UserPoolId=pool_id, GroupName=name)
    first = idp.list_groups(UserPoolId=pool_id, Limit=3)
    assert [g["GroupName"] for g in first["Groups"]] == names[:3]
    seen = [
        g["GroupName"]
        for page in idp.get_paginator("list_groups").paginate(
            UserPoolId=pool_id, PaginationConfig={"PageSize": 3}
        )
        for g in page["Groups"]
    ]
    assert seen == names
    assert "NextToken" not in idp.list_groups(UserPoolId=pool_id)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_groups(UserPoolId=pool_id, NextToken="not-a-token")


def test_membership(idp: Any, pool_id: str) -> None:
    for name in ("ann", "bob", "cy"):
        make_user(idp, pool_id, name)
    idp.create_group(UserPoolId=pool_id, GroupName="staff")
    idp.create_group(UserPoolId=pool_id, GroupName="admins")
    for name in ("cy", "ann", "bob"):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=name, GroupName="staff")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="admins")
    # Adding twice changes nothing.
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="admins")
    groups = idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="ann")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins", "staff"]
    page = idp.list_users_in_group(UserPoolId=pool_id, GroupName="staff", Limit=2)
    assert [u["Username"] for u in page["Users"]] == ["ann", "bob"]
    rest = idp.list_users_in_group(
        UserPoolId=pool_id, GroupName="staff", Limit=2, NextToken=page["NextToken"]
    )
    assert [u["Username"] for u in rest["Users"]] == ["cy"]
    assert "NextToken" not in rest
    idp.admin_remove_user_from_group(UserPoolId=pool_id, Username="ann", GroupName="staff")
    groups = idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="ann")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins"]
    # A deleted group or user takes its memberships with it.
    idp.delete_group(UserPoolId=pool_id, GroupName="admins")
    assert idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="ann")["Groups"] == []
    idp.admin_delete_user(UserPoolId=pool_id, Username="bob")
    users = idp.list_users_in_group(UserPoolId=pool_id, GroupName="staff")["Users"]
    assert [u["Username"] for u in users] == ["cy"]


def test_membership_of_unknown_users_and_groups(idp: Any, pool_id: str) -> None:
    make_user(idp, pool_id, "ann")
    idp.create_group(UserPoolId=pool_id, GroupName="staff")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username="nobody", GroupName="staff")
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="none")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="nobody")
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.list_users_in_group(UserPoolId=pool_id, GroupName="none")


def test_tokens_carry_the_groups(idp: Any, pool_id: str, client_id: str) -> None:
    make_user(idp, pool_id, "ann")
    make_user(idp, pool_id, "bob")
    tokens = sign_in(idp, client_id, "ann")
    assert "cognito:groups" not in _claims(tokens["IdToken"])
    assert "cognito:groups" not in _claims(tokens["AccessToken"])
    idp.create_group(UserPoolId=pool_id, GroupName="readers", RoleArn=ROLE, Precedence=10)
    idp.create_group(UserPoolId=pool_id, GroupName="admins", RoleArn=ADMIN_ROLE, Precedence=1)
    idp.create_group(UserPoolId=pool_id, GroupName="all")
    for group in ("readers", "admins", "all"):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName=group)
    tokens = sign_in(idp, client_id, "ann")
    id_claims, access_claims = _claims(tokens["IdToken"]), _claims(tokens["AccessToken"])
    assert id_claims["cognito:groups"] == ["admins", "readers", "all"]
    assert access_claims["cognito:groups"] == ["admins", "readers", "all"]
    assert id_claims["cognito:roles"] == [ADMIN_ROLE, ROLE]
    assert id_claims["cognito:preferred_role"] == ADMIN_ROLE
    assert "cognito:roles" not in access_claims
    # A refresh sees the groups as they are now.
    idp.admin_remove_user_from_group(UserPoolId=pool_id, Username="ann", GroupName="admins")
    refreshed = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    id_claims = _claims(refreshed["IdToken"])
    assert id_claims["cognito:groups"] == ["readers", "all"]
    assert id_claims["cognito:preferred_role"] == ROLE
    assert "cognito:groups" not in _claims(sign_in(idp, client_id, "bob")["IdToken"])


def test_pycognito_reads_the_groups(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    idp.create_group(UserPoolId=pool_id, GroupName="staff", Description="everyone", Precedence=3)
    idp.create_group(UserPoolId=pool_id, GroupName="admins", RoleArn=ADMIN_ROLE)
    user = Cognito(
        pool_id,
        client_id,
        username="ann",
        boto3_client_kwargs={
            "endpoint_url": local.endpoint,
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
        },
    )
    groups = {group.group_name: group for group in user.get_groups()}
    assert set(groups) == {"staff", "admins"}
    assert (groups["staff"].description, groups["staff"].precedence) == ("everyone", 3)
    assert groups["admins"].role_arn == ADMIN_ROLE
    user.admin_add_user_to_group("ann", "staff")
    user.authenticate(password=PASSWORD)
    user.verify_tokens()
    assert user.id_claims["cognito:groups"] == ["staff"]
    assert user.access_claims["cognito:groups"] == ["staff"]
