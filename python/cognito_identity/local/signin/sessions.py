"""Challenges in flight, kept in memory between a sign-in's calls.

The SRP server state holds a private value that must never be written anywhere, so
challenges live only in this process; a restart ends them, as an expired session would.
Each challenge is answered at most once: taking it removes it (and its secrets), and its
key is remembered until it would have expired, so that a replay gets Cognito's "can only
be used once" answer. A wrong answer may put the challenge back (:meth:`reopen`).
"""

from __future__ import annotations

import threading
from typing import Union

from cognito_identity.local.errors import ServiceError
from cognito_identity.local.signin.payloads import Challenge, Decoy

__all__ = ["INVALID_SESSION", "ChallengeSessions", "Open"]

INVALID_SESSION = "Invalid session for the user."

#: What a key can hold.
Open = Union[Challenge, Decoy]


class ChallengeSessions:
    """A thread-safe map from a challenge key (a Session or SECRET_BLOCK) to its challenge."""

    _PRUNE_EVERY = 1024

    def __init__(self) -> None:
        self._open: dict[str, Open] = {}
        self._used: dict[str, float] = {}  # key -> when its session would have expired
        self._lock = threading.Lock()
        self._puts = 0

    def put(self, key: str, challenge: Open, now: float) -> None:
        """Remember ``challenge`` under ``key``; now and then forget expired ones."""
        with self._lock:
            self._open[key] = challenge
            self._puts += 1
            if self._puts % self._PRUNE_EVERY == 0:
                for stale in [k for k, v in self._open.items() if v.expires <= now]:
                    del self._open[stale]
                for stale in [k for k, until in self._used.items() if until <= now]:
                    del self._used[stale]

    def take(self, key: str, now: float) -> Open:
        """Claim the challenge under ``key``, once; NotAuthorizedException otherwise."""
        with self._lock:
            challenge = self._open.pop(key, None)
            if challenge is None:
                if key in self._used:
                    raise ServiceError.not_authorized(
                        "Invalid session for the user, session can only be used once."
                    )
                raise ServiceError.not_authorized(INVALID_SESSION)
            if challenge.expires <= now:
                raise ServiceError.not_authorized(
                    "Invalid session for the user, session is expired."
                )
            self._used[key] = challenge.expires
        return challenge

    def reopen(self, key: str, challenge: Challenge) -> None:
        """Put back a challenge taken with :meth:`take` after a wrong answer, one failure
        more, so the same key can answer again."""
        with self._lock:
            self._used.pop(key, None)
            self._open[key] = Challenge(
                challenge.sign_in, challenge.payload, challenge.failures + 1
            )
