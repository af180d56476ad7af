"""The ``--json`` summary of a run, read from Locust's own statistics.

Top level: the whole flows' ``successes``, ``failures`` (by code in ``errors``, with the
throttling ones also counted in ``throttled``), ``duration_s``, ``rate_per_s`` (successful
flows per second; for logins also ``logins_per_s``), ``error_rate`` and the flows'
``p50_ms``/``p95_ms``/``p99_ms``. ``steps`` gives every event name (flows, calls, CPU)
with Locust's count, failures, requests per second and percentiles.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from locust.stats import RequestStats, StatsEntry, StatsError

from cognito_identity.loadtest.steps import FLOW, is_throttling

__all__ = ["summarize"]

_LOGIN_PREFIX = "login ("


def _percentiles(entry: StatsEntry) -> dict[str, int]:
    return {
        "p50_ms": int(entry.get_response_time_percentile(0.5) or 0),
        "p95_ms": int(entry.get_response_time_percentile(0.95) or 0),
        "p99_ms": int(entry.get_response_time_percentile(0.99) or 0),
    }


def summarize(stats: RequestStats, duration_s: float) -> dict[str, Any]:
    """The JSON summary of ``stats`` for a run that lasted ``duration_s`` seconds."""
    flows = [entry for (_, method), entry in stats.entries.items() if method == FLOW]
    all_flows = StatsEntry(stats, "all flows", FLOW, use_response_times_cache=False)
    for entry in flows:
        all_flows.extend(entry)
    failures = all_flows.num_failures
    successes = all_flows.num_requests - failures
    errors: Counter[str] = Counter()
    for error in stats.errors.values():
        if isinstance(error, StatsError) and error.method == FLOW:
            errors[StatsError.parse_error(error.error)] += error.occurrences
    logins = sum(
        entry.num_requests - entry.num_failures
        for entry in flows
        if entry.name.startswith(_LOGIN_PREFIX)
    )
    duration = max(duration_s, 1e-9)
    summary: dict[str, Any] = {
        "successes": successes,
        "failures": failures,
        "throttled": sum(count for code, count in errors.items() if is_throttling(code)),
        "duration_s": round(duration_s, 3),
        "rate_per_s": round(successes / duration, 3),
        "error_rate": round(failures / all_flows.num_requests, 6) if all_flows.num_requests else 0,
        **_percentiles(all_flows),
    }
    if logins:
        summary["logins_per_s"] = round(logins / duration, 3)
    summary["steps"] = {
        entry.name: {
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.total_rps, 3),
            **_percentiles(entry),
        }
        for _, entry in sorted(stats.entries.items())
    }
    summary["errors"] = dict(sorted(errors.items()))
    return summary
