"""The exceptions of cognito-identity: one family under :class:`CognitoError`.

Every failure the library raises is a :class:`CognitoError`, so ``except CognitoError``
catches all of them. Errors about bad input also derive from :class:`ValueError`, as
Python users expect. Messages never contain passwords, tokens or SRP secrets.
"""

from __future__ import annotations

__all__ = [
    "CognitoError",
    "SrpError",
    "SigV4Error",
    "TokenError",
    "MalformedTokenError",
    "InvalidJwkError",
    "UnsupportedAlgorithmError",
    "TokenKeyNotFoundError",
    "InvalidSignatureError",
]


class CognitoError(Exception):
    """Base class of every error raised by cognito-identity.

    ``code`` is a short machine-readable name (Cognito's error code for service
    errors), ``message`` the human-readable text and ``status_code`` the HTTP status
    when the error came from a response (``None`` otherwise).
    """

    code: str = "CognitoError"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.status_code = status_code

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class SrpError(CognitoError, ValueError):
    """SRP input that cannot be used: a bad B, salt or secret block, or u == 0."""

    code = "SrpError"


class SigV4Error(CognitoError, ValueError):
    """A request that cannot be signed (bad URL, header or parameter)."""

    code = "SigV4Error"


class TokenError(CognitoError):
    """Base class of every JWT decoding or verification failure."""

    code = "TokenError"


class MalformedTokenError(TokenError, ValueError):
    """The token is not three base64url parts holding a JSON header and claims."""

    code = "MalformedToken"


class InvalidJwkError(TokenError, ValueError):
    """A JSON Web Key that cannot be used to verify RS256 signatures."""

    code = "InvalidJwk"


class UnsupportedAlgorithmError(TokenError):
    """The token's ``alg`` is not RS256 (for example ``none`` or ``HS256``)."""

    code = "UnsupportedAlgorithm"


class TokenKeyNotFoundError(TokenError):
    """No key in the key set has the token's ``kid``."""

    code = "KeyNotFound"


class InvalidSignatureError(TokenError):
    """The token's signature does not verify with the key."""

    code = "InvalidSignature"
