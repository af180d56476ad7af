"""Fault injection and request counts of the local pool, for load tests: throttling,
server errors, dropped connections and latency, each seen by a client as AWS's would be."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests

from cognito_identity.client import CognitoClient, RetryPolicy
from cognito_identity.errors import (
    CognitoNetworkError,
    InternalErrorException,
    ResourceNotFoundException,
    TooManyRequestsException,
)
from cognito_identity.local import LocalCognito
from cognito_identity.local.faults import Faults


def _client(local: LocalCognito) -> CognitoClient:
    return CognitoClient(local.endpoint, retry=RetryPolicy(max_attempts=1))


def _stats(local: LocalCognito) -> dict[str, object]:
    answer = requests.get(f"{local.endpoint}/_local/stats", timeout=10)
    assert answer.status_code == 200
    stats: dict[str, object] = answer.json()
    return stats


def test_every_fault_reaches_the_client_as_cognito_would_send_it() -> None:
    for spec, error in (
        ("throttle=1", TooManyRequestsException),
        ("error=1", InternalErrorException),
        ("drop=1", CognitoNetworkError),
    ):
        with LocalCognito(faults=spec) as local, _client(local) as client:
            with pytest.raises(error):
                client.call("CreateUserPool", {"PoolName": "faulty"})
            stats = _stats(local)
        status = {"throttle=1": "400", "error=1": "500", "drop=1": "dropped"}[spec]
        assert stats["requests"] == {"CreateUserPool": {status: 1}}, spec
        assert stats["total"] == 1


def test_stats_count_requests_by_action_status_and_error_code() -> None:
    with LocalCognito() as local, _client(local) as client:
        pool = client.call("CreateUserPool", {"PoolName": "counted"})["UserPool"]
        client.call("DescribeUserPool", {"UserPoolId": pool["Id"]})
        with pytest.raises(ResourceNotFoundException):
            client.call("DescribeUserPool", {"UserPoolId": "us-east-1_missing"})
        stats = _stats(local)
    assert stats["requests"] == {
        "CreateUserPool": {"200": 1},
        "DescribeUserPool": {"200": 1, "400": 1},
    }
    assert stats["errors"] == {"ResourceNotFoundException": 1}
    assert stats["total"] == 3


def test_latency_is_added_to_each_request_and_chances_are_honoured() -> None:
    with LocalCognito(faults="latency=80ms") as local, _client(local) as client:
        started = time.monotonic()
        client.call("CreateUserPool", {"PoolName": "slow"})
        assert time.monotonic() - started >= 0.08
    faults = Faults.parse("throttle=0.25,error=0.25,drop=0.25")
    drawn = [faults.draw() for _ in range(4000)]
    for name in ("throttle", "error", "drop", None):
        assert 800 < drawn.count(name) < 1200, (name, drawn.count(name))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("throttle=2", "not a probability"),
        ("throttle=0.6,error=0.6", "add up to more than 1"),
        ("latency=soon", "invalid fault latency"),
        ("slow=1", "invalid fault 'slow=1'"),
        ("error=often", "expected a probability"),
    ],
)
def test_a_bad_fault_spec_is_refused(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Faults.parse(spec)


def test_spec_forms() -> None:
    assert Faults.parse("throttle=0.05,latency=20ms,error=0.01,drop=0.01") == Faults(
        throttle=0.05, error=0.01, drop=0.01, latency=0.02
    )
    assert Faults.parse("latency=0.5s").latency == 0.5
    assert Faults.parse("latency=15").latency == 0.015
    assert not Faults.parse("").active


def test_local_serve_refuses_bad_faults_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cognito_identity.cli", "local", "serve", "--faults", "drop=3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "cognito-identity local serve: fault drop=3 is not a probability between 0 and 1"
    ]
