"""The asyncio API under concurrency: tasks on an expired session send one refresh, also
beside sync threads and other event loops, and a cancelled waiter releases the gate."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserSession
from cognito_identity.asyncio import AsyncCognitoUser
from cognito_identity.client import CallRecord
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.storage import MemoryStorage, key_prefix

from .async_helpers import async_pool
from .conftest import PASSWORD, PoolSetup
from .test_refresh_rotation import rotation_setup
from .test_single_flight import THREADS, expire_sessions

REFRESH_ACTIONS = ("InitiateAuth", "GetTokensFromRefreshToken")


@pytest.mark.parametrize("grace", [None, 0, 10])
@pytest.mark.parametrize("shared_object", [True, False])
def test_sixteen_tasks_send_one_refresh(
    local: LocalCognito,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    grace: int | None,
    shared_object: bool,
) -> None:
    rotation = None if grace is None else {"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}
    setup: PoolSetup = rotation_setup(local, rotation)
    refreshes: list[CallRecord] = []

    def count(record: CallRecord) -> None:
        if record.action in REFRESH_ACTIONS:
            refreshes.append(record)

    storage = MemoryStorage()

    async def scenario() -> list[CognitoUserSession]:
        async with async_pool(
            setup, storage=storage, refresh_token_rotation=grace is not None, hooks=(count,)
        ) as pool:
            first = AsyncCognitoUser("rita", pool)
            await first.authenticate_user(AuthenticationDetails(password=PASSWORD))
            refreshes.clear()
            expire_sessions(clock, monkeypatch)
            users = [first if shared_object else AsyncCognitoUser("rita", pool)] * THREADS
            if not shared_object:
                users = [AsyncCognitoUser("rita", pool) for _ in range(THREADS)]
            sessions = await asyncio.gather(*(user.get_session() for user in users))
            assert sessions[0].refresh_token is not None
            again = await AsyncCognitoUser("rita", pool).refresh_session(sessions[0].refresh_token)
            assert again.is_valid()
            return list(sessions)

    sessions = asyncio.run(scenario())
    assert len(refreshes) == 2  # the one of the sixteen tasks, and the check just above
    assert all(session.is_valid() for session in sessions)
    assert len({session.access_token.jwt_token for session in sessions}) == 1


def test_threads_and_tasks_together_send_one_refresh(
    local: LocalCognito, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sync threads and asyncio tasks on two event loops share one refresh gate per
    user and storage: one refresh in all, and nobody waits forever."""
    setup = rotation_setup(local, {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0})
    refreshes: list[CallRecord] = []

    def count(record: CallRecord) -> None:
        if record.action in REFRESH_ACTIONS:
            refreshes.append(record)

    storage = MemoryStorage()
    sync_pool = setup.pool(storage=storage, refresh_token_rotation=True, hooks=(count,))
    CognitoUser("rita", sync_pool).authenticate_user(AuthenticationDetails(password=PASSWORD))
    refreshes.clear()
    expire_sessions(clock, monkeypatch)
    start = threading.Barrier(THREADS // 2 + 2)

    def in_a_thread() -> str:
        user = CognitoUser("rita", sync_pool)
        start.wait()
        return user.get_session().access_token.jwt_token

    def on_a_loop() -> list[str]:
        async def tasks() -> list[str]:
            async with async_pool(
                setup, storage=storage, refresh_token_rotation=True, hooks=(count,)
            ) as pool:
                users = [AsyncCognitoUser("rita", pool) for _ in range(THREADS // 2)]
                start.wait()
                sessions = await asyncio.gather(*(user.get_session() for user in users))
                return [session.access_token.jwt_token for session in sessions]

        return asyncio.run(tasks())

    with ThreadPoolExecutor(THREADS // 2 + 2) as executor:
        threads = [executor.submit(in_a_thread) for _ in range(THREADS // 2)]
        loops = [executor.submit(on_a_loop) for _ in range(2)]
        tokens = [f.result(timeout=60) for f in threads]
        tokens += [token for f in loops for token in f.result(timeout=60)]

    assert len(refreshes) == 1
    assert len(tokens) == THREADS // 2 + 2 * (THREADS // 2) and len(set(tokens)) == 1
    stored = storage.get_item(f"{key_prefix(setup.client_id, 'rita')}.accessToken")
    assert stored == tokens[0]


def test_a_cancelled_waiter_does_not_keep_the_refresh_gate(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup.pool().sign_up("kim", PASSWORD)
    setup.idp.admin_confirm_sign_up(UserPoolId=setup.pool_id, Username="kim")
    storage = MemoryStorage()
    sync_pool = setup.pool(storage=storage)
    CognitoUser("kim", sync_pool).authenticate_user(AuthenticationDetails(password=PASSWORD))
    expire_sessions(clock, monkeypatch)
    gate = CognitoUser("kim", sync_pool)._sessions.refresh_gate("kim")

    async def scenario() -> None:
        async with async_pool(setup, storage=storage) as pool:
            gate.lock.acquire()  # a sync thread is refreshing
            waiter = asyncio.ensure_future(AsyncCognitoUser("kim", pool).get_session())
            await asyncio.sleep(0.2)
            waiter.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiter
            gate.lock.release()
            session = await asyncio.wait_for(AsyncCognitoUser("kim", pool).get_session(), 10)
            assert session.is_valid()

    asyncio.run(scenario())
    assert gate.lock.acquire(timeout=5)  # nobody kept it
    gate.lock.release()


def test_two_hundred_logins_at_once_on_one_loop(setup: PoolSetup) -> None:
    """200 SRP logins in flight together on one event loop and one httpx client all
    succeed, each with its own session. (The loop's lag meanwhile is what
    benches/bench_async_login.py reports.)"""
    names = [f"user{i:02d}" for i in range(16)]
    for name in names:
        setup.idp.sign_up(ClientId=setup.client_id, Username=name, Password=PASSWORD)
        setup.idp.admin_confirm_sign_up(UserPoolId=setup.pool_id, Username=name)
    details = AuthenticationDetails(password=PASSWORD)

    async def scenario() -> list[CognitoUserSession]:
        async with async_pool(setup, deadline=120) as pool:
            users = [AsyncCognitoUser(names[i % len(names)], pool) for i in range(200)]
            return list(await asyncio.gather(*(user.authenticate_user(details) for user in users)))

    sessions = asyncio.run(scenario())
    assert len(sessions) == 200 and all(session.is_valid() for session in sessions)
    assert len({session.access_token.jwt_token for session in sessions}) == 200
    assert {session.access_token.username for session in sessions} == set(names)
