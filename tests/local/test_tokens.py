"""Tokens: RS256 JWTs checked with PyJWT and pycognito against the published JWKS,
refresh, GetUser, GlobalSignOut and RevokeToken."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
import requests
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP

from cognito_identity import srp
from cognito_identity.local import LocalCognito, ManualClock

from .conftest import PASSWORD, RawClient


@pytest.fixture
def clock() -> ManualClock:
    # PyJWT checks exp and iat against the wall clock, so start from it.
    return ManualClock()


@pytest.fixture
def pool_id(idp: Any) -> str:
    """A pool whose schema declares the custom attribute ``team``."""
    return str(
        idp.create_user_pool(
            PoolName="tokens", Schema=[{"Name": "team", "AttributeDataType": "String"}]
        )["UserPool"]["Id"]
    )


def _user(idp: Any, pool_id: str, username: str = "tom") -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:team", "Value": "blue"},
        ],
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )


def _login(idp: Any, pool_id: str, client_id: str, username: str = "tom") -> dict[str, Any]:
    result = AWSSRP(username, PASSWORD, pool_id, client_id, client=idp).authenticate_user()
    return dict(result["AuthenticationResult"])


def _header(token: str) -> dict[str, Any]:
    part = token.split(".")[0]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))


def _verify(local: LocalCognito, pool_id: str, token: str, **kwargs: Any) -> dict[str, Any]:
    jwks = requests.get(f"{local.endpoint}/{pool_id}/.well-known/jwks.json", timeout=10).json()
    [key] = [k for k in jwks["keys"] if k["kid"] == _header(token)["kid"]]
    return dict(
        jwt.decode(
            token,
            jwt.PyJWK(key).key,
            algorithms=["RS256"],
            issuer=f"{local.endpoint}/{pool_id}",
            **kwargs,
        )
    )


def test_srp_login_issues_verifiable_tokens(
    idp: Any, local: LocalCognito, clock: ManualClock, pool_id: str, client_id: str
) -> None:
    _user(idp, pool_id)
    result = _login(idp, pool_id, client_id)
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    assert result["RefreshToken"] and result["RefreshToken"].count(".") != 2
    header = _header(result["IdToken"])
    assert header["alg"] == "RS256" and header["kid"]
    id_claims = _verify(local, pool_id, result["IdToken"], audience=client_id)
    access = _verify(local, pool_id, result["AccessToken"], options={"verify_aud": False})
    sub = idp.admin_get_user(UserPoolId=pool_id, Username="tom")["UserAttributes"][0]["Value"]
    assert id_claims["sub"] == access["sub"] == sub
    assert id_claims["token_use"] == "id" and access["token_use"] == "access"
    assert id_claims["cognito:username"] == access["username"] == "tom"
    assert id_claims["aud"] == access["client_id"] == client_id
    assert id_claims["email"] == "tom@example.com"
    assert id_claims["email_verified"] is True
    assert id_claims["custom:team"] == "blue"
    assert access["scope"] == "aws.cognito.signin.user.admin"
    assert access["version"] == 2
    now = int(clock.now())
    for claims in (id_claims, access):
        assert claims["iat"] == claims["auth_time"] == now
        assert claims["exp"] == now + 3600
        uuid.UUID(claims["jti"])
        uuid.UUID(claims["event_id"])
    assert id_claims["jti"] != access["jti"]
    assert id_claims["origin_jti"] == access["origin_jti"]
    assert id_claims["event_id"] == access["event_id"]


def test_openid_configuration(local: LocalCognito, pool_id: str) -> None:
    document = requests.get(
        f"{local.endpoint}/{pool_id}/.well-known/openid-configuration", timeout=10
    ).json()
    assert document["issuer"] == f"{local.endpoint}/{pool_id}"
    assert document["jwks_uri"] == f"{local.endpoint}/{pool_id}/.well-known/jwks.json"
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    missing = requests.get(f"{local.endpoint}/us-east-1_missing12/.well-known/jwks.json")
    assert missing.status_code == 404


def test_pycognito_end_to_end(idp: Any, local: LocalCognito, pool_id: str, client_id: str) -> None:
    """pycognito signs in, verifies both tokens against our JWKS, reads the user,
    refreshes, and signs out."""
    _user(idp, pool_id, "una")
    user = Cognito(
        pool_id,
        client_id,
        username="una",
        boto3_client_kwargs={
            "endpoint_url": local.endpoint,
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
        },
    )
    user.authenticate(password=PASSWORD)
    user.verify_tokens()
    assert user.id_claims["cognito:username"] == "una"
    fetched = user.get_user()
    assert fetched.email == "una@example.com"
    old_access = user.access_token
    user.renew_access_token()
    assert user.access_token != old_access
    user.verify_tokens()
    user.logout()
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=old_access)


def test_password_auth_and_new_password_challenge(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="val",
        TemporaryPassword="Temp-0rary!",
        MessageAction="SUPPRESS",
    )
    challenge = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "val", "PASSWORD": "Temp-0rary!"},
    )
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={
            "USERNAME": "val",
            "NEW_PASSWORD": PASSWORD,
            "userAttributes.name": "Val",
        },
    )["AuthenticationResult"]
    claims = _verify(local, pool_id, result["IdToken"], audience=client_id)
    assert claims["name"] == "Val"
    assert idp.admin_get_user(UserPoolId=pool_id, Username="val")["UserStatus"] == "CONFIRMED"
    again = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "val", "PASSWORD": PASSWORD},
    )
    assert "AuthenticationResult" in again
    with pytest.raises(idp.exceptions.NotAuthorizedException) as reused:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "val", "NEW_PASSWORD": PASSWORD},
        )
    assert reused.value.response["Error"]["Message"] == (
        "Invalid session for the user, session can only be used once."
    )
    with pytest.raises(idp.exceptions.NotAuthorizedException) as unknown:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session="x" * 40,
            ChallengeResponses={"USERNAME": "val", "NEW_PASSWORD": PASSWORD},
        )
    assert unknown.value.response["Error"]["Message"] == "Invalid session for the user."


def test_refresh_keeps_origin_and_auth_time(
    idp: Any, local: LocalCognito, clock: ManualClock, pool_id: str, client_id: str
) -> None:
    _user(idp, pool_id)
    first = _login(idp, pool_id, client_id)
    clock.advance(120)
    refreshed = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    before = _verify(local, pool_id, first["IdToken"], audience=client_id)
    # The server's clock is now two minutes ahead of the wall clock PyJWT reads.
    after = _verify(local, pool_id, refreshed["IdToken"], audience=client_id, leeway=600)
    assert after["origin_jti"] == before["origin_jti"]
    assert after["auth_time"] == before["auth_time"]
    assert after["iat"] == before["iat"] + 120
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": "not-a-token"},
        )
    assert caught.value.response["Error"]["Message"] == "Invalid Refresh Token"


def test_refresh_with_secret_hash(idp: Any, pool_id: str) -> None:
    client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="s", GenerateSecret=True)[
        "UserPoolClient"
    ]
    client_id, secret = client["ClientId"], client["ClientSecret"]
    _user(idp, pool_id)
    tokens = AWSSRP(
        "tom", PASSWORD, pool_id, client_id, client=idp, client_secret=secret
    ).authenticate_user()["AuthenticationResult"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
    refreshed = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={
            "REFRESH_TOKEN": tokens["RefreshToken"],
            "SECRET_HASH": AWSSRP.get_secret_hash("tom", client_id, secret),
        },
    )
    assert refreshed["AuthenticationResult"]["AccessToken"]


def test_get_user_and_expiry(idp: Any, clock: ManualClock, pool_id: str, client_id: str) -> None:
    _user(idp, pool_id)
    tokens = _login(idp, pool_id, client_id)
    user = idp.get_user(AccessToken=tokens["AccessToken"])
    assert user["Username"] == "tom"
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["email"] == "tom@example.com"
    with pytest.raises(idp.exceptions.NotAuthorizedException) as id_token:
        idp.get_user(AccessToken=tokens["IdToken"])
    assert id_token.value.response["Error"]["Message"] == "Invalid Access Token"
    clock.advance(3601)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as expired:
        idp.get_user(AccessToken=tokens["AccessToken"])
    assert expired.value.response["Error"]["Message"] == "Access Token has expired"


def test_global_sign_out_revokes_everything(idp: Any, pool_id: str, client_id: str) -> None:
    _user(idp, pool_id)
    first = _login(idp, pool_id, client_id)
    second = _login(idp, pool_id, client_id)
    idp.global_sign_out(AccessToken=first["AccessToken"])
    for tokens in (first, second):
        with pytest.raises(idp.exceptions.NotAuthorizedException) as access:
            idp.get_user(AccessToken=tokens["AccessToken"])
        assert access.value.response["Error"]["Message"] == "Access Token has been revoked"
        with pytest.raises(idp.exceptions.NotAuthorizedException) as refresh:
            idp.initiate_auth(
                ClientId=client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
            )
        assert refresh.value.response["Error"]["Message"] == "Refresh Token has been revoked"
    # A new sign-in works again.
    assert idp.get_user(AccessToken=_login(idp, pool_id, client_id)["AccessToken"])


def test_revoke_token(idp: Any, pool_id: str, client_id: str) -> None:
    _user(idp, pool_id)
    kept = _login(idp, pool_id, client_id)
    revoked = _login(idp, pool_id, client_id)
    with pytest.raises(idp.exceptions.UnsupportedTokenTypeException):
        idp.revoke_token(Token=revoked["AccessToken"], ClientId=client_id)
    other = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="o")["UserPoolClient"][
        "ClientId"
    ]
    with pytest.raises(idp.exceptions.UnauthorizedException):
        idp.revoke_token(Token=revoked["RefreshToken"], ClientId=other)
    idp.revoke_token(Token=revoked["RefreshToken"], ClientId=client_id)
    idp.revoke_token(Token="unknown-token", ClientId=client_id)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=revoked["AccessToken"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": revoked["RefreshToken"]},
        )
    # The other sign-in is untouched.
    assert idp.get_user(AccessToken=kept["AccessToken"])["Username"] == "tom"


def test_keys_and_sessions_survive_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "pool.sqlite3")
    kwargs = {"region_name": "us-east-1", "aws_access_key_id": "t", "aws_secret_access_key": "t"}
    with LocalCognito(db) as local:
        idp = boto3.client("cognito-idp", endpoint_url=local.endpoint, **kwargs)
        pool_id = idp.create_user_pool(PoolName="p", Schema=[{"Name": "team"}])["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
            "UserPoolClient"
        ]["ClientId"]
        _user(idp, pool_id)
        tokens = _login(idp, pool_id, client_id)
        kid = _header(tokens["IdToken"])["kid"]
    with LocalCognito(db) as local:
        idp = boto3.client("cognito-idp", endpoint_url=local.endpoint, **kwargs)
        jwks = requests.get(f"{local.endpoint}/{pool_id}/.well-known/jwks.json", timeout=10)
        assert [k["kid"] for k in jwks.json()["keys"]] == [kid]
        assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "tom"
        refreshed = idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )["AuthenticationResult"]
        assert _header(refreshed["AccessToken"])["kid"] == kid


def test_concurrent_sign_ups_and_logins(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    """Writers and SRP logins from many keep-alive connections at once all succeed."""
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            raw = RawClient(local.endpoint)
            for i in range(3):
                username = f"w{n}-{i}"
                for action, body in (
                    ("AdminCreateUser", {"MessageAction": "SUPPRESS"}),
                    ("AdminSetUserPassword", {"Password": PASSWORD, "Permanent": True}),
                ):
                    response = raw.call(
                        action, {"UserPoolId": pool_id, "Username": username, **body}
                    )
                    assert response.status_code == 200, response.text
                helper = srp.AuthenticationHelper(pool_id.split("_")[1])
                params = raw.call(
                    "InitiateAuth",
                    {
                        "ClientId": client_id,
                        "AuthFlow": "USER_SRP_AUTH",
                        "AuthParameters": {"USERNAME": username, "SRP_A": helper.large_a_hex},
                    },
                ).json()["ChallengeParameters"]
                timestamp = srp.now_timestamp()
                answer = {
                    "USERNAME": username,
                    "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                    "TIMESTAMP": timestamp,
                    "PASSWORD_CLAIM_SIGNATURE": helper.password_claim_signature(
                        username,
                        PASSWORD,
                        params["SALT"],
                        params["SRP_B"],
                        params["SECRET_BLOCK"],
                        timestamp,
                    ),
                }
                result = raw.call(
                    "RespondToAuthChallenge",
                    {
                        "ClientId": client_id,
                        "ChallengeName": "PASSWORD_VERIFIER",
                        "ChallengeResponses": answer,
                    },
                )
                assert result.status_code == 200, result.text
                access = result.json()["AuthenticationResult"]["AccessToken"]
                me = raw.call("GetUser", {"AccessToken": access}).json()
                assert me["Username"] == username
            raw.session.close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(idp.list_users(UserPoolId=pool_id)["Users"]) == 18


def test_refresh_token_expires(idp: Any, clock: ManualClock, pool_id: str, client_id: str) -> None:
    _user(idp, pool_id)
    tokens = _login(idp, pool_id, client_id)
    clock.advance(30 * 86400 - 60)
    assert idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]["AccessToken"]
    clock.advance(61)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
    assert caught.value.response["Error"]["Message"] == "Refresh Token has expired"
