"""Change any signed part of a request the SDK signed (a header, the body, a query
value, the date, the token) and the local pool's endpoint refuses it with AWS's code,
in S3's XML for S3 and in JSON for other services."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
import requests

from cognito_identity import CognitoCredentials, SigV4Request
from cognito_identity.local import ManualClock

from .conftest import PoolSetup
from .signed_endpoint import aws_url, credentials, echo, refusal, user

__all__ = ["credentials", "user"]  # fixtures


def send(request: SigV4Request, **changes: Any) -> requests.Response:
    """Send ``request`` with ``headers``, ``body`` or ``url`` replaced as given."""
    headers = changes.get("headers", request.headers)
    return requests.request(
        request.method,
        changes.get("url", request.url),
        headers=headers,
        data=changes.get("body", request.body),
        timeout=10,
    )


def changed(headers: dict[str, str], **values: str | None) -> dict[str, str]:
    out = dict(headers)
    for name, value in values.items():
        name = name.replace("_", "-")
        if value is None:
            out.pop(name)
        else:
            out[name] = value
    return out


@pytest.fixture
def api_request(setup: PoolSetup, credentials: CognitoCredentials) -> SigV4Request:
    client = credentials.sigv4_client(aws_url(setup, "execute-api"), "execute-api", "eu-west-1")
    return SigV4Request(
        client, "POST", "/prod/items", {"color": "blue"}, {"X-Api-Version": "2"}, {"name": "lamp"}
    )


@pytest.fixture
def s3_request(setup: PoolSetup, credentials: CognitoCredentials) -> SigV4Request:
    client = credentials.sigv4_client(aws_url(setup, "s3"), "s3")
    return SigV4Request(client, "PUT", "/bucket/report.csv", {"tagging": ""}, body=b"a,b\n1,2\n")


def test_the_untouched_requests_are_accepted(
    api_request: SigV4Request, s3_request: SigV4Request
) -> None:
    assert echo(send(api_request))["body"] == '{"name":"lamp"}'
    assert echo(send(s3_request))["body"] == "a,b\n1,2\n"


def test_changed_parts_of_a_json_service_request(api_request: SigV4Request) -> None:
    headers = api_request.headers
    later = dt.datetime.strptime(headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ") + dt.timedelta(seconds=1)
    cases = {
        "a signed header": dict(headers=changed(headers, X_Api_Version="3")),
        "the body": dict(body=b'{"name":"lamq"}'),
        "a query value": dict(url=api_request.url.replace("color=blue", "color=red")),
        "the path": dict(url=api_request.url.replace("/items", "/items2")),
        "the date": dict(headers=changed(headers, X_Amz_Date=later.strftime("%Y%m%dT%H%M%SZ"))),
    }
    for what, change in cases.items():
        assert refusal(send(api_request, **change)) == (403, "SignatureDoesNotMatch"), what
    token = headers["X-Amz-Security-Token"]
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), None):
        answer = send(api_request, headers=changed(headers, X_Amz_Security_Token=bad))
        assert refusal(answer) == (403, "InvalidClientTokenId")
    unknown = headers["Authorization"].replace("Credential=ASIA", "Credential=ASIB")
    answer = send(api_request, headers=changed(headers, Authorization=unknown))
    assert refusal(answer) == (403, "InvalidClientTokenId")
    answer = send(api_request, headers=changed(headers, Authorization=None))
    assert refusal(answer) == (403, "MissingAuthenticationTokenException")


def test_changed_parts_of_an_s3_request(s3_request: SigV4Request) -> None:
    headers = s3_request.headers
    assert refusal(send(s3_request, body=b"a,b\n1,3\n")) == (400, "XAmzContentSHA256Mismatch")
    unsigned = changed(headers, X_Amz_Content_SHA256="UNSIGNED-PAYLOAD")
    assert refusal(send(s3_request, headers=unsigned)) == (403, "SignatureDoesNotMatch")
    url = s3_request.url.replace("report.csv", "report.tsv")
    assert refusal(send(s3_request, url=url)) == (403, "SignatureDoesNotMatch")
    token = changed(headers, X_Amz_Security_Token="LocalCognitoIdentity/forged")
    assert refusal(send(s3_request, headers=token)) == (400, "InvalidToken")
    unknown = changed(headers, Authorization=headers["Authorization"].replace("ASIA", "ASIB", 1))
    assert refusal(send(s3_request, headers=unknown)) == (403, "InvalidAccessKeyId")
    answer = send(s3_request, headers=changed(headers, Authorization=None))
    assert refusal(answer) == (403, "AccessDenied")
    assert answer.text.startswith("<?xml") and "<Error>" in answer.text


def test_unsigned_payload_is_taken_for_s3(
    setup: PoolSetup, credentials: CognitoCredentials
) -> None:
    client = credentials.sigv4_client(aws_url(setup, "s3"), "s3")
    request = SigV4Request(
        client, "PUT", "/bucket/big.bin", body=b"\x00" * 1000, unsigned_payload=True
    )
    assert echo(send(request))["body_size"] == 1000
    # The body is not signed: another one is accepted, as S3 accepts it.
    assert echo(send(request, body=b"\x01" * 10))["body_size"] == 10


def test_a_date_too_far_from_the_clock(setup: PoolSetup, credentials: CognitoCredentials) -> None:
    client = credentials.sigv4_client(aws_url(setup, "execute-api"), "execute-api")
    now = dt.datetime.now(dt.timezone.utc)
    for minutes, expected in ((14, 200), (16, 403), (-16, 403)):
        request = SigV4Request(client, "GET", "/prod", datetime=now + dt.timedelta(minutes=minutes))
        answer = send(request)
        assert answer.status_code == expected, minutes
        if expected == 403:
            assert refusal(answer) == (403, "RequestTimeTooSkewed")


def test_expired_credentials(
    setup: PoolSetup, credentials: CognitoCredentials, clock: ManualClock
) -> None:
    s3 = credentials.sigv4_client(aws_url(setup, "s3"), "s3")
    api = credentials.sigv4_client(aws_url(setup, "execute-api"), "execute-api")
    clock.advance(3601)  # the pool's clock: the key it issued has expired
    assert refusal(send(SigV4Request(s3, "GET", "/bucket/a"))) == (400, "ExpiredToken")
    assert refusal(send(SigV4Request(api, "GET", "/prod"))) == (403, "ExpiredToken")


def test_changed_presigned_urls(setup: PoolSetup, credentials: CognitoCredentials) -> None:
    s3 = credentials.sigv4_client(aws_url(setup, "s3"), "s3")
    url = s3.presign_url("GET", "/bucket/report.csv", {"versionId": "7"}, expires_in=60)
    assert echo(requests.get(url))["signed_with"] == "query"
    token = credentials.get_credentials().session_token
    quoted = requests.utils.quote(token, safe="")
    cases = {
        "a query value": (url.replace("versionId=7", "versionId=8"), "SignatureDoesNotMatch"),
        "the expiry": (
            url.replace("X-Amz-Expires=60", "X-Amz-Expires=600"),
            "SignatureDoesNotMatch",
        ),
        "the path": (url.replace("report.csv", "report.tsv"), "SignatureDoesNotMatch"),
        "the token": (url.replace(quoted, quoted[:-2]), "InvalidToken"),
    }
    for what, (changed_url, code) in cases.items():
        assert changed_url != url, what
        answer = requests.get(changed_url)
        assert refusal(answer)[1] == code, what
        assert token not in answer.text and quoted not in answer.text
    # The same URL for another method is another request.
    assert refusal(requests.delete(url)) == (403, "SignatureDoesNotMatch")
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=2)
    expired = s3.presign_url("GET", "/bucket/report.csv", expires_in=60, datetime=old)
    answer = requests.get(expired)
    assert refusal(answer) == (403, "AccessDenied") and "expired" in answer.text


def test_changed_post_uploads(setup: PoolSetup, credentials: CognitoCredentials) -> None:
    s3 = credentials.sigv4_client(aws_url(setup, "s3"), "s3")
    post = s3.presign_post(
        "bucket",
        "uploads/${filename}",
        fields={"Content-Type": "text/plain"},
        conditions=[{"Content-Type": "text/plain"}, ["content-length-range", 1, 10]],
    )

    def upload(bucket: str = "bucket", content: bytes = b"hello", **fields: str) -> Any:
        form = {**post.fields, **fields}
        return requests.post(
            f"{post.url}/{bucket}", data=form, files={"file": ("notes.txt", content)}
        )

    assert echo(upload())["key"] == "uploads/notes.txt"
    policy = json.loads(base64.b64decode(post.fields["policy"]))
    policy["conditions"][1] = ["content-length-range", 1, 10**6]
    forged = base64.b64encode(json.dumps(policy).encode()).decode()
    assert refusal(upload(policy=forged)) == (403, "SignatureDoesNotMatch")
    for change in (
        {"key": "elsewhere/notes.txt"},
        {"Content-Type": "text/html"},
        {"bucket": "other-bucket"},
        {"x-amz-meta-owner": "someone"},  # a field the policy does not mention
    ):
        answer = upload(**change)
        assert refusal(answer) == (403, "AccessDenied"), change
        assert "Invalid according to Policy" in answer.text
    assert refusal(upload(content=b"x" * 11)) == (400, "EntityTooLarge")
    assert refusal(upload(content=b"")) == (400, "EntityTooSmall")
    assert refusal(upload(**{"x-amz-security-token": "forged"})) == (400, "InvalidToken")
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2)
    expired = s3.presign_post("bucket", "a.txt", expires_in=60, datetime=old)
    answer = requests.post(f"{expired.url}/bucket", data=expired.fields, files={"file": b"x"})
    assert refusal(answer) == (403, "AccessDenied") and "Policy expired" in answer.text
