"""Runs Locust user classes against a target for a few seconds and prints Locust's
stats as JSON: the load tests' subprocess, so that gevent never patches pytest's own
interpreter.

    python harness.py SECONDS USERS CLASS [CLASS...]    (target JSON on stdin)

CLASS is a scenario name, or ``path/to/locustfile.py:ClassName``.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

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


def run(seconds: float, users: int, spec: str, target: dict) -> dict:
    env = Environment(
        user_classes=[user_class(spec)],
        events=events,
        parsed_options=argparse.Namespace(cognito_target=target),
    )
    runner = env.create_local_runner()
    runner.start(users, users)
    gevent.sleep(seconds)
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
    target = json.load(sys.stdin)
    print(json.dumps({spec: run(seconds, users, spec, target) for spec in specs}))


if __name__ == "__main__":
    main()
