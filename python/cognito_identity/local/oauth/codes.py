"""Authorization codes: single-use, five minutes long, bound to the client, the redirect
URI and the PKCE challenge of the authorize request that made them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from cognito_identity.local.ids import new_opaque_token

__all__ = ["CODE_SECONDS", "AuthorizationCodes", "CodeGrant", "SingleUse", "pkce_matches"]

#: How long a code may wait to be exchanged, as in Cognito.
CODE_SECONDS = 300


@dataclass(frozen=True)
class CodeGrant:
    """What a code stands for: the sign-in's tokens and the request's checks."""

    client_id: str
    redirect_uri: str
    code_challenge: str | None
    scopes: tuple[str, ...]
    tokens: dict[str, Any] = field(repr=False)
    expires: float = 0.0


class _Expiring(Protocol):
    @property
    def expires(self) -> float: ...


T = TypeVar("T", bound=_Expiring)


class SingleUse(Generic[T]):
    """Values handed out under a random token and taken back once, in memory (they live
    minutes): authorization codes, and sign-ins waiting for an identity provider."""

    def __init__(self) -> None:
        self._values: dict[str, T] = {}
        self._lock = threading.Lock()

    def issue(self, value: T) -> str:
        """A new token for ``value`` (whose ``expires`` is set by the caller)."""
        token = new_opaque_token()
        with self._lock:
            self._values[token] = value
        return token

    def redeem(self, token: str, now: float) -> T | None:
        """The value of ``token``, once: a used, unknown or expired token gives None."""
        with self._lock:
            for stale in [t for t, v in self._values.items() if v.expires <= now]:
                del self._values[stale]
            return self._values.pop(token, None)


#: The codes issued and not yet exchanged.
AuthorizationCodes = SingleUse[CodeGrant]


def pkce_matches(challenge: str, verifier: str) -> bool:
    """RFC 7636 S256: the challenge is the unpadded base64url SHA-256 of the verifier."""
    digest = hashlib.sha256(verifier.encode()).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(expected.encode(), challenge.encode())
