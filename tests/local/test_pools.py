"""Pool and app-client administration through boto3."""

from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest


def _code(error: pytest.ExceptionInfo[botocore.exceptions.ClientError]) -> tuple[str, str]:
    return error.value.response["Error"]["Code"], error.value.response["Error"]["Message"]


def test_create_describe_delete_pool(idp: Any) -> None:
    created = idp.create_user_pool(
        PoolName="shop",
        Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireSymbols": False}},
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="OFF",
        UsernameConfiguration={"CaseSensitive": False},
    )["UserPool"]
    pool_id = created["Id"]
    region, suffix = pool_id.split("_")
    assert region == "us-east-1" and len(suffix) == 9 and suffix.isalnum()
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["Name"] == "shop"
    assert described["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 10,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": False,
        "TemporaryPasswordValidityDays": 7,
    }
    assert described["UsernameAttributes"] == ["email"]
    assert described["AutoVerifiedAttributes"] == ["email"]
    assert described["UsernameConfiguration"] == {"CaseSensitive": False}
    assert described["Arn"].endswith(f":userpool/{pool_id}")
    assert described["EstimatedNumberOfUsers"] == 0
    idp.delete_user_pool(UserPoolId=pool_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException) as caught:
        idp.describe_user_pool(UserPoolId=pool_id)
    assert _code(caught) == ("ResourceNotFoundException", f"User pool {pool_id} does not exist.")


def test_default_password_policy(idp: Any) -> None:
    pool = idp.create_user_pool(PoolName="p")["UserPool"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    assert pool["UsernameConfiguration"] == {"CaseSensitive": True}
    assert pool["MfaConfiguration"] == "OFF"


def test_username_and_alias_attributes_are_exclusive(idp: Any) -> None:
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool(PoolName="p", UsernameAttributes=["email"], AliasAttributes=["email"])


def test_client_with_secret_and_flows(idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=30,
        TokenValidityUnits={"AccessToken": "minutes"},
    )["UserPoolClient"]
    assert len(client["ClientId"]) == 26
    assert len(client["ClientSecret"]) >= 24
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    assert described["UserPoolClient"] == client
    assert client["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert client["AccessTokenValidity"] == 30
    assert client["TokenValidityUnits"]["AccessToken"] == "minutes"


def test_client_defaults(idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app")["UserPoolClient"]
    assert "ClientSecret" not in client
    assert client["ExplicitAuthFlows"] == [
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    ]
    assert (client["AccessTokenValidity"], client["IdTokenValidity"]) == (1, 1)
    assert client["RefreshTokenValidity"] == 30
    assert client["EnableTokenRevocation"] is True


def test_token_validity_out_of_range(idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="app",
            AccessTokenValidity=2,
            TokenValidityUnits={"AccessToken": "days"},
        )


def test_client_of_missing_pool(idp: Any) -> None:
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.create_user_pool_client(UserPoolId="us-east-1_nope12345", ClientName="c")


def test_describe_client_in_wrong_pool(idp: Any) -> None:
    first = idp.create_user_pool(PoolName="a")["UserPool"]["Id"]
    second = idp.create_user_pool(PoolName="b")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=first, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    with pytest.raises(idp.exceptions.ResourceNotFoundException) as caught:
        idp.describe_user_pool_client(UserPoolId=second, ClientId=client_id)
    assert _code(caught)[1] == f"User pool client {client_id} does not exist."


def test_deleting_a_pool_deletes_its_clients(idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    idp.delete_user_pool(UserPoolId=pool_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.sign_up(ClientId=client_id, Username="u", Password="Passw0rd!")
