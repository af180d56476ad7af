"""Runs Locust user classes against a target, one after the other, and prints Locust's
stats as JSON: the load tests' subprocess, so that gevent never patches pytest's own
interpreter.

    python harness.py SECONDS USERS CLASS [CLASS...]    (JSON on stdin: target, until)

CLASS is a scenario name, or ``path/to/locustfile.py:ClassName``. A class runs for
SECONDS, unless ``until`` names events for it (``{CLASS: {"flow refresh": 3}}``): then it
runs until each event has been counted that many times or a failure is recorded, SECONDS
being only the deadline, so that a busy machine gets the time it needs.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402
from locust import events  # noqa: E402
from locust.env import Environment  # noqa: E402

from cognito_identity.loadtest import SCENARIOS  # noqa: E402


def user_class(spec: str) -> type:
    if ":" not in spec:
        return SCENARIOS[spec]
    path, name = spec.rsplit(":", 1)
    module_spec = importlib.util.spec_from_file_location("custom_locustfile", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return getattr(module, name)  # type: ignore[no-any-return]


def settled(env: Environment, wanted: dict) -> bool:
    """Whether each event of ``wanted`` was counted often enough, or a failure recorded
    (never, when nothing is wanted: the run lasts its time)."""
    if not wanted:
        return False
    if env.stats.errors or (env.runner is not None and env.runner.exceptions):
        return True
    counts = {
        f"{method} {name}": entry.num_requests
        for (name, method), entry in env.stats.entries.items()
    }
    return all(counts.get(name, 0) >= count for name, count in wanted.items())


def run(seconds: float, users: int, spec: str, target: dict, wanted: dict) -> dict:
    env = Environment(
        user_classes=[user_class(spec)],
        events=events,
        parsed_options=argparse.Namespace(cognito_target=target),
    )
    runner = env.create_local_runner()
    runner.start(users, users)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not settled(env, wanted):
        gevent.sleep(0.05)
    runner.quit()
    entries = {
        f"{method} {name}": {
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5),
            "avg_length": entry.avg_content_length,
        }
        for (name, method), entry in env.stats.entries.items()
    }
    errors = [
        [error.method, error.name, str(error.error), error.occurrences]
        for error in env.stats.errors.values()
    ]
    exceptions = [str(item["msg"]) for item in runner.exceptions.values()]
    return {"entries": entries, "errors": errors, "exceptions": exceptions}


def main() -> None:
    seconds, users, specs = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    given = json.load(sys.stdin)
    target, until = given["target"], given["until"]
    print(
        json.dumps({spec: run(seconds, users, spec, target, until.get(spec, {})) for spec in specs})
    )


if __name__ == "__main__":
    main()
