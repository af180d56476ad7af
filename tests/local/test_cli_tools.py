"""`cognito-identity --version`, `--help` everywhere, `local` alone, `local outbox`,
`local totp` and what `local serve` prints, run as a user runs them."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from cognito_identity import __version__
from cognito_identity.cli_support import EXIT_CODES_HELP, EXIT_USAGE
from cognito_identity.local import LocalCognito
from cognito_identity.local.totp import totp_code

COMMAND = [sys.executable, "-m", "cognito_identity"]
COMMANDS = [[], ["local"], ["local", "serve"], ["local", "outbox"], ["local", "totp"]]
COMMANDS += [["demo"], ["login"]]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_version() -> None:
    done = _run("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"cognito-identity {__version__}")


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) or "top" for c in COMMANDS])
def test_every_help_has_a_description_examples_and_exit_codes(command: list[str]) -> None:
    done = _run(*command, "--help")
    assert done.returncode == 0
    usage, description = done.stdout.split("\n\n")[:2]
    assert usage.startswith("usage: cognito-identity")
    assert not description.startswith(("positional", "options")), done.stdout
    assert "examples:\n  cognito-identity" in done.stdout
    assert "130  interrupted (Ctrl-C)" in done.stdout


def test_local_alone_prints_its_help() -> None:
    done = _run("local")
    assert done.returncode == 0
    assert "serve" in done.stdout and "outbox" in done.stdout
    assert "required" not in done.stdout + done.stderr


def _idp(endpoint: str) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture
def pool_db(tmp_path: Path) -> tuple[str, str]:
    """A database whose outbox holds an invitation for 'ivy' and a sign-up code for 'sam'."""
    db = str(tmp_path / "pool.sqlite3")
    with LocalCognito(db) as local:
        idp = _idp(local.endpoint)
        pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"][
            "Id"
        ]
        client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
            "UserPoolClient"
        ]["ClientId"]
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username="ivy",
            DesiredDeliveryMediums=["EMAIL"],
            UserAttributes=[{"Name": "email", "Value": "ivy@example.com"}],
        )
        idp.sign_up(
            ClientId=client_id,
            Username="sam",
            Password="Corr3ct-Horse!",
            UserAttributes=[{"Name": "email", "Value": "sam@example.com"}],
        )
        kept = {m.username: m.code for m in local.outbox.messages()}
    assert set(kept) == {"ivy", "sam"}
    return db, pool_id


def test_outbox_shows_codes_and_temporary_passwords(pool_db: tuple[str, str]) -> None:
    db, pool_id = pool_db
    with LocalCognito(db) as local:
        kept = {m.username: m for m in local.outbox.messages()}
    done = _run("local", "outbox", "--db", db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert "invitation" in lines[0] and kept["ivy"].code in lines[0]
    assert "signup" in lines[1] and kept["sam"].code in lines[1]
    assert pool_id in lines[1] and "sam@example.com" in lines[1]


def test_outbox_filters_and_json(pool_db: tuple[str, str]) -> None:
    db, pool_id = pool_db
    done = _run("local", "outbox", "--db", db, "--pool", pool_id, "--user", "sam", "--json")
    assert done.returncode == 0, done.stderr
    (message,) = json.loads(done.stdout)
    assert (message["username"], message["purpose"]) == ("sam", "signup")
    assert message["code"].isdigit()
    other_pool = _run("local", "outbox", "--db", db, "--pool", "us-east-1_Other1", "--json")
    assert json.loads(other_pool.stdout) == []


def test_outbox_of_a_missing_database_is_a_usage_error(tmp_path: Path) -> None:
    done = _run("local", "outbox", "--db", str(tmp_path / "missing.sqlite3"))
    assert done.returncode == EXIT_USAGE
    assert len(done.stderr.strip().splitlines()) == 1
    assert "no database file" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "missing.sqlite3").exists()


def test_outbox_of_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not sqlite " * 200)
    done = _run("local", "outbox", "--db", str(notes))
    assert done.returncode == EXIT_USAGE
    assert "is not a local pool database" in done.stderr
    assert "Traceback" not in done.stderr


def test_totp_prints_the_current_code() -> None:
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    before = time.time()
    done = _run("local", "totp", secret.lower())
    after = time.time()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in {totp_code(secret, before), totp_code(secret, after)}


@pytest.mark.parametrize("secret", ["not base32!", "189"])
def test_totp_refuses_a_secret_that_is_not_base32(secret: str) -> None:
    done = _run("local", "totp", secret)
    assert done.returncode == EXIT_USAGE
    assert "base32" in done.stderr and "Traceback" not in done.stderr


def test_serve_prints_endpoint_database_and_how_to_stop(tmp_path: Path) -> None:
    db = str(tmp_path / "pool.sqlite3")
    process = subprocess.Popen(
        [*COMMAND, "local", "serve", "--db", db, "--log-level", "WARNING"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        shown = [process.stdout.readline().strip() for _ in range(3)]
        assert shown[0].startswith("http://127.0.0.1:")
        assert shown[1] == f"database: {db}"
        assert shown[2] == "Ctrl-C to stop"
        _idp(shown[0]).create_user_pool(PoolName="quiet")
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert "INFO" not in stderr  # --log-level WARNING keeps the INFO lines out


def test_serve_refuses_an_unknown_log_level() -> None:
    done = _run("local", "serve", "--log-level", "LOUD")
    assert done.returncode == EXIT_USAGE
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_readme_lists_the_exit_statuses_help_lists() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    documented = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", readme, re.MULTILINE))
    in_help = dict(re.findall(r"^  (\d+) +(.+)$", EXIT_CODES_HELP, re.MULTILINE))
    assert documented.keys() == in_help.keys()
    for status, meaning in in_help.items():
        assert documented[status].replace("`", "") == meaning
