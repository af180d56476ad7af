"""The local identity pools, driven by boto3's cognito-identity client on the same endpoint."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import boto3
import botocore.session
import jwt
import pytest
import requests
from botocore.exceptions import ClientError

from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.local.shapes import IDENTITY_INPUTS

from . import output_shapes
from .conftest import PASSWORD, RawClient
from .test_shapes import _compare

_IDENTITY_ID = re.compile(
    r"^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


@pytest.fixture
def cid(local: LocalCognito) -> Any:
    """A boto3 cognito-identity client pointed at the local server, its responses checked
    against botocore's output shapes."""
    client = boto3.client(
        "cognito-identity",
        endpoint_url=local.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    return output_shapes.install(client)


def provider(pool_id: str) -> str:
    return f"cognito-idp.us-east-1.amazonaws.com/{pool_id}"


def identity_pool(cid: Any, pool_id: str, client_id: str | None, guests: bool = False) -> str:
    entry = {"ProviderName": provider(pool_id)}
    if client_id is not None:
        entry["ClientId"] = client_id
    return str(
        cid.create_identity_pool(
            IdentityPoolName="app identities",
            AllowUnauthenticatedIdentities=guests,
            CognitoIdentityProviders=[entry],
        )["IdentityPoolId"]
    )


def id_token(idp: Any, pool_id: str, client_id: str, username: str = "alice") -> str:
    idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return str(result["IdToken"])


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.mark.parametrize("action", sorted(IDENTITY_INPUTS))
def test_shapes_match_botocore_model(action: str) -> None:
    model = botocore.session.get_session().get_service_model("cognito-identity")
    _compare(IDENTITY_INPUTS[action], model.operation_model(action).input_shape, action)


def test_create_describe_delete(cid: Any, pool_id: str, client_id: str) -> None:
    created = cid.create_identity_pool(
        IdentityPoolName="app identities",
        AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[{"ProviderName": provider(pool_id), "ClientId": client_id}],
    )
    assert _IDENTITY_ID.match(created["IdentityPoolId"])
    described = cid.describe_identity_pool(IdentityPoolId=created["IdentityPoolId"])
    assert described["AllowUnauthenticatedIdentities"] is True
    assert described["CognitoIdentityProviders"] == [
        {"ProviderName": provider(pool_id), "ClientId": client_id}
    ]
    cid.delete_identity_pool(IdentityPoolId=created["IdentityPoolId"])
    with pytest.raises(ClientError) as excinfo:
        cid.describe_identity_pool(IdentityPoolId=created["IdentityPoolId"])
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"IdentityPool '{created['IdentityPoolId']}' not found.",
    )


def test_guest_credentials(cid: Any, pool_id: str, client_id: str, clock: ManualClock) -> None:
    pool = identity_pool(cid, pool_id, client_id, guests=True)
    identity_id = cid.get_id(IdentityPoolId=pool)["IdentityId"]
    assert _IDENTITY_ID.match(identity_id)
    answer = cid.get_credentials_for_identity(IdentityId=identity_id)
    credentials = answer["Credentials"]
    assert answer["IdentityId"] == identity_id
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", credentials["AccessKeyId"])
    assert len(credentials["SecretKey"]) == 40
    assert credentials["SessionToken"].startswith("LocalCognitoIdentity/")
    assert credentials["Expiration"].timestamp() == int(clock.now()) + 3600
    again = cid.get_credentials_for_identity(IdentityId=identity_id)["Credentials"]
    assert again["AccessKeyId"] != credentials["AccessKeyId"]


def test_guests_refused_when_not_allowed(cid: Any, pool_id: str, client_id: str) -> None:
    pool = identity_pool(cid, pool_id, client_id, guests=False)
    with pytest.raises(ClientError) as excinfo:
        cid.get_id(IdentityPoolId=pool)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Unauthenticated access is not supported for this identity pool.",
    )


def test_authenticated_identity_is_stable_per_user(
    cid: Any, idp: Any, pool_id: str, client_id: str
) -> None:
    pool = identity_pool(cid, pool_id, client_id)
    alice = id_token(idp, pool_id, client_id, "alice")
    logins = {provider(pool_id): alice}
    first = cid.get_id(IdentityPoolId=pool, Logins=logins)["IdentityId"]
    assert cid.get_id(IdentityPoolId=pool, Logins=logins)["IdentityId"] == first
    bob = id_token(idp, pool_id, client_id, "bob")
    assert cid.get_id(IdentityPoolId=pool, Logins={provider(pool_id): bob})["IdentityId"] != first
    credentials = cid.get_credentials_for_identity(IdentityId=first, Logins=logins)
    assert credentials["Credentials"]["AccessKeyId"].startswith("ASIA")
    # Bob's token does not open Alice's identity, and no token at all neither.
    with pytest.raises(ClientError) as excinfo:
        cid.get_credentials_for_identity(IdentityId=first, Logins={provider(pool_id): bob})
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Logins don't match. Please include at least one valid login for this identity or"
        " identity pool.",
    )
    with pytest.raises(ClientError) as excinfo:
        cid.get_credentials_for_identity(IdentityId=first)
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_own_issuer_names_the_same_provider(
    local: LocalCognito, cid: Any, idp: Any, pool_id: str, client_id: str
) -> None:
    issuer_name = f"{local.endpoint.split('://', 1)[1]}/{pool_id}"
    pool = cid.create_identity_pool(
        IdentityPoolName="both",
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[
            {"ProviderName": provider(pool_id)},
            {"ProviderName": issuer_name},
        ],
    )["IdentityPoolId"]
    token = id_token(idp, pool_id, client_id)
    by_aws_name = cid.get_id(IdentityPoolId=pool, Logins={provider(pool_id): token})
    by_issuer = cid.get_id(IdentityPoolId=pool, Logins={issuer_name: token})
    assert by_aws_name["IdentityId"] == by_issuer["IdentityId"]


def _tampered(token: str) -> str:
    header, claims, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    decoded["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(decoded).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_bad_tokens_refused(
    cid: Any, idp: Any, pool_id: str, client_id: str, clock: ManualClock
) -> None:
    pool = identity_pool(cid, pool_id, client_id)
    token = id_token(idp, pool_id, client_id)

    def refusal(token: str, name: str = provider(pool_id)) -> tuple[str, str]:
        with pytest.raises(ClientError) as excinfo:
            cid.get_id(IdentityPoolId=pool, Logins={name: token})
        return error_of(excinfo)

    assert refusal(_tampered(token)) == (
        "NotAuthorizedException",
        "Invalid login token. Couldn't verify signed token.",
    )
    assert refusal("not-a-token") == (
        "NotAuthorizedException",
        "Invalid login token. Not a valid OpenId Connect identity token.",
    )
    assert refusal(token, provider("us-east-1_Other1234")) == (
        "NotAuthorizedException",
        "Token is not from a supported provider of this identity pool.",
    )
    # A token of another user pool on the same server, sent as this pool's login.
    other_pool = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    other_client = idp.create_user_pool_client(
        UserPoolId=other_pool, ClientName="o", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    assert refusal(id_token(idp, other_pool, other_client)) == (
        "NotAuthorizedException",
        "Invalid login token. Issuer doesn't match providerName",
    )
    clock.advance(3600)
    code, message = refusal(token)
    now = int(clock.now())
    assert (code, message) == (
        "NotAuthorizedException",
        f"Invalid login token. Token expired: {now} >= {now}",
    )


def test_audience_checked_against_client_id(
    cid: Any, idp: Any, pool_id: str, client_id: str
) -> None:
    other_client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="other", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    pool = identity_pool(cid, pool_id, other_client)
    with pytest.raises(ClientError) as excinfo:
        cid.get_id(
            IdentityPoolId=pool, Logins={provider(pool_id): id_token(idp, pool_id, client_id)}
        )
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid login token. Incorrect token audience.",
    )


def test_unknown_pool_and_identity(cid: Any) -> None:
    missing = "us-east-1:00000000-0000-4000-8000-000000000000"
    with pytest.raises(ClientError) as excinfo:
        cid.get_id(IdentityPoolId=missing)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"IdentityPool '{missing}' not found.",
    )
    with pytest.raises(ClientError) as excinfo:
        cid.get_credentials_for_identity(IdentityId=missing)
    assert error_of(excinfo) == ("ResourceNotFoundException", f"Identity '{missing}' not found.")


def test_guest_identity_does_not_take_logins(
    cid: Any, idp: Any, pool_id: str, client_id: str
) -> None:
    pool = identity_pool(cid, pool_id, client_id, guests=True)
    guest = cid.get_id(IdentityPoolId=pool)["IdentityId"]
    token = id_token(idp, pool_id, client_id)
    with pytest.raises(ClientError) as excinfo:
        cid.get_credentials_for_identity(IdentityId=guest, Logins={provider(pool_id): token})
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_unknown_identity_action(raw: RawClient) -> None:
    response = raw.session.post(
        raw.endpoint + "/",
        data="{}",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityService.MergeDeveloperIdentities",
        },
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["__type"] == "UnknownOperationException"


def test_open_id_token_verifies_with_the_servers_jwks(
    local: LocalCognito, cid: Any, idp: Any, pool_id: str, client_id: str, clock: ManualClock
) -> None:
    pool = identity_pool(cid, pool_id, client_id, guests=True)
    token = id_token(idp, pool_id, client_id)
    user = cid.get_id(IdentityPoolId=pool, Logins={provider(pool_id): token})["IdentityId"]
    answer = cid.get_open_id_token(IdentityId=user, Logins={provider(pool_id): token})
    assert answer["IdentityId"] == user
    jwks = requests.get(local.endpoint + "/.well-known/jwks_uri", timeout=10).json()
    # PyJWT, with the server's published key, as a service receiving the token would.
    header = jwt.get_unverified_header(answer["Token"])
    (jwk,) = [key for key in jwks["keys"] if key["kid"] == header["kid"]]
    claims = jwt.decode(
        answer["Token"],
        jwt.PyJWK(jwk).key,
        algorithms=["RS256"],
        audience=pool,
        issuer=local.endpoint,
        # The server's clock is a test clock set in 2027: only time claims are not checked.
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims["sub"] == user
    assert claims["amr"] == ["authenticated"]
    assert claims["exp"] == int(clock.now()) + 600
    guest = cid.get_id(IdentityPoolId=pool)["IdentityId"]
    guest_claims = jwt.decode(
        cid.get_open_id_token(IdentityId=guest)["Token"], options={"verify_signature": False}
    )
    assert (guest_claims["sub"], guest_claims["amr"]) == (guest, ["unauthenticated"])
    # The same checks as GetCredentialsForIdentity: no token, no OpenID token.
    with pytest.raises(ClientError) as excinfo:
        cid.get_open_id_token(IdentityId=user)
    assert error_of(excinfo)[0] == "NotAuthorizedException"


@pytest.mark.parametrize("registered_as_issuer", [False, True])
def test_either_provider_name_works_whichever_was_registered(
    local: LocalCognito,
    cid: Any,
    idp: Any,
    pool_id: str,
    client_id: str,
    registered_as_issuer: bool,
) -> None:
    issuer_name = f"{local.endpoint.split('://', 1)[1]}/{pool_id}"
    registered = issuer_name if registered_as_issuer else provider(pool_id)
    pool = cid.create_identity_pool(
        IdentityPoolName="one name",
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[{"ProviderName": registered, "ClientId": client_id}],
    )["IdentityPoolId"]
    token = id_token(idp, pool_id, client_id)
    by_aws_name = cid.get_id(IdentityPoolId=pool, Logins={provider(pool_id): token})
    by_issuer = cid.get_id(IdentityPoolId=pool, Logins={issuer_name: token})
    assert by_aws_name["IdentityId"] == by_issuer["IdentityId"]
    credentials = cid.get_credentials_for_identity(
        IdentityId=by_issuer["IdentityId"], Logins={provider(pool_id): token}
    )
    assert credentials["Credentials"]["AccessKeyId"].startswith("ASIA")
    # Another pool's name, in either form, is still not this identity pool's provider.
    other = f"{local.endpoint.split('://', 1)[1]}/us-east-1_Other1234"
    with pytest.raises(ClientError) as excinfo:
        cid.get_id(IdentityPoolId=pool, Logins={other: token})
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Token is not from a supported provider of this identity pool.",
    )


def test_identity_pools_are_listed_by_pages(cid: Any) -> None:
    created = {
        cid.create_identity_pool(IdentityPoolName=name, AllowUnauthenticatedIdentities=True)[
            "IdentityPoolId"
        ]: name
        for name in ("web", "mobile", "admin")
    }
    first = cid.list_identity_pools(MaxResults=2)
    assert len(first["IdentityPools"]) == 2 and first["NextToken"]
    rest = cid.list_identity_pools(MaxResults=2, NextToken=first["NextToken"])
    assert "NextToken" not in rest
    listed = {p["IdentityPoolId"]: p["IdentityPoolName"] for p in first["IdentityPools"]}
    listed.update({p["IdentityPoolId"]: p["IdentityPoolName"] for p in rest["IdentityPools"]})
    assert listed == created
    cid.delete_identity_pool(IdentityPoolId=next(iter(created)))
    assert len(cid.list_identity_pools(MaxResults=60)["IdentityPools"]) == 2
    with pytest.raises(ClientError, match="InvalidParameterException"):
        cid.list_identity_pools(MaxResults=2, NextToken="garbage")
