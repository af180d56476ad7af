"""`cognito-identity local init`: a setup file made on a running local pool, idempotently
(a second run prints the same ids and makes no duplicate), and every mistake in the file
reported in one line with its exit status, before the pool is called."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool
from cognito_identity.cli import main
from cognito_identity.cli_support import EXIT_REFUSED, EXIT_UNREACHABLE, EXIT_USAGE
from cognito_identity.local import LocalCognito

COMMAND = [sys.executable, "-m", "cognito_identity"]
PASSWORD = "Corr3ct-Horse!"

SETUP: dict[str, Any] = {
    "user_pools": [
        {
            "name": "shop",
            "AutoVerifiedAttributes": ["email"],
            "clients": [
                {
                    "name": "web",
                    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                },
                {"name": "backend", "GenerateSecret": True},
            ],
            "groups": ["admins", {"name": "staff", "Precedence": 2}],
            "users": [
                {
                    "username": "alice",
                    "password": PASSWORD,
                    "attributes": {"email": "alice@example.com", "email_verified": "true"},
                    "groups": ["admins", "staff"],
                },
                {"username": "bob", "password": PASSWORD, "temporary_password": True},
                {
                    "username": "carol",
                    "password": PASSWORD,
                    "confirmed": False,
                    "attributes": {"email": "carol@example.com"},
                },
            ],
        },
        {"name": "staff-tools", "clients": [{"name": "cli"}]},
    ],
    "identity_pools": [
        {
            "name": "shop identities",
            "AllowUnauthenticatedIdentities": True,
            "providers": [{"user_pool": "shop", "client": "web"}],
        }
    ],
}


@pytest.fixture(scope="module")
def local() -> Iterator[LocalCognito]:
    with LocalCognito() as server:
        yield server


def _client(local: LocalCognito, service: str = "cognito-idp") -> Any:
    return boto3.client(
        service,
        endpoint_url=local.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _init(local: LocalCognito, path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, "local", "init", "--endpoint", local.endpoint, "--file", str(path), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _ids(result: dict[str, Any]) -> dict[str, str]:
    ids = {}
    for pool in result["user_pools"]:
        ids[pool["name"]] = pool["id"]
        ids.update({f"{pool['name']}/{c['name']}": c["id"] for c in pool["clients"]})
    ids.update({p["name"]: p["id"] for p in result["identity_pools"]})
    return ids


def test_a_second_run_prints_the_same_ids_and_makes_nothing_twice(
    local: LocalCognito, tmp_path: Path
) -> None:
    setup = tmp_path / "setup.json"
    setup.write_text(json.dumps(SETUP))
    first = _init(local, setup, "--json")
    assert first.returncode == 0, first.stderr
    second = _init(local, setup, "--json")
    assert second.returncode == 0, second.stderr
    made, again = json.loads(first.stdout), json.loads(second.stdout)
    assert _ids(made) == _ids(again) and len(_ids(made)) == 6
    assert all(pool["created"] for pool in made["user_pools"])
    assert not any(pool["created"] for pool in again["user_pools"])
    assert not any(user["created"] for user in again["user_pools"][0]["users"])
    statuses = {u["username"]: u["status"] for u in again["user_pools"][0]["users"]}
    assert statuses == {
        "alice": "CONFIRMED",
        "bob": "FORCE_CHANGE_PASSWORD",
        "carol": "UNCONFIRMED",
    }

    # No duplicates at the pool, whichever way it is asked.
    idp = _client(local)
    pools = [p["Name"] for p in idp.list_user_pools(MaxResults=60)["UserPools"]]
    assert sorted(pools) == ["shop", "staff-tools"]
    shop = made["user_pools"][0]["id"]
    clients = idp.list_user_pool_clients(UserPoolId=shop, MaxResults=60)["UserPoolClients"]
    assert sorted(c["ClientName"] for c in clients) == ["backend", "web"]
    assert len(idp.list_users(UserPoolId=shop)["Users"]) == 3
    assert sorted(g["GroupName"] for g in idp.list_groups(UserPoolId=shop)["Groups"]) == [
        "admins",
        "staff",
    ]
    groups = idp.admin_list_groups_for_user(UserPoolId=shop, Username="alice")["Groups"]
    assert sorted(g["GroupName"] for g in groups) == ["admins", "staff"]
    identity_pools = _client(local, "cognito-identity").list_identity_pools(MaxResults=60)
    assert [p["IdentityPoolName"] for p in identity_pools["IdentityPools"]] == ["shop identities"]

    # The settings came along: a secret for one client, the flows of the other.
    backend = made["user_pools"][0]["clients"][1]["id"]
    described = idp.describe_user_pool_client(UserPoolId=shop, ClientId=backend)
    assert described["UserPoolClient"].get("ClientSecret")
    assert described["UserPoolClient"]["ClientSecret"] not in first.stdout + second.stdout

    # And the users sign in as the file says.
    web = made["user_pools"][0]["clients"][0]["id"]
    user = CognitoUser("alice", CognitoUserPool(shop, web, endpoint=local.endpoint))
    user.authentication_flow_type = "USER_PASSWORD_AUTH"
    session = user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert sorted(session.id_token.payload["cognito:groups"]) == ["admins", "staff"]
    assert local.outbox.last_code("carol", shop).isdigit()  # signed up, code sent


def test_the_text_output_names_each_id_once(local: LocalCognito, tmp_path: Path) -> None:
    setup = tmp_path / "setup.json"
    setup.write_text(json.dumps({"user_pools": [{"name": "text", "clients": [{"name": "app"}]}]}))
    first, second = _init(local, setup), _init(local, setup)
    assert first.returncode == second.returncode == 0
    lines = first.stdout.splitlines()
    assert lines[0].startswith("user pool text: us-east-1_") and lines[0].endswith("(created)")
    assert lines[1].startswith("  client app: ") and lines[1].endswith("(created)")
    assert second.stdout == first.stdout.replace(" (created)", "")


def test_yaml_is_read_when_pyyaml_is_there(local: LocalCognito, tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    setup = tmp_path / "setup.yaml"
    setup.write_text(
        "user_pools:\n"
        "  - name: from-yaml\n"
        "    clients: [{name: app}]\n"
        "    users:\n"
        "      - {username: dan, password: 'Corr3ct-Horse!'}\n"
    )
    done = _init(local, setup, "--json")
    assert done.returncode == 0, done.stderr
    (pool,) = json.loads(done.stdout)["user_pools"]
    assert pool["name"] == "from-yaml" and pool["users"][0]["status"] == "CONFIRMED"


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    status = main(argv)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return status, lines[0]


BAD_FILES = {
    "not JSON": ('{"user_pools": [', "not JSON: Expecting value at line 1"),
    "unknown key": ('{"userpools": []}', "unknown key 'userpools'"),
    "no name": ('{"user_pools": [{"clients": []}]}', "user_pools[0].name: expected non-empty"),
    "a number for a password": (
        '{"user_pools": [{"name": "p", "users": [{"username": "u", "password": 1234}]}]}',
        "user_pools[0].users[0]: 'password' is required",
    ),
    "an unknown group": (
        '{"user_pools": [{"name": "p", "users": '
        '[{"username": "u", "password": "x", "groups": ["ops"]}]}]}',
        "no group named 'ops'",
    ),
    "an unknown user pool": (
        '{"identity_pools": [{"name": "i", "providers": [{"user_pool": "nope"}]}]}',
        "identity_pools[0]: no user pool named 'nope'",
    ),
    "a pool twice": (
        '{"user_pools": [{"name": "p"}, {"name": "p"}]}',
        "user_pools: 'p' appears twice",
    ),
    "a list at the top": ("[]", "expected an object (key: value), not a list"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_is_one_line_and_exit_2_before_any_call(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, expected = BAD_FILES[case]
    setup = tmp_path / "setup.json"
    setup.write_text(text)
    # Nothing listens on the endpoint: a call would fail with another status.
    status, line = _one_line_error(
        capsys, ["local", "init", "--endpoint", "http://127.0.0.1:9", "--file", str(setup)]
    )
    assert status == EXIT_USAGE
    assert expected in line and str(setup) in line
    assert "1234" not in line  # a password is never shown


def test_a_missing_file_and_yaml_without_pyyaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = ["local", "init", "--endpoint", "http://127.0.0.1:9", "--file"]
    status, line = _one_line_error(capsys, [*argv, str(tmp_path / "missing.json")])
    assert status == EXIT_USAGE and "cannot read" in line
    setup = tmp_path / "setup.yml"
    setup.write_text("user_pools: []\n")
    monkeypatch.setitem(sys.modules, "yaml", None)  # as if PyYAML were not installed
    status, line = _one_line_error(capsys, [*argv, str(setup)])
    assert status == EXIT_USAGE and "needs PyYAML" in line and "JSON" in line


def test_a_refusal_names_what_was_being_made(
    local: LocalCognito, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup = tmp_path / "setup.json"
    weak = {"username": "eve", "password": "short"}
    setup.write_text(json.dumps({"user_pools": [{"name": "strict", "users": [weak]}]}))
    argv = ["local", "init", "--endpoint", local.endpoint, "--file", str(setup)]
    status, line = _one_line_error(capsys, argv)
    assert status == EXIT_REFUSED
    assert "InvalidPasswordException" in line and "user 'eve' of user pool 'strict'" in line
    assert "short" not in line.replace("too short", "")


def test_an_unreachable_endpoint_has_its_own_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup = tmp_path / "setup.json"
    setup.write_text(json.dumps({"user_pools": [{"name": "p"}]}))
    argv = ["local", "init", "--endpoint", "http://127.0.0.1:9", "--file", str(setup)]
    status, line = _one_line_error(capsys, argv)
    assert status == EXIT_UNREACHABLE and "cannot reach" in line


def test_init_help_has_a_description_and_examples() -> None:
    done = subprocess.run(
        [*COMMAND, "local", "init", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert "same ids" in done.stdout and "examples:\n  cognito-identity local init" in done.stdout


def test_the_readmes_setup_file_runs(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("**A repeatable setup.**", 1)[1]
    block = section.split("```json\n", 1)[1].split("```", 1)[0]
    setup = tmp_path / "setup.json"
    setup.write_text(block)
    with LocalCognito() as local:  # its own: the module's pool has a "shop" already
        done = _init(local, setup, "--json")
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    statuses = [user["status"] for user in made["user_pools"][0]["users"]]
    assert statuses == ["CONFIRMED", "FORCE_CHANGE_PASSWORD", "UNCONFIRMED"]
    assert made["identity_pools"][0]["created"]
