"""Live progress: every few seconds, a table of each step's rate, failures and
percentiles over Locust's recent window, written to the terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

import gevent
from locust.runners import Runner

__all__ = ["progress_printer", "progress_table"]

_NAME_WIDTH = 44


def progress_table(runner: Runner, elapsed: float) -> str:
    """The table at ``elapsed`` seconds into the run."""
    stats = runner.stats
    lines = [
        f"[{elapsed:6.1f}s] users {runner.user_count}",
        f"  {'step':<{_NAME_WIDTH}} {'reqs':>8} {'fails':>7} {'req/s':>8}"
        f" {'p50':>6} {'p95':>6} {'p99':>6}  (ms, last 10 s)",
    ]
    for (name, _method), entry in sorted(stats.entries.items()):
        shown = name if len(name) <= _NAME_WIDTH else name[: _NAME_WIDTH - 1] + "~"
        percentiles = [entry.get_current_response_time_percentile(p) for p in (0.5, 0.95, 0.99)]
        p50, p95, p99 = (int(value or 0) for value in percentiles)
        lines.append(
            f"  {shown:<{_NAME_WIDTH}} {entry.num_requests:>8} {entry.num_failures:>7}"
            f" {entry.current_rps:>8.1f} {p50:>6} {p95:>6} {p99:>6}"
        )
    return "\n".join(lines) + "\n"


def progress_printer(runner: Runner, interval: float, out: TextIO | None = None) -> None:
    """Write :func:`progress_table` every ``interval`` seconds (run it in a greenlet)."""
    stream = out or sys.stderr
    started = time.monotonic()
    while True:
        gevent.sleep(interval)
        stream.write(progress_table(runner, time.monotonic() - started))
        stream.flush()
