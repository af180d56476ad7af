"""Refreshing a session with GetTokensFromRefreshToken, for app clients that rotate refresh
tokens.

:class:`TokenRefreshOperations` is mixed into :class:`~cognito_identity.user.CognitoUser`,
whose ``refresh_session`` uses it when the pool was made with
``refresh_token_rotation=True`` (or when asked with ``rotate=True``). Each refresh then
returns a new refresh token, which replaces the old one in the session and in storage; the
old one stops working once the client's grace period is over (RefreshTokenReuseException).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cognito_identity.errors import (
    CognitoResponseError,
    NotAuthorizedException,
    RefreshTokenReuseException,
)
from cognito_identity.session import CognitoRefreshToken, CognitoUserSession

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool

__all__ = ["TokenRefreshOperations"]


class TokenRefreshOperations:
    """GetTokensFromRefreshToken for :class:`~cognito_identity.user.CognitoUser` (a mixin)."""

    if TYPE_CHECKING:
        # Provided by CognitoUser.
        pool: CognitoUserPool
        _session: CognitoUserSession | None
        _cache_tokens: Callable[[CognitoUserSession], None]
        _clear_cached_tokens: Callable[[], None]
        get_device_key: Callable[[], str | None]

    def _refresh_with_rotation(self, refresh_token: CognitoRefreshToken) -> CognitoUserSession:
        """New tokens, a new refresh token included when the client rotates them.

        A refused refresh (revoked, expired, reused after the grace period, or a deleted
        user) clears the stored tokens and raises Cognito's error.
        """
        params = {
            "RefreshToken": refresh_token.token,
            "ClientId": self.pool.client_id,
            "ClientSecret": self.pool.client_secret,
            "DeviceKey": self.get_device_key(),
        }
        try:
            answer = self.pool.transport.call(
                "GetTokensFromRefreshToken",
                {name: value for name, value in params.items() if value is not None},
            )
        except (NotAuthorizedException, RefreshTokenReuseException):
            self._clear_cached_tokens()
            raise
        result = answer.get("AuthenticationResult")
        if not isinstance(result, dict):
            raise CognitoResponseError("the refresh answer carries no AuthenticationResult")
        self._session = CognitoUserSession.from_authentication_result(result, refresh_token)
        self._cache_tokens(self._session)
        return self._session
