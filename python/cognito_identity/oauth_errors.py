"""The errors of Cognito's OAuth 2.0 endpoints (the hosted UI), in the CognitoError family.

The OAuth endpoints do not speak the JSON API's error codes: they answer with RFC 6749's
``error`` (``invalid_grant``, ``invalid_client``, ...) and an optional
``error_description``, in a JSON body or in the redirect's query. Each code has its own
class here, found by :func:`oauth_error`, so callers catch what they mean to handle.
"""

from __future__ import annotations

from cognito_identity.errors import CognitoError

__all__ = [
    "OAuthAccessDeniedError",
    "OAuthError",
    "OAuthInvalidClientError",
    "OAuthInvalidGrantError",
    "OAuthInvalidRequestError",
    "OAuthInvalidScopeError",
    "OAuthInvalidTokenError",
    "OAuthServerError",
    "OAuthStateError",
    "OAuthUnauthorizedClientError",
    "OAuthUnsupportedGrantTypeError",
    "OAuthUnsupportedResponseTypeError",
    "oauth_error",
]


class OAuthError(CognitoError):
    """An OAuth endpoint refused: ``code`` is its ``error``, ``message`` its
    ``error_description`` (or the code when it gave none)."""

    code = "oauth_error"


class OAuthInvalidRequestError(OAuthError, ValueError):
    """``invalid_request``: a parameter is missing, repeated or malformed."""

    code = "invalid_request"


class OAuthInvalidClientError(OAuthError):
    """``invalid_client``: the client id or secret is wrong."""

    code = "invalid_client"


class OAuthInvalidGrantError(OAuthError):
    """``invalid_grant``: the code or refresh token is unknown, used, expired or revoked,
    or the PKCE verifier or redirect URI does not match."""

    code = "invalid_grant"


class OAuthUnauthorizedClientError(OAuthError):
    """``unauthorized_client``: the app client may not use this flow."""

    code = "unauthorized_client"


class OAuthUnsupportedGrantTypeError(OAuthError):
    """``unsupported_grant_type``: not a grant type the endpoint knows."""

    code = "unsupported_grant_type"


class OAuthUnsupportedResponseTypeError(OAuthError):
    """``unsupported_response_type``: the authorize request's ``response_type``."""

    code = "unsupported_response_type"


class OAuthInvalidScopeError(OAuthError):
    """``invalid_scope``: a scope the app client may not ask for."""

    code = "invalid_scope"


class OAuthAccessDeniedError(OAuthError):
    """``access_denied``: the user or the identity provider refused the sign-in."""

    code = "access_denied"


class OAuthInvalidTokenError(OAuthError):
    """``invalid_token``: userInfo refused the access token."""

    code = "invalid_token"


class OAuthServerError(OAuthError):
    """``server_error`` or ``temporarily_unavailable``: the endpoint failed."""

    code = "server_error"


class OAuthStateError(OAuthError, ValueError):
    """The redirect's ``state`` is not one this client issued, or was already used: the
    redirect may be forged or replayed."""

    code = "invalid_state"


_CLASS_BY_CODE: dict[str, type[OAuthError]] = {
    cls.code: cls
    for cls in (
        OAuthInvalidRequestError,
        OAuthInvalidClientError,
        OAuthInvalidGrantError,
        OAuthUnauthorizedClientError,
        OAuthUnsupportedGrantTypeError,
        OAuthUnsupportedResponseTypeError,
        OAuthInvalidScopeError,
        OAuthAccessDeniedError,
        OAuthInvalidTokenError,
        OAuthServerError,
    )
}
_CLASS_BY_CODE["temporarily_unavailable"] = OAuthServerError


def oauth_error(code: str, description: str | None, status_code: int | None = None) -> OAuthError:
    """The error for an OAuth ``error`` code: its own class, or :class:`OAuthError`
    carrying an unknown code as it came."""
    cls = _CLASS_BY_CODE.get(code, OAuthError)
    return cls(description or code, code=code, status_code=status_code)
