"""A signed-in user's session: the id, access and refresh tokens Cognito issued.

Tokens are decoded (not verified: they came straight from Cognito over TLS) to read their
claims; use :mod:`cognito_identity.verify` to check tokens a service receives. Token
strings never appear in a repr.
"""

from __future__ import annotations

import math
import time
from typing import Any

from cognito_identity.errors import CognitoResponseError
from cognito_identity.jwt import decode

__all__ = [
    "CognitoAccessToken",
    "CognitoIdToken",
    "CognitoJwtToken",
    "CognitoRefreshToken",
    "CognitoUserSession",
]


def _now() -> float:
    """This machine's clock, in seconds since the epoch (one place, so tests can move it)."""
    return time.time()


class CognitoJwtToken:
    """A JWT issued by Cognito, with its claims decoded.

    Raises :class:`~cognito_identity.errors.MalformedTokenError` for a string that is
    not a JWT.
    """

    def __init__(self, jwt_token: str) -> None:
        self.jwt_token = jwt_token
        _header, self.payload = decode(jwt_token)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(sub={self.sub!r}, exp={self.expiration})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CognitoJwtToken) and (type(other), other.jwt_token) == (
            type(self),
            self.jwt_token,
        )

    def __hash__(self) -> int:
        return hash(self.jwt_token)

    def _int_claim(self, name: str) -> int:
        value = self.payload.get(name)
        if isinstance(value, float) and not math.isfinite(value):
            return 0
        return int(value) if isinstance(value, (int, float)) else 0

    @property
    def expiration(self) -> int:
        """``exp``: when the token expires, in seconds since the epoch (0 if absent)."""
        return self._int_claim("exp")

    @property
    def issued_at(self) -> int:
        """``iat``: when the token was issued, in seconds since the epoch (0 if absent)."""
        return self._int_claim("iat")

    @property
    def auth_time(self) -> int:
        """``auth_time``: when the user signed in, in seconds since the epoch."""
        return self._int_claim("auth_time")

    @property
    def sub(self) -> str | None:
        """``sub``: the user's unique, never reused identifier."""
        value = self.payload.get("sub")
        return value if isinstance(value, str) else None

    @property
    def token_use(self) -> str | None:
        """``token_use``: ``"id"`` or ``"access"``."""
        value = self.payload.get("token_use")
        return value if isinstance(value, str) else None

    @property
    def issuer(self) -> str | None:
        """``iss``: the user pool's URL."""
        value = self.payload.get("iss")
        return value if isinstance(value, str) else None


class CognitoIdToken(CognitoJwtToken):
    """The id token: who the user is, with their attributes as claims."""


class CognitoAccessToken(CognitoJwtToken):
    """The access token: what the user may do (scopes, groups); sent to Cognito's user APIs."""

    @property
    def username(self) -> str | None:
        """``username``: the user's name in the pool."""
        value = self.payload.get("username")
        return value if isinstance(value, str) else None


class CognitoRefreshToken:
    """The opaque refresh token, which buys new id and access tokens."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "CognitoRefreshToken(<hidden>)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CognitoRefreshToken) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


class CognitoUserSession:
    """The tokens of one sign-in, and whether they are still good to use.

    ``clock_drift`` is this machine's clock minus Cognito's, in seconds, measured from the
    tokens' ``iat`` when they arrive, so that a machine with a wrong clock still judges
    expiry correctly. A session rebuilt from storage without a known drift assumes 0
    (AWS's JavaScript SDK does the same; re-measuring from old tokens would make every
    stored session look fresh).
    """

    def __init__(
        self,
        id_token: CognitoIdToken,
        access_token: CognitoAccessToken,
        refresh_token: CognitoRefreshToken | None = None,
        clock_drift: int | None = None,
    ) -> None:
        self.id_token = id_token
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.clock_drift = clock_drift if clock_drift is not None else self.calculate_clock_drift()
        self._invalidated = False

    @classmethod
    def from_authentication_result(
        cls,
        result: dict[str, Any],
        previous_refresh_token: CognitoRefreshToken | None = None,
    ) -> CognitoUserSession:
        """Build a session from Cognito's ``AuthenticationResult``.

        A refresh answers without a new refresh token; ``previous_refresh_token`` is kept
        then.
        """
        id_token, access_token = result.get("IdToken"), result.get("AccessToken")
        if not isinstance(id_token, str) or not isinstance(access_token, str):
            raise CognitoResponseError("AuthenticationResult lacks IdToken or AccessToken")
        refresh = result.get("RefreshToken")
        return cls(
            CognitoIdToken(id_token),
            CognitoAccessToken(access_token),
            CognitoRefreshToken(refresh) if isinstance(refresh, str) else previous_refresh_token,
        )

    def __repr__(self) -> str:
        return (
            f"CognitoUserSession(sub={self.id_token.sub!r}, "
            f"expires={min(self.id_token.expiration, self.access_token.expiration)}, "
            f"valid={self.is_valid()})"
        )

    def calculate_clock_drift(self) -> int:
        """This machine's clock minus the issuer's, from the tokens' issue times."""
        return int(_now()) - min(self.access_token.issued_at, self.id_token.issued_at)

    def is_valid(self, now: float | None = None) -> bool:
        """Whether both tokens are unexpired on Cognito's clock and not invalidated."""
        if self._invalidated:
            return False
        server_now = (_now() if now is None else now) - self.clock_drift
        return server_now < self.access_token.expiration and server_now < self.id_token.expiration

    def invalidate_token(self) -> None:
        """Mark the session as no longer valid, whatever the tokens' expiry says."""
        self._invalidated = True
