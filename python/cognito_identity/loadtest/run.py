"""One load test, in a gevent-patched interpreter (see :mod:`.launch`): the target set
up, Locust's runner (local, master or worker) driven for the run time, live progress,
the reports written, the ``--fail-on`` rules checked."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import gevent
from locust import events
from locust.argument_parser import get_empty_argument_parser, setup_parser_arguments
from locust.env import Environment
from locust.html import get_html_report
from locust.log import setup_logging
from locust.runners import WORKER_REPORT_INTERVAL, MasterRunner, Runner, WorkerRunner
from locust.stats import (
    PERCENTILES_TO_REPORT,
    StatsCSV,
    StatsCSVFileWriter,
    update_stats_history,
)
from locust.user import User
from locust.util.load_locustfile import load_locustfile

from cognito_identity.cli_support import EXIT_UNREACHABLE, EXIT_USAGE
from cognito_identity.client import CognitoClient, RetryPolicy, user_pool_endpoint
from cognito_identity.errors import CognitoClientException, CognitoError, CognitoNetworkError
from cognito_identity.loadtest.launch import child_command
from cognito_identity.loadtest.localpool import LocalPoolProcess, create_pool
from cognito_identity.loadtest.options import parse_timespan
from cognito_identity.loadtest.progress import progress_printer, progress_table
from cognito_identity.loadtest.provision import (
    AdminApi,
    admin_api,
    cleanup_signups,
    cleanup_users,
    new_password,
    numbered_usernames,
    provision_users,
    read_password,
    read_users_csv,
)
from cognito_identity.loadtest.scenarios import SCENARIOS, SIGNUP_SCENARIOS, scenario_class
from cognito_identity.loadtest.steps import FLOW
from cognito_identity.loadtest.summary import summarize
from cognito_identity.loadtest.target import SIGNUP_PREFIX, TARGET_OPTION, Target, TestUser
from cognito_identity.loadtest.thresholds import broken_rules, parse_rules

__all__ = ["main", "run"]

_PREFIX = "cognito-identity loadtest"
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def main(encoded: str) -> int:
    """Run the load test whose options are the JSON ``encoded``; the exit status: 0, 1
    when a ``--fail-on`` rule is broken, 3 when the target or the master cannot be
    reached, 2 when the run cannot be made otherwise."""
    args = argparse.Namespace(**json.loads(encoded))
    try:
        return run(args)
    except CognitoNetworkError as error:
        print(f"{_PREFIX}: {error.message}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except CognitoClientException as error:
        print(f"{_PREFIX}: failed: {error.code}: {error.message}", file=sys.stderr)
    except (CognitoError, OSError, ValueError) as error:
        print(f"{_PREFIX}: {error}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Run the load test of ``args``."""
    setup_logging("WARNING")
    signal.signal(signal.SIGTERM, _interrupt)
    if args.worker:
        return _run_worker(args)
    user_classes = _user_classes(args)
    with _prepared_target(args) as target:
        return _run_master_or_local(args, user_classes, target)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _user_classes(args: argparse.Namespace) -> list[type[User]]:
    if args.locustfile:
        if not os.path.isfile(args.locustfile):
            raise ValueError(f"no locustfile at {args.locustfile}")
        classes, _shapes = load_locustfile(args.locustfile)
        found = [cls for cls in classes.values() if not getattr(cls, "abstract", False)]
        if not found:
            raise ValueError(f"{args.locustfile} defines no user class")
        return found
    return [scenario_class(args.scenario)]


# --- the target ---


@contextlib.contextmanager
def _prepared_target(args: argparse.Namespace) -> Iterator[Target]:
    """The target of the run, with its test users; the local pool (when it is the target)
    and the users made for the run (with ``--cleanup``) are gone afterwards."""
    password = read_password(args.password_file)
    local: LocalPoolProcess | None = None
    try:
        if args.user_pool_id is None:
            local = LocalPoolProcess(args.faults).start()
            endpoint = local.endpoint
            pool_id, client_id = create_pool(endpoint)
            client_secret, region, confirm = None, None, "outbox"
            password = password or new_password()
        else:
            pool_id, client_id = args.user_pool_id, args.client_id
            region = args.region or pool_id.split("_", 1)[0]
            endpoint = args.endpoint or user_pool_endpoint(region)
            client_secret = os.environ.get("COGNITO_CLIENT_SECRET") or None
            confirm = "admin"
            _check_reachable(endpoint)
        users, made = _test_users(args, password)
        signs_up = bool(args.locustfile) or args.scenario in SIGNUP_SCENARIOS
        target = Target(
            endpoint=endpoint,
            user_pool_id=pool_id,
            client_id=client_id,
            users=users,
            client_secret=client_secret,
            region=region,
            auth_flow=args.auth_flow,
            confirm=confirm,
            retries=args.retries,
            signup_password=password,
            # This run's own, so that --cleanup deletes its sign-ups and no one else's.
            signup_prefix=f"{SIGNUP_PREFIX}{secrets.token_hex(4)}-",
        )
        admin = admin_api(target) if made or (args.cleanup and signs_up) else None
        if admin is not None and made:
            print(f"provisioning {len(users)} test users...", file=sys.stderr, flush=True)
            provision_users(admin, pool_id, users)
        try:
            yield target
        finally:
            if admin is not None and args.cleanup:
                _clean_up(admin, target, users if made else [], signs_up)
    finally:
        if local is not None:
            local.stop()


def _clean_up(admin: AdminApi, target: Target, made: list[TestUser], signs_up: bool) -> None:
    """Delete the test users made for the run and, when it may have signed users up,
    every user whose name begins with the run's sign-up prefix (made on any worker)."""
    cleanup_users(admin, target.user_pool_id, [user.username for user in made])
    signed_up = cleanup_signups(admin, target.user_pool_id, target.signup_prefix) if signs_up else 0
    print(
        f"cleanup: deleted {len(made)} test users and {signed_up} signed-up users",
        file=sys.stderr,
        flush=True,
    )


def _test_users(args: argparse.Namespace, password: str | None) -> tuple[list[TestUser], bool]:
    """The test users, and whether they are to be provisioned."""
    if args.users_csv:
        return read_users_csv(args.users_csv, password), False
    if args.scenario == "signup+confirm" and not args.locustfile:
        return [], False
    if password is None:
        raise ValueError(
            "the test users need a password: --password-file PATH or $COGNITO_LOADTEST_PASSWORD"
        )
    count = args.test_users or args.users
    return [TestUser(name, password) for name in numbered_usernames(count, args.user_prefix)], True


def _check_reachable(endpoint: str) -> None:
    """Refuse a target that does not answer at all (any Cognito answer will do)."""
    client = CognitoClient(endpoint, retry=RetryPolicy(max_attempts=1), timeout=(5.0, 10.0))
    try:
        client.call("InitiateAuth", {})
    except CognitoClientException:
        pass
    except CognitoError as error:
        raise CognitoNetworkError(f"cannot reach {endpoint}: {error.message}") from None
    finally:
        client.close()


# --- the runners ---


def _locust_options(args: argparse.Namespace, target: Target) -> argparse.Namespace:
    """Locust's options with their defaults, this run's values, and the target (which
    the master passes on to its workers with every spawn message)."""
    parser = get_empty_argument_parser()
    setup_parser_arguments(parser)
    options: argparse.Namespace = parser.parse_args([])
    options.headless = not args.web
    options.num_users = args.users
    options.spawn_rate = args.spawn_rate or float(args.users)
    options.run_time = int(parse_timespan(args.run_time))
    options.expect_workers = args.expect_workers
    setattr(options, TARGET_OPTION, target.to_dict())
    return options


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run_master_or_local(
    args: argparse.Namespace, user_classes: list[type[User]], target: Target
) -> int:
    rules = parse_rules(args.fail_on) if args.fail_on else []
    env = Environment(
        user_classes=user_classes,
        events=events,
        host=target.endpoint,
        parsed_options=_locust_options(args, target),
        locustfile=os.path.basename(args.locustfile)
        if args.locustfile
        else f"--scenario {args.scenario} ({args.auth_flow})",
    )
    workers: list[subprocess.Popen[bytes]] = []
    runner: Runner
    if args.master or args.processes:
        bind_port = args.master_bind_port if args.master else _free_port()
        runner = env.create_master_runner(
            args.master_bind_host if args.master else "127.0.0.1", bind_port
        )
        expected = args.expect_workers if args.master else args.processes
        if args.processes:
            workers = _start_local_workers(args, bind_port)
        _await_workers(runner, expected, args.expect_workers_max_wait)
    else:
        runner = env.create_local_runner()
    try:
        return _drive(args, env, runner, rules)
    finally:
        for worker in workers:
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()


def _start_local_workers(args: argparse.Namespace, port: int) -> list[subprocess.Popen[bytes]]:
    options: dict[str, Any] = {
        **vars(args),
        "worker": True,
        "master": False,
        "processes": 0,
        "master_host": "127.0.0.1",
        "master_port": port,
        "json": None,
        "html": None,
        "csv": None,
    }
    return [subprocess.Popen(child_command(options)) for _ in range(args.processes)]


def _await_workers(runner: Runner, expected: int, max_wait: float) -> None:
    assert isinstance(runner, MasterRunner)
    deadline = time.monotonic() + max_wait
    while len(runner.clients.ready) < expected:
        if time.monotonic() > deadline:
            raise CognitoError(
                f"{len(runner.clients.ready)} of {expected} workers connected within {max_wait:g} s"
            )
        gevent.sleep(0.1)


def _drive(args: argparse.Namespace, env: Environment, runner: Runner, rules: list[Any]) -> int:
    run_time = parse_timespan(args.run_time)
    # Locust's own history loop samples every 5 s; a short run's charts want more points.
    greenlets = [gevent.spawn(_history, runner, min(5.0, max(1.0, run_time / 60)))]
    if args.progress_interval > 0:
        greenlets.append(gevent.spawn(progress_printer, runner, args.progress_interval))
    csv_writer = None
    if args.csv:
        if os.path.dirname(args.csv):
            os.makedirs(os.path.dirname(args.csv), exist_ok=True)
        csv_writer = StatsCSVFileWriter(env, PERCENTILES_TO_REPORT, args.csv, full_history=False)
        greenlets.append(gevent.spawn(csv_writer.stats_writer))
    if args.web:
        web = env.create_web_ui(host=args.web_host, port=args.web_port)
        print(f"Locust's web UI: http://{args.web_host}:{args.web_port}", file=sys.stderr)
    started = time.time()
    stopped: list[float] = []  # when the load stopped (before the workers' last reports)
    runner.start(args.users, args.spawn_rate or float(args.users))
    stopper = gevent.spawn_later(run_time, _finish, runner, stopped)
    with _stopped_by_signals(lambda: _finish(runner, stopped)):
        runner.greenlet.join()
    ended = stopped[0] if stopped else time.time()
    stopper.kill(block=False)
    for greenlet in greenlets:
        greenlet.kill(block=False)
    if args.web:
        web.stop()
    if csv_writer is not None:
        csv_writer.close_files()
    sys.stderr.write(progress_table(runner, ended - started))
    summary = summarize(runner.stats, ended - started)
    _write_reports(args, env, summary)
    print(_one_line(summary), flush=True)
    broken = broken_rules(rules, summary)
    for line in broken:
        print(f"{_PREFIX}: --fail-on {line}", file=sys.stderr)
    return 1 if broken else 0


@contextlib.contextmanager
def _stopped_by_signals(stop: Callable[[], None]) -> Iterator[None]:
    """While the run goes on, SIGTERM and SIGINT (Ctrl-C) call ``stop`` in a greenlet of
    its own. Raised as a KeyboardInterrupt, they would land in whichever user greenlet
    was running (mid-sign-in, with a traceback) before they reached the run."""

    def handler(signum: int, frame: object) -> None:
        gevent.spawn(stop)  # only scheduled: safe from whatever greenlet is running

    previous = {signum: signal.signal(signum, handler) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, action in previous.items():
            signal.signal(signum, action)


def _history(runner: Runner, interval: float) -> None:
    """Sample the stats for the HTML report's charts every ``interval`` seconds."""
    while True:
        gevent.sleep(interval)
        update_stats_history(runner)


def _finish(runner: Runner, stopped: list[float]) -> None:
    """End the run, noting in ``stopped`` when the load stopped. A master first stops its
    workers' users and waits for each worker's report made after that (Locust's quit alone
    gives them half a second), so the totals hold every request the workers made."""
    if not stopped:
        stopped.append(time.time())
    if isinstance(runner, MasterRunner):
        workers = {client.id for client in runner.clients.all}
        idle: set[str] = set()

        def on_report(client_id: str, data: dict[str, Any]) -> None:
            if data.get("user_count") == 0:
                idle.add(client_id)

        runner.environment.events.worker_report.add_listener(on_report)
        runner.stop()
        deadline = time.monotonic() + 2 * WORKER_REPORT_INTERVAL + 5
        while not workers <= idle and time.monotonic() < deadline:
            gevent.sleep(0.1)
    runner.quit()


def _write_reports(args: argparse.Namespace, env: Environment, summary: dict[str, Any]) -> None:
    if args.html:
        _write(args.html, get_html_report(env, show_download_link=False))
    if args.json:
        _write(args.json, json.dumps(summary, indent=2) + "\n")
    if args.csv:
        # Locust's writer refreshes these every second; write them once more now the run
        # is over, so they hold its final figures (the history file is complete as is).
        final = StatsCSV(env, PERCENTILES_TO_REPORT)
        for suffix, write in (
            ("stats", final.requests_csv),
            ("failures", final.failures_csv),
            ("exceptions", final.exceptions_csv),
        ):
            with open(f"{args.csv}_{suffix}.csv", "w", newline="", encoding="utf-8") as handle:
                write(csv.writer(handle))


def _write(path: str, text: str) -> None:
    if os.path.dirname(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _one_line(summary: dict[str, Any]) -> str:
    rate = summary.get("logins_per_s", summary["rate_per_s"])
    what = "logins/s" if "logins_per_s" in summary else "flows/s"
    errors = ", ".join(f"{code} {count}" for code, count in summary["errors"].items())
    return (
        f"{summary['successes']} ok, {summary['failures']} failed"
        f"{' (' + errors + ')' if errors else ''} in {summary['duration_s']:.1f} s: "
        f"{rate:.1f} {what}, p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"p99 {summary['p99_ms']} ms"
    )


# --- workers ---


def _run_worker(args: argparse.Namespace) -> int:
    """A worker: every scenario's user class (and the locustfile's) ready for what the
    master dispatches; the target comes from the master. Prints its own totals at exit."""
    classes: dict[str, type[User]] = {cls.__name__: cls for cls in SCENARIOS.values()}
    if args.locustfile:
        classes.update({cls.__name__: cls for cls in _user_classes(args)})
    env = Environment(user_classes=list(classes.values()), events=events)
    tally = {"requests": 0, "failures": 0, "flows": 0}

    def count(request_type: str, exception: object = None, **_: Any) -> None:
        tally["requests"] += 1
        tally["failures"] += exception is not None
        tally["flows"] += request_type == FLOW

    env.events.request.add_listener(count)
    try:
        runner = env.create_worker_runner(args.master_host, args.master_port)
    except OSError as error:
        raise CognitoNetworkError(
            f"cannot reach the master at {args.master_host}:{args.master_port}: {error}"
        ) from None
    assert isinstance(runner, WorkerRunner)
    with _stopped_by_signals(runner.quit):
        runner.greenlet.join()
    print(
        f"worker: {tally['requests']} requests ({tally['flows']} flows), "
        f"{tally['failures']} failed",
        flush=True,
    )
    return 0
