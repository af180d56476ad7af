"""What the local pool has served since it started, by action and status, for
``GET /_local/stats``: a load test's server-side view."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from typing import Any

__all__ = ["RequestStats"]


class RequestStats:
    """Counts of action requests by action and HTTP status (``"dropped"`` for connections
    closed without an answer), and of error answers by code. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._since = time.time()
        self._by_action: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._errors: Counter[str] = Counter()

    def count(self, action: str, status: str, error: str | None = None) -> None:
        """Count one request of ``action`` answered with ``status`` (and ``error``)."""
        with self._lock:
            self._by_action[action][status] += 1
            if error:
                self._errors[error] += 1

    def snapshot(self) -> dict[str, Any]:
        """``{"since", "total", "requests": {action: {status: n}}, "errors": {code: n}}``."""
        with self._lock:
            requests = {action: dict(counts) for action, counts in sorted(self._by_action.items())}
            return {
                "since": self._since,
                "total": sum(sum(counts.values()) for counts in requests.values()),
                "requests": requests,
                "errors": dict(sorted(self._errors.items())),
            }
