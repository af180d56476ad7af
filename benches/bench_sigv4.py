"""SigV4 signing: cognito_identity.sigv4 against botocore.

    python benches/bench_sigv4.py

Cases, all measured in this run on the same requests and credentials (with a session
token, as Cognito identity-pool credentials always have one):

* an API Gateway POST (query parameters, three headers, a 100-byte JSON body): our
  ``SigV4Request`` (URL, headers to send and body from plain inputs, in one call)
  against botocore's ``SigV4Auth.add_auth`` on an ``AWSRequest`` built beforehand, and
  against building the ``AWSRequest`` and signing it (what producing the headers costs
  a botocore user). Our body is given twice over: as the JSON text (``str``), and as
  the dict it encodes, which ``SigV4Request`` turns into the same bytes (the original
  SDK's usage); botocore signs those bytes;
* an S3 GET (``S3SigV4Auth``: payload hash header, no path normalisation);
* an S3 PUT of 64 KiB (the payload hash dominates);
* presigned URLs, API Gateway and S3, against ``SigV4QueryAuth``/``S3SigV4QueryAuth``;
* a ``requests`` prepared request signed in place by our ``SigV4Auth``, against
  botocore signing an ``AWSRequest`` made from it (info);
* two threads signing 1 MiB bodies against one (the GIL is released while hashing).

Each pair is first checked to produce the same signature at the same timestamp. Times
are medians over interleaved rounds; ratios are peer time / our time (above 1: we are
faster).
"""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import botocore.auth
import requests
from _timing import Row, one_and_two_threads, per_call, print_table
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from cognito_identity.sigv4 import AwsSigV4Client, SigV4Auth, SigV4Request

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE" * 20
REGION = "eu-west-1"
API = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev"
BUCKET = "https://my-bucket.s3.eu-west-1.amazonaws.com"
PATH = "/projects/123/items"
QUERY = {"tracking": "x123", "page": "2", "filter": "colour eq 'blue'"}
HEADERS = {"X-Request-Id": "6f1c2d9e-5b1a-4c53-9c0e-2f1d3e4b5a69", "X-Api-Version": "2"}
DOCUMENT = {"color": "blue", "size": "large", "tags": ["a", "b", "c"], "note": "x" * 40}
TEXT = json.dumps(DOCUMENT, separators=(",", ":"), ensure_ascii=False)
BODY = TEXT.encode("utf-8")
DEFAULTS = {"Content-Type": "application/json", "Accept": "application/json"}


def botocore_request(method: str, url: str, headers: dict[str, str], body: bytes) -> AWSRequest:
    request = AWSRequest(method=method, url=url, data=body, params=dict(QUERY))
    for name, value in headers.items():
        request.headers[name] = value
    return request


def check_same_signature(
    ours: SigV4Request, theirs: AWSRequest, auth: botocore.auth.SigV4Auth, moment: dt.datetime
) -> None:
    with mock.patch("botocore.auth.get_current_datetime", return_value=moment):
        auth.add_auth(theirs)
    assert ours.headers["Authorization"] == theirs.headers["Authorization"]


def main() -> None:
    credentials = Credentials(ACCESS_KEY, SECRET, TOKEN)
    api = AwsSigV4Client(ACCESS_KEY, SECRET, API, region=REGION, session_token=TOKEN)
    s3 = AwsSigV4Client(
        ACCESS_KEY, SECRET, BUCKET, service_name="s3", region=REGION, session_token=TOKEN
    )
    api_auth = botocore.auth.SigV4Auth(credentials, "execute-api", REGION)
    s3_auth = botocore.auth.S3SigV4Auth(credentials, "s3", REGION)
    moment = dt.datetime(2026, 11, 26, 12, 0, 0, tzinfo=dt.timezone.utc)
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    big = bytes(range(256)) * 256  # 64 KiB

    # Fairness checks: the same request gets the same signature from both.
    for body in (TEXT, DOCUMENT):
        signed = SigV4Request(api, "POST", PATH, QUERY, HEADERS, body, stamp)
        assert signed.body == BODY
        check_same_signature(
            signed,
            botocore_request("POST", API + PATH, {**HEADERS, **DEFAULTS}, BODY),
            api_auth,
            moment,
        )
    check_same_signature(
        SigV4Request(s3, "GET", "/photos/2026/cat.jpg", QUERY, datetime=stamp),
        botocore_request(
            "GET", BUCKET + "/photos/2026/cat.jpg", {"Accept": "application/json"}, b""
        ),
        s3_auth,
        moment,
    )

    prebuilt_api = botocore_request("POST", API + PATH, {**HEADERS, **DEFAULTS}, BODY)
    prebuilt_get = botocore_request("GET", BUCKET + "/photos/2026/cat.jpg", {}, b"")
    prebuilt_put = botocore_request(
        "PUT", BUCKET + "/big.bin", {"Content-Type": "application/octet-stream"}, big
    )
    rows: list[Row] = []

    post = per_call(
        {
            "ours, str body": (
                lambda: SigV4Request(api, "POST", PATH, QUERY, HEADERS, TEXT),
                20000,
            ),
            "ours, dict body": (
                lambda: SigV4Request(api, "POST", PATH, QUERY, HEADERS, DOCUMENT),
                20000,
            ),
            "add_auth": (lambda: api_auth.add_auth(prebuilt_api), 3000),
            "build+add_auth": (
                lambda: api_auth.add_auth(
                    botocore_request("POST", API + PATH, {**HEADERS, **DEFAULTS}, BODY)
                ),
                3000,
            ),
        }
    )
    for body in ("str", "dict"):
        case = f"API Gateway POST, {body} body, headers to send"
        ours = post[f"ours, {body} body"]
        rows.append((case, "botocore add_auth", post["add_auth"], ours, 10.0, ">= 10x"))
        rows.append(
            (case, "botocore AWSRequest+add_auth", post["build+add_auth"], ours, 0.0, "(info)")
        )

    get = per_call(
        {
            "ours": (lambda: SigV4Request(s3, "GET", "/photos/2026/cat.jpg", QUERY), 20000),
            "add_auth": (lambda: s3_auth.add_auth(prebuilt_get), 3000),
        }
    )
    rows.append(
        (
            "S3 GET, headers to send",
            "botocore add_auth",
            get["add_auth"],
            get["ours"],
            10.0,
            ">= 10x",
        )
    )

    put = per_call(
        {
            "ours": (lambda: SigV4Request(s3, "PUT", "/big.bin", body=big), 2000),
            "add_auth": (lambda: s3_auth.add_auth(prebuilt_put), 1000),
        }
    )
    rows.append(
        (
            "S3 PUT 64 KiB, headers to send",
            "botocore add_auth",
            put["add_auth"],
            put["ours"],
            0.0,
            "(info)",
        )
    )

    for name, client, auth_class, service, base, path in (
        ("API Gateway", api, botocore.auth.SigV4QueryAuth, "execute-api", API, PATH),
        ("S3", s3, botocore.auth.S3SigV4QueryAuth, "s3", BUCKET, "/photos/2026/cat.jpg"),
    ):
        query_auth = auth_class(credentials, service, REGION, expires=3600)
        ours_url = client.presign_url("GET", path, QUERY, datetime=stamp)
        theirs = AWSRequest(method="GET", url=base + path, params=dict(QUERY))
        with mock.patch("botocore.auth.get_current_datetime", return_value=moment):
            query_auth.add_auth(theirs)
        assert ours_url.rsplit("X-Amz-Signature=", 1)[1] == theirs.url.rsplit("=", 1)[1]

        def presign_with_botocore(
            query_auth: botocore.auth.SigV4QueryAuth = query_auth, url: str = base + path
        ) -> object:
            request = AWSRequest(method="GET", url=url, params=dict(QUERY))
            query_auth.add_auth(request)
            return request.url

        presign = per_call(
            {
                "ours": (
                    lambda client=client, path=path: client.presign_url("GET", path, QUERY),
                    20000,
                ),
                "botocore": (presign_with_botocore, 3000),
            }
        )
        rows.append(
            (
                f"presigned URL, {name}",
                f"botocore {auth_class.__name__}",
                presign["botocore"],
                presign["ours"],
                10.0,
                ">= 10x",
            )
        )

    prepared = requests.Request("POST", API + PATH, params=QUERY, headers=HEADERS, data=BODY)
    prepared_request = prepared.prepare()
    auth = SigV4Auth(api)

    def sign_prepared_with_botocore() -> object:
        request = AWSRequest(
            method=prepared_request.method,
            url=prepared_request.url,
            headers=dict(prepared_request.headers),
            data=prepared_request.body,
        )
        api_auth.add_auth(request)
        return request.headers

    requests_auth = per_call(
        {
            "ours": (lambda: auth(prepared_request), 20000),
            "botocore": (sign_prepared_with_botocore, 3000),
        }
    )
    rows.append(
        (
            "requests PreparedRequest, signed in place (info)",
            "botocore AWSRequest+add_auth",
            requests_auth["botocore"],
            requests_auth["ours"],
            0.0,
            "(info)",
        )
    )

    mib = bytes(range(256)) * 4096
    one, two = one_and_two_threads(
        {"ours": (lambda: SigV4Request(s3, "PUT", "/big.bin", body=mib), 100)}
    )["ours"]
    rows.append(("sign 1 MiB PUT, 2 threads vs 1", "ours, 1 thread", one, two, 1.5, ">= 1.5x"))

    print_table(rows)


if __name__ == "__main__":
    main()
