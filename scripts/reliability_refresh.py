"""Concurrent refresh for the reliability report: 16 threads (sync API), then 16 tasks
(asyncio API), ask one user's expired session for a valid one at the same moment, with
and without refresh-token rotation. Counts the refresh calls that reached the local
pool, and checks that every caller got the same valid session. Prints JSON.

    python scripts/reliability_refresh.py
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import cognito_identity.session
from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool, MemoryStorage
from cognito_identity.asyncio import AsyncCognitoUser, AsyncCognitoUserPool
from cognito_identity.client import CallRecord, CognitoClient
from cognito_identity.local import LocalCognito, ManualClock

CALLERS = 16
PASSWORD = "Corr3ct-Horse!"
REFRESH_ACTIONS = ("InitiateAuth", "GetTokensFromRefreshToken")


def set_up(local: LocalCognito, rotation: bool) -> tuple[str, str]:
    admin = CognitoClient(local.endpoint)
    pool_id = admin.call("CreateUserPool", {"PoolName": "refresh"})["UserPool"]["Id"]
    extra: dict[str, Any] = (
        {"RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}}
        if rotation
        else {}
    )
    client_id = admin.call(
        "CreateUserPoolClient",
        {
            "UserPoolId": pool_id,
            "ClientName": "app",
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            **extra,
        },
    )["UserPoolClient"]["ClientId"]
    user = {"UserPoolId": pool_id, "Username": "rita"}
    admin.call("AdminCreateUser", {**user, "MessageAction": "SUPPRESS"})
    admin.call("AdminSetUserPassword", {**user, "Password": PASSWORD, "Permanent": True})
    admin.close()
    return pool_id, client_id


def expire(clock: ManualClock) -> None:
    """An hour and a bit later, on the pool's clock and the SDK's."""
    clock.advance(3700)
    later = time.time() + 3700
    cognito_identity.session._now = lambda: later  # type: ignore[attr-defined]


def threads_run(local: LocalCognito, clock: ManualClock, rotation: bool) -> dict[str, Any]:
    pool_id, client_id = set_up(local, rotation)
    refreshes: list[CallRecord] = []
    pool = CognitoUserPool(
        pool_id,
        client_id,
        endpoint=local.endpoint,
        storage=MemoryStorage(),
        refresh_token_rotation=rotation,
        hooks=(lambda r: refreshes.append(r) if r.action in REFRESH_ACTIONS else None,),
    )
    CognitoUser("rita", pool).authenticate_user(AuthenticationDetails(password=PASSWORD))
    refreshes.clear()
    expire(clock)
    start = threading.Barrier(CALLERS)

    def one(_: int) -> Any:
        user = CognitoUser("rita", pool)  # a user object per thread, one storage
        start.wait()
        return user.get_session()

    with ThreadPoolExecutor(CALLERS) as executor:
        sessions = list(executor.map(one, range(CALLERS)))
    return summary("threads", rotation, refreshes, sessions)


def tasks_run(local: LocalCognito, clock: ManualClock, rotation: bool) -> dict[str, Any]:
    pool_id, client_id = set_up(local, rotation)
    refreshes: list[CallRecord] = []

    async def main() -> list[Any]:
        pool = AsyncCognitoUserPool(
            pool_id,
            client_id,
            endpoint=local.endpoint,
            storage=MemoryStorage(),
            refresh_token_rotation=rotation,
            hooks=(lambda r: refreshes.append(r) if r.action in REFRESH_ACTIONS else None,),
        )
        try:
            first = AsyncCognitoUser("rita", pool)
            await first.authenticate_user(AuthenticationDetails(password=PASSWORD))
            refreshes.clear()
            expire(clock)
            users = [AsyncCognitoUser("rita", pool) for _ in range(CALLERS)]
            return list(await asyncio.gather(*(user.get_session() for user in users)))
        finally:
            await pool.aclose()

    sessions = asyncio.run(main())
    return summary("asyncio tasks", rotation, refreshes, sessions)


def summary(
    kind: str, rotation: bool, refreshes: list[CallRecord], sessions: list[Any]
) -> dict[str, Any]:
    return {
        "callers": f"{CALLERS} {kind}",
        "rotation": rotation,
        "refreshes_sent": len(refreshes),
        "valid_sessions": sum(1 for s in sessions if s.is_valid()),
        "distinct_access_tokens": len({s.access_token.jwt_token for s in sessions}),
    }


def main() -> None:
    rows = []
    real_now = cognito_identity.session._now  # type: ignore[attr-defined]
    for run in (threads_run, tasks_run):
        for rotation in (False, True):
            clock = ManualClock()
            with LocalCognito(clock=clock) as local:
                rows.append(run(local, clock, rotation))
            cognito_identity.session._now = real_now  # type: ignore[attr-defined]
            print(rows[-1], file=sys.stderr)
    json.dump({"rows": rows}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
