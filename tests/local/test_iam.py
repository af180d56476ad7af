"""IAM signatures of administrator calls, checked when the server is given credentials."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config

from cognito_identity.local import LocalCognito
from cognito_identity.local.iam import PUBLIC_ACTIONS, IamCredentials
from cognito_identity.sigv4 import AwsSigV4Client, SigV4Request

from . import output_shapes
from .conftest import PASSWORD

KEY, SECRET = "AKIDLOCALTEST", "local/Secret+Key"
TARGET = "AWSCognitoIdentityProviderService."
BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided."
    " Check your AWS Secret Access Key and signing method. Consult the service"
    " documentation for details."
)


@pytest.fixture
def signed_local() -> Iterator[LocalCognito]:
    with LocalCognito(iam_credentials=f"{KEY}:{SECRET}") as server:
        yield server


def _client(local: LocalCognito, service: str = "cognito-idp", **options: Any) -> Any:
    settings: dict[str, Any] = {
        "region_name": "us-east-1",
        "aws_access_key_id": KEY,
        "aws_secret_access_key": SECRET,
        **options,
    }
    return output_shapes.install(boto3.client(service, endpoint_url=local.endpoint, **settings))


def _error(caught: Any) -> tuple[int, str, str]:
    response = caught.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )


def test_the_public_action_list_matches_the_models() -> None:
    import botocore.session

    from cognito_identity.local.actions import ACTIONS, IDENTITY_ACTIONS

    session = botocore.session.get_session()
    for service, actions in (("cognito-idp", ACTIONS), ("cognito-identity", IDENTITY_ACTIONS)):
        model = session.get_service_model(service)
        for action in actions:
            unsigned = model.operation_model(action).auth_type == "none"
            assert (action in PUBLIC_ACTIONS) == unsigned, action


def test_the_right_key_is_accepted(signed_local: LocalCognito) -> None:
    idp = _client(signed_local)
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    assert [u["Username"] for u in idp.list_users(UserPoolId=pool_id)["Users"]] == ["ann"]
    cid = _client(signed_local, "cognito-identity")
    created = cid.create_identity_pool(IdentityPoolName="ids", AllowUnauthenticatedIdentities=True)
    assert cid.describe_identity_pool(IdentityPoolId=created["IdentityPoolId"])


def test_public_actions_need_no_signature(signed_local: LocalCognito) -> None:
    admin = _client(signed_local)
    pool_id = admin.create_user_pool(PoolName="p")["UserPool"]["Id"]
    client_id = admin.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    app = _client(signed_local, config=Config(signature_version=UNSIGNED))
    app.sign_up(ClientId=client_id, Username="ann", Password=PASSWORD)
    admin.admin_confirm_sign_up(UserPoolId=pool_id, Username="ann")
    # A public call signed with some other key is fine too: it is not checked.
    other = _client(signed_local, aws_access_key_id="other", aws_secret_access_key="other")
    tokens = other.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert app.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ann"
    guest_pool = _client(signed_local, "cognito-identity").create_identity_pool(
        IdentityPoolName="ids", AllowUnauthenticatedIdentities=True
    )["IdentityPoolId"]
    unsigned_cid = _client(
        signed_local, "cognito-identity", config=Config(signature_version=UNSIGNED)
    )
    assert unsigned_cid.get_id(IdentityPoolId=guest_pool)["IdentityId"]


def test_a_wrong_secret_is_refused(signed_local: LocalCognito) -> None:
    idp = _client(signed_local, aws_secret_access_key="not-the-secret")
    with pytest.raises(idp.exceptions.ClientError) as caught:
        idp.create_user_pool(PoolName="p")
    assert _error(caught) == (400, "InvalidSignatureException", BAD_SIGNATURE)
    cid = _client(signed_local, "cognito-identity", aws_secret_access_key="not-the-secret")
    with pytest.raises(cid.exceptions.ClientError) as caught:
        cid.create_identity_pool(IdentityPoolName="ids", AllowUnauthenticatedIdentities=True)
    assert _error(caught)[1] == "InvalidSignatureException"


def test_an_unknown_key_is_refused(signed_local: LocalCognito) -> None:
    idp = _client(signed_local, aws_access_key_id="AKIDSOMEONEELSE")
    with pytest.raises(idp.exceptions.ClientError) as caught:
        idp.list_user_pools(MaxResults=10)
    assert _error(caught) == (
        400,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )
    with_token = _client(signed_local, aws_session_token="some-session-token")
    with pytest.raises(idp.exceptions.ClientError) as caught:
        with_token.list_user_pools(MaxResults=10)
    assert _error(caught)[1] == "UnrecognizedClientException"


def test_an_unsigned_admin_call_is_refused(signed_local: LocalCognito) -> None:
    idp = _client(signed_local, config=Config(signature_version=UNSIGNED))
    with pytest.raises(idp.exceptions.ClientError) as caught:
        idp.list_user_pools(MaxResults=10)
    assert _error(caught) == (
        403,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    )


def test_the_wrong_scope_is_refused(signed_local: LocalCognito) -> None:
    idp = _client(signed_local, region_name="eu-west-1")
    with pytest.raises(idp.exceptions.ClientError) as caught:
        idp.list_user_pools(MaxResults=10)
    assert _error(caught) == (
        400,
        "InvalidSignatureException",
        "Credential should be scoped to a valid region, not 'eu-west-1'.",
    )


def _signed(
    local: LocalCognito, body: dict[str, Any], when: dt.datetime | None = None
) -> SigV4Request:
    signer = AwsSigV4Client(KEY, SECRET, local.endpoint, service_name="cognito-idp")
    return SigV4Request(
        signer,
        "POST",
        "/",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": TARGET + "ListUserPools",
        },
        body=json.dumps(body),
        datetime=when,
    )


def test_a_request_changed_after_signing_is_refused(signed_local: LocalCognito) -> None:
    request = _signed(signed_local, {"MaxResults": 10})
    sent = requests.post(request.url, headers=request.headers, data=request.body, timeout=10)
    assert sent.status_code == 200
    assert sent.json() == {"UserPools": []}
    changed = requests.post(
        request.url, headers=request.headers, data=b'{"MaxResults": 11}', timeout=10
    )
    assert (changed.status_code, changed.json()) == (
        400,
        {"__type": "InvalidSignatureException", "message": BAD_SIGNATURE},
    )


def test_an_old_signature_is_refused(signed_local: LocalCognito) -> None:
    an_hour_ago = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(hours=1)
    request = _signed(signed_local, {"MaxResults": 10}, an_hour_ago)
    sent = requests.post(request.url, headers=request.headers, data=request.body, timeout=10)
    assert sent.status_code == 400
    assert sent.json()["__type"] == "InvalidSignatureException"
    assert sent.json()["message"].startswith("Signature expired: ")


def test_a_garbled_authorization_is_incomplete(signed_local: LocalCognito) -> None:
    response = requests.post(
        signed_local.endpoint,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": TARGET + "ListUserPools",
            "Authorization": "Bearer something",
        },
        data=b'{"MaxResults": 1}',
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["__type"] == "IncompleteSignatureException"


def test_the_secret_is_never_shown() -> None:
    credentials = IamCredentials.parse(f"{KEY}:{SECRET}")
    assert credentials.secret_access_key == SECRET
    assert SECRET not in repr(credentials)
    with LocalCognito(iam_credentials=f"{KEY}:{SECRET}") as local:
        assert SECRET not in repr(local._context.signatures)
    for bad in ("no-colon", ":secret", "key:"):
        with pytest.raises(ValueError, match="ACCESS_KEY_ID:SECRET_ACCESS_KEY") as caught:
            IamCredentials.parse(bad)
        assert "secret" not in str(caught.value).replace("SECRET_ACCESS_KEY", "")


def test_the_sdks_user_pool_admin_is_checked_too(signed_local: LocalCognito) -> None:
    from cognito_identity import UserPoolAdmin
    from cognito_identity.errors import CognitoError
    from cognito_identity.signing import AwsCredentials

    pool_id = _client(signed_local).create_user_pool(PoolName="p")["UserPool"]["Id"]
    admin = UserPoolAdmin(
        pool_id, credentials=AwsCredentials(KEY, SECRET), endpoint=signed_local.endpoint
    )
    admin.create_user("ann", message_action="SUPPRESS")
    assert admin.get_user("ann").username == "ann"
    impostor = UserPoolAdmin(
        pool_id,
        credentials=AwsCredentials(KEY, "not-the-secret"),
        endpoint=signed_local.endpoint,
    )
    with pytest.raises(CognitoError) as caught:
        impostor.get_user("ann")
    assert (caught.value.code, caught.value.status_code) == ("InvalidSignatureException", 400)
    admin.close()
    impostor.close()
