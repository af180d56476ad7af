"""LocalCognito's life cycle: its temporary database goes away however the program ends,
and its TOTP helper gives the code the server accepts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import boto3

from cognito_identity.local import LocalCognito, ManualClock, totp_code


def _run(script: str) -> str:
    # The same interpreter and environment as the tests, so the package imported is the
    # one under test: installed (with its compiled module) or on the caller's PYTHONPATH.
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_a_server_never_stopped_leaves_no_folder_at_exit() -> None:
    db_path = _run(
        """
        from cognito_identity.local import LocalCognito
        local = LocalCognito().start()
        print(local.db_path)
        """
    )
    assert db_path.endswith("cognito.sqlite3")
    assert not Path(db_path).parent.exists()


def test_stop_removes_the_temporary_folder_and_keeps_a_given_database(tmp_path: Path) -> None:
    local = LocalCognito().start()
    folder = Path(local.db_path).parent
    assert folder.is_dir()
    local.stop()
    assert not folder.exists()
    mine = tmp_path / "pool.sqlite3"
    with LocalCognito(str(mine)):
        pass
    assert mine.exists()


def test_totp_code_is_what_the_server_accepts_by_its_clock() -> None:
    clock = ManualClock(start=1_700_000_000)
    with LocalCognito(clock=clock) as local:
        idp = boto3.client(
            "cognito-idp",
            endpoint_url=local.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        pool_id = idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
        idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username="alice", Password="Corr3ct-Horse!", Permanent=True
        )
        tokens = idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": "Corr3ct-Horse!"},
        )["AuthenticationResult"]
        secret = idp.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
        # The server's clock (here in 2023), not the wall clock.
        assert local.totp_code(secret) == totp_code(secret, clock.now())
        verified = idp.verify_software_token(
            AccessToken=tokens["AccessToken"], UserCode=local.totp_code(secret)
        )
        assert verified["Status"] == "SUCCESS"
