"""The Python surface of SigV4: the original SDK's use cases, the Q22 fixes, bad input,
secrets kept out of reprs and messages, threads, and requests sent over a real socket
whose signatures a botocore-based verifier (playing AWS) recomputes from what arrived."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import botocore.auth
import pytest
import requests
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from cognito_identity.errors import CognitoError, SigV4Error
from cognito_identity.sigv4 import AwsSigV4Client, SigV4Auth, SigV4Request

ACCESS_KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "FQoGZXIvYXdzEXAMPLE-session-token//+="
DATE = "20240229T235959Z"


def client(endpoint: str = "https://api.example.com/dev", **kwargs: Any) -> AwsSigV4Client:
    kwargs.setdefault("region", "eu-west-1")
    return AwsSigV4Client(ACCESS_KEY, SECRET, endpoint, **kwargs)


# --- Use cases of the original SDK's README ---


def test_api_gateway_example() -> None:
    """README 'For API Gateway & Lambda': POST with headers, query and a JSON body."""
    api = client(session_token=TOKEN)
    request = SigV4Request(
        api,
        "POST",
        "/projects",
        headers={"header-1": "one", "header-2": "two"},
        query_params={"tracking": "x123"},
        body={"color": "blue"},
        datetime=DATE,
    )
    assert request.method == "POST"
    assert request.url == "https://api.example.com/dev/projects?tracking=x123"
    assert request.body == b'{"color":"blue"}'
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["X-Amz-Date"] == DATE
    assert request.headers["X-Amz-Security-Token"] == TOKEN
    assert request.headers["Authorization"].startswith(
        f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20240229/eu-west-1/execute-api/aws4_request, "
        "SignedHeaders=accept;content-type;header-1;header-2;host;x-amz-date;"
        "x-amz-security-token, Signature="
    )


def test_appsync_example_keeps_the_given_content_type() -> None:
    """README 'For AppSync's GraphQL' with IAM: service appsync, GraphQL content type."""
    appsync = client("https://xyz.appsync-api.eu-west-1.amazonaws.com", service_name="appsync")
    request = SigV4Request(
        appsync,
        "POST",
        "/graphql",
        headers={"Content-Type": "application/graphql; charset=utf-8"},
        body={"operationName": "GetEvent", "query": "query GetEvent { getEvent { id } }"},
        datetime=DATE,
    )
    assert request.headers["Content-Type"] == "application/graphql; charset=utf-8"
    assert "content-type:application/graphql; charset=utf-8\n" in str(request.canonical_request)
    assert request.credential_scope == "20240229/eu-west-1/appsync/aws4_request"
    assert json.loads(request.body) == {
        "operationName": "GetEvent",
        "query": "query GetEvent { getEvent { id } }",
    }


def test_use_case_17_authorization_header_is_sent_verbatim_and_nothing_is_signed() -> None:
    jwt = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"
    request = SigV4Request(
        client(session_token=TOKEN),
        "post",
        "/path",
        headers={"Content-Type": "application/graphql", "Accept": "application/json"},
        body={"query": "{ me }"},
        authorization_header=jwt,
    )
    assert request.method == "POST"
    assert request.url == "https://api.example.com/dev/path"
    assert request.headers == {
        "Content-Type": "application/graphql",
        "Accept": "application/json",
        "Authorization": jwt,
    }
    assert request.body == b'{"query":"{ me }"}'
    assert request.canonical_request is None
    assert request.string_to_sign is None
    assert request.signature is None


def test_s3_get_object_example() -> None:
    """README 'For S3 GET Object': a header-signed GET with x-amz-content-sha256 and the
    session token, the key encoded segment by segment."""
    s3 = client("https://s3.ap-southeast-1.amazonaws.com", service_name="s3", session_token=TOKEN)
    key = "my-s3-bucket/ap-southeast-1:xxxxxxxx-xxxx/square cinnamon.jpg"
    request = SigV4Request(s3, "GET", key, datetime=DATE)
    empty = hashlib.sha256(b"").hexdigest()
    assert request.url == (
        "https://s3.ap-southeast-1.amazonaws.com/my-s3-bucket/"
        "ap-southeast-1%3Axxxxxxxx-xxxx/square%20cinnamon.jpg"
    )
    assert request.headers["X-Amz-Content-SHA256"] == empty
    assert (
        request.signed_headers == "accept;host;x-amz-content-sha256;x-amz-date;x-amz-security-token"
    )
    assert str(request.canonical_request).split("\n")[1] == (
        "/my-s3-bucket/ap-southeast-1%3Axxxxxxxx-xxxx/square%20cinnamon.jpg"
    )


def test_s3_upload_example_presigned_post() -> None:
    """README 'For S3 Uploads': the form fields of a presigned POST policy."""
    s3 = client(
        "https://my-s3-bucket.s3-ap-southeast-1.amazonaws.com",
        service_name="s3",
        region="ap-southeast-1",
        session_token=TOKEN,
    )
    post = s3.presign_post(
        "my-s3-bucket",
        "test/ap-southeast-1:id/${filename}",
        fields={"acl": "public-read"},
        conditions=[{"acl": "public-read"}, ["content-length-range", 1, 1024]],
        expires_in=900,
        datetime=DATE,
    )
    assert post.url == "https://my-s3-bucket.s3-ap-southeast-1.amazonaws.com"
    policy = json.loads(base64.b64decode(post.fields["policy"]))
    assert policy["expiration"] == "2024-03-01T00:14:59Z"
    assert policy["conditions"] == [
        {"acl": "public-read"},
        ["content-length-range", 1, 1024],
        {"bucket": "my-s3-bucket"},
        ["starts-with", "$key", "test/ap-southeast-1:id/"],
        {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
        {"x-amz-credential": f"{ACCESS_KEY}/20240229/ap-southeast-1/s3/aws4_request"},
        {"x-amz-date": DATE},
        {"x-amz-security-token": TOKEN},
    ]
    assert post.fields["key"] == "test/ap-southeast-1:id/${filename}"
    assert post.fields["acl"] == "public-read"
    assert post.fields["x-amz-security-token"] == TOKEN
    assert len(post.fields["x-amz-signature"]) == 64


# --- Q22: what the original SDK got wrong, done as AWS specifies ---


def botocore_authorization(
    request: SigV4Request, service: str, region: str, token: str | None = None
) -> str:
    """botocore's Authorization for the request we built, at our timestamp."""
    auth_class = botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth
    auth = auth_class(Credentials(ACCESS_KEY, SECRET, token), service, region)
    parts = urlsplit(request.url)
    theirs = AWSRequest(
        method=request.method,
        url=f"{parts.scheme}://{parts.netloc}{parts.path}",
        data=request.body,
        params=parse_qsl(parts.query, keep_blank_values=True),
    )
    for name, value in request.headers.items():
        if name.lower() not in {
            "authorization",
            "x-amz-date",
            "x-amz-security-token",
            "x-amz-content-sha256",
        }:
            theirs.headers[name] = value
    moment = dt.datetime.strptime(request.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=moment):
        auth.add_auth(theirs)
    return str(theirs.headers["Authorization"])


def test_q22_session_token_is_signed() -> None:
    request = SigV4Request(client(session_token=TOKEN), "GET", "/", datetime=DATE)
    assert "x-amz-security-token" in str(request.signed_headers).split(";")
    assert f"x-amz-security-token:{TOKEN}\n" in str(request.canonical_request)


def test_q22_non_default_port_is_kept_in_url_and_host() -> None:
    request = SigV4Request(client("https://localhost:8443/base"), "GET", "/x", datetime=DATE)
    assert request.url == "https://localhost:8443/base/x"
    assert "\nhost:localhost:8443\n" in str(request.canonical_request)
    default = SigV4Request(client("https://Example.com:443"), "GET", "/x", datetime=DATE)
    assert default.url == "https://example.com/x"
    assert "\nhost:example.com\n" in str(default.canonical_request)


def test_q22_str_body_is_sent_as_is_not_json_encoded_again() -> None:
    request = SigV4Request(client(), "POST", "/", body="abc", datetime=DATE)
    assert request.body == b"abc"
    payload_hash = str(request.canonical_request).rsplit("\n", 1)[1]
    assert payload_hash == hashlib.sha256(b"abc").hexdigest()


def test_q22_empty_or_missing_path_is_the_base_path_or_slash() -> None:
    assert SigV4Request(client("https://h.example"), "GET").url == "https://h.example/"
    assert SigV4Request(client("https://h.example/dev/"), "GET").url == "https://h.example/dev"
    assert SigV4Request(client("https://h.example/dev/"), "GET", "a").url == (
        "https://h.example/dev/a"
    )
    request = SigV4Request(client("https://h.example"), "GET", "", datetime=DATE)
    assert str(request.canonical_request).split("\n")[1] == "/"


def test_q22_path_and_query_keys_are_encoded_like_aws() -> None:
    request = SigV4Request(
        client("https://h.example"),
        "GET",
        "/a+b/c,d/e=f/é",
        query_params=[("a b", "1+1"), ("a b", ""), ("k", "x y")],
        datetime=DATE,
    )
    assert request.url == ("https://h.example/a%2Bb/c%2Cd/e%3Df/%C3%A9?a%20b=&a%20b=1%2B1&k=x%20y")
    # Not S3: the path is encoded a second time in the canonical request.
    assert str(request.canonical_request).split("\n")[1] == "/a%252Bb/c%252Cd/e%253Df/%25C3%25A9"
    assert request.headers["Authorization"] == botocore_authorization(
        request, "execute-api", "eu-west-1"
    )


def test_q22_header_values_are_trimmed_and_folded() -> None:
    request = SigV4Request(
        client(), "GET", "/", headers={"X-Spaced": "  a \t  b   c  "}, datetime=DATE
    )
    assert "\nx-spaced:a b c\n" in str(request.canonical_request)
    assert request.headers["X-Spaced"] == "a \t  b   c"
    assert request.headers["Authorization"] == botocore_authorization(
        request, "execute-api", "eu-west-1"
    )


def test_s3_paths_are_neither_normalised_nor_double_encoded() -> None:
    s3 = client("https://b.s3.amazonaws.com", service_name="s3")
    request = SigV4Request(s3, "GET", "/a//b c/", datetime=DATE)
    assert str(request.canonical_request).split("\n")[1] == "/a//b%20c/"
    other = SigV4Request(client("https://h.example"), "GET", "/a//b c/", datetime=DATE)
    assert str(other.canonical_request).split("\n")[1] == "/a/b%2520c/"


def test_unsigned_payload_for_s3() -> None:
    s3 = client("https://b.s3.amazonaws.com", service_name="s3")
    request = SigV4Request(s3, "PUT", "/k", body=b"data", datetime=DATE, unsigned_payload=True)
    assert request.headers["X-Amz-Content-SHA256"] == "UNSIGNED-PAYLOAD"
    assert str(request.canonical_request).endswith("\nUNSIGNED-PAYLOAD")
    assert request.body == b"data"


def test_body_kinds() -> None:
    api = client()
    assert SigV4Request(api, "POST", "/", body=b"\x00\xff").body == b"\x00\xff"
    assert SigV4Request(api, "POST", "/", body=bytearray(b"ab")).body == b"ab"
    assert SigV4Request(api, "POST", "/", body="é").body == "é".encode()
    assert SigV4Request(api, "POST", "/", body=[1, "é"]).body == '[1,"é"]'.encode()
    get = SigV4Request(api, "GET", "/")
    assert get.body == b""
    assert "Content-Type" not in get.headers
    assert get.headers["Accept"] == "application/json"
    empty = SigV4Request(api, "POST", "/", body="")
    assert "Content-Type" not in empty.headers


def test_datetime_objects_are_converted_to_utc() -> None:
    api = client()
    aware = dt.datetime(2024, 3, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert SigV4Request(api, "GET", "/", datetime=aware).headers["X-Amz-Date"] == DATE.replace(
        "235959", "230000"
    )
    naive = dt.datetime(2024, 2, 29, 23, 59, 59)
    assert SigV4Request(api, "GET", "/", datetime=naive).headers["X-Amz-Date"] == DATE


def test_the_default_time_is_now() -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stamp = SigV4Request(client(), "GET", "/").headers["X-Amz-Date"]
    after = dt.datetime.now(dt.timezone.utc)
    signed = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
    assert before <= signed <= after


def test_presigned_url_carries_every_auth_parameter() -> None:
    url = client(session_token=TOKEN).presign_url(
        "GET", "/file", {"a": "1"}, expires_in=604800, datetime=DATE
    )
    query = dict(p.split("=", 1) for p in urlsplit(url).query.split("&"))
    assert set(query) == {
        "a",
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
    }
    assert query["X-Amz-Expires"] == "604800"
    assert query["X-Amz-SignedHeaders"] == "host"
    assert url.endswith(f"&X-Amz-Signature={query['X-Amz-Signature']}")


# --- Bad input ---


@pytest.mark.parametrize(
    "kwargs",
    [
        {"endpoint": "ftp://example.com"},
        {"endpoint": "example.com"},
        {"endpoint": "https://user:pw@example.com"},
        {"endpoint": "https://example.com/?q=1"},
        {"endpoint": "https://example.com/a b"},
        {"endpoint": "https://exämple.com"},
        {"endpoint": "https://example.com:99999"},
        {"region": ""},
        {"region": "eu/west"},
        {"service_name": ""},
        {"access_key_id": ""},
        {"access_key_id": "AK/ID"},
        {"secret_access_key": ""},
        {"session_token": ""},
        {"session_token": "tok\r\nX-Evil: 1"},
        {"default_accept_type": "a\nb"},
    ],
)
def test_bad_client_settings_raise_sigv4_error(kwargs: dict[str, str]) -> None:
    settings: dict[str, Any] = {
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET,
        "endpoint": "https://example.com",
        **kwargs,
    }
    with pytest.raises(SigV4Error) as caught:
        AwsSigV4Client(**settings)
    assert isinstance(caught.value, CognitoError)
    assert isinstance(caught.value, ValueError)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": ""},
        {"method": "GE T"},
        {"headers": {"Caf\u00e9": "x"}},
        {"headers": {"": "x"}},
        {"headers": {"X-Token": f"{TOKEN}\r\nX-Injected: 1"}},
        {"headers": {"X-A": 1}},
        {"headers": [("X-A",)]},
        {"headers": 5},
        {"query_params": {"a": 1}},
        {"query_params": {1: "a"}},
        {"query_params": ["ab"]},
        {"datetime": "2024-02-29T23:59:59Z"},
        {"datetime": "20230229T000000Z"},
        {"datetime": 1700000000},
        {"body": object()},
        {"body": {"a": object()}},
        {"body": 3.5},
    ],
)
def test_bad_requests_raise_sigv4_error(kwargs: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"method": "GET", "path": "/", **kwargs}
    with pytest.raises(SigV4Error) as caught:
        SigV4Request(client(session_token=TOKEN), **arguments)
    assert TOKEN not in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("expires_in", [0, 604801, -1, 2**70, "3600", 1.5, None])
def test_presign_expiry_out_of_range(expires_in: Any) -> None:
    with pytest.raises(SigV4Error, match="expiry"):
        client().presign_url("GET", "/", expires_in=expires_in)


def test_presign_refuses_reserved_query_parameters() -> None:
    with pytest.raises(SigV4Error, match="X-Amz-Signature"):
        client().presign_url("GET", "/", {"X-Amz-Signature": "x"})


def test_presign_post_needs_s3_and_a_positive_expiry() -> None:
    with pytest.raises(SigV4Error, match="S3"):
        client().presign_post("bucket", "key")
    s3 = client("https://b.s3.amazonaws.com", service_name="s3")
    for bad in (0, -5, "60", 10**20):
        with pytest.raises(SigV4Error):
            s3.presign_post("bucket", "key", expires_in=bad)  # type: ignore[arg-type]
    with pytest.raises(SigV4Error):
        s3.presign_post("bucket", "key", conditions=[{"a": object()}])


def test_from_url_rejects_bad_urls() -> None:
    for url in ["not a url", "https://h/%zz?x", "https://h/?a=%G0", "https://h/\nx"]:
        with pytest.raises(SigV4Error):
            s3 = client("https://b.s3.amazonaws.com", service_name="s3")
            SigV4Request.from_url(s3, "GET", url)


def test_secrets_never_appear_in_reprs() -> None:
    s3 = client("https://b.s3.amazonaws.com", service_name="s3", session_token=TOKEN)
    request = SigV4Request(s3, "GET", "/k", datetime=DATE)
    post = s3.presign_post("b", "k", datetime=DATE)
    texts = [repr(s3), str(s3), repr(request), repr(post), repr(SigV4Auth(s3)), repr(s3._signer)]
    for text in texts:
        assert SECRET not in text
        assert TOKEN not in text
        assert request.signature is not None and request.signature not in text
    assert "AKIDEXAMPLE" in repr(s3)


# --- requests integration ---


def test_requests_auth_rewrites_the_query_and_signs_str_bodies_as_latin_1() -> None:
    prepared = requests.Request(
        "POST",
        "https://api.example.com/dev/items",
        params=[("q", "a b"), ("q", "a+b")],
        data="caf\u00e9",
        auth=SigV4Auth(client(session_token=TOKEN)),
    ).prepare()
    assert prepared.url == "https://api.example.com/dev/items?q=a%20b&q=a%2Bb"
    assert prepared.body == "caf\u00e9".encode("latin-1")
    assert prepared.headers["X-Amz-Security-Token"] == TOKEN
    assert "SignedHeaders=content-length;" in prepared.headers["Authorization"]


def test_requests_auth_refuses_unsendable_bodies() -> None:
    auth = SigV4Auth(client())
    with pytest.raises(SigV4Error, match="Latin-1"):
        requests.Request("POST", "https://h.example/", data="\u4e2d", auth=auth).prepare()
    stream = iter([b"a", b"b"])
    with pytest.raises(SigV4Error, match="unsigned_payload"):
        requests.Request("POST", "https://h.example/", data=stream, auth=auth).prepare()
    s3 = client("https://b.s3.amazonaws.com", service_name="s3")
    prepared = requests.Request(
        "PUT",
        "https://b.s3.amazonaws.com/k",
        data=iter([b"a"]),
        auth=SigV4Auth(s3, unsigned_payload=True),
    ).prepare()
    assert prepared.headers["X-Amz-Content-SHA256"] == "UNSIGNED-PAYLOAD"


# --- Threads ---


def test_signing_from_many_threads_gives_the_same_signature() -> None:
    api = client(session_token=TOKEN)
    dates = [
        "20240101T000000Z",
        "20240102T000000Z",
        "20240103T000000Z",
        "20240104T000000Z",
        "20240105T000000Z",
        "20240106T000000Z",
    ]

    def sign(index: int) -> tuple[int, str]:
        date = dates[index % len(dates)]
        request = SigV4Request(api, "POST", "/x", body=b"payload", datetime=date)
        return index % len(dates), str(request.signature)

    expected = dict(sign(i) for i in range(len(dates)))
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(sign, range(2000)))
    assert all(signature == expected[day] for day, signature in results)


# --- Over a real socket, verified like AWS would ---


class Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, str, list[tuple[str, str]], bytes]]] = []

    def do_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        Recorder.received.append((self.command, self.path, list(self.headers.items()), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_any

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Recorder.received = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def verify_as_aws(origin: str, service: str, token: str | None) -> None:
    """Recompute each received request's signature with botocore from the headers named
    in its SignedHeaders, as the service would."""
    assert Recorder.received
    for method, target, headers, body in Recorder.received:
        received = dict((name.lower(), value) for name, value in headers)
        authorization = received["authorization"]
        signed_names = authorization.split("SignedHeaders=")[1].split(",")[0].split(";")
        auth_class = botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth
        auth = auth_class(Credentials(ACCESS_KEY, SECRET, token), service, "eu-west-1")
        request = AWSRequest(method=method, url=origin + target, data=body)
        for name in signed_names:
            if name not in {"x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}:
                request.headers[name] = received[name]
        if received.get("x-amz-content-sha256") == "UNSIGNED-PAYLOAD":
            request.headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
        moment = dt.datetime.strptime(received["x-amz-date"], "%Y%m%dT%H%M%SZ")
        with mock.patch("botocore.auth.get_current_datetime", return_value=moment):
            auth.add_auth(request)
        assert request.headers["Authorization"] == authorization, (method, target)


@pytest.mark.parametrize("service", ["execute-api", "s3"])
def test_signed_requests_verify_after_travelling(server: str, service: str) -> None:
    api = client(server + "/stage", service_name=service, session_token=TOKEN)
    session = requests.Session()
    signed = SigV4Request(
        api,
        "POST",
        "/a b/ü",
        query_params=[("x", "1 2"), ("x", "")],
        headers={"X-Meta": "  v  w "},
        body={"k": "é"},
    )
    session.request(signed.method, signed.url, headers=signed.headers, data=signed.body)
    session.get(server + "/items/a=b", params={"q": "a+b c"}, auth=SigV4Auth(api))
    session.put(server + "/k", data=b"\x00\x01", auth=SigV4Auth(api))
    session.post(server + "/f", data={"form": "v w"}, auth=SigV4Auth(api))
    verify_as_aws(server, service, TOKEN)
    assert len(Recorder.received) == 4
