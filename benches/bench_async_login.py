"""Full SRP logins per second against the local user pool: the asyncio API on one event
loop beside the sync API on 4 threads, in the same run.

    python benches/bench_async_login.py [--seconds 8] [--threads 4] [--tasks 64] [--in-flight 4]

The local pool runs in its own process, as in bench_login.py. The sync side signs in with
``--threads`` threads (one requests session each); the asyncio side keeps ``--tasks``
logins in flight on one event loop (one httpx client, at most ``--in-flight`` requests
on the wire at once), with a ticker task measuring how late the loop wakes up. Both sign
in the same confirmed users over and over, each login a complete USER_SRP_AUTH, and the
rate is the logins that succeeded per second of wall time. Needs the ``async`` extra
(httpx).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench_login import PASSWORD, create_users, run_for, sdk_login, start_server

from cognito_identity import AuthenticationDetails
from cognito_identity.asyncio import AsyncCognitoUser, AsyncCognitoUserPool
from cognito_identity.transports import HttpxAsyncTransport


async def async_rate(
    seconds: float,
    tasks: int,
    in_flight: int,
    endpoint: str,
    pool_id: str,
    client_id: str,
    names: list[str],
) -> tuple[float, list[float]]:
    """Logins per second with ``tasks`` logins in flight on this loop, and the loop's
    wake-up lags in seconds."""
    details = AuthenticationDetails(password=PASSWORD)
    transport = HttpxAsyncTransport(max_in_flight=in_flight)
    async with AsyncCognitoUserPool(
        pool_id, client_id, endpoint=endpoint, transport=transport
    ) as pool:
        await asyncio.gather(  # warm-up: connections, caches
            *(
                AsyncCognitoUser(names[i % len(names)], pool).authenticate_user(details)
                for i in range(tasks)
            )
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        count = 0
        lags: list[float] = []

        async def worker(index: int) -> None:
            nonlocal count
            i = index
            while loop.time() < deadline:
                await AsyncCognitoUser(names[i % len(names)], pool).authenticate_user(details)
                count += 1
                i += tasks

        async def ticker() -> None:
            while loop.time() < deadline:
                before = loop.time()
                await asyncio.sleep(0.005)
                lags.append(loop.time() - before - 0.005)

        started = time.perf_counter()
        await asyncio.gather(ticker(), *(worker(n) for n in range(tasks)))
        await transport.aclose()
        return count / (time.perf_counter() - started), sorted(lags)


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each side's run")
    parser.add_argument("--threads", type=int, default=4, help="threads of the sync side")
    parser.add_argument("--tasks", type=int, default=64, help="logins in flight on the loop")
    parser.add_argument(
        "--in-flight", type=int, default=4, help="HttpxAsyncTransport's max_in_flight"
    )
    args = parser.parse_args()
    server, endpoint = start_server()
    try:
        pool_id, client_id, names = create_users(endpoint)
        sync = run_for(args.seconds, args.threads, sdk_login(endpoint, pool_id, client_id), names)
        ours, lags = asyncio.run(
            async_rate(
                args.seconds, args.tasks, args.in_flight, endpoint, pool_id, client_id, names
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"full SRP logins against the local pool ({args.seconds:.0f} s each), both sides")
    p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
    print(
        f"on this machine; the event loop's lag: 99th percentile {p99 * 1000:.0f} ms, "
        f"worst {lags[-1] * 1000:.0f} ms\n"
    )
    print("| case | peer | peer rate | ours | ratio (ours/peer) |")
    print("|---|---|---|---|---|")
    print(
        f"| SRP logins/s, asyncio (1 loop, {args.tasks} tasks, {args.in_flight} in flight) "
        f"| sync SDK, {args.threads} "
        f"threads | {sync:.0f}/s | {ours:.0f}/s | {ours / sync:.2f}x |"
    )


if __name__ == "__main__":
    main()
