"""`cognito-identity local outbox --follow` prints each new message as the pool keeps it,
until Ctrl-C, which ends it with one line and status 130."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty, Queue
from typing import IO

import boto3

from cognito_identity.cli_support import EXIT_INTERRUPTED
from cognito_identity.local import LocalCognito

COMMAND = [sys.executable, "-m", "cognito_identity"]


def _lines(stream: IO[str]) -> Queue[str]:
    """The stream's lines as they come, read on a thread (so a test can wait with a
    timeout)."""
    lines: Queue[str] = Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _as_from_a_shell() -> None:
    # Runs in the child before exec: Ctrl-C must reach it as it would from a shell, even
    # if this test process was left ignoring or blocking SIGINT by an earlier test.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _sign_up(idp: object, client_id: str, username: str) -> None:
    idp.sign_up(  # type: ignore[attr-defined]
        ClientId=client_id,
        Username=username,
        Password="Corr3ct-Horse!",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )


def test_follow_prints_new_messages_until_ctrl_c(tmp_path: Path) -> None:
    db = str(tmp_path / "pool.sqlite3")
    with LocalCognito(db) as local:
        idp = boto3.client(
            "cognito-idp",
            endpoint_url=local.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"][
            "Id"
        ]
        client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
            "UserPoolClient"
        ]["ClientId"]
        _sign_up(idp, client_id, "sam")
        process = subprocess.Popen(
            [*COMMAND, "local", "outbox", "--db", db, "--follow", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_as_from_a_shell,
        )
        assert process.stdout is not None and process.stderr is not None
        try:
            out = _lines(process.stdout)
            first = json.loads(out.get(timeout=90))  # the message kept before it started
            assert first["username"] == "sam"
            _sign_up(idp, client_id, "tia")  # a message that comes while it follows
            second = json.loads(out.get(timeout=90))
            assert (second["username"], second["purpose"]) == ("tia", "signup")
            assert second["code"] == local.outbox.last_code("tia", pool_id)
            try:
                extra = out.get(timeout=0.6)
            except Empty:
                extra = None
            assert extra is None  # each message once
        finally:
            process.send_signal(signal.SIGINT)  # what Ctrl-C sends
            _, stderr = process.communicate(timeout=20)
    assert process.returncode == EXIT_INTERRUPTED
    assert stderr.splitlines() == [
        "waiting for messages (Ctrl-C to stop)",
        "cognito-identity local outbox: interrupted",
    ]
