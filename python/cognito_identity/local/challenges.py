"""Auth challenges in flight, kept in memory between InitiateAuth and RespondToAuthChallenge.

The SRP server state holds a private value that must never be written anywhere, so
challenges live only in this process; a restart ends them, as an expired session would.
Each entry is used at most once; a used one is kept until it expires so that a replay
gets Cognito's "can only be used once" answer.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from typing import Any

from cognito_identity.local.errors import ServiceError

__all__ = ["ChallengeSessions", "PendingChallenge"]


@dataclass
class PendingChallenge:
    """What the server remembers about one issued challenge."""

    name: str
    pool_id: str
    client_id: str
    username_key: str
    expires: float
    srp: Any = field(default=None, repr=False)  # cognito_identity.srp.ServerSession
    srp_a: str = field(default="", repr=False)
    # An SMS or e-mail code sent for this challenge, and when it stops working.
    code: str = field(default="", repr=False)
    code_expires: float = 0.0
    # Wrong answers so far (a challenge allows a few before it closes).
    failures: int = 0
    # SELECT_MFA_TYPE: the factors offered; MFA_SETUP: the factors that may be set up.
    options: tuple[str, ...] = ()
    # MFA_SETUP: whether VerifySoftwareToken has succeeded in this session.
    token_verified: bool = False
    # CUSTOM_AUTH: the define trigger's session so far (None outside custom auth), and
    # for a CUSTOM_CHALLENGE what the create trigger kept private, its metadata and the
    # sign-in's ClientMetadata.
    custom_history: tuple[dict[str, Any], ...] | None = None
    private_parameters: dict[str, str] = field(default_factory=dict, repr=False)
    challenge_metadata: str | None = None
    client_metadata: dict[str, str] = field(default_factory=dict, repr=False)
    # A one-time code that is the sign-in's first factor (USER_AUTH), and the device SRP
    # after it: a whole sign-in, so no MFA follows.
    passwordless: bool = False
    # The device this sign-in proved with device SRP: the tokens after MFA belong to it.
    proven_device: str | None = None
    used: bool = False


class ChallengeSessions:
    """A thread-safe map from a challenge key (SECRET_BLOCK or Session) to its state."""

    _PRUNE_EVERY = 1024

    def __init__(self) -> None:
        self._pending: dict[str, PendingChallenge] = {}
        self._lock = threading.Lock()
        self._puts = 0

    def put(self, key: str, challenge: PendingChallenge, now: float) -> None:
        """Remember ``challenge`` under ``key``; now and then forget expired ones."""
        with self._lock:
            self._pending[key] = challenge
            self._puts += 1
            if self._puts % self._PRUNE_EVERY == 0:
                for stale in [k for k, v in self._pending.items() if v.expires <= now]:
                    del self._pending[stale]

    def take(self, key: str, now: float) -> PendingChallenge:
        """Claim the challenge under ``key``, once; NotAuthorizedException otherwise."""
        with self._lock:
            challenge = self._pending.get(key)
            if challenge is None:
                raise ServiceError.not_authorized("Invalid session for the user.")
            if challenge.used:
                raise ServiceError.not_authorized(
                    "Invalid session for the user, session can only be used once."
                )
            if challenge.expires <= now:
                del self._pending[key]
                raise ServiceError.not_authorized(
                    "Invalid session for the user, session is expired."
                )
            # Keep a tombstone without the SRP state, so the private value goes now.
            self._pending[key] = dataclasses.replace(
                challenge, srp=None, srp_a="", code="", private_parameters={}, used=True
            )
        return challenge

    def reopen(self, key: str, challenge: PendingChallenge) -> None:
        """Put back a challenge taken with :meth:`take` after a wrong answer, one failure
        more, so the same session can answer again."""
        with self._lock:
            self._pending[key] = dataclasses.replace(
                challenge, failures=challenge.failures + 1, used=False
            )
