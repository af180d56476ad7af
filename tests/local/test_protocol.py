"""The wire protocol: routing, JSON 1.1 errors, validation, limits, keep-alive, concurrency."""

from __future__ import annotations

import http.client
import json
import sqlite3
import threading
from typing import Any
from urllib.parse import urlparse

import botocore.exceptions
import pytest
import requests

from cognito_identity.local import LocalCognito
from cognito_identity.local.actions import ACTIONS
from cognito_identity.local.server import MAX_BODY_BYTES

from .conftest import RawClient


def _count(local: LocalCognito, table: str) -> int:
    with sqlite3.connect(local.db_path) as conn:
        (n,) = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    return int(n)


def _error(response: requests.Response) -> tuple[int, str, str]:
    body = response.json()
    assert response.headers["x-amzn-ErrorType"] == body["__type"]
    assert response.headers["Content-Type"] == "application/x-amz-json-1.1"
    return response.status_code, body["__type"], body["message"]


def test_success_is_200_json(raw: RawClient) -> None:
    response = raw.call("CreateUserPool", {"PoolName": "p"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert response.headers["x-amzn-RequestId"]
    assert response.json()["UserPool"]["Name"] == "p"


@pytest.mark.parametrize(
    "target",
    [None, "DescribeFrobnicator", "DescribeUserPool "],
)
def test_unknown_operation(raw: RawClient, target: str | None) -> None:
    status, code, _ = _error(raw.call(target, {"UserPoolId": "us-east-1_abc"}))
    assert (status, code) == (400, "UnknownOperationException")


def test_other_service_prefix_is_unknown(raw: RawClient) -> None:
    response = raw.session.post(
        raw.endpoint,
        data="{}",
        # Cognito Sync: a prefix this server does not serve (identity pools it does).
        headers={"X-Amz-Target": "AWSCognitoSyncService.ListDatasets"},
    )
    assert _error(response)[:2] == (400, "UnknownOperationException")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "Request body is not valid JSON"),
        (b"\xff\xfe{}", "Request body is not valid JSON"),
        (b"[]", "Start of list found where not expected"),
        (b'"x"', "STRING_VALUE can not be converted to a structure"),
        (b'{"PoolName": 7}', "NUMBER_VALUE can not be converted to a String"),
        (b'{"PoolName": true}', "TRUE_VALUE can not be converted to a String"),
        (b'{"PoolName": {}}', "Start of structure or map found where not expected."),
        (b'{"PoolName": ["a"]}', "Start of list found where not expected"),
        (
            b'{"PoolName": "p", "MfaConfiguration": 1}',
            "NUMBER_VALUE can not be converted to a String",
        ),
        (
            b'{"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": "8"}}}',
            "STRING_VALUE can not be converted to an Integer",
        ),
        (
            b'{"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": 8.5}}}',
            "NUMBER_VALUE can not be converted to an Integer",
        ),
        (
            b'{"PoolName": "p", "Policies": {"PasswordPolicy": {"RequireNumbers": "yes"}}}',
            "STRING_VALUE can not be converted to a Boolean",
        ),
        (b'{"PoolName": "\\ud800"}', "Invalid UTF-8 in string value"),
        (b"[" * 100_000 + b"]" * 100_000, "Request body is not valid JSON"),
    ],
)
def test_serialization_errors_store_nothing(
    raw: RawClient, local: LocalCognito, body: bytes, message: str
) -> None:
    assert _error(raw.call("CreateUserPool", body)) == (400, "SerializationException", message)
    assert _count(local, "pools") == 0


def test_missing_members_are_all_reported(raw: RawClient) -> None:
    assert _error(raw.call("SignUp", {})) == (
        400,
        "InvalidParameterException",
        "2 validation errors detected: "
        "Value null at 'clientId' failed to satisfy constraint: Member must not be null; "
        "Value null at 'username' failed to satisfy constraint: Member must not be null",
    )


def test_null_counts_as_missing(raw: RawClient) -> None:
    assert _error(raw.call("CreateUserPool", {"PoolName": None})) == (
        400,
        "InvalidParameterException",
        "1 validation error detected: "
        "Value null at 'poolName' failed to satisfy constraint: Member must not be null",
    )


def test_constraint_messages(raw: RawClient, local: LocalCognito) -> None:
    body = {
        "PoolName": "bad/name",
        "MfaConfiguration": "SOMETIMES",
        "Policies": {"PasswordPolicy": {"MinimumLength": 5}},
    }
    assert _error(raw.call("CreateUserPool", body)) == (
        400,
        "InvalidParameterException",
        "3 validation errors detected: "
        "Value 'bad/name' at 'poolName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+; "
        "Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: "
        "Member must have value greater than or equal to 6; "
        "Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy constraint: "
        "Member must satisfy enum value set: [OFF, ON, OPTIONAL]",
    )
    assert _count(local, "pools") == 0


def test_list_members_are_numbered(raw: RawClient) -> None:
    body = {"ClientId": "abc", "Username": "u", "UserAttributes": [{"Value": "x"}]}
    assert _error(raw.call("SignUp", body))[2] == (
        "1 validation error detected: Value null at 'userAttributes.1.member.name' "
        "failed to satisfy constraint: Member must not be null"
    )


def test_sensitive_values_are_not_echoed(raw: RawClient) -> None:
    secret = "pass word with spaces"
    body = {"ClientId": "abc", "Username": "user name", "Password": secret}
    _, code, message = _error(raw.call("SignUp", body))
    assert code == "InvalidParameterException"
    assert secret not in message and "user name" not in message
    assert "Value at 'password' failed to satisfy constraint" in message
    assert "Value at 'username' failed to satisfy constraint" in message


def test_unknown_members_are_ignored(raw: RawClient) -> None:
    response = raw.call("CreateUserPool", {"PoolName": "p", "NoSuchMember": {"x": 1}})
    assert response.status_code == 200


def test_oversized_body_is_refused_and_stores_nothing(raw: RawClient, local: LocalCognito) -> None:
    body = json.dumps({"PoolName": "p", "UserPoolTags": {"k": "v" * (MAX_BODY_BYTES + 1)}})
    response = raw.call("CreateUserPool", body)
    assert _error(response)[:2] == (413, "RequestEntityTooLargeException")
    assert _count(local, "pools") == 0
    # The server keeps serving.
    assert raw.call("CreateUserPool", {"PoolName": "p"}).status_code == 200


def test_internal_fault_is_500_without_traceback(
    raw: RawClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ctx: Any, request: Any) -> Any:
        raise KeyError("secret-detail")

    monkeypatch.setitem(ACTIONS, "DescribeUserPool", broken)
    response = raw.call("DescribeUserPool", {"UserPoolId": "us-east-1_abc"})
    assert _error(response) == (500, "InternalErrorException", "Internal server error")
    assert "secret-detail" not in response.text and "Traceback" not in response.text


def test_keep_alive_serves_many_requests_on_one_connection(local: LocalCognito) -> None:
    url = urlparse(local.endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        for i in range(20):
            conn.request(
                "POST",
                "/",
                body=json.dumps({"PoolName": f"p{i}"}),
                headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.CreateUserPool"},
            )
            response = conn.getresponse()
            assert response.status == 200
            assert response.getheader("Connection") != "close"
            json.loads(response.read())
        # The same socket carried every request.
        assert conn.sock is not None
    finally:
        conn.close()
    assert _count(local, "pools") == 20


def test_concurrent_keep_alive_clients(local: LocalCognito) -> None:
    errors: list[BaseException] = []
    ids: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            client = RawClient(local.endpoint)
            for i in range(10):
                response = client.call("CreateUserPool", {"PoolName": f"w{n}-{i}"})
                assert response.status_code == 200
                pool_id = response.json()["UserPool"]["Id"]
                described = client.call("DescribeUserPool", {"UserPoolId": pool_id})
                assert described.json()["UserPool"]["Name"] == f"w{n}-{i}"
                with lock:
                    ids.append(pool_id)
            client.session.close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(ids)) == 80
    assert _count(local, "pools") == 80


def test_unknown_path_is_404(local: LocalCognito) -> None:
    assert requests.get(local.endpoint + "/nothing/here", timeout=10).status_code == 404
    assert requests.post(local.endpoint + "/other", data="{}", timeout=10).status_code == 404


def test_boto3_sees_service_errors(idp: Any) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        idp.describe_user_pool(UserPoolId="us-east-1_missing1")
    error = caught.value.response["Error"]
    assert error["Code"] == "ResourceNotFoundException"
    assert error["Message"] == "User pool us-east-1_missing1 does not exist."
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert isinstance(caught.value, idp.exceptions.ResourceNotFoundException)


def test_binds_loopback_by_default(local: LocalCognito) -> None:
    assert urlparse(local.endpoint).hostname == "127.0.0.1"


def test_database_connections_are_reused_across_http_connections(local: LocalCognito) -> None:
    store = local._context.store
    for i in range(30):
        # A fresh TCP connection (and so a fresh server thread) each time.
        response = requests.post(
            local.endpoint,
            data=json.dumps({"PoolName": f"p{i}"}),
            headers={
                "X-Amz-Target": "AWSCognitoIdentityProviderService.CreateUserPool",
                "Connection": "close",
            },
            timeout=10,
        )
        assert response.status_code == 200
    assert _count(local, "pools") == 30
    assert store.connection_count <= 3


def test_ipv6_loopback() -> None:
    with LocalCognito(host="::1") as server:
        assert server.endpoint.startswith("http://[::1]:")
        response = RawClient(server.endpoint).call("CreateUserPool", {"PoolName": "v6"})
        assert response.status_code == 200
