"""Full SRP logins per second against the local user pool: the asyncio API on one event
loop beside the sync API on 4 threads, in the same run.

    python benches/bench_async_login.py [--seconds 8] [--threads 4] [--tasks 64]

The local pool runs in its own process, as in bench_login.py. The sync side signs in with
``--threads`` threads (one requests session each); the asyncio side keeps ``--tasks``
logins in flight on one event loop (one httpx client), with a ticker task measuring how
late the loop wakes up. Both sign in the same confirmed users over and over, each login
a complete USER_SRP_AUTH, and the rate is the logins that succeeded per second of wall
time. Needs the ``async`` extra (httpx).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench_login import PASSWORD, create_users, run_for, sdk_login, start_server

from cognito_identity import AuthenticationDetails
from cognito_identity.asyncio import AsyncCognitoUser, AsyncCognitoUserPool


async def async_rate(
    seconds: float, tasks: int, endpoint: str, pool_id: str, client_id: str, names: list[str]
) -> tuple[float, float]:
    """Logins per second with ``tasks`` logins in flight on this loop, and the loop's
    worst wake-up lag in seconds."""
    details = AuthenticationDetails(password=PASSWORD)
    async with AsyncCognitoUserPool(pool_id, client_id, endpoint=endpoint) as pool:
        await asyncio.gather(  # warm-up: connections, caches
            *(
                AsyncCognitoUser(names[i % len(names)], pool).authenticate_user(details)
                for i in range(tasks)
            )
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        count = 0
        worst_lag = 0.0

        async def worker(index: int) -> None:
            nonlocal count
            i = index
            while loop.time() < deadline:
                await AsyncCognitoUser(names[i % len(names)], pool).authenticate_user(details)
                count += 1
                i += tasks

        async def ticker() -> None:
            nonlocal worst_lag
            while loop.time() < deadline:
                before = loop.time()
                await asyncio.sleep(0.005)
                worst_lag = max(worst_lag, loop.time() - before - 0.005)

        started = time.perf_counter()
        await asyncio.gather(ticker(), *(worker(n) for n in range(tasks)))
        return count / (time.perf_counter() - started), worst_lag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--tasks", type=int, default=64)
    args = parser.parse_args()
    server, endpoint = start_server()
    try:
        pool_id, client_id, names = create_users(endpoint)
        sync = run_for(args.seconds, args.threads, sdk_login(endpoint, pool_id, client_id), names)
        ours, lag = asyncio.run(
            async_rate(args.seconds, args.tasks, endpoint, pool_id, client_id, names)
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"full SRP logins against the local pool ({args.seconds:.0f} s each), both sides")
    print(f"on this machine; the event loop's worst lag was {lag * 1000:.0f} ms\n")
    print("| case | peer | peer rate | ours | ratio (ours/peer) |")
    print("|---|---|---|---|---|")
    print(
        f"| SRP logins/s, asyncio (1 loop, {args.tasks} tasks) | sync SDK, {args.threads} "
        f"threads | {sync:.0f}/s | {ours:.0f}/s | {ours / sync:.2f}x |"
    )


if __name__ == "__main__":
    main()
