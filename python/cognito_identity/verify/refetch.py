"""When a JWKS may be fetched again: the rules both caches (threads and asyncio) share.

A token whose ``kid`` is not in the cached keys may mean the pool rotated its keys, so
the cache fetches the JWKS again, but at most once per interval: a flood of tokens with
made-up kids then costs the JWKS endpoint one request per interval, not one per token.
A kid still unknown after a fetch goes into a penalty box and is refused at once until
its penalty ends. A failed fetch counts as a fetch, so a broken endpoint is not hammered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["RefetchPolicy"]

#: Kids kept in the penalty box at most; the oldest leave first beyond this.
MAX_PENALIZED_KIDS = 10_000


class RefetchPolicy:
    """Decides whether a fetch may happen now and which kids are in the penalty box.

    ``clock`` is a monotonic clock in seconds (``time.monotonic`` unless told).
    """

    def __init__(
        self,
        interval: float,
        penalty: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.penalty = penalty
        self._clock = clock
        self._last_fetch: float | None = None
        self._penalized: dict[str, float] = {}
        self._lock = threading.Lock()

    def may_fetch(self) -> bool:
        """True when no fetch was tried within the interval."""
        last = self._last_fetch
        return last is None or self._clock() - last >= self.interval

    def fetching(self) -> None:
        """Record a fetch attempt (successful or not) starting now."""
        self._last_fetch = self._clock()

    def is_penalized(self, kid: str) -> bool:
        """True while ``kid`` is in the penalty box."""
        until = self._penalized.get(kid)
        if until is None:
            return False
        if self._clock() < until:
            return True
        with self._lock:
            self._penalized.pop(kid, None)
        return False

    def penalize(self, kid: str) -> None:
        """Put ``kid`` in the penalty box for ``penalty`` seconds."""
        now = self._clock()
        with self._lock:
            if len(self._penalized) >= MAX_PENALIZED_KIDS:
                self._penalized = {k: t for k, t in self._penalized.items() if t > now}
                while len(self._penalized) >= MAX_PENALIZED_KIDS:
                    del self._penalized[next(iter(self._penalized))]
            self._penalized[kid] = now + self.penalty
