"""GetTokensFromRefreshToken on the local pool as boto3 sends and parses it."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import PASSWORD


def _client(idp: Any, pool_id: str, **extra: Any) -> str:
    return str(
        idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="app",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            **extra,
        )["UserPoolClient"]["ClientId"]
    )


def _refresh_token(idp: Any, pool_id: str, client_id: str) -> str:
    idp.admin_create_user(UserPoolId=pool_id, Username="ray", MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ray", Password=PASSWORD, Permanent=True
    )
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ray", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return str(result["RefreshToken"])


def test_rotation_setting_is_described(idp: Any, pool_id: str) -> None:
    rotation = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
    client_id = _client(idp, pool_id, RefreshTokenRotation=rotation)
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert described["UserPoolClient"]["RefreshTokenRotation"] == rotation
    plain = _client(idp, pool_id)
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=plain)
    assert described["UserPoolClient"]["RefreshTokenRotation"]["Feature"] == "DISABLED"


def test_grace_period_is_bounded_as_in_the_model(idp: Any, pool_id: str) -> None:
    # botocore checks no maximum: the server refuses it.
    with pytest.raises(idp.exceptions.InvalidParameterException):
        _client(
            idp,
            pool_id,
            RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 61},
        )


def test_rotation_with_botocore(idp: Any, pool_id: str) -> None:
    client_id = _client(idp, pool_id, RefreshTokenRotation={"Feature": "ENABLED"})
    token = _refresh_token(idp, pool_id, client_id)
    result = idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=token)[
        "AuthenticationResult"
    ]
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(result)
    assert result["RefreshToken"] != token
    with pytest.raises(idp.exceptions.RefreshTokenReuseException):
        idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=token)
    with pytest.raises(idp.exceptions.NotAuthorizedException, match="Invalid Refresh Token"):
        idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken="not-a-token")


def test_without_rotation_no_refresh_token_comes_back(idp: Any, pool_id: str) -> None:
    client_id = _client(idp, pool_id)
    token = _refresh_token(idp, pool_id, client_id)
    result = idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=token)[
        "AuthenticationResult"
    ]
    assert "RefreshToken" not in result
    again = idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=token)
    assert "AccessToken" in again["AuthenticationResult"]


def test_a_token_of_another_client_is_refused(idp: Any, pool_id: str) -> None:
    client_id = _client(idp, pool_id, RefreshTokenRotation={"Feature": "ENABLED"})
    other = _client(idp, pool_id, RefreshTokenRotation={"Feature": "ENABLED"})
    token = _refresh_token(idp, pool_id, client_id)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_tokens_from_refresh_token(ClientId=other, RefreshToken=token)
