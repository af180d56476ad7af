"""``cognito-identity demo``: a whole sign-up and SRP sign-in against a local user pool.

It starts the local pool on loopback, creates a user pool and an app client, signs a user
up, reads the confirmation code from the pool's outbox, confirms, signs in with SRP,
shows the id token's claims, refreshes the session and signs out, timing every step.
No AWS account is involved.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from typing import TextIO, TypeVar

from cognito_identity.attributes import AuthenticationDetails
from cognito_identity.local import LocalCognito
from cognito_identity.pool import CognitoUserPool
from cognito_identity.transport import Transport

__all__ = ["run_demo"]

T = TypeVar("T")

_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def run_demo(out: TextIO, *, show_claims: bool = True) -> int:
    """Run the demo, writing what happens to ``out``; returns the exit status (0)."""
    step = _Steps(out)
    local = step("start the local user pool", lambda: LocalCognito().start())
    try:
        admin = Transport(local.endpoint)
        pool_id, client_id = step(
            "create a user pool and an app client", lambda: _create_pool(admin)
        )
        user_pool = CognitoUserPool(pool_id, client_id, endpoint=local.endpoint)
        username = "demo-user"
        # A fresh random password each run, shown nowhere.
        password = f"Demo-{secrets.token_urlsafe(12)}-9a"
        signed_up = step(
            f"sign up {username!r}",
            lambda: user_pool.sign_up(username, password, {"email": "demo@example.com"}),
        )
        code = local.outbox.last_code(username, user_pool.user_pool_id)
        out.write(f"    the pool's outbox holds the confirmation code {code}\n")
        user = signed_up.user
        step("confirm the sign-up with that code", lambda: user.confirm_registration(code))
        session = step(
            "sign in with SRP (the password never leaves this process)",
            lambda: user.authenticate_user(AuthenticationDetails(username, password)),
        )
        if show_claims:
            claims = json.dumps(session.id_token.payload, indent=2, sort_keys=True)
            out.write("    id token claims:\n")
            out.write("".join(f"      {line}\n" for line in claims.splitlines()))
        refresh_token = session.refresh_token
        assert refresh_token is not None, "Cognito always returns a refresh token on sign-in"
        step("refresh the session", lambda: user.refresh_session(refresh_token))
        step(
            "sign out and revoke the refresh token",
            lambda: user.sign_out(revoke_refresh_token=True),
        )
    finally:
        local.stop()
    out.write(f"done in {step.total_ms:.1f} ms\n")
    return 0


def _create_pool(admin: Transport) -> tuple[str, str]:
    pool = admin.call(
        "CreateUserPool",
        {"PoolName": "demo", "AutoVerifiedAttributes": ["email"]},
    )["UserPool"]
    client = admin.call(
        "CreateUserPoolClient",
        {"UserPoolId": pool["Id"], "ClientName": "demo-app", "ExplicitAuthFlows": _FLOWS},
    )["UserPoolClient"]
    return str(pool["Id"]), str(client["ClientId"])


class _Steps:
    """Runs named steps, printing each with its duration in milliseconds."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.total_ms = 0.0

    def __call__(self, name: str, action: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = action()
        elapsed = (time.perf_counter() - started) * 1000
        self.total_ms += elapsed
        self.out.write(f"  ok  {name:<58} {elapsed:8.1f} ms\n")
        self.out.flush()
        return result
