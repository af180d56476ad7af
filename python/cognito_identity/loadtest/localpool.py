"""The local user pool as a load-test target: served by its own process (so the load
generator's gevent loop and the server's threads never share an interpreter), with one
user pool and one app client that allows every sign-in the scenarios use."""

from __future__ import annotations

import subprocess
import sys
import threading
from types import TracebackType

from cognito_identity.client import CognitoClient, RetryPolicy
from cognito_identity.errors import CognitoError
from cognito_identity.loadtest.provision import persist

__all__ = ["LocalPoolProcess", "create_pool"]

_START_SECONDS = 30.0
_AUTH_FLOWS = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


class LocalPoolProcess:
    """``cognito-identity local serve`` in a child process, for the length of a run.

    ``faults`` is passed on as ``--faults``. :attr:`endpoint` is its URL once started.
    """

    def __init__(self, faults: str | None = None) -> None:
        self.faults = faults
        self.endpoint = ""
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> LocalPoolProcess:
        """Start the server and wait for it to print its endpoint."""
        command = [sys.executable, "-m", "cognito_identity.cli", "local", "serve"]
        if self.faults:
            command += ["--faults", self.faults]
        self._process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        line: list[str] = []
        assert self._process.stdout is not None
        reader = threading.Thread(
            target=lambda: line.append(self._process.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(_START_SECONDS)
        endpoint = line[0].strip() if line else ""
        if not endpoint.startswith("http"):
            self.stop()
            raise CognitoError("the local user pool did not start", code="LocalPoolFailed")
        self.endpoint = endpoint
        return self

    def stop(self) -> None:
        """Stop the server (its temporary database goes with it)."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None

    def __enter__(self) -> LocalPoolProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def create_pool(endpoint: str, name: str = "loadtest") -> tuple[str, str]:
    """A user pool (sign-up codes by e-mail) and
    an app client without a secret on the local pool at ``endpoint``: their ids."""
    admin = CognitoClient(endpoint, retry=RetryPolicy(max_attempts=1))
    try:
        pool = persist(
            admin,
            "CreateUserPool",
            {"PoolName": name, "AutoVerifiedAttributes": ["email"]},
        )["UserPool"]
        client = persist(
            admin,
            "CreateUserPoolClient",
            {"UserPoolId": pool["Id"], "ClientName": name, "ExplicitAuthFlows": _AUTH_FLOWS},
        )["UserPoolClient"]
    finally:
        admin.close()
    return str(pool["Id"]), str(client["ClientId"])
