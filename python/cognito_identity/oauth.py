"""Sign-in through Cognito's hosted UI: OAuth 2.0 authorization code with PKCE.

::

    oauth = CognitoOAuthClient("https://example.auth.eu-west-1.amazoncognito.com",
                               "client-id", "http://localhost:8000/callback")
    url = oauth.authorize_url()          # send the browser there
    code = oauth.parse_redirect(callback_url_the_browser_came_back_to)
    user = oauth.sign_in(pool, code)     # a CognitoUser, its session stored

The client keeps the PKCE verifier and state of each authorize URL it made, so only its
own redirects are accepted, once each. All HTTP goes through a
:mod:`~cognito_identity.transports` transport (``requests`` by default). The asyncio
twin, :class:`~cognito_identity.oauth_async.AsyncCognitoOAuthClient`, shares everything
but the IO (:mod:`cognito_identity.oauth_core`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from cognito_identity.oauth_core import (
    DEFAULT_TIMEOUTS,
    EXPIRY_MARGIN,
    OAuthClientCore,
    OAuthFlow,
    OAuthTokens,
)
from cognito_identity.transports import RequestsTransport, SyncTransport, Timeouts
from cognito_identity.user import CognitoUser

if TYPE_CHECKING:
    from cognito_identity.pool import PoolSettings
    from cognito_identity.storage import CognitoStorage

__all__ = ["EXPIRY_MARGIN", "CognitoOAuthClient", "OAuthTokens"]

T = TypeVar("T")


class CognitoOAuthClient(OAuthClientCore):
    """An app client of a Cognito domain's OAuth 2.0 endpoints.

    ``domain`` is the hosted UI's base URL: ``https://<prefix>.auth.<region>.amazoncognito.com``,
    a custom domain, or the local pool's endpoint. ``redirect_uri`` must be one of the app
    client's callback URLs. With a ``client_secret`` the token endpoint is called with
    HTTP Basic authentication.
    """

    def __init__(
        self,
        domain: str,
        client_id: str,
        redirect_uri: str,
        client_secret: str | None = None,
        scopes: Iterable[str] = ("openid", "email"),
        *,
        transport: SyncTransport | None = None,
        timeout: float | tuple[float, float] | Timeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        super().__init__(domain, client_id, redirect_uri, client_secret, scopes, timeout=timeout)
        self._transport: SyncTransport = transport if transport is not None else RequestsTransport()

    def _run(self, flow: OAuthFlow[T]) -> T:
        """Drive ``flow``: send each request it yields, hand it the response."""
        try:
            request = next(flow)
            while True:
                response = self._transport.send(request, self._timeouts, self._deadline())
                request = flow.send(response)
        except StopIteration as done:
            result: T = done.value
            return result

    # --- The token endpoint ---

    def exchange_code(self, code: str) -> OAuthTokens:
        """Trade the code :meth:`parse_redirect` returned for tokens (once)."""
        return self._run(self._exchange_code_flow(code))

    def refresh(self, refresh_token: str) -> OAuthTokens:
        """New id and access tokens; the answer keeps ``refresh_token`` when Cognito
        sends no new one."""
        return self._run(self._refresh_flow(refresh_token))

    def client_credentials(self, scopes: Iterable[str] | None = None) -> str:
        """A machine-to-machine access token for ``scopes`` (resource-server scopes such
        as ``"orders/read"``; the client's own scopes by default). The token is cached
        and reused until shortly before it expires."""
        return self._run(self._client_credentials_flow(scopes))

    def revoke(self, refresh_token: str) -> None:
        """Revoke ``refresh_token`` and the access tokens it issued (``/oauth2/revoke``)."""
        self._run(self._revoke_flow(refresh_token))

    def user_info(self, access_token: str) -> dict[str, Any]:
        """The signed-in user's claims from ``/oauth2/userInfo``."""
        return self._run(self._user_info_flow(access_token))

    # --- Tokens to a signed-in user ---

    def sign_in(
        self, pool: PoolSettings, code: str, storage: CognitoStorage | None = None
    ) -> CognitoUser:
        """Exchange ``code`` and return the signed-in :class:`CognitoUser` of ``pool``,
        its session stored like any sign-in's, so ``get_session()`` refreshes it through
        the pool later."""
        return self.user(pool, self.exchange_code(code), storage)

    def user(
        self, pool: PoolSettings, tokens: OAuthTokens, storage: CognitoStorage | None = None
    ) -> CognitoUser:
        """The :class:`CognitoUser` that ``tokens`` belong to (username from the access
        token), with the session stored."""
        self._check_pool(pool)
        return CognitoUser.from_session(pool, tokens.session(), storage)

    def close(self) -> None:
        """Release the transport's connections."""
        self._transport.close()
