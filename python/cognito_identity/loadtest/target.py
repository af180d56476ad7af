"""What a load test runs against: the pool, its app client and the test users.

The ``cognito-identity loadtest`` command builds a :class:`Target` and hands it to
Locust's ``parsed_options`` (as ``cognito_target``), which the master also sends to every
worker with each spawn message. A locustfile run with ``locust -f`` reads it from the
environment instead (:meth:`Target.from_env`).
"""

from __future__ import annotations

import itertools
import os
import threading
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cognito_identity.errors import InvalidConfigurationError

__all__ = ["AUTH_FLOWS", "SIGNUP_PREFIX", "TARGET_OPTION", "Target", "TestUser"]

#: The attribute of Locust's ``parsed_options`` that carries the target.
TARGET_OPTION = "cognito_target"

#: The sign-in kinds the login scenarios can use.
AUTH_FLOWS = ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "USER_AUTH")

#: How the names of the users a load test signs up begin, unless the run says more.
SIGNUP_PREFIX = "loadtest-signup-"


@dataclass(frozen=True)
class TestUser:
    """A user that exists in the pool, with the password to sign in with."""

    __test__ = False  # not a pytest class, whatever its name

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Target:
    """A user pool and app client under test, and how its users sign in.

    ``confirm`` says how sign-ups are confirmed: ``"outbox"`` reads the code from the
    local pool's outbox, ``"admin"`` calls AdminConfirmSignUp (a real pool). ``retries``
    is the SDK's ``max_attempts`` (1: off, so throttling stays visible). Users who sign
    up during the run get names starting with ``signup_prefix`` (``cognito-identity
    loadtest`` makes one per run, so ``--cleanup`` finds them, on every worker).
    """

    endpoint: str
    user_pool_id: str
    client_id: str
    users: Sequence[TestUser] = field(default=(), repr=False)
    client_secret: str | None = field(default=None, repr=False)
    region: str | None = None
    auth_flow: str = "USER_SRP_AUTH"
    confirm: str = "outbox"
    retries: int = 1
    signup_password: str | None = field(default=None, repr=False)
    signup_prefix: str = SIGNUP_PREFIX
    _next: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.auth_flow not in AUTH_FLOWS:
            raise InvalidConfigurationError(
                f"unknown auth flow {self.auth_flow!r}; expected one of {', '.join(AUTH_FLOWS)}"
            )
        if self.confirm not in ("outbox", "admin"):
            raise InvalidConfigurationError("confirm must be 'outbox' or 'admin'")
        if self.retries < 1:
            raise InvalidConfigurationError("retries counts the first try: at least 1")
        object.__setattr__(self, "users", tuple(self.users))
        object.__setattr__(self, "_next", _Counter())

    def next_user(self) -> TestUser:
        """The test users in turn, so each simulated user signs in as a different one."""
        if not self.users:
            raise InvalidConfigurationError("the load test has no test users to sign in as")
        turn: int = self._next()
        return self.users[turn % len(self.users)]

    def to_dict(self) -> dict[str, Any]:
        """The target as plain data (what Locust's master sends its workers)."""
        return {
            "endpoint": self.endpoint,
            "user_pool_id": self.user_pool_id,
            "client_id": self.client_id,
            "users": [[user.username, user.password] for user in self.users],
            "client_secret": self.client_secret,
            "region": self.region,
            "auth_flow": self.auth_flow,
            "confirm": self.confirm,
            "retries": self.retries,
            "signup_password": self.signup_password,
            "signup_prefix": self.signup_prefix,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Target:
        """The target :meth:`to_dict` made."""
        try:
            users = tuple(TestUser(str(name), str(password)) for name, password in data["users"])
            return cls(
                endpoint=str(data["endpoint"]),
                user_pool_id=str(data["user_pool_id"]),
                client_id=str(data["client_id"]),
                users=users,
                client_secret=data.get("client_secret"),
                region=data.get("region"),
                auth_flow=str(data.get("auth_flow") or "USER_SRP_AUTH"),
                confirm=str(data.get("confirm") or "outbox"),
                retries=int(data.get("retries") or 1),
                signup_password=data.get("signup_password"),
                signup_prefix=str(data.get("signup_prefix") or SIGNUP_PREFIX),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidConfigurationError(f"malformed load-test target: {error}") from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Target:
        """A target from environment variables, for a locustfile run with ``locust -f``.

        ``COGNITO_ENDPOINT``, ``COGNITO_USER_POOL_ID``, ``COGNITO_CLIENT_ID`` (required),
        ``COGNITO_CLIENT_SECRET``, ``COGNITO_AUTH_FLOW``, and the test users:
        ``COGNITO_LOADTEST_USERS`` (a CSV file of ``username[,password]``) with
        ``COGNITO_LOADTEST_PASSWORD`` for the rows without a password (and for sign-ups);
        ``COGNITO_LOADTEST_CONFIRM`` (``outbox`` or ``admin``; ``outbox`` on loopback).
        """
        from cognito_identity.loadtest.provision import read_users_csv

        env = os.environ if environ is None else environ
        missing = [
            name
            for name in ("COGNITO_ENDPOINT", "COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID")
            if not env.get(name)
        ]
        if missing:
            raise InvalidConfigurationError(
                f"no load-test target: set {', '.join(missing)} (or run cognito-identity loadtest)"
            )
        users: tuple[TestUser, ...] = ()
        if env.get("COGNITO_LOADTEST_USERS"):
            users = tuple(
                read_users_csv(env["COGNITO_LOADTEST_USERS"], env.get("COGNITO_LOADTEST_PASSWORD"))
            )
        return cls(
            endpoint=env["COGNITO_ENDPOINT"],
            user_pool_id=env["COGNITO_USER_POOL_ID"],
            client_id=env["COGNITO_CLIENT_ID"],
            users=users,
            client_secret=env.get("COGNITO_CLIENT_SECRET") or None,
            auth_flow=env.get("COGNITO_AUTH_FLOW") or "USER_SRP_AUTH",
            confirm=env.get("COGNITO_LOADTEST_CONFIRM") or _confirm_for(env["COGNITO_ENDPOINT"]),
            signup_password=env.get("COGNITO_LOADTEST_PASSWORD") or None,
        )


def _confirm_for(endpoint: str) -> str:
    host = urllib.parse.urlsplit(endpoint).hostname or ""
    return "outbox" if host in ("127.0.0.1", "localhost", "::1") else "admin"


class _Counter:
    """A thread-safe counter (users may run in threads as well as greenlets)."""

    def __init__(self) -> None:
        self._count = itertools.count()
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            return next(self._count)
