"""Full SRP logins per second against the local user pool: this SDK against pycognito.

    python benches/bench_login.py [--seconds 10] [--threads 4]

The local pool runs in its own process (``cognito-identity local serve``) on loopback, so
both sides of every login share this machine's cores, as they would in a load test run on
one machine. Each client signs in the same set of confirmed users over and over for a
fixed time, each login a complete USER_SRP_AUTH (InitiateAuth, then
RespondToAuthChallenge, then the tokens), and the rate is the logins that succeeded per
second of wall time. pycognito (boto3 underneath) is measured against the same server in
the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
import requests
from pycognito.aws_srp import AWSSRP

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool

PASSWORD = "Bench-Passw0rd!"
USERS = 16
TARGET_PER_SECOND = 200.0


def start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "cognito_identity.cli", "local", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    endpoint = server.stdout.readline().strip()
    if not endpoint.startswith("http"):
        server.kill()
        raise SystemExit(f"the local pool did not start: {endpoint!r}")
    return server, endpoint


def admin(endpoint: str) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )


def create_users(endpoint: str) -> tuple[str, str, list[str]]:
    idp = admin(endpoint)
    pool_id = idp.create_user_pool(PoolName="bench")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="bench",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    names = [f"user{i:03d}" for i in range(USERS)]
    for name in names:
        idp.sign_up(ClientId=client_id, Username=name, Password=PASSWORD)
        idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=name)
    return pool_id, client_id, names


def run_for(seconds: float, threads: int, login: Callable[[str], None], names: list[str]) -> float:
    """Logins per second over ``seconds`` with ``threads`` threads (after one warm-up each)."""
    counts = [0] * threads
    failures: list[BaseException] = []
    deadline = 0.0
    ready = threading.Barrier(threads + 1)

    def worker(index: int) -> None:
        login(names[index % len(names)])  # warm-up: connections, caches
        ready.wait()
        i = index
        while time.perf_counter() < deadline:
            try:
                login(names[i % len(names)])
            except Exception as error:  # a failed login is reported, not counted
                failures.append(error)
                return
            counts[index] += 1
            i += threads

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    deadline = time.perf_counter() + seconds + 3600  # workers wait at the barrier first
    ready.wait()
    started = time.perf_counter()
    deadline = started + seconds
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"a login failed: {failures[0]!r}")
    return sum(counts) / elapsed


def sdk_login(endpoint: str, pool_id: str, client_id: str) -> Callable[[str], None]:
    local = threading.local()

    def login(name: str) -> None:
        if not hasattr(local, "pool"):
            session = requests.Session()
            local.pool = CognitoUserPool(
                pool_id, client_id, endpoint=endpoint, http_session=session
            )
        CognitoUser(name, local.pool).authenticate_user(AuthenticationDetails(name, PASSWORD))

    return login


def pycognito_login(endpoint: str, pool_id: str, client_id: str) -> Callable[[str], None]:
    local = threading.local()

    def login(name: str) -> None:
        if not hasattr(local, "client"):
            local.client = admin(endpoint)
        AWSSRP(name, PASSWORD, pool_id, client_id, client=local.client).authenticate_user()

    return login


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    server, endpoint = start_server()
    try:
        pool_id, client_id, names = create_users(endpoint)
        ours = run_for(args.seconds, args.threads, sdk_login(endpoint, pool_id, client_id), names)
        peer = run_for(
            args.seconds, args.threads, pycognito_login(endpoint, pool_id, client_id), names
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"full SRP logins against the local pool, {args.threads} client threads, both")
    print(f"sides on this machine ({args.seconds:.0f} s each)\n")
    print("| case | peer | peer rate | ours | ratio (ours/peer) | target | met |")
    print("|---|---|---|---|---|---|---|")
    met = "yes" if ours >= TARGET_PER_SECOND else "no"
    print(
        f"| SRP logins/s | pycognito | {peer:.0f}/s | {ours:.0f}/s | {ours / peer:.1f}x "
        f"| >= {TARGET_PER_SECOND:.0f}/s | {met} |"
    )


if __name__ == "__main__":
    main()
