"""The options of ``cognito-identity loadtest``, with Locust's own names where Locust has
one (``--users``, ``--spawn-rate``, ``--run-time``, ``--processes``, ``--master``,
``--worker``, ``--master-host``, ``--html``, ``--csv``...). Parsing them needs no Locust."""

from __future__ import annotations

import argparse
import re

from cognito_identity.cli_support import client_id, endpoint_url, user_pool_id
from cognito_identity.loadtest.target import AUTH_FLOWS

__all__ = ["DESCRIPTION", "EXAMPLES", "SCENARIO_NAMES", "add_arguments", "check", "parse_timespan"]

DESCRIPTION = """\
Load-test a user pool on Locust: simulated users sign in (or refresh, or sign up) as fast
as the pool answers, each Cognito call and each whole flow timed and failed under
Cognito's error code. The target is a local pool started for the run, or a real one with
--user-pool-id. Progress is printed as it runs; the reports are Locust's HTML report and
CSV files and a JSON summary. Test users' passwords come from --password-file or
$COGNITO_LOADTEST_PASSWORD, a client secret from $COGNITO_CLIENT_SECRET.
Exit status 1 here means a --fail-on rule was broken."""

EXAMPLES = """\
  cognito-identity loadtest --users 50 --spawn-rate 10 --run-time 2m --html report.html
  cognito-identity loadtest --scenario refresh --faults throttle=0.05 --json summary.json \\
      --fail-on "p95_ms<500,error_rate<0.01"
  cognito-identity loadtest --master --expect-workers 2 --user-pool-id eu-west-1_AbC123 \\
      --client-id 1example23 --users 400      (and on each load machine:)
  cognito-identity loadtest --worker --master-host 10.0.0.5"""

#: The scenarios of ``--scenario`` (their user classes are in :mod:`.scenarios`).
SCENARIO_NAMES = ("login", "login+refresh", "refresh", "signup+confirm", "mixed")

_TIMESPAN = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$")


def parse_timespan(text: str) -> float:
    """Seconds in a Locust time span: ``20``, ``20s``, ``3m``, ``1h20m``, ``1m30s``."""
    match = _TIMESPAN.match(text.strip())
    if not text.strip() or match is None or not any(match.groups()):
        raise ValueError(f"invalid time span {text!r}: expected e.g. 30s, 5m or 1h30m")
    hours, minutes, seconds = (float(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the load-test options to ``parser``."""
    what = parser.add_argument_group("what to run")
    what.add_argument(
        "--scenario",
        default="login",
        help=f"one of {', '.join(SCENARIO_NAMES)} (login)",
    )
    what.add_argument(
        "--auth-flow",
        default="USER_SRP_AUTH",
        help=f"how the login scenarios sign in: {', '.join(AUTH_FLOWS)} (USER_SRP_AUTH)",
    )
    what.add_argument(
        "-f",
        "--locustfile",
        default=None,
        help="your own locustfile, whose user classes (subclasses of "
        "cognito_identity.loadtest.CognitoLoadUser) replace --scenario",
    )
    what.add_argument(
        "--retries",
        type=int,
        default=1,
        help="attempts per call, the first included (1: the SDK's retries are off, so "
        "throttling stays visible)",
    )

    load = parser.add_argument_group("load (Locust's options)")
    load.add_argument("-u", "--users", type=int, default=10, help="simulated users (10)")
    load.add_argument(
        "-r", "--spawn-rate", type=float, default=None, help="users started per second (all)"
    )
    load.add_argument(
        "-t", "--run-time", default="30s", help="how long to run, e.g. 30s, 5m, 1h (30s)"
    )
    load.add_argument(
        "--processes",
        type=int,
        default=0,
        help="run the users in this many worker processes on this machine",
    )
    load.add_argument("--master", action="store_true", help="be the master of a distributed run")
    load.add_argument(
        "--worker", action="store_true", help="be a worker of the master at --master-host"
    )
    load.add_argument("--master-host", default="127.0.0.1", help="the master's address")
    load.add_argument("--master-port", type=int, default=5557, help="the master's port (5557)")
    load.add_argument(
        "--master-bind-host", default="*", help="interface the master listens on (all)"
    )
    load.add_argument(
        "--master-bind-port", type=int, default=5557, help="port the master listens on (5557)"
    )
    load.add_argument(
        "--expect-workers",
        type=int,
        default=1,
        help="workers the master waits for before it starts (1)",
    )
    load.add_argument(
        "--expect-workers-max-wait",
        type=float,
        default=60.0,
        help="seconds the master waits for them (60)",
    )
    load.add_argument("--web", action="store_true", help="serve Locust's web UI during the run")
    load.add_argument("--web-host", default="127.0.0.1", help="the web UI's address")
    load.add_argument("--web-port", type=int, default=8089, help="the web UI's port (8089)")

    target = parser.add_argument_group(
        "target (the local pool, in its own process, unless --user-pool-id is given)"
    )
    target.add_argument(
        "--user-pool-id", default=None, type=user_pool_id, help="a real pool, e.g. eu-west-1_AbC"
    )
    target.add_argument(
        "--client-id", default=None, type=client_id, help="its app client ($COGNITO_CLIENT_SECRET)"
    )
    target.add_argument("--region", default=None, help="its region (from the pool id)")
    target.add_argument(
        "--endpoint", default=None, type=endpoint_url, help="its endpoint (AWS's for the region)"
    )
    target.add_argument(
        "--faults",
        default=None,
        help="faults the local pool injects, e.g. throttle=0.05,latency=20ms,error=0.01,drop=0.01",
    )

    users = parser.add_argument_group(
        "test users (password from --password-file or $COGNITO_LOADTEST_PASSWORD)"
    )
    users.add_argument(
        "--test-users", type=int, default=None, help="how many to provision (--users)"
    )
    users.add_argument("--user-prefix", default="loadtest-user", help="their names' prefix")
    users.add_argument(
        "--users-csv", default=None, help="use the users listed here (username[,password])"
    )
    users.add_argument("--password-file", default=None, help="a file holding the password")
    users.add_argument(
        "--cleanup",
        action="store_true",
        help="delete the provisioned users, and those the run signed up, after the run",
    )

    reports = parser.add_argument_group("reports")
    reports.add_argument("--html", default=None, metavar="PATH", help="Locust's HTML report")
    reports.add_argument("--json", default=None, metavar="PATH", help="a JSON summary")
    reports.add_argument(
        "--csv", default=None, metavar="PREFIX", help="Locust's CSV files PREFIX_stats.csv..."
    )
    reports.add_argument(
        "--fail-on",
        default=None,
        metavar="RULES",
        help='exit 1 when a rule is broken, e.g. "p95_ms<500,error_rate<0.01" '
        '(a step\'s own: "login (SRP):p99_ms<800")',
    )
    reports.add_argument(
        "--progress-interval",
        type=float,
        default=2.0,
        help="seconds between progress tables (2; 0: none)",
    )


def check(args: argparse.Namespace) -> None:
    """Refuse option values that cannot work, with a one-line ValueError."""
    from cognito_identity.loadtest.thresholds import parse_rules

    if args.scenario not in SCENARIO_NAMES:
        raise ValueError(
            f"unknown scenario {args.scenario!r}; expected one of {', '.join(SCENARIO_NAMES)}"
        )
    if args.auth_flow not in AUTH_FLOWS:
        raise ValueError(
            f"unknown auth flow {args.auth_flow!r}; expected one of {', '.join(AUTH_FLOWS)}"
        )
    if args.master and args.worker:
        raise ValueError("--master and --worker cannot be combined")
    for name in ("users", "processes", "retries", "expect_workers"):
        if getattr(args, name) < (1 if name in ("users", "retries", "expect_workers") else 0):
            raise ValueError(f"--{name.replace('_', '-')} is too small")
    if args.spawn_rate is not None and args.spawn_rate <= 0:
        raise ValueError("--spawn-rate must be positive")
    if args.test_users is not None and args.test_users < 1:
        raise ValueError("--test-users must be at least 1")
    parse_timespan(args.run_time)
    if args.fail_on:
        parse_rules(args.fail_on)
    if args.user_pool_id is None and (args.client_id or args.endpoint or args.region):
        raise ValueError("--client-id, --endpoint and --region need --user-pool-id")
    if args.user_pool_id is not None and not args.client_id:
        raise ValueError("--user-pool-id needs --client-id")
    if args.user_pool_id is not None and args.faults:
        raise ValueError("--faults applies to the local pool only")
