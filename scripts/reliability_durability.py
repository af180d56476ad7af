"""Kill -9 durability of the local pool for the reliability report.

Each round starts ``cognito-identity local serve`` on one SQLite file, has 8 threads
write to it (CreateGroup and AdminCreateUser, each with a new name) for a moment,
then SIGKILLs the server in the middle of that load. ``PRAGMA integrity_check`` runs on
the file as the kill left it; then a new server on the same file lists what it holds.
Every write the killed server acknowledged (HTTP 200) must be found. Prints JSON.

    python scripts/reliability_durability.py [ROUNDS] [SECONDS_OF_LOAD]
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests

WRITERS = 8
TARGET = "AWSCognitoIdentityProviderService."
HEADERS = {"Content-Type": "application/x-amz-json-1.1"}


class Server:
    """The local pool in its own process, as a user runs it."""

    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cognito_identity",
                "local",
                "serve",
                "--db",
                str(db),
                "--log-level",
                "WARNING",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        self.endpoint = self.process.stdout.readline().strip()
        if not self.endpoint.startswith("http"):
            raise RuntimeError(f"the local pool did not start: {self.endpoint!r}")

    def kill(self) -> None:
        self.process.kill()  # SIGKILL
        self.process.wait()


def call(
    http: requests.Session, endpoint: str, action: str, params: dict[str, Any]
) -> dict[str, Any]:
    reply = http.post(
        endpoint,
        data=json.dumps(params),
        timeout=10,
        headers={**HEADERS, "X-Amz-Target": TARGET + action},
    )
    reply.raise_for_status()
    answer: dict[str, Any] = reply.json()
    return answer


def load(
    endpoint: str,
    pool_id: str,
    round_: int,
    writer: int,
    acked: dict[str, list[str]],
    stop: threading.Event,
) -> None:
    http = requests.Session()
    n = 0
    while not stop.is_set():
        name = f"r{round_}w{writer}n{n}"
        n += 1
        try:
            if writer % 2:
                call(http, endpoint, "CreateGroup", {"UserPoolId": pool_id, "GroupName": name})
                acked["groups"].append(name)
            else:
                call(
                    http,
                    endpoint,
                    "AdminCreateUser",
                    {"UserPoolId": pool_id, "Username": name, "MessageAction": "SUPPRESS"},
                )
                acked["users"].append(name)
        except (requests.RequestException, ValueError):
            return  # the server is gone


def listed(endpoint: str, pool_id: str, action: str, key: str, name: str) -> set[str]:
    http = requests.Session()
    found: set[str] = set()
    token_name = "PaginationToken" if action == "ListUsers" else "NextToken"
    params: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 60}
    while True:
        answer = call(http, endpoint, action, params)
        found.update(item[name] for item in answer.get(key, []))
        token = answer.get(token_name)
        if not token:
            return found
        params[token_name] = token


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 1.5
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "pool.sqlite3"
        server = Server(db)
        pool_id = call(
            requests.Session(), server.endpoint, "CreateUserPool", {"PoolName": "kill9"}
        )["UserPool"]["Id"]
        acked: dict[str, list[str]] = {"users": [], "groups": []}
        for round_ in range(rounds):
            stop = threading.Event()
            writers = [
                threading.Thread(
                    target=load, args=(server.endpoint, pool_id, round_, w, acked, stop)
                )
                for w in range(WRITERS)
            ]
            for thread in writers:
                thread.start()
            time.sleep(seconds)
            server.kill()  # in the middle of the load
            stop.set()
            for thread in writers:
                thread.join()
            with sqlite3.connect(db) as conn:
                integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.close()
            server = Server(db)
            users = listed(server.endpoint, pool_id, "ListUsers", "Users", "Username")
            groups = listed(server.endpoint, pool_id, "ListGroups", "Groups", "GroupName")
            acknowledged = len(acked["users"]) + len(acked["groups"])
            found = sum(1 for u in acked["users"] if u in users) + sum(
                1 for g in acked["groups"] if g in groups
            )
            rows.append(
                {
                    "round": round_ + 1,
                    "acknowledged": acknowledged,
                    "found": found,
                    "lost": acknowledged - found,
                    "integrity_check": integrity,
                }
            )
            print(rows[-1], file=sys.stderr)
        server.kill()
    json.dump({"writers": WRITERS, "seconds_of_load": seconds, "rows": rows}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
