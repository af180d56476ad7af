"""Test users for a load test: made with admin calls (in parallel, idempotent), removed
with ``--cleanup`` (with the users the run signed up), or read from a CSV file.
Passwords come from a file or an environment variable, never from the command line.

Admin calls go to the local pool unsigned, and to a real pool signed by the SDK's
:class:`~cognito_identity.admin.UserPoolAdmin` (IAM credentials from botocore's chain, as the
AWS CLI finds them).
"""

from __future__ import annotations

import contextlib
import csv
import os
import random
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from cognito_identity.client import CognitoClient, RetryPolicy
from cognito_identity.errors import (
    CognitoClientException,
    CognitoError,
    InvalidConfigurationError,
    UsernameExistsException,
    UserNotFoundException,
)
from cognito_identity.loadtest.target import Target, TestUser

__all__ = [
    "PASSWORD_ENV",
    "AdminApi",
    "admin_api",
    "cleanup_signups",
    "cleanup_users",
    "new_password",
    "numbered_usernames",
    "persist",
    "provision_users",
    "read_password",
    "read_users_csv",
    "usernames_starting_with",
]

#: The environment variable holding the test users' password.
PASSWORD_ENV = "COGNITO_LOADTEST_PASSWORD"

# Answers a busy or faulty pool may give to an admin call: tried again, since every
# provisioning step is idempotent.
_TRANSIENT = frozenset(
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "LimitExceededException",
        "InternalErrorException",
        "NetworkError",
        "ConnectError",
        "Timeout",
    }
)
# Enough that a pool failing 60% of calls (as the fault tests make it) fails a user's
# provisioning about once in 30000 runs; the pauses back off to a second.
_ATTEMPTS = 20
_MAX_PAUSE = 1.0


class AdminApi(Protocol):
    """Something that performs Cognito admin calls: ``call(action, params)``."""

    def call(self, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The call's JSON answer; raises a :class:`CognitoClientException` on error."""


def admin_api(target: Target, *, local: bool | None = None) -> AdminApi:
    """The admin API for ``target``: unsigned calls for the local pool (``confirm ==
    "outbox"`` unless ``local`` says otherwise); for a real one, the client of a
    :class:`~cognito_identity.admin.UserPoolAdmin`, signed with the IAM credentials
    botocore's chain finds (the environment, a profile, an instance role)."""
    if local if local is not None else target.confirm == "outbox":
        return CognitoClient(target.endpoint, retry=RetryPolicy(max_attempts=1))
    from cognito_identity.admin import UserPoolAdmin

    admin = UserPoolAdmin(
        target.user_pool_id,
        region=target.region,
        endpoint=target.endpoint,
        retry=RetryPolicy(max_attempts=1),
    )
    return admin.client


def read_password(path: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The test users' password: the first line of the file at ``path``, else the
    ``COGNITO_LOADTEST_PASSWORD`` environment variable, else None."""
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                password = handle.readline().rstrip("\r\n")
        except OSError as error:
            raise InvalidConfigurationError(
                f"cannot read the password file {path}: {error.strerror}"
            ) from None
        if not password:
            raise InvalidConfigurationError(f"the password file {path} is empty")
        return password
    env = os.environ if environ is None else environ
    return env.get(PASSWORD_ENV) or None


def new_password() -> str:
    """A random password that meets any Cognito password policy's character classes."""
    return f"Lt-{secrets.token_urlsafe(12)}-9a!"


def read_users_csv(path: str, password: str | None) -> list[TestUser]:
    """Test users from a CSV file of ``username[,password]`` rows (a first row
    ``username,password`` is a header); ``password`` for rows without one."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = [row for row in csv.reader(handle) if row and row[0].strip()]
    except OSError as error:
        raise InvalidConfigurationError(f"cannot read {path}: {error.strerror}") from None
    if rows and rows[0][0].strip().lower() == "username":
        rows = rows[1:]
    users = []
    for number, row in enumerate(rows, 1):
        row_password = row[1] if len(row) > 1 and row[1] else password
        if not row_password:
            raise InvalidConfigurationError(
                f"{path}: user {number} has no password, and none is set "
                f"(--password-file or ${PASSWORD_ENV})"
            )
        users.append(TestUser(row[0].strip(), row_password))
    if not users:
        raise InvalidConfigurationError(f"{path} lists no users")
    return users


def numbered_usernames(count: int, prefix: str = "loadtest-user") -> list[str]:
    """The names of ``count`` provisioned test users."""
    return [f"{prefix}-{number:06d}" for number in range(count)]


def persist(admin: AdminApi, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """One admin call, tried again (after a growing random pause) while the answer is
    transient."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return admin.call(action, params)
        except CognitoError as error:
            if error.code not in _TRANSIENT or attempt == _ATTEMPTS:
                raise
        time.sleep(random.uniform(0, min(_MAX_PAUSE, 0.01 * 2**attempt)))
    raise AssertionError("unreachable")


def _provision_one(admin: AdminApi, pool_id: str, user: TestUser) -> None:
    # A user made by an earlier run keeps its attributes and gets the password again.
    with contextlib.suppress(UsernameExistsException):
        persist(
            admin,
            "AdminCreateUser",
            {"UserPoolId": pool_id, "Username": user.username, "MessageAction": "SUPPRESS"},
        )
    persist(
        admin,
        "AdminSetUserPassword",
        {
            "UserPoolId": pool_id,
            "Username": user.username,
            "Password": user.password,
            "Permanent": True,
        },
    )


def _delete_one(admin: AdminApi, pool_id: str, username: str) -> None:
    with contextlib.suppress(UserNotFoundException):
        persist(admin, "AdminDeleteUser", {"UserPoolId": pool_id, "Username": username})


def provision_users(
    admin: AdminApi, pool_id: str, users: Sequence[TestUser], *, parallel: int = 16
) -> None:
    """Make ``users`` exist, confirmed, with their passwords (AdminCreateUser, then
    AdminSetUserPassword as permanent), ``parallel`` at a time. Users that exist already
    keep their attributes and get the password again, so running it twice is harmless."""
    _each(parallel, (lambda user=user: _provision_one(admin, pool_id, user) for user in users))


def cleanup_users(
    admin: AdminApi, pool_id: str, usernames: Iterable[str], *, parallel: int = 16
) -> None:
    """Delete the named users (AdminDeleteUser); users already gone are skipped."""
    _each(parallel, (lambda name=name: _delete_one(admin, pool_id, name) for name in usernames))


def usernames_starting_with(admin: AdminApi, pool_id: str, prefix: str) -> list[str]:
    """The usernames in the pool that begin with ``prefix`` (ListUsers with a prefix
    filter, page by page)."""
    if '"' in prefix or "\\" in prefix:
        raise InvalidConfigurationError("a username prefix cannot hold quotes or backslashes")
    names: list[str] = []
    page: str | None = None
    while True:
        answer = persist(
            admin,
            "ListUsers",
            {
                "UserPoolId": pool_id,
                "Filter": f'username ^= "{prefix}"',
                "AttributesToGet": [],
                "PaginationToken": page,
            },
        )
        names += [str(user["Username"]) for user in answer.get("Users") or []]
        page = answer.get("PaginationToken")
        if not page:
            return names


def cleanup_signups(
    admin: AdminApi,
    pool_id: str,
    prefix: str,
    *,
    parallel: int = 16,
    settle: float = 1.0,
    passes: int = 4,
) -> int:
    """Delete the users a run signed up (their names begin with ``prefix``); how many.

    A sign-up that the end of the run cut short may still be on its way through the
    pool and make its user after a listing. So after deleting what it found, cleanup
    waits ``settle`` seconds and lists again, until a listing finds nobody (at most
    ``passes`` listings).
    """
    deleted = 0
    for listing in range(passes):
        if listing:
            time.sleep(settle)
        names = usernames_starting_with(admin, pool_id, prefix)
        if not names:
            break
        cleanup_users(admin, pool_id, names, parallel=parallel)
        deleted += len(names)
    return deleted


def _each(parallel: int, jobs: Iterable[Any]) -> None:
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = [pool.submit(job) for job in jobs]
        errors = [future.exception() for future in futures]
    failed = [error for error in errors if error is not None]
    if failed:
        first = failed[0]
        detail = first.code if isinstance(first, CognitoClientException) else str(first)
        raise CognitoError(
            f"{len(failed)} of {len(errors)} admin calls failed (first: {detail})",
            code=getattr(first, "code", "AdminCallFailed"),
        ) from first
