"""The local pool's signed-request endpoint (``/_local/aws/<service>/...``) at the HTTP
level, with guest credentials from its identity pools: bodies sent chunked, HEAD, what
it refuses before any signature check, DeleteIdentities and the credentials' lifetime."""

from __future__ import annotations

import http.client
import json
import logging
from typing import Any

import boto3
import pytest
import requests

from cognito_identity import AwsSigV4Client, SigV4Request
from cognito_identity.local import LocalCognito, ManualClock

from .test_identity import error_of


def guest_client(
    local: LocalCognito, service: str = "execute-api"
) -> tuple[Any, AwsSigV4Client, dict[str, Any]]:
    """A cognito-identity client, a signer holding a fresh guest's credentials, and
    those credentials as GetCredentialsForIdentity answered them."""
    cid = boto3.client(
        "cognito-identity",
        endpoint_url=local.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    pool = cid.create_identity_pool(IdentityPoolName="guests", AllowUnauthenticatedIdentities=True)
    identity_id = cid.get_id(IdentityPoolId=pool["IdentityPoolId"])["IdentityId"]
    issued = cid.get_credentials_for_identity(IdentityId=identity_id)["Credentials"]
    signer = AwsSigV4Client(
        issued["AccessKeyId"],
        issued["SecretKey"],
        f"{local.endpoint}/_local/aws/{service}",
        service_name=service,
        session_token=issued["SessionToken"],
    )
    return cid, signer, issued


def test_chunked_body_and_head(local: LocalCognito) -> None:
    _cid, signer, _issued = guest_client(local, "s3")
    request = SigV4Request(signer, "PUT", "/bucket/key", body=b"first,second")
    host, port = local.endpoint.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("PUT", request.url.split(str(port), 1)[1])
    for name, value in {**request.headers, "Transfer-Encoding": "chunked"}.items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(b"6\r\nfirst,\r\n6\r\nsecond\r\n0\r\n\r\n")
    answer = connection.getresponse()
    content = answer.read()
    assert answer.status == 200, content
    echo = json.loads(answer.getheader("x-local-echo") or "{}")
    assert (content, echo["body"]) == (b"", "first,second")
    connection.close()

    head = SigV4Request(signer, "HEAD", "/bucket/key")
    answer = requests.head(head.url, headers=head.headers, timeout=10)
    assert answer.status_code == 200 and answer.content == b""
    assert json.loads(answer.headers["x-local-echo"])["method"] == "HEAD"


def test_refused_before_any_signature_check(local: LocalCognito) -> None:
    base = f"{local.endpoint}/_local/aws"
    malformed = {"Authorization": "AWS4-HMAC-SHA256 Credential=nothing-else"}
    answer = requests.get(f"{base}/execute-api/x", headers=malformed, timeout=10)
    assert (answer.status_code, answer.json()["__type"]) == (403, "IncompleteSignatureException")
    answer = requests.get(f"{base}/s3/bucket", headers=malformed, timeout=10)
    assert answer.status_code == 400 and "<Code>AuthorizationHeaderMalformed</Code>" in answer.text
    assert requests.get(f"{base}/", timeout=10).status_code == 400
    # Other paths take only Cognito's methods, as before.
    assert requests.put(f"{local.endpoint}/", data=b"x", timeout=10).status_code == 501


def test_a_key_signed_for_another_service_is_refused(local: LocalCognito) -> None:
    _cid, signer, _issued = guest_client(local, "execute-api")
    request = SigV4Request(signer, "GET", "/prod")
    answer = requests.get(
        request.url.replace("/execute-api/", "/appsync/"), headers=request.headers, timeout=10
    )
    assert (answer.status_code, answer.json()["__type"]) == (403, "SignatureDoesNotMatch")


def test_delete_identities(local: LocalCognito) -> None:
    cid, signer, _issued = guest_client(local)
    pool = cid.create_identity_pool(IdentityPoolName="more", AllowUnauthenticatedIdentities=True)
    identity_id = cid.get_id(IdentityPoolId=pool["IdentityPoolId"])["IdentityId"]
    missing = "us-east-1:00000000-0000-4000-8000-000000000000"
    answer = cid.delete_identities(IdentityIdsToDelete=[identity_id, missing])
    assert answer["UnprocessedIdentityIds"] == [
        {"IdentityId": missing, "ErrorCode": "InternalServerError"}
    ]
    with pytest.raises(cid.exceptions.ResourceNotFoundException) as raised:
        cid.get_credentials_for_identity(IdentityId=identity_id)
    assert error_of(raised)[0] == "ResourceNotFoundException"
    # Keys issued before stay good until they expire, as STS keys do.
    request = SigV4Request(signer, "GET", "/prod")
    assert requests.get(request.url, headers=request.headers, timeout=10).status_code == 200


def test_credentials_lifetime_can_be_shortened() -> None:
    clock = ManualClock()
    with LocalCognito(clock=clock, credentials_lifetime=120) as local:
        _cid, signer, issued = guest_client(local)
        assert issued["Expiration"].timestamp() == int(clock.now()) + 120
        request = SigV4Request(signer, "GET", "/prod")
        assert requests.get(request.url, headers=request.headers, timeout=10).status_code == 200
        clock.advance(121)
        answer = requests.get(request.url, headers=request.headers, timeout=10)
        assert (answer.status_code, answer.json()["__type"]) == (403, "ExpiredToken")
    with pytest.raises(ValueError):
        LocalCognito(credentials_lifetime=0)


def test_no_session_token_in_the_logs(
    local: LocalCognito, caplog: pytest.LogCaptureFixture
) -> None:
    _cid, signer, issued = guest_client(local, "s3")
    caplog.set_level(logging.DEBUG, logger="cognito_identity.local")
    url = signer.presign_url("GET", "/bucket/key")
    assert requests.get(url, timeout=10).status_code == 200
    assert requests.get(url + "x", timeout=10).status_code == 403
    assert "/_local/aws/s3/bucket/key" in caplog.text
    token = issued["SessionToken"]
    assert token.split("/", 1)[1][:40] not in caplog.text
