"""Real tokens are accepted: from the local pool (fetched JWKS over loopback HTTP) and
from moto's Cognito (the JWKS fetched from the pool's default HTTPS address, which moto
serves)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from cognito_identity import AuthenticationDetails, CognitoJwtVerifier, CognitoUser, CognitoUserPool
from cognito_identity.errors import WrongClientError, WrongIssuerError
from cognito_identity.local import LocalCognito

PASSWORD = "Corr3ct-Horse!"


def admin(endpoint: str | None = None, region: str = "us-east-1") -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def local_tokens(local: LocalCognito) -> tuple[str, list[str], list[dict[str, str]]]:
    """A pool with two app clients and a user signed in through each: (pool id, client
    ids, the id and access tokens of each sign-in)."""
    idp = admin(local.endpoint)
    pool_id = idp.create_user_pool(PoolName="service")["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password=PASSWORD, Permanent=True
    )
    clients, tokens = [], []
    for name in ("web", "mobile"):
        client_id = idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=name,
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        pool = CognitoUserPool(pool_id, client_id, endpoint=local.endpoint)
        session = CognitoUser("ann", pool).authenticate_user(
            AuthenticationDetails(password=PASSWORD)
        )
        clients.append(client_id)
        tokens.append({"id": session.id_token.jwt_token, "access": session.access_token.jwt_token})
    return pool_id, clients, tokens


def test_local_pool_tokens_of_both_clients(local: LocalCognito) -> None:
    pool_id, clients, tokens = local_tokens(local)
    issuer = f"{local.endpoint}/{pool_id}"
    for kind in ("id", "access"):
        verifier = CognitoJwtVerifier(pool_id, clients, kind, issuer=issuer)
        for client_id, pair in zip(clients, tokens):
            claims = verifier.verify(pair[kind])
            assert claims["token_use"] == kind
            assert claims["aud" if kind == "id" else "client_id"] == client_id
            assert claims["iss"] == issuer
        assert verifier.cache.fetches == 1  # fetched once, on first use
    # One client only: the other's tokens are refused.
    web_only = CognitoJwtVerifier(pool_id, clients[0], issuer=issuer)
    web_only.hydrate()
    web_only.verify(tokens[0]["access"])
    with pytest.raises(WrongClientError):
        web_only.verify(tokens[1]["id"])
    # Without the issuer override, the local pool is not the AWS issuer.
    aws_issuer = CognitoJwtVerifier(pool_id, clients, jwks_uri=f"{issuer}/.well-known/jwks.json")
    with pytest.raises(WrongIssuerError):
        aws_issuer.verify(tokens[0]["access"])


def test_moto_tokens() -> None:
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        idp = admin(region="eu-west-2")
        pool_id = idp.create_user_pool(PoolName="service")["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH"]
        )["UserPoolClient"]["ClientId"]
        idp.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username="ann", Password=PASSWORD, Permanent=True
        )
        idp.create_group(UserPoolId=pool_id, GroupName="admins")
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="admins")
        result = idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_NO_SRP_AUTH",
            AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        # Issuer and JWKS URI derived from the pool id alone; moto answers the fetch.
        verifier = CognitoJwtVerifier(pool_id, client_id, groups="admins")
        id_claims = verifier.verify(result["IdToken"])
        access_claims = verifier.verify(result["AccessToken"])
    assert id_claims["cognito:username"] == "ann" and id_claims["aud"] == client_id
    assert access_claims["client_id"] == client_id and access_claims["token_use"] == "access"
    assert verifier.settings.issuer == f"https://cognito-idp.eu-west-2.amazonaws.com/{pool_id}"
