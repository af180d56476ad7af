"""`cognito-identity local serve`: prints its endpoint, serves, persists with --db."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from cognito_identity import AwsSigV4Client, SigV4Request
from cognito_identity.cli import build_parser
from cognito_identity.local import LocalCognito
from cognito_identity.local.store import SCHEMA_VERSION


def _serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cognito_identity.cli", "local", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    endpoint = process.stdout.readline().strip()
    return process, endpoint


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    return stderr


def _idp(endpoint: str) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_serve_prints_endpoint_and_persists_with_db(tmp_path: Path) -> None:
    db = str(tmp_path / "pool.sqlite3")
    process, endpoint = _serve("--db", db)
    try:
        assert endpoint.startswith("http://127.0.0.1:")
        pool_id = _idp(endpoint).create_user_pool(PoolName="kept")["UserPool"]["Id"]
    finally:
        _stop(process)
    process, endpoint = _serve("--db", db)
    try:
        assert _idp(endpoint).describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "kept"
    finally:
        _stop(process)


def test_served_credentials_expire_after_the_given_lifetime() -> None:
    process, endpoint = _serve("--credentials-lifetime", "3")
    try:
        cid = boto3.client(
            "cognito-identity",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        pool = cid.create_identity_pool(
            IdentityPoolName="guests", AllowUnauthenticatedIdentities=True
        )
        identity_id = cid.get_id(IdentityPoolId=pool["IdentityPoolId"])["IdentityId"]
        asked = time.time()
        issued = cid.get_credentials_for_identity(IdentityId=identity_id)["Credentials"]
        expiration = issued["Expiration"].timestamp()
        assert int(asked) + 3 <= expiration <= time.time() + 3
        signer = AwsSigV4Client(
            issued["AccessKeyId"],
            issued["SecretKey"],
            f"{endpoint}/_local/aws/execute-api",
            session_token=issued["SessionToken"],
        )
        request = SigV4Request(signer, "GET", "/prod")
        assert requests.get(request.url, headers=request.headers, timeout=10).status_code == 200
        time.sleep(max(expiration + 1 - time.time(), 0))
        answer = requests.get(request.url, headers=request.headers, timeout=10)
        assert (answer.status_code, answer.json()["__type"]) == (403, "ExpiredToken")
    finally:
        _stop(process)


def test_default_database_is_fresh_and_removed(tmp_path: Path) -> None:
    env_tmp = tmp_path / "tmp"
    env_tmp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "cognito_identity.cli", "local", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(env_tmp)},
    )
    assert process.stdout is not None
    endpoint = process.stdout.readline().strip()
    try:
        idp = _idp(endpoint)
        assert idp.create_user_pool(PoolName="temp")["UserPool"]["Id"]
        assert len(list(env_tmp.iterdir())) == 1
    finally:
        _stop(process)
    assert list(env_tmp.iterdir()) == []


def test_parser_defaults_bind_loopback() -> None:
    args = build_parser().parse_args(["local", "serve"])
    assert (args.host, args.port, args.db) == ("127.0.0.1", 0, None)
    assert args.credentials_lifetime == 3600


def test_subcommand_is_required() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args([])


def test_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "old.sqlite3")
    LocalCognito(db).stop()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ValueError, match="schema version"):
        LocalCognito(db)


def test_serve_reports_a_taken_port(tmp_path: Path) -> None:
    env_tmp = tmp_path / "tmp"
    env_tmp.mkdir()
    with LocalCognito() as running:
        port = running.endpoint.rsplit(":", 1)[1]
        failed = subprocess.run(
            [sys.executable, "-m", "cognito_identity.cli", "local", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "TMPDIR": str(env_tmp)},
        )
    assert failed.returncode == 2
    assert "cognito-identity local serve:" in failed.stderr
    assert "Traceback" not in failed.stderr
    # The temporary database made before the bind failed is gone.
    assert list(env_tmp.iterdir()) == []
