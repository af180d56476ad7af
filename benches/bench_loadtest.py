"""The load-testing harness on the local pool: this SDK's Locust login user against a
pycognito-based one, and the CPU a login costs in a Locust worker against the bare SDK.

    python benches/bench_loadtest.py [--seconds 10] [--users 8]

One Locust process (gevent, as ``cognito-identity loadtest`` runs it) drives the local
pool, served by its own process on this machine, with the same users, test accounts and
run time for both user classes: ``SrpLoginUser`` (this SDK, USER_SRP_AUTH) and a
``PycognitoLoginUser`` (pycognito's AWSSRP over a boto3 client pointed at the pool),
both reporting ``login (SRP)`` through the same base class. The rate is successful logins
per second. The CPU per login is this process's CPU time over the run divided by its
logins (the server's CPU is in its own process), against a plain loop of the SDK's
``authenticate_user`` in a fresh interpreter without Locust or gevent.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import boto3  # noqa: E402
import gevent  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from locust import events, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from pycognito.aws_srp import AWSSRP  # noqa: E402

from cognito_identity.errors import CognitoError  # noqa: E402
from cognito_identity.loadtest import CognitoLoadUser, SrpLoginUser, Target, TestUser  # noqa: E402
from cognito_identity.loadtest.localpool import LocalPoolProcess, create_pool  # noqa: E402
from cognito_identity.loadtest.provision import (  # noqa: E402
    admin_api,
    numbered_usernames,
    provision_users,
)

PASSWORD = "Bench-Passw0rd!"
TEST_USERS = 16
TARGET_RATIO = 8.0
TARGET_CPU_RATIO = 1.5
LOGIN = "login (SRP)"

_BARE = """
import json, sys, time
from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool
target, seconds = json.loads(sys.argv[1]), float(sys.argv[2])
pool = CognitoUserPool(target["user_pool_id"], target["client_id"], endpoint=target["endpoint"])
names = [name for name, _ in target["users"]]
password = target["users"][0][1]
def login(i):
    CognitoUser(names[i % len(names)], pool).authenticate_user(
        AuthenticationDetails(names[i % len(names)], password))
login(0)
cpu, wall, count = time.process_time(), time.perf_counter(), 0
while time.perf_counter() - wall < seconds:
    count += 1
    login(count)
print(json.dumps({"logins": count, "cpu": time.process_time() - cpu}))
"""


class PycognitoLoginUser(CognitoLoadUser):
    """A login user built on pycognito: AWSSRP with a boto3 client pointed at the pool."""

    def on_start(self) -> None:
        self.idp = boto3.client(
            "cognito-idp",
            endpoint_url=self.target.endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )

    def _pycognito_login(self) -> None:
        user = self._user(None)
        srp = AWSSRP(
            user.username,
            user.password,
            self.target.user_pool_id,
            self.target.client_id,
            client=self.idp,
        )
        try:
            srp.authenticate_user()
        except ClientError as error:
            raise CognitoError(code=error.response["Error"]["Code"]) from None

    @task
    def login_task(self) -> None:
        self.measure(LOGIN, self._pycognito_login)


def run_users(user_class: type, target: Target, users: int, seconds: float) -> tuple[int, float]:
    """Successful logins and this process's CPU seconds over a run of ``user_class``."""
    import argparse as _argparse

    env = Environment(
        user_classes=[user_class],
        events=events,
        parsed_options=_argparse.Namespace(cognito_target=target.to_dict()),
    )
    runner = env.create_local_runner()
    runner.start(users, users)
    gevent.sleep(1.0)  # every user started and signed in once: connections made
    env.stats.reset_all()
    cpu = time.process_time()
    gevent.sleep(seconds)
    cpu = time.process_time() - cpu
    entry = env.stats.get(LOGIN, "flow")
    logins = entry.num_requests - entry.num_failures
    runner.quit()
    if entry.num_failures:
        raise SystemExit(f"{user_class.__name__}: {entry.num_failures} logins failed")
    return logins, cpu


def bare_sdk(target: Target, seconds: float) -> tuple[int, float]:
    done = subprocess.run(
        [sys.executable, "-c", _BARE, json.dumps(target.to_dict()), str(seconds)],
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(done.stdout)
    return int(measured["logins"]), float(measured["cpu"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="measured seconds of each user class (10)"
    )
    parser.add_argument("--users", type=int, default=8, help="simulated users of each (8)")
    args = parser.parse_args()
    with LocalPoolProcess() as local:
        pool_id, client_id = create_pool(local.endpoint)
        users = [TestUser(name, PASSWORD) for name in numbered_usernames(TEST_USERS)]
        target = Target(local.endpoint, pool_id, client_id, users)
        provision_users(admin_api(target), pool_id, users)
        ours, our_cpu = run_users(SrpLoginUser, target, args.users, args.seconds)
        peer, peer_cpu = run_users(PycognitoLoginUser, target, args.users, args.seconds)
        bare, bare_cpu = bare_sdk(target, args.seconds)
    ours_rate, peer_rate = ours / args.seconds, peer / args.seconds
    cpu_locust, cpu_bare = our_cpu / max(ours, 1), bare_cpu / max(bare, 1)
    cpu_peer = peer_cpu / max(peer, 1)
    print(f"Locust on the local pool (its own process), {args.users} users, {args.seconds:.0f} s")
    print("each, both sides on this machine\n")
    print("| case | peer | peer | ours | ratio | target | met |")
    print("|---|---|---|---|---|---|---|")
    ratio = ours_rate / max(peer_rate, 1e-9)
    print(
        f"| SRP logins/s in Locust | pycognito | {peer_rate:.1f}/s | {ours_rate:.1f}/s "
        f"| {ratio:.1f}x | >= {TARGET_RATIO:.0f}x | {'yes' if ratio >= TARGET_RATIO else 'no'} |"
    )
    cpu_ratio = cpu_locust / cpu_bare
    print(
        f"| CPU per login, Locust worker vs bare SDK | bare SDK loop | {cpu_bare * 1000:.2f} ms "
        f"| {cpu_locust * 1000:.2f} ms | {cpu_ratio:.2f}x | <= {TARGET_CPU_RATIO}x "
        f"| {'yes' if cpu_ratio <= TARGET_CPU_RATIO else 'no'} |"
    )
    print(f"\n(pycognito in the same Locust worker: {cpu_peer * 1000:.1f} ms of CPU per login)")


if __name__ == "__main__":
    main()
