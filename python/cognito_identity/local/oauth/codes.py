"""Authorization codes: single-use, five minutes long, bound to the client, the redirect
URI and the PKCE challenge of the authorize request that made them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from dataclasses import dataclass, field
from typing import Any

from cognito_identity.local.ids import new_opaque_token

__all__ = ["CODE_SECONDS", "AuthorizationCodes", "CodeGrant", "pkce_matches"]

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


class AuthorizationCodes:
    """The codes issued and not yet exchanged, in memory (they live five minutes)."""

    def __init__(self) -> None:
        self._grants: dict[str, CodeGrant] = {}
        self._lock = threading.Lock()

    def issue(self, grant: CodeGrant) -> str:
        """A new code for ``grant`` (whose ``expires`` is set by the caller)."""
        code = new_opaque_token()
        with self._lock:
            self._grants[code] = grant
        return code

    def redeem(self, code: str, now: float) -> CodeGrant | None:
        """The grant of ``code``, once: a used, unknown or expired code gives None."""
        with self._lock:
            for stale in [c for c, g in self._grants.items() if g.expires <= now]:
                del self._grants[stale]
            return self._grants.pop(code, None)


def pkce_matches(challenge: str, verifier: str) -> bool:
    """RFC 7636 S256: the challenge is the unpadded base64url SHA-256 of the verifier."""
    digest = hashlib.sha256(verifier.encode()).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(expected.encode(), challenge.encode())
