"""Known-answer tests: AWS's published SigV4 test suite and the original Dart SDK's vectors.

The AWS suite lives in tests/vectors/sigv4/aws4_testsuite.json (origin in the README
there). Each case is signed through the public API and its canonical request, string to
sign and Authorization header are compared with AWS's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest

from cognito_identity._native import SigV4Signer
from cognito_identity.sigv4 import AwsSigV4Client, SigV4Request

SUITE_PATH = Path(__file__).parent / "vectors" / "sigv4" / "aws4_testsuite.json"
SUITE: dict[str, Any] = json.loads(SUITE_PATH.read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = SUITE["cases"]


def test_the_suite_is_complete() -> None:
    names = {case["name"] for case in CASES}
    assert len(CASES) == 34
    assert {
        "get-vanilla",
        "get-vanilla-query-order-key",
        "get-vanilla-query-order-value",
        "get-vanilla-query-order-key-case",
        "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters",
        "normalize-path/get-space",
        "normalize-path/get-relative-relative",
        "normalize-path/get-slashes",
        "get-unreserved",
        "get-utf8",
        "get-header-value-trim",
        "get-header-key-duplicate",
        "get-header-value-multiline",
        "post-sts-token/post-sts-header-before",
        "post-sts-token/post-sts-header-after",
        "get-vanilla-with-session-token",
    } <= names
    assert SUITE["origin"]["repository"] == "https://github.com/boto/botocore"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_aws_signature_v4_test_suite(case: dict[str, Any]) -> None:
    request = case["request"]
    credentials = case["credentials"]
    client = AwsSigV4Client(
        credentials["access_key_id"],
        credentials["secret_access_key"],
        "https://unused.example",
        service_name=case["service"],
        region=case["region"],
        session_token=credentials["session_token"],
    )
    host = next(value for name, value in request["headers"] if name.lower() == "host")
    url = f"https://{host}{request['path']}"
    if request["query"] is not None:
        url += "?" + request["query"]
    signed = SigV4Request.from_url(
        client,
        request["method"],
        url,
        headers=[(name, value) for name, value in request["headers"]],
        body=request["body"].encode("utf-8"),
        datetime=case["date"],
    )
    expected = case["expected"]
    assert signed.canonical_request == expected["canonical_request"]
    assert signed.string_to_sign == expected["string_to_sign"]
    assert signed.headers["Authorization"] == expected["authorization"]
    assert expected["authorization"].endswith(f"Signature={signed.signature}")


# --- The original SDK's vectors (dart-sdk.md section 10, sig_v4_helper_test.dart) ---

DART_ACCESS_KEY = "AXXXXXXXXXXXXXXXXXXX"
DART_SECRET = "000000000000000000000000/000000000000000"
DART_DATE = "20180515T011950Z"
DART_REGION = "ap-southeast-1"
DART_SCOPE = "20180515/ap-southeast-1/execute-api/aws4_request"
DART_CANONICAL_REQUEST = (
    "POST\n"
    "/dev/projects/123\n"
    "color=orange%20red\n"
    "accept:application/json\n"
    "content-type:application/json\n"
    "header-1:one\n"
    "header-2:two\n"
    "host:api.inspire.my\n"
    "x-amz-date:20180515T011950Z\n"
    "\n"
    "accept;content-type;header-1;header-2;host;x-amz-date\n"
    "b1c0d2a81c6839b36839e8d9b273cb17279370ab430e5e3fc8218e2bcaa6373b"
)


def dart_client(endpoint: str = "https://api.inspire.my", **kwargs: Any) -> AwsSigV4Client:
    return AwsSigV4Client(DART_ACCESS_KEY, DART_SECRET, endpoint, region=DART_REGION, **kwargs)


def dart_canonical_request() -> SigV4Request:
    return SigV4Request(
        dart_client(),
        "POST",
        "/dev/projects/123",
        query_params={"color": "orange red"},
        headers={
            "header-1": "one",
            "header-2": "two",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
        body='{"color":"green"}',
        datetime=DART_DATE,
    )


def test_dart_payload_hash() -> None:
    request = SigV4Request(dart_client(), "POST", "/", body='{"one":1}', datetime=DART_DATE)
    assert request.canonical_request is not None
    payload_hash = request.canonical_request.rsplit("\n", 1)[1]
    assert payload_hash == "335929a4e59b0860ec04c620c1284dace74c00f7eadaadce7a18d6deba6c544e"


def test_dart_canonical_query_string() -> None:
    request = SigV4Request(
        dart_client(),
        "GET",
        "/",
        query_params={"One": "1", "Two": "1 + 1", "Three": "3"},
        datetime=DART_DATE,
    )
    assert request.canonical_request is not None
    assert request.canonical_request.split("\n")[2] == "One=1&Three=3&Two=1%20%2B%201"
    assert request.url.endswith("/?One=1&Three=3&Two=1%20%2B%201")


def test_dart_canonical_headers() -> None:
    request = SigV4Request(
        dart_client(),
        "GET",
        "/",
        headers={"Header-2": "head 002", "header-1": "head 001"},
        datetime=DART_DATE,
    )
    assert request.canonical_request is not None
    assert "\nheader-1:head 001\nheader-2:head 002\n" in request.canonical_request
    assert request.signed_headers == "accept;header-1;header-2;host;x-amz-date"


def test_dart_canonical_request() -> None:
    assert dart_canonical_request().canonical_request == DART_CANONICAL_REQUEST


def test_dart_credential_scope() -> None:
    assert dart_canonical_request().credential_scope == DART_SCOPE


def test_dart_string_to_sign_differs_because_it_skips_the_hash() -> None:
    """The Dart test builds its string to sign from the raw canonical request; SigV4's
    fourth line is the canonical request's SHA-256, which is what we produce."""
    request = dart_canonical_request()
    dart_concatenation = f"AWS4-HMAC-SHA256\n{DART_DATE}\n{DART_SCOPE}\n{DART_CANONICAL_REQUEST}"
    digest = hashlib.sha256(DART_CANONICAL_REQUEST.encode()).hexdigest()
    assert request.string_to_sign == f"AWS4-HMAC-SHA256\n{DART_DATE}\n{DART_SCOPE}\n{digest}"
    assert request.string_to_sign != dart_concatenation


def test_dart_signature_of_an_arbitrary_string_to_sign() -> None:
    """calculateSignature(calculateSigningKey(...), <Dart's string to sign>): the HMAC
    chain and the final HMAC, as used for S3 POST policies."""
    signer = SigV4Signer(
        DART_ACCESS_KEY, DART_SECRET, "https://api.inspire.my", DART_REGION, "execute-api"
    )
    dart_string_to_sign = f"AWS4-HMAC-SHA256\n{DART_DATE}\n{DART_SCOPE}\n{DART_CANONICAL_REQUEST}"
    assert (
        signer.sign_string(dart_string_to_sign, DART_DATE)
        == "6fe6cf9ba017c591fc404eb9883442355bde3c61233e5f1f7ea8ea38a80070df"
    )


def test_dart_authorization_header_format() -> None:
    """Dart's vector pairs these signed headers with the signature of its odd string to
    sign; ours has the same layout with the real signature."""
    dart = (
        "AWS4-HMAC-SHA256 Credential=AXXXXXXXXXXXXXXXXXXX/20180515/ap-southeast-1/"
        "execute-api/aws4_request, SignedHeaders=accept;content-type;header-1;header-2;"
        "host;x-amz-date, "
        "Signature=6fe6cf9ba017c591fc404eb9883442355bde3c61233e5f1f7ea8ea38a80070df"
    )
    request = dart_canonical_request()
    ours = request.headers["Authorization"]
    assert ours.split("Signature=")[0] == dart.split("Signature=")[0]
    assert ours == f"{dart.split('Signature=')[0]}Signature={request.signature}"


def dart_end_to_end(session_token: str | None) -> SigV4Request:
    client = dart_client("https://api.inspire.my/dev", session_token=session_token)
    return SigV4Request(
        client,
        "POST",
        "/projects/123",
        query_params={"color": "orange red"},
        headers={"header-1": "one", "header-2": "two"},
        body={"color": "blue"},
        datetime=DART_DATE,
    )


def test_dart_end_to_end_without_a_session_token_matches_exactly() -> None:
    request = dart_end_to_end(None)
    assert request.url == "https://api.inspire.my/dev/projects/123?color=orange%20red"
    assert request.body == b'{"color":"blue"}'
    assert request.headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AXXXXXXXXXXXXXXXXXXX/20180515/ap-southeast-1/"
        "execute-api/aws4_request, SignedHeaders=accept;content-type;header-1;header-2;"
        "host;x-amz-date, "
        "Signature=a51f0890d0bbbbc1fede3511c0f6448bdeb75623767859b73730ec728f104253"
    )
    assert request.canonical_request is not None
    assert (
        hashlib.sha256(request.canonical_request.encode()).hexdigest()
        == "14cbfc5a86f4e0f0ef732ea6fcb07cc5cb192b5f4d8ffda33d1e207757adfa57"
    )


def test_dart_end_to_end_with_a_session_token_differs_by_design() -> None:
    """Q22: the Dart SDK adds x-amz-security-token after signing. We sign it, so the
    signed headers and the signature differ from Dart's a51f... (the signature itself is
    checked against botocore in test_sigv4_botocore.py)."""
    request = dart_end_to_end("session-token")
    assert request.headers["X-Amz-Security-Token"] == "session-token"
    assert request.signed_headers == (
        "accept;content-type;header-1;header-2;host;x-amz-date;x-amz-security-token"
    )
    assert request.signature != "a51f0890d0bbbbc1fede3511c0f6448bdeb75623767859b73730ec728f104253"
    # Recompute by hand from our own canonical request: the signature is the HMAC chain
    # over the documented string to sign.
    assert request.canonical_request is not None and request.string_to_sign is not None
    assert "x-amz-security-token:session-token\n" in request.canonical_request
    key = f"AWS4{DART_SECRET}".encode()
    for part in ("20180515", DART_REGION, "execute-api", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, request.string_to_sign.encode(), hashlib.sha256).hexdigest()
    assert request.signature == expected
