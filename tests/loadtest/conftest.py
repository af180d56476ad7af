"""Fixtures for the load-testing tests. Locust runs only in child processes (it patches
the standard library for gevent), against a local pool served by this process."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cognito_identity.loadtest.localpool import create_pool
from cognito_identity.loadtest.provision import admin_api, numbered_usernames, provision_users
from cognito_identity.loadtest.target import Target, TestUser
from cognito_identity.local import LocalCognito

HERE = Path(__file__).parent
PASSWORD = "Load-Test-Passw0rd!"

#: Marks tests that run Locust (in a child process).
needs_locust = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None,
    reason="locust is not installed (pip install '.[loadtest]')",
)


@pytest.fixture(scope="module")
def local() -> Iterator[LocalCognito]:
    with LocalCognito() as server:
        yield server


@pytest.fixture(scope="module")
def target(local: LocalCognito) -> Target:
    """A pool with four provisioned test users."""
    pool_id, client_id = create_pool(local.endpoint)
    users = [TestUser(name, PASSWORD) for name in numbered_usernames(4)]
    made = Target(local.endpoint, pool_id, client_id, users)
    provision_users(admin_api(made), pool_id, users)
    return made


@dataclass(frozen=True)
class ReportedRun:
    """A short login run on a fresh local pool, with every report and a broken rule."""

    done: subprocess.CompletedProcess[str]
    folder: Path


@pytest.fixture(scope="session")
def reported_run(tmp_path_factory: pytest.TempPathFactory) -> ReportedRun:
    from .cli import loadtest, short_run

    folder = tmp_path_factory.mktemp("reported-run")
    done = loadtest(
        *short_run(
            "--json",
            str(folder / "run.json"),
            "--csv",
            str(folder / "run"),
            "--html",
            str(folder / "report.html"),
            "--fail-on",
            "p95_ms<0.001,error_rate<=0",
        )
    )
    return ReportedRun(done, folder)


def run_users(
    target: Target,
    *specs: str,
    seconds: float = 1.5,
    users: int = 2,
    until: Mapping[str, Mapping[str, int]] | None = None,
) -> Any:
    """Run each user class (scenario name or ``file.py:Class``) in a child process;
    Locust's stats of each run, by spec.

    A class runs for ``seconds``, or, when ``until`` names events for it (``{spec:
    {"flow refresh": 3}}``), until each was counted that many times: then ``seconds`` is
    only the deadline, past which the test fails naming the events that did not fire.
    """
    until = until or {}
    done = subprocess.run(
        [sys.executable, str(HERE / "harness.py"), str(seconds), str(users), *specs],
        input=json.dumps({"target": target.to_dict(), "until": until}),
        capture_output=True,
        text=True,
        timeout=60 + seconds * len(specs),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    runs = json.loads(done.stdout)
    unfired = _unfired(runs, until)
    assert not unfired, f"not fired within {seconds} s: " + "; ".join(unfired)
    return runs


def _unfired(runs: Any, until: Mapping[str, Mapping[str, int]]) -> list[str]:
    """The events of ``until`` counted fewer times than wanted, with their run's failures."""
    missing = []
    for spec, wanted in until.items():
        run = runs[spec]
        for name, count in wanted.items():
            fired = run["entries"].get(name, {}).get("count", 0)
            if fired < count:
                missing.append(
                    f"{spec}: {name!r} fired {fired} of {count} times"
                    f" (errors {run['errors']}, exceptions {run['exceptions']})"
                )
    return missing
