"""Tokens as they arrive in requests: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from cognito_identity.errors import (
    CustomCheckError,
    JwksFetchError,
    MissingGroupError,
    MissingTokenError,
    TokenError,
)

__all__ = ["WWW_AUTHENTICATE", "bearer_token", "http_status"]


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization`` header value ``"Bearer <token>"`` (the scheme
    in any case, RFC 7235).

    Raises:
        MissingTokenError: no header, another scheme, or no token after ``Bearer``.
    """
    if not isinstance(header, str):
        raise MissingTokenError("no Authorization header")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise MissingTokenError("the Authorization header is not a Bearer token")
    token = token.strip()
    if not token:
        raise MissingTokenError("the Authorization header holds no token")
    return token


def http_status(error: TokenError) -> int:
    """The HTTP status a service answers a refused token with: 503 when the keys could
    not be fetched (the service's fault), 403 when the token is good but not allowed here
    (a missing group, a custom check), 401 otherwise."""
    if isinstance(error, JwksFetchError):
        return 503
    if isinstance(error, (MissingGroupError, CustomCheckError)):
        return 403
    return 401


#: The ``WWW-Authenticate`` header of a 401 answer (RFC 6750).
WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
