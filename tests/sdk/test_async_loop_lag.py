"""The asyncio API keeps its event loop responsive: 200 SRP logins in flight together on
one loop, and a ticker task on the same loop (sleep 5 ms, note how late it wakes) is woken
late by less than 50 ms.

The local pool runs in its own process (as in a load test): in this one it would share
the GIL with the loop being measured, and its work would count as the SDK's.

What is bounded is the 99th percentile of the ticker's lateness, not its maximum, and
lateness counts the time the loop ran or waited (for the GIL, a lock, the network) but
not the time the OS kept it off a CPU while it was ready to run (Linux reports that per
thread, in /proc/self/task/<tid>/schedstat; elsewhere nothing is taken off). On the
2-core CI machine shared with other jobs (load average 15), an idle loop's ticker alone is
now and then woken tens of milliseconds late, and a busy loop gets a tenth of a core, so
its raw lateness measures the machine; what is left measures the SDK: the work it puts
on the loop between two ticks, and the waits it makes the loop do. The raw figures are
in the failure message.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from cognito_identity import AuthenticationDetails, CognitoUserSession
from cognito_identity.asyncio import AsyncCognitoUser, AsyncCognitoUserPool
from cognito_identity.loadtest.localpool import LocalPoolProcess, create_pool

from .conftest import PASSWORD, admin_client

LOGINS = 200
USERS = 16
TICK = 0.005
MAX_P99_LAG = 0.050


@pytest.fixture(scope="module")
def pool_process() -> Iterator[tuple[str, str, str, list[str]]]:
    """A local pool in a child process with confirmed users: endpoint, pool and client
    ids, user names."""
    with LocalPoolProcess() as server:
        pool_id, client_id = create_pool(server.endpoint, "lag")
        idp = admin_client(server.endpoint)
        names = [f"user{i:02d}" for i in range(USERS)]
        for name in names:
            idp.sign_up(ClientId=client_id, Username=name, Password=PASSWORD)
            idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=name)
        yield server.endpoint, pool_id, client_id, names


def off_cpu_clock() -> Callable[[], float]:
    """Seconds this thread has spent ready to run but not running (the OS's run-queue
    wait), or a clock that stays at 0 where the OS does not tell."""
    path = f"/proc/self/task/{threading.get_native_id()}/schedstat"
    try:
        with open(path) as stats:
            stats.read()
    except OSError:
        return lambda: 0.0

    def waited() -> float:
        with open(path) as stats:
            return int(stats.read().split()[1]) / 1e9

    return waited


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def test_two_hundred_logins_keep_the_loop_lag_under_50_ms(
    pool_process: tuple[str, str, str, list[str]],
) -> None:
    endpoint, pool_id, client_id, names = pool_process
    details = AuthenticationDetails(password=PASSWORD)

    async def scenario() -> tuple[list[CognitoUserSession], list[float], list[float]]:
        async with AsyncCognitoUserPool(pool_id, client_id, endpoint=endpoint) as pool:
            # One login first: the modules a first login imports are not loop lag.
            await AsyncCognitoUser(names[0], pool).authenticate_user(details)
            loop = asyncio.get_running_loop()
            off_cpu = off_cpu_clock()
            lags: list[float] = []
            raw_lags: list[float] = []
            logins_done = asyncio.Event()

            async def ticker() -> None:
                while not logins_done.is_set():
                    before, waited_before = loop.time(), off_cpu()
                    await asyncio.sleep(TICK)
                    late = loop.time() - before - TICK
                    raw_lags.append(late)
                    lags.append(max(0.0, late - (off_cpu() - waited_before)))

            ticking = asyncio.ensure_future(ticker())
            try:
                users = [AsyncCognitoUser(names[i % USERS], pool) for i in range(LOGINS)]
                sessions = await asyncio.gather(*(u.authenticate_user(details) for u in users))
            finally:
                logins_done.set()
                await ticking
            return list(sessions), lags, raw_lags

    started = time.monotonic()
    sessions, lags, raw_lags = asyncio.run(scenario())
    elapsed = time.monotonic() - started

    assert len(sessions) == LOGINS and all(session.is_valid() for session in sessions)
    assert len({session.access_token.jwt_token for session in sessions}) == LOGINS
    # The ticker ran for the whole burst, often enough for a percentile to mean something.
    assert len(lags) >= 100, f"{len(lags)} ticks in {elapsed:.1f} s"
    p99 = percentile(lags, 0.99)
    assert p99 < MAX_P99_LAG, (
        f"loop lag p99 {p99 * 1000:.0f} ms (max {max(lags) * 1000:.0f} ms, median "
        f"{percentile(lags, 0.5) * 1000:.1f} ms; with the time off a CPU: p99 "
        f"{percentile(raw_lags, 0.99) * 1000:.0f} ms, max {max(raw_lags) * 1000:.0f} ms; "
        f"{len(lags)} ticks in {elapsed:.1f} s)"
    )
