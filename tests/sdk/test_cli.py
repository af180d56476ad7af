"""The ``cognito-identity`` command's demo and login, run as a user would run them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cognito_identity.cli import main

from .conftest import PASSWORD, PoolSetup


def test_demo_runs_every_step_against_a_local_pool() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cognito_identity.cli", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for step in ("sign up", "confirm the sign-up", "sign in with SRP", "refresh", "sign out"):
        assert f"ok  {step}" in done.stdout
    assert '"token_use": "id"' in done.stdout
    assert "Traceback" not in done.stderr


def _confirmed_user(setup: PoolSetup) -> None:
    setup.pool().sign_up("ann", PASSWORD, {"email": "ann@example.com"}).user.confirm_registration(
        setup.code_for("ann")
    )


def _login_args(setup: PoolSetup, *extra: str) -> list[str]:
    return [
        "login",
        "--user-pool-id",
        setup.pool_id,
        "--client-id",
        setup.client_id,
        "--endpoint",
        setup.local.endpoint,
        "--username",
        "ann",
        *extra,
    ]


def test_login_prompts_for_the_password_and_prints_tokens(
    setup: PoolSetup, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _confirmed_user(setup)
    prompts: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or PASSWORD)
    assert main(_login_args(setup, "--json")) == 0
    tokens = json.loads(capsys.readouterr().out)
    assert prompts == ["Password for ann: "]
    assert tokens["IdToken"].count(".") == 2
    assert tokens["RefreshToken"]


def test_login_with_a_wrong_password_fails_cleanly(
    setup: PoolSetup, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _confirmed_user(setup)
    monkeypatch.setattr("getpass.getpass", lambda prompt: "Not-the-passw0rd")
    assert main(_login_args(setup, "--password-auth")) == 1
    captured = capsys.readouterr()
    assert "NotAuthorizedException" in captured.err
    assert "Not-the-passw0rd" not in captured.out + captured.err
