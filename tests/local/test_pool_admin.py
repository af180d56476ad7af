"""Pools and app clients as an administrator manages them: listing (paginated), updating
and deleting, checked through boto3 against botocore's output shapes."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from cognito_identity.local import LocalCognito

from .conftest import PASSWORD
from .helpers import error_of, make_user, sign_in

ARN = "arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up"


def test_list_user_pools_pages(idp: Any) -> None:
    created = sorted(idp.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(5))
    first = idp.list_user_pools(MaxResults=2)
    assert [p["Id"] for p in first["UserPools"]] == created[:2]
    assert first["UserPools"][0]["Name"] in {f"p{i}" for i in range(5)}
    seen = [
        pool["Id"]
        for page in idp.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": 2})
        for pool in page["UserPools"]
    ]
    assert seen == created
    idp.delete_user_pool(UserPoolId=created[0])
    assert [p["Id"] for p in idp.list_user_pools(MaxResults=60)["UserPools"]] == created[1:]
    assert "NextToken" not in idp.list_user_pools(MaxResults=60)


def test_list_user_pool_clients_pages(idp: Any, pool_id: str) -> None:
    ids = sorted(
        idp.create_user_pool_client(UserPoolId=pool_id, ClientName=f"c{i}")["UserPoolClient"][
            "ClientId"
        ]
        for i in range(3)
    )
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    idp.create_user_pool_client(UserPoolId=other, ClientName="elsewhere")
    page = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=2)
    assert [c["ClientId"] for c in page["UserPoolClients"]] == ids[:2]
    assert {c["UserPoolId"] for c in page["UserPoolClients"]} == {pool_id}
    rest = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=2, NextToken=page["NextToken"])
    assert [c["ClientId"] for c in rest["UserPoolClients"]] == ids[2:]
    assert "NextToken" not in rest
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.list_user_pool_clients(UserPoolId="us-east-1_missing00")


def test_update_user_pool_client(idp: Any, pool_id: str) -> None:
    made = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    client_id, secret = made["ClientId"], made["ClientSecret"]
    updated = idp.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client_id,
        AccessTokenValidity=10,
        TokenValidityUnits={"AccessToken": "minutes"},
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]
    assert (updated["ClientName"], updated["ClientSecret"]) == ("app", secret)
    assert updated["CreationDate"] == made["CreationDate"]
    assert updated["AccessTokenValidity"] == 10
    assert updated["TokenValidityUnits"]["AccessToken"] == "minutes"
    assert updated["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH"]
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert described["UserPoolClient"] == updated
    # Settings left out of an update go back to their defaults; the name stays.
    renamed = idp.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client_id, ClientName="renamed"
    )["UserPoolClient"]
    assert renamed["ClientName"] == "renamed"
    assert (renamed["AccessTokenValidity"], renamed["TokenValidityUnits"]["AccessToken"]) == (
        1,
        "hours",
    )
    assert renamed["PreventUserExistenceErrors"] == "LEGACY"
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.update_user_pool_client(
            UserPoolId=pool_id,
            ClientId=client_id,
            IdTokenValidity=2,
            TokenValidityUnits={"IdToken": "minutes"},
        )
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.update_user_pool_client(UserPoolId=other, ClientId=client_id)


def test_an_updated_client_issues_tokens_by_its_new_settings(
    idp: Any, pool_id: str, client_id: str
) -> None:
    make_user(idp, pool_id, "ann")
    idp.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client_id,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=5,
        TokenValidityUnits={"AccessToken": "minutes"},
    )
    tokens = sign_in(idp, client_id, "ann")
    assert tokens["ExpiresIn"] == 300
    claims = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 300
    idp.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client_id, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"]
    )
    with pytest.raises(idp.exceptions.InvalidParameterException):
        sign_in(idp, client_id, "ann")


def test_delete_user_pool_client(idp: Any, pool_id: str, client_id: str) -> None:
    make_user(idp, pool_id, "ann")
    tokens = sign_in(idp, client_id, "ann")
    idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException) as caught:
        idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert error_of(caught)[1] == f"User pool client {client_id} does not exist."
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        sign_in(idp, client_id, "ann")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=tokens["AccessToken"])
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)


def test_update_user_pool_settings(idp: Any, local: LocalCognito) -> None:
    pool_id = idp.create_user_pool(PoolName="p", UserPoolTags={"team": "auth"})["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    # Without auto-verification, sign-up sends no code.
    idp.sign_up(
        ClientId=client_id,
        Username="ann",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
    )
    assert local.outbox.messages(pool_id=pool_id) == []
    idp.update_user_pool(
        UserPoolId=pool_id,
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="OPTIONAL",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": False},
        DeletionProtection="ACTIVE",
    )
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["DeviceConfiguration"] == {"ChallengeRequiredOnNewDevice": False}
    assert pool["UserPoolTags"] == {"team": "auth"}
    idp.sign_up(
        ClientId=client_id,
        Username="bob",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    assert [m.username for m in local.outbox.messages(pool_id=pool_id)] == ["bob"]
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="bob")
    # Device tracking is on: a sign-in hands out a device.
    assert "NewDeviceMetadata" in sign_in(idp, client_id, "bob")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.delete_user_pool(UserPoolId=pool_id)
    # Everything left out goes back to its default, as in Cognito.
    idp.update_user_pool(UserPoolId=pool_id)
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["AutoVerifiedAttributes"] == []
    assert pool["MfaConfiguration"] == "OFF"
    assert "DeviceConfiguration" not in pool
    assert "NewDeviceMetadata" not in sign_in(idp, client_id, "bob")
    idp.delete_user_pool(UserPoolId=pool_id)


def test_lambda_config_runs_the_registered_function(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    seen: list[str] = []

    def pre_sign_up(event: dict[str, Any]) -> dict[str, Any]:
        seen.append(event["userName"])
        event["response"]["autoConfirmUser"] = True
        return event

    local.triggers.register_function(ARN, pre_sign_up)
    idp.update_user_pool(UserPoolId=pool_id, LambdaConfig={"PreSignUp": ARN})
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["LambdaConfig"] == {
        "PreSignUp": ARN
    }
    listed = idp.list_user_pools(MaxResults=10)["UserPools"]
    assert [p["LambdaConfig"] for p in listed if p["Id"] == pool_id] == [{"PreSignUp": ARN}]
    answer = idp.sign_up(ClientId=client_id, Username="ann", Password=PASSWORD)
    assert answer["UserConfirmed"] is True
    assert seen == ["ann"]
    # A pool without the LambdaConfig entry no longer runs it.
    idp.update_user_pool(UserPoolId=pool_id)
    assert (
        idp.sign_up(ClientId=client_id, Username="bob", Password=PASSWORD)["UserConfirmed"] is False
    )
    assert seen == ["ann"]
