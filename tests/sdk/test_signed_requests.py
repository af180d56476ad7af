"""End to end: a user signs in, gets identity-pool credentials, and signs requests of
each style (API Gateway POST, AppSync GraphQL POST, S3 GET, a presigned URL, a presigned
POST upload) with each API (SigV4Request and its client, the requests auth, the httpx
auths, boto3 through boto3_session()); the local pool's endpoint checks every signature
as AWS does, and accepts each one."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import botocore.auth
import httpx
import requests
from botocore.awsrequest import AWSRequest

from cognito_identity import CognitoCredentials, SigV4Request, httpx_auth
from cognito_identity import auth as requests_auth

from .conftest import PoolSetup
from .signed_endpoint import S3_CONFIG, aws_url, credentials, echo, user

__all__ = ["credentials", "user"]  # fixtures

GRAPHQL = {"query": "query { listTodos { items { id } } }"}
KEY = "photos/cat and dog.jpg"


def signed_by(got: dict[str, Any], credentials: CognitoCredentials, how: str) -> None:
    """The endpoint saw the user's current key, their identity, and signing ``how``."""
    snapshot = credentials.get_credentials()
    assert got["access_key_id"] == snapshot.access_key_id
    assert got["identity_id"] == snapshot.identity_id
    assert got["signed_with"] == how
    # The echo never repeats the secrets it checked.
    assert snapshot.session_token not in json.dumps(got)


def test_sigv4_request_and_its_client(setup: PoolSetup, credentials: CognitoCredentials) -> None:
    api = credentials.sigv4_client(aws_url(setup, "execute-api"), "execute-api", "eu-west-1")
    request = SigV4Request(api, "POST", "/prod/items", {"color": "orange red"}, body={"n": 1})
    got = echo(requests.post(request.url, headers=request.headers, data=request.body))
    signed_by(got, credentials, "header")
    assert (got["path"], got["query"], got["body"]) == (
        "/_local/aws/execute-api/prod/items",
        [["color", "orange red"]],
        '{"n":1}',
    )

    appsync = credentials.sigv4_client(aws_url(setup, "appsync"), "appsync")
    request = SigV4Request(appsync, "POST", "/graphql", body=GRAPHQL)
    got = echo(requests.post(request.url, headers=request.headers, data=request.body))
    signed_by(got, credentials, "header")
    assert json.loads(got["body"]) == GRAPHQL

    s3 = credentials.sigv4_client(aws_url(setup, "s3"), "s3")
    request = SigV4Request(s3, "GET", f"/bucket/{KEY}")
    got = echo(requests.get(request.url, headers=request.headers))
    signed_by(got, credentials, "header")
    assert got["path"] == "/_local/aws/s3/bucket/photos/cat%20and%20dog.jpg"

    got = echo(requests.get(s3.presign_url("GET", f"/bucket/{KEY}", {"versionId": "7"})))
    signed_by(got, credentials, "query")

    post = s3.presign_post("bucket", "uploads/${filename}", expires_in=300)
    upload = requests.post(
        f"{post.url}/bucket", data=post.fields, files={"file": ("notes.txt", b"hello")}
    )
    got = echo(upload)
    signed_by(got, credentials, "post-policy")
    assert (got["key"], got["file"]["body"]) == ("uploads/notes.txt", "hello")


def test_requests_auth(setup: PoolSetup, credentials: CognitoCredentials) -> None:
    def auth(service: str, region: str = "us-east-1") -> requests_auth.CognitoSigV4Auth:
        return requests_auth.CognitoSigV4Auth(credentials, service, region)

    answer = requests.post(
        f"{aws_url(setup, 'execute-api')}/prod/items?color=orange+red",
        json={"name": "lamp"},
        auth=auth("execute-api", "eu-west-1"),
    )
    got = echo(answer)
    signed_by(got, credentials, "header")
    assert got["query"] == [["color", "orange red"]]
    got = echo(
        requests.post(f"{aws_url(setup, 'appsync')}/graphql", json=GRAPHQL, auth=auth("appsync"))
    )
    assert json.loads(got["body"]) == GRAPHQL
    got = echo(
        requests.get(f"{aws_url(setup, 's3')}/bucket/photos/cat%20and%20dog.jpg", auth=auth("s3"))
    )
    signed_by(got, credentials, "header")
    assert got["headers"]["x-amz-content-sha256"] != "UNSIGNED-PAYLOAD"


def test_httpx_auth_sync_and_async(setup: PoolSetup, credentials: CognitoCredentials) -> None:
    def auth(service: str, region: str = "us-east-1") -> httpx_auth.CognitoSigV4Auth:
        return httpx_auth.CognitoSigV4Auth(credentials, service, region)

    with httpx.Client() as client:
        got = echo(
            client.post(
                f"{aws_url(setup, 'execute-api')}/prod/items",
                params={"color": "orange red"},
                json={"name": "lamp"},
                auth=auth("execute-api", "eu-west-1"),
            )
        )
        signed_by(got, credentials, "header")
        got = echo(
            client.post(f"{aws_url(setup, 'appsync')}/graphql", json=GRAPHQL, auth=auth("appsync"))
        )
        assert json.loads(got["body"]) == GRAPHQL
        got = echo(client.get(f"{aws_url(setup, 's3')}/bucket/{KEY}", auth=auth("s3")))
        assert got["path"] == "/_local/aws/s3/bucket/photos/cat%20and%20dog.jpg"

    async def main() -> list[dict[str, Any]]:
        async with httpx.AsyncClient() as client:
            answers = await asyncio.gather(
                client.post(
                    f"{aws_url(setup, 'appsync')}/graphql", json=GRAPHQL, auth=auth("appsync")
                ),
                client.get(f"{aws_url(setup, 's3')}/bucket/{KEY}", auth=auth("s3")),
            )
        return [echo(answer) for answer in answers]

    for got in asyncio.run(main()):
        signed_by(got, credentials, "header")


def test_boto3_session(setup: PoolSetup, credentials: CognitoCredentials) -> None:
    session = credentials.boto3_session()
    s3 = session.client("s3", endpoint_url=aws_url(setup, "s3"), config=S3_CONFIG)
    got = json.loads(s3.get_object(Bucket="bucket", Key=KEY)["Body"].read())
    signed_by(got, credentials, "header")
    put = s3.put_object(Bucket="bucket", Key=KEY, Body=b"new photo")
    got = json.loads(put["ResponseMetadata"]["HTTPHeaders"]["x-local-echo"])
    signed_by(got, credentials, "header")
    assert (got["method"], got["body"]) == ("PUT", "new photo")

    url = s3.generate_presigned_url("get_object", Params={"Bucket": "bucket", "Key": KEY})
    signed_by(echo(requests.get(url)), credentials, "query")
    post = s3.generate_presigned_post(
        "bucket",
        "uploads/${filename}",
        Fields={"Content-Type": "text/plain"},
        Conditions=[{"Content-Type": "text/plain"}, ["content-length-range", 1, 1000]],
    )
    upload = requests.post(post["url"], data=post["fields"], files={"file": ("a.txt", b"hi")})
    signed_by(echo(upload), credentials, "post-policy")

    # API Gateway and AppSync requests signed by botocore with the session's credentials,
    # as apps commonly call IAM-authorised APIs with boto3's credentials.
    frozen = session.get_credentials()
    for service, path, document in (
        ("execute-api", "/prod/items?color=blue", {"name": "lamp"}),
        ("appsync", "/graphql", GRAPHQL),
    ):
        request = AWSRequest(
            "POST",
            aws_url(setup, service) + path,
            data=json.dumps(document),
            headers={"Content-Type": "application/json"},
        )
        botocore.auth.SigV4Auth(frozen, service, "us-east-1").add_auth(request)
        prepared = request.prepare()
        answer = requests.post(prepared.url, headers=dict(prepared.headers), data=prepared.body)
        got = echo(answer)
        signed_by(got, credentials, "header")
        assert json.loads(got["body"]) == document
