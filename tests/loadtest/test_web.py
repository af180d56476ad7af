"""``cognito-identity loadtest --web``: Locust's web UI serves the run, takes a swarm
through its HTTP API, and goes away with the local pool when the run is stopped."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from .conftest import needs_locust

pytestmark = needs_locust

LOGIN = "login (SRP)"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _until(what: str, check: Callable[[], Any], process: subprocess.Popen[str]) -> Any:
    """``check()``'s first true answer, polled while the command runs (90 s at most)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the command ended while waiting for {what}"
        try:
            answer = check()
        except requests.ConnectionError:
            answer = None
        if answer:
            return answer
        time.sleep(0.3)
    raise AssertionError(f"no {what} within 90 s")


def _stats(ui: str) -> dict[str, Any]:
    stats: dict[str, Any] = requests.get(f"{ui}/stats/requests", timeout=10).json()
    return stats


def _logins(stats: dict[str, Any]) -> int:
    entries = {entry["name"]: entry for entry in stats["stats"]}
    return int(entries[LOGIN]["num_requests"]) if LOGIN in entries else 0


def test_the_web_ui_answers_takes_a_swarm_and_stops_cleanly(tmp_path: Path) -> None:
    port = _free_port()
    ui = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "cognito_identity.cli", "loadtest", "--web"]
    options = ["--web-port", str(port), "--users", "1", "--run-time", "5m"]
    reports = ["--progress-interval", "0", "--json", str(tmp_path / "run.json")]
    process = subprocess.Popen(
        [*command, *options, *reports],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = _until("web UI", lambda: requests.get(ui, timeout=10), process)
        assert page.status_code == 200 and "locust" in page.text.lower()

        # Stop the run the command started, clear its figures, and swarm from the API.
        assert requests.post(f"{ui}/stop", timeout=10).json()["success"] is True
        requests.post(f"{ui}/stats/reset", timeout=10).raise_for_status()
        assert _logins(_stats(ui)) == 0
        swarm = requests.post(f"{ui}/swarm", data={"user_count": 2, "spawn_rate": 2}, timeout=10)
        started = swarm.json()
        assert started["success"] is True, started
        pool = started["host"]  # the local pool this run started
        stats = _until(
            "logins after the swarm",
            lambda: (lambda s: s if s["user_count"] == 2 and _logins(s) >= 2 else None)(_stats(ui)),
            process,
        )
        assert stats["state"] == "running"
        assert all(entry["num_failures"] == 0 for entry in stats["stats"]), stats["stats"]
        assert requests.get(f"{pool}/_local/stats", timeout=10).status_code == 200

        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "logins/s" in out
    summary = json.loads((tmp_path / "run.json").read_text())
    # The report counts the swarm's logins (the figures were reset before it).
    assert summary["failures"] == 0
    assert summary["successes"] >= _logins(stats) >= 2
    # The web UI and the local pool are gone with the command.
    for gone in (ui, f"{pool}/_local/stats"):
        with pytest.raises(requests.ConnectionError):
            requests.get(gone, timeout=5)
