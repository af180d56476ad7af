"""The hosted UI's OAuth 2.0 client for asyncio: :class:`AsyncCognitoOAuthClient`.

The same client as :class:`~cognito_identity.oauth.CognitoOAuthClient` (URLs, PKCE,
state, errors and the client-credentials cache all come from
:mod:`cognito_identity.oauth_core`), with the token-endpoint calls awaitable over httpx.
Needs the extra ``cognito-identity[async]``::

    oauth = AsyncCognitoOAuthClient(domain, client_id, "http://localhost:8000/callback")
    url = oauth.authorize_url()
    user = await oauth.sign_in(pool, oauth.parse_redirect(redirected_url))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from cognito_identity.oauth_core import DEFAULT_TIMEOUTS, OAuthClientCore, OAuthFlow, OAuthTokens
from cognito_identity.transports import AsyncTransport, HttpxAsyncTransport, Timeouts

if TYPE_CHECKING:
    from cognito_identity.asyncio import AsyncCognitoUser, AsyncCognitoUserPool
    from cognito_identity.storage import CognitoStorage

__all__ = ["AsyncCognitoOAuthClient"]

T = TypeVar("T")


class AsyncCognitoOAuthClient(OAuthClientCore):
    """:class:`~cognito_identity.oauth.CognitoOAuthClient` for asyncio: ``authorize_url``,
    ``parse_redirect`` and ``logout_url`` as there; the calls to the endpoints awaitable.
    ``transport`` defaults to an :class:`~cognito_identity.transports.HttpxAsyncTransport`
    of its own (closed by :meth:`aclose`)."""

    def __init__(
        self,
        domain: str,
        client_id: str,
        redirect_uri: str,
        client_secret: str | None = None,
        scopes: Iterable[str] = ("openid", "email"),
        *,
        transport: AsyncTransport | None = None,
        timeout: float | tuple[float, float] | Timeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        super().__init__(domain, client_id, redirect_uri, client_secret, scopes, timeout=timeout)
        self._transport: AsyncTransport = (
            transport if transport is not None else HttpxAsyncTransport()
        )

    async def _run(self, flow: OAuthFlow[T]) -> T:
        """Drive ``flow``: send each request it yields, hand it the response."""
        try:
            request = next(flow)
            while True:
                response = await self._transport.asend(request, self._timeouts, self._deadline())
                request = flow.send(response)
        except StopIteration as done:
            result: T = done.value
            return result

    async def exchange_code(self, code: str) -> OAuthTokens:
        """Trade the code :meth:`parse_redirect` returned for tokens (once)."""
        return await self._run(self._exchange_code_flow(code))

    async def refresh(self, refresh_token: str) -> OAuthTokens:
        """New id and access tokens (keeping ``refresh_token`` when no new one comes)."""
        return await self._run(self._refresh_flow(refresh_token))

    async def client_credentials(self, scopes: Iterable[str] | None = None) -> str:
        """A machine-to-machine access token for ``scopes``, cached until shortly
        before it expires."""
        return await self._run(self._client_credentials_flow(scopes))

    async def revoke(self, refresh_token: str) -> None:
        """Revoke ``refresh_token`` and the access tokens it issued."""
        await self._run(self._revoke_flow(refresh_token))

    async def user_info(self, access_token: str) -> dict[str, Any]:
        """The signed-in user's claims from ``/oauth2/userInfo``."""
        return await self._run(self._user_info_flow(access_token))

    async def sign_in(
        self, pool: AsyncCognitoUserPool, code: str, storage: CognitoStorage | None = None
    ) -> AsyncCognitoUser:
        """Exchange ``code`` and return the signed-in
        :class:`~cognito_identity.asyncio.AsyncCognitoUser` of ``pool``, its session
        stored like any sign-in's."""
        return self.user(pool, await self.exchange_code(code), storage)

    def user(
        self, pool: AsyncCognitoUserPool, tokens: OAuthTokens, storage: CognitoStorage | None = None
    ) -> AsyncCognitoUser:
        """The :class:`~cognito_identity.asyncio.AsyncCognitoUser` that ``tokens``
        belong to, with the session stored."""
        from cognito_identity.asyncio import AsyncCognitoUser

        self._check_pool(pool)
        return AsyncCognitoUser.from_session(pool, tokens.session(), storage)

    async def aclose(self) -> None:
        """Release the transport's connections."""
        await self._transport.aclose()
