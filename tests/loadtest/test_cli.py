"""``cognito-identity loadtest``: a run on the local pool with its JSON, CSV and HTML
reports, ``--fail-on``, and one-line errors for input that cannot work."""

from __future__ import annotations

import csv
import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cognito_identity.cli import main
from cognito_identity.cli_support import EXIT_UNREACHABLE
from cognito_identity.client import CognitoClient
from cognito_identity.loadtest.localpool import create_pool
from cognito_identity.local import LocalCognito

from .cli import loadtest, one_line_error, short_run
from .conftest import HERE, ReportedRun, needs_locust


@needs_locust
def test_a_run_writes_reports_whose_percentiles_are_locusts_and_fail_on_exits_1(
    reported_run: ReportedRun,
) -> None:
    done, tmp_path = reported_run.done, reported_run.folder
    # The run worked (no failures) but its p95 is not under a microsecond.
    assert done.returncode == 1, done.stderr
    assert "--fail-on p95_ms<0.001: was" in done.stderr
    assert "error_rate" not in done.stderr  # that rule held
    assert "Traceback" not in done.stderr
    assert "login (SRP)" in done.stderr  # the live progress table
    assert "logins/s" in done.stdout

    summary = json.loads((tmp_path / "run.json").read_text())
    assert summary["failures"] == 0 and summary["errors"] == {}
    assert summary["successes"] > 0
    assert summary["logins_per_s"] == summary["rate_per_s"] > 0
    assert summary["successes"] == summary["steps"]["login (SRP)"]["count"]
    assert summary["duration_s"] >= 3
    with open(tmp_path / "run_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    assert set(summary["steps"]) == set(rows) - {"Aggregated"}
    for name, step in summary["steps"].items():
        row = rows[name]
        assert step["count"] == int(row["Request Count"])
        assert step["failures"] == int(row["Failure Count"])
        assert (step["p50_ms"], step["p95_ms"], step["p99_ms"]) == (
            int(row["50%"]),
            int(row["95%"]),
            int(row["99%"]),
        )


def test_passwords_are_never_options() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["loadtest", "--password", "Secret-Passw0rd!"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--scenario", "logout"], ("unknown scenario 'logout'", "login+refresh")),
        (["--fail-on", "p95<500"], ("unknown --fail-on metric 'p95'",)),
        (["--fail-on", "p95_ms=500"], ("invalid --fail-on rule 'p95_ms=500'",)),
        (["--run-time", "soon"], ("invalid time span 'soon'",)),
        (["--auth-flow", "CUSTOM_AUTH"], ("unknown auth flow 'CUSTOM_AUTH'",)),
        (["--user-pool-id", "us-east-1_abc"], ("--user-pool-id needs --client-id",)),
    ],
)
def test_bad_input_is_one_line(args: list[str], expected: tuple[str, ...]) -> None:
    one_line_error(loadtest(*args), *expected)


@needs_locust
def test_a_target_that_cannot_be_reached_is_one_line(tmp_path: Path) -> None:
    done = loadtest(
        "--user-pool-id",
        "us-east-1_Unreach4ble",
        "--client-id",
        "client",
        "--endpoint",
        "http://127.0.0.1:9",
        "--users-csv",
        str(tmp_path / "users.csv"),
        env={"COGNITO_LOADTEST_PASSWORD": "Some-Passw0rd!"},
    )
    one_line_error(done, "cannot reach http://127.0.0.1:9", status=EXIT_UNREACHABLE)


@needs_locust
def test_injected_faults_show_up_under_their_codes_and_the_counts_add_up(
    tmp_path: Path,
) -> None:
    done = loadtest(
        *short_run(
            "--faults",
            "throttle=0.3,error=0.2,drop=0.1",
            "--json",
            str(tmp_path / "run.json"),
            "--csv",
            str(tmp_path / "run"),
        )
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run.json").read_text())
    errors = summary["errors"]
    assert {"TooManyRequestsException", "InternalErrorException"} <= set(errors)
    assert set(errors) <= {"TooManyRequestsException", "InternalErrorException", "NetworkError"}
    # Throttling is counted as such, never mistaken for a refused password.
    assert summary["throttled"] == errors["TooManyRequestsException"]
    assert "NotAuthorizedException" not in errors
    assert summary["failures"] == sum(errors.values()) > 0
    assert summary["successes"] + summary["failures"] == summary["steps"]["login (SRP)"]["count"]

    # Each step's attempts are its successes plus its failures by code, as Locust's own
    # failure table counts them.
    with open(tmp_path / "run_failures.csv", newline="") as handle:
        failed: dict[str, int] = {}
        for row in csv.DictReader(handle):
            failed[row["Name"]] = failed.get(row["Name"], 0) + int(row["Occurrences"])
    for name, step in summary["steps"].items():
        assert step["failures"] == failed.get(name, 0), name
        assert step["count"] >= step["failures"]
    # The SDK's retries are off: one InitiateAuth per login (give or take the logins the
    # end of the run cut short).
    initiate = summary["steps"]["InitiateAuth USER_SRP_AUTH"]["count"]
    assert 0 <= initiate - summary["steps"]["login (SRP)"]["count"] <= 2


@needs_locust
def test_a_master_counts_what_its_worker_did(tmp_path: Path) -> None:
    port = _free_port()
    master = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cognito_identity.cli",
            "loadtest",
            *short_run("--master", "--master-bind-port", str(port)),
            "--json",
            str(tmp_path / "master.json"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        worker = loadtest("--worker", "--master-port", str(port))
        _, master_err = master.communicate(timeout=180)
    finally:
        master.kill()
    assert master.returncode == 0, master_err
    assert worker.returncode == 0, worker.stderr
    match = re.search(r"worker: (\d+) requests \((\d+) flows\), (\d+) failed", worker.stdout)
    assert match is not None, worker.stdout
    requests, flows, failed = (int(group) for group in match.groups())
    summary = json.loads((tmp_path / "master.json").read_text())
    # The master ran no user itself: everything it counted came from its worker.
    assert flows > 0
    assert sum(step["count"] for step in summary["steps"].values()) == requests
    assert summary["successes"] + summary["failures"] == flows
    assert summary["failures"] == failed == 0


@needs_locust
def test_cleanup_deletes_the_provisioned_users_and_those_the_run_signed_up(
    local: LocalCognito, tmp_path: Path
) -> None:
    # A pool of this process's local server, targeted as a real pool is: signed admin
    # calls, sign-ups confirmed with AdminConfirmSignUp. One user was there before.
    pool_id, client_id = create_pool(local.endpoint, name="cleanup")
    admin = CognitoClient(local.endpoint)
    admin.call("AdminCreateUser", {"UserPoolId": pool_id, "Username": "loadtest-signup-mine"})
    done = loadtest(
        *short_run("-f", str(HERE / "signup_locustfile.py"), "--cleanup"),
        *("--user-pool-id", pool_id, "--client-id", client_id, "--region", "us-east-1"),
        *("--endpoint", local.endpoint, "--json", str(tmp_path / "run.json")),
        env={
            "COGNITO_LOADTEST_PASSWORD": "Clean-Up-Passw0rd!",
            "AWS_ACCESS_KEY_ID": "AKIDLOADTEST",
            "AWS_SECRET_ACCESS_KEY": "load-test-secret",
        },
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run.json").read_text())
    signed_up = summary["steps"]["SignUp"]["count"] - summary["steps"]["SignUp"]["failures"]
    assert signed_up > 0 and summary["steps"]["login (SRP)"]["count"] > 0
    deleted = re.search(r"cleanup: deleted (\d+) test users and (\d+) signed-up users", done.stderr)
    assert deleted is not None, done.stderr
    # A sign-up the end of the run cut short may have made its user without an event.
    assert int(deleted.group(1)) == 2 and int(deleted.group(2)) >= signed_up
    left = admin.call("ListUsers", {"UserPoolId": pool_id})["Users"]
    assert [user["Username"] for user in left] == ["loadtest-signup-mine"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
