"""Seeded random requests signed by us and by botocore at the same timestamp.

botocore is the reference: ``SigV4Auth``/``S3SigV4Auth`` for header signing,
``SigV4QueryAuth``/``S3SigV4QueryAuth`` for presigned URLs and the S3 client's
``generate_presigned_post`` for POST policies. Its clock is frozen by patching
``get_current_datetime`` where botocore looks it up, as its own tests freeze time.

botocore is handed the request exactly as it would travel: the URL after urllib3's
dot-segment removal (what ``requests`` sends), the caller's headers plus the defaults the
client adds, and the body bytes.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import botocore.auth
import botocore.session
import pytest
import requests
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from urllib3.util import parse_url

from cognito_identity.sigv4 import AwsSigV4Client, SigV4Auth, SigV4Request

SEED = 20261126
SIGNER_HEADERS = {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}

SEGMENT_PIECES = [
    *string.ascii_letters,
    *string.digits,
    *"-._~",
    *"!$&'()*+,;=:@",
    " ",
    "%",
    "%20",
    "\u00e9",
    "\u1234",
    "\u4e2d\u6587",
    "\U0001f600",
]
TEXT_PIECES = [*SEGMENT_PIECES, "/", "?", "#", "[", "]", '"', "<", ">", "\\", "^", "`", "|"]
HEADER_NAME_CHARS = string.ascii_letters + string.digits + "-_!#$%&'*+.^`|~"
HEADER_VALUE_PIECES = [*(chr(c) for c in range(0x21, 0x7F)), " ", "  ", "\t", "\u00e9", "\u4e2d"]
UNSIGNED_BY_BOTH = ["User-Agent", "Expect", "X-Amzn-Trace-Id", "Connection"]


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    with (
        mock.patch("botocore.auth.get_current_datetime", return_value=moment),
        mock.patch("botocore.signers.get_current_datetime", return_value=moment),
    ):
        yield


def amz(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def random_text(rng: random.Random, pieces: list[str], low: int, high: int) -> str:
    return "".join(rng.choice(pieces) for _ in range(rng.randint(low, high)))


def random_moment(rng: random.Random) -> dt.datetime:
    start = dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc)
    return start + dt.timedelta(seconds=rng.randrange(16 * 365 * 86400))


def random_credentials(rng: random.Random) -> tuple[str, str, str | None]:
    access_key = "AKIA" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=16))
    secret = "".join(rng.choices(string.ascii_letters + string.digits + "+/", k=40))
    token = None
    if rng.random() < 0.5:
        token = "".join(rng.choices(string.ascii_letters + string.digits + "+/=", k=200))
    return access_key, secret, token


def random_endpoint(rng: random.Random, s3: bool) -> str:
    scheme = rng.choice(["https", "https", "http"])
    host = rng.choice(
        [
            "abc123.execute-api.eu-west-1.amazonaws.com",
            "My-Bucket.S3.Eu-West-1.AmazonAWS.com",
            "localhost:8443",
            "127.0.0.1:9000",
            "[::1]:8080",
            "example.com:443" if scheme == "https" else "example.com:80",
            "EXAMPLE.com",
        ]
    )
    base = "" if s3 else rng.choice(["", "", "/dev", "/stage/v1", "/a%20b"])
    return f"{scheme}://{host}{base}"


def random_path(rng: random.Random, s3: bool) -> str:
    segments = []
    for _ in range(rng.randint(0, 4)):
        roll = rng.random()
        if roll < 0.1:
            segments.append("")
        elif roll < 0.2 and not s3:
            segments.append(rng.choice([".", ".."]))
        else:
            segments.append(random_text(rng, SEGMENT_PIECES, 1, 6))
    path = "/".join(segments)
    if rng.random() < 0.7:
        path = "/" + path
    if rng.random() < 0.2:
        path += "/"
    return path


def random_query(rng: random.Random, repeats: bool) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for _ in range(rng.randint(0, 5)):
        if repeats and pairs and rng.random() < 0.3:
            name = rng.choice(pairs)[0]
        else:
            name = random_text(rng, TEXT_PIECES, 1, 6)
            if not repeats and any(name == n for n, _ in pairs):
                continue
        value = "" if rng.random() < 0.2 else random_text(rng, TEXT_PIECES, 1, 8)
        pairs.append((name, value))
    return pairs


def random_headers(rng: random.Random) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for _ in range(rng.randint(0, 5)):
        roll = rng.random()
        if headers and roll < 0.2:
            name = rng.choice(headers)[0]
            name = rng.choice([name, name.upper(), name.lower()])
        elif roll < 0.3:
            name = rng.choice(UNSIGNED_BY_BOTH)
        elif roll < 0.4:
            name = rng.choice(["Content-Type", "accept", "x-amz-meta-Color", "X-Amz-Target"])
        else:
            name = "X-" + "".join(rng.choices(HEADER_NAME_CHARS, k=rng.randint(1, 10)))
        value = random_text(rng, HEADER_VALUE_PIECES, 0, 12)
        if rng.random() < 0.3:
            value = rng.choice([" ", "\t", "  "]) + value + rng.choice([" ", "\t", ""])
        headers.append((name, value))
    return headers


def random_body(rng: random.Random) -> Any:
    kind = rng.randrange(6)
    if kind == 0:
        return None
    if kind == 1:
        return b""
    if kind == 2:
        return rng.randbytes(rng.randint(1, 300))
    if kind == 3:
        return random_text(rng, TEXT_PIECES, 1, 40)
    if kind == 4:
        return {random_text(rng, TEXT_PIECES, 1, 5): random_text(rng, TEXT_PIECES, 0, 9)}
    return [rng.randint(-5, 5), random_text(rng, TEXT_PIECES, 0, 5), None, True]


def as_sent(url: str) -> str:
    """The URL as requests/urllib3 put it on the wire (dot segments removed)."""
    return str(parse_url(url).url)


def with_defaults(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    """The original SDK's default Content-Type (with a body) and Accept headers."""
    names = {name.lower() for name, _ in headers}
    result = list(headers)
    if body and "content-type" not in names:
        result.append(("Content-Type", "application/json"))
    if "accept" not in names:
        result.append(("Accept", "application/json"))
    return result


def botocore_sign(
    *,
    credentials: tuple[str, str, str | None],
    service: str,
    region: str,
    method: str,
    url: str,
    params: list[tuple[str, str]],
    headers: list[tuple[str, str]],
    body: bytes,
    moment: dt.datetime,
    unsigned_payload: bool = False,
) -> AWSRequest:
    s3 = service == "s3"
    auth_class = botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth
    auth = auth_class(Credentials(*credentials), service, region)
    request = AWSRequest(method=method, url=url, data=body, params=params)
    for name, value in headers:
        request.headers[name] = value
    if unsigned_payload:
        if s3:
            request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
        else:
            request.context["payload_signing_enabled"] = False
    # Keep the canonical request botocore signs (afterwards it would include the
    # Authorization header it added).
    compute_canonical_request = auth.canonical_request

    def canonical_request(request: AWSRequest) -> str:
        request.context["canonical_request"] = compute_canonical_request(request)
        return str(request.context["canonical_request"])

    auth.canonical_request = canonical_request
    with frozen(moment):
        auth.add_auth(request)
    return request


def test_random_requests_sign_like_botocore() -> None:
    rng = random.Random(SEED)
    for index in range(1200):
        service = rng.choice(["s3", "execute-api", "appsync", "es"])
        s3 = service == "s3"
        region = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-1"])
        credentials = random_credentials(rng)
        endpoint = random_endpoint(rng, s3)
        client = AwsSigV4Client(
            *credentials[:2],
            endpoint,
            service_name=service,
            region=region,
            session_token=credentials[2],
        )
        method = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get", "post"])
        path = random_path(rng, s3)
        query = random_query(rng, repeats=True)
        headers = random_headers(rng)
        body = random_body(rng)
        moment = random_moment(rng)
        unsigned = (s3 and rng.random() < 0.2) or rng.random() < 0.05
        ours = SigV4Request(
            client,
            method,
            path,
            query_params=query if rng.random() < 0.5 else list(query),
            headers=headers,
            body=body,
            datetime=amz(moment) if rng.random() < 0.5 else moment,
            unsigned_payload=unsigned,
        )
        theirs = botocore_sign(
            credentials=credentials,
            service=service,
            region=region,
            method=method,
            url=as_sent(ours.url.split("?")[0]),
            params=query,
            headers=with_defaults(headers, ours.body),
            body=ours.body,
            moment=moment,
            unsigned_payload=unsigned,
        )
        context = f"case {index}: {method} {ours.url!r} headers={headers!r}"
        assert ours.canonical_request == theirs.context["canonical_request"], context
        assert ours.headers["Authorization"] == theirs.headers["Authorization"], context
        for name in ("X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256"):
            assert ours.headers.get(name) == theirs.headers.get(name), (name, context)


def test_random_presigned_urls_match_botocore() -> None:
    rng = random.Random(SEED + 1)
    for index in range(400):
        service = rng.choice(["s3", "execute-api", "rds-db", "sts"])
        s3 = service == "s3"
        region = rng.choice(["us-east-1", "eu-west-1"])
        credentials = random_credentials(rng)
        client = AwsSigV4Client(
            *credentials[:2],
            random_endpoint(rng, s3),
            service_name=service,
            region=region,
            session_token=credentials[2],
        )
        method = rng.choice(["GET", "PUT", "DELETE", "HEAD"])
        path = random_path(rng, s3)
        # botocore's presigner keeps query parameters in a dict: no repeated names.
        query = random_query(rng, repeats=False)
        headers = [(n, v) for n, v in random_headers(rng) if n.lower() not in SIGNER_HEADERS]
        expires = rng.choice([1, 60, 3600, 604800])
        moment = random_moment(rng)
        url = client.presign_url(method, path, query, headers, expires_in=expires, datetime=moment)

        auth_class = botocore.auth.S3SigV4QueryAuth if s3 else botocore.auth.SigV4QueryAuth
        auth = auth_class(Credentials(*credentials), service, region, expires=expires)
        request = AWSRequest(method=method, url=as_sent(url.split("?")[0]), params=dict(query))
        for name, value in headers:
            request.headers[name] = value
        with frozen(moment):
            auth.add_auth(request)
        context = f"case {index}: {url!r}"
        ours, theirs = urlsplit(url), urlsplit(request.url)
        assert as_sent(f"{ours.scheme}://{ours.netloc}{ours.path}") == (
            f"{theirs.scheme}://{theirs.netloc}{theirs.path}"
        ), context
        our_params = sorted(parse_qsl(ours.query, keep_blank_values=True))
        their_params = sorted(parse_qsl(theirs.query, keep_blank_values=True))
        assert our_params == their_params, context


def test_random_post_policies_match_botocore() -> None:
    rng = random.Random(SEED + 2)
    clients: dict[tuple[Any, ...], Any] = {}
    pool = [random_credentials(rng) for _ in range(4)]
    session = botocore.session.get_session()
    for index in range(120):
        credentials = rng.choice(pool)
        region = rng.choice(["us-east-1", "eu-west-1"])
        bucket = rng.choice(["my-bucket", "uploads.example", "b-123"])
        key_cache = (credentials, region)
        if key_cache not in clients:
            clients[key_cache] = session.create_client(
                "s3",
                region_name=region,
                aws_access_key_id=credentials[0],
                aws_secret_access_key=credentials[1],
                aws_session_token=credentials[2],
                config=Config(signature_version="s3v4"),
            )
        key = random_text(rng, [*SEGMENT_PIECES, "/"], 1, 12)
        if rng.random() < 0.3:
            key += "${filename}"
        fields = {}
        conditions: list[Any] = []
        if rng.random() < 0.5:
            fields["acl"] = "public-read"
            conditions.append({"acl": "public-read"})
        if rng.random() < 0.5:
            conditions.append(["content-length-range", 1, rng.randint(2, 10**9)])
        if rng.random() < 0.5:
            fields["Content-Type"] = "image/jpeg"
            conditions.append(["starts-with", "$Content-Type", "image/"])
        if rng.random() < 0.3:
            fields["x-amz-meta-note"] = random_text(rng, TEXT_PIECES, 0, 8)
            conditions.append({"x-amz-meta-note": fields["x-amz-meta-note"]})
        expires = rng.choice([60, 3600, 86400 * 7])
        moment = random_moment(rng)
        with frozen(moment):
            theirs = clients[key_cache].generate_presigned_post(
                bucket, key, Fields=dict(fields), Conditions=list(conditions), ExpiresIn=expires
            )
        client = AwsSigV4Client(
            *credentials[:2],
            f"https://{bucket}.s3.amazonaws.com",
            service_name="s3",
            region=region,
            session_token=credentials[2],
        )
        ours = client.presign_post(
            bucket, key, fields=fields, conditions=conditions, expires_in=expires, datetime=moment
        )
        assert ours.fields == theirs["fields"], f"case {index}"


def test_requests_auth_signs_like_botocore() -> None:
    rng = random.Random(SEED + 3)
    for index in range(300):
        service = rng.choice(["s3", "execute-api"])
        region = "eu-west-1"
        credentials = random_credentials(rng)
        endpoint = random_endpoint(rng, service == "s3")
        client = AwsSigV4Client(
            *credentials[:2],
            endpoint,
            service_name=service,
            region=region,
            session_token=credentials[2],
        )
        path = random_path(rng, service == "s3")
        if not path.startswith("/"):
            path = "/" + path
        body = rng.choice([None, b"", rng.randbytes(20), "caf\u00e9 latin-1 text", {"a": 1}])
        headers = {
            name: value.strip(" \t")
            for name, value in random_headers(rng)
            if name.lower() not in SIGNER_HEADERS
        }
        request = requests.Request(
            rng.choice(["GET", "POST", "PUT"]),
            endpoint + path,
            params=random_query(rng, repeats=True),
            headers=headers,
            data=body if not isinstance(body, dict) else None,
            json=body if isinstance(body, dict) else None,
        ).prepare()
        unsigned_headers = list(request.headers.items())
        SigV4Auth(client)(request)
        assert request.url is not None
        # Signed at the current time: botocore signs at the same second.
        moment = dt.datetime.strptime(request.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
        sent_body = request.body if isinstance(request.body, bytes) else b""
        theirs = botocore_sign(
            credentials=credentials,
            service=service,
            region=region,
            method=str(request.method),
            url=as_sent(request.url),
            params=[],
            headers=unsigned_headers,
            body=sent_body,
            moment=moment,
        )
        context = f"case {index}: {request.url!r}"
        assert request.headers["Authorization"] == theirs.headers["Authorization"], context


def test_the_dart_end_to_end_request_with_a_token_signs_like_botocore() -> None:
    credentials = (
        "AXXXXXXXXXXXXXXXXXXX",
        "000000000000000000000000/000000000000000",
        "session-token",
    )
    client = AwsSigV4Client(
        *credentials[:2],
        "https://api.inspire.my/dev",
        region="ap-southeast-1",
        session_token=credentials[2],
    )
    moment = dt.datetime(2018, 5, 15, 1, 19, 50, tzinfo=dt.timezone.utc)
    headers = [("header-1", "one"), ("header-2", "two")]
    ours = SigV4Request(
        client,
        "POST",
        "/projects/123",
        query_params={"color": "orange red"},
        headers=headers,
        body={"color": "blue"},
        datetime=moment,
    )
    theirs = botocore_sign(
        credentials=credentials,
        service="execute-api",
        region="ap-southeast-1",
        method="POST",
        url="https://api.inspire.my/dev/projects/123",
        params=[("color", "orange red")],
        headers=with_defaults(headers, ours.body),
        body=ours.body,
        moment=moment,
    )
    assert ours.headers["Authorization"] == theirs.headers["Authorization"]


@pytest.mark.parametrize(
    "path",
    ["/a/b/..", "/a/b/.", "/a//../b", "//a/./b//", "/../a", "/a/b/c/./../../g"],
)
def test_dot_segments_are_signed_as_urllib3_sends_them(path: str) -> None:
    """Non-S3 paths are normalised the way the URL actually travels (RFC 3986 dot-segment
    removal, as urllib3 does), then runs of '/' are collapsed."""
    client = AwsSigV4Client("AKID", "secret", "https://example.com", service_name="es")
    moment = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    ours = SigV4Request(client, "GET", path, datetime=moment)
    theirs = botocore_sign(
        credentials=("AKID", "secret", None),
        service="es",
        region="us-east-1",
        method="GET",
        url=as_sent(ours.url),
        params=[],
        headers=with_defaults([], b""),
        body=b"",
        moment=moment,
    )
    assert ours.canonical_request == theirs.context["canonical_request"]
