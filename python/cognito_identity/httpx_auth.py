"""httpx auths that stay current (sync and async): SigV4 with a user's identity-pool
credentials, and a user's Cognito token. The same rules as :mod:`cognito_identity.auth`:
each request is signed with the body it sends; a streamed body goes ``UNSIGNED-PAYLOAD``
to S3 and is read first for other services. Needs httpx (the ``async`` extra)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncGenerator, Generator
from typing import TYPE_CHECKING, Any

import httpx

from cognito_identity.auth import FreshSigner, SessionSource, bearer_value, check_token_kind
from cognito_identity.credentials_async import AsyncCognitoCredentials
from cognito_identity.errors import InvalidConfigurationError, SigV4Error
from cognito_identity.sigv4 import AwsSigV4Client

if TYPE_CHECKING:
    from cognito_identity.credentials import CognitoCredentials, TemporaryCredentials
    from cognito_identity.session import CognitoUserSession

__all__ = ["CognitoBearerAuth", "CognitoSigV4Auth"]


class CognitoSigV4Auth(httpx.Auth):
    """Signs each request with SigV4 for ``service`` in ``region`` with credentials that
    are always fresh.

    ``credentials`` is a :class:`~cognito_identity.credentials.CognitoCredentials`, for
    ``httpx.Client`` and ``httpx.AsyncClient`` alike (the async side fetches them in a
    worker thread when they are due), or an
    :class:`~cognito_identity.credentials_async.AsyncCognitoCredentials`, for
    ``httpx.AsyncClient`` only (awaited on the loop: one fetch however many requests
    find them due).
    """

    def __init__(
        self,
        credentials: CognitoCredentials | AsyncCognitoCredentials,
        service: str,
        region: str,
        *,
        unsigned_payload: bool = False,
    ) -> None:
        self.signer = FreshSigner(credentials, service, region)
        self.unsigned_payload = unsigned_payload

    def __repr__(self) -> str:
        return f"CognitoSigV4Auth(service={self.signer.service!r}, region={self.signer.region!r})"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, Any, None]:
        client = self.signer.client()
        if self._streamed(request) and not self.signer.is_s3(client):
            request.read()
            self._sized(request)
        yield self._sign(client, request)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, Any]:
        client = self.signer.client_for(await self._fresh_credentials())
        if self._streamed(request) and not self.signer.is_s3(client):
            await request.aread()
            self._sized(request)
        yield self._sign(client, request)

    async def _fresh_credentials(self) -> TemporaryCredentials:
        credentials = self.signer.credentials
        if isinstance(credentials, AsyncCognitoCredentials):
            return await credentials.get_credentials()
        return await asyncio.to_thread(credentials.get_credentials)

    @staticmethod
    def _sized(request: httpx.Request) -> None:
        """A stream read to sign it is sent with its length, as the bytes signed, not
        chunked."""
        request.headers.pop("Transfer-Encoding", None)
        request.headers["Content-Length"] = str(len(request.content))

    @staticmethod
    def _streamed(request: httpx.Request) -> bool:
        try:
            _ = request.content
        except httpx.RequestNotRead:
            return True
        return False

    def _sign(self, client: AwsSigV4Client, request: httpx.Request) -> httpx.Request:
        data = None if self._streamed(request) else request.content
        unsigned = self.unsigned_payload or data is None
        if unsigned and not self.signer.is_s3(client):
            raise SigV4Error(f"UNSIGNED-PAYLOAD is an S3 feature, not {self.signer.service!r}'s")
        headers = [
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
        ]
        _method, url, to_send, _steps = client._signer.sign_url(
            request.method, str(request.url), headers, data, None, unsigned
        )
        request.url = httpx.URL(url)
        request.headers.update(to_send)
        return request


class CognitoBearerAuth(httpx.Auth):
    """Sends the user's Cognito ``token`` (``"id"`` or ``"access"``) as
    ``Authorization``, from the user's current session (refreshed when it has expired).

    ``user`` is a :class:`~cognito_identity.user.CognitoUser` (the async side reads it in
    a worker thread) or, for ``httpx.AsyncClient`` only, an
    :class:`~cognito_identity.asyncio.AsyncCognitoUser`.
    """

    def __init__(self, user: Any, token: str = "id", *, scheme: str | None = None) -> None:
        self.user = user
        self.token = check_token_kind(token)
        self.scheme = scheme

    def __repr__(self) -> str:
        return f"CognitoBearerAuth(user={self.user!r}, token={self.token!r})"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, Any, None]:
        if inspect.iscoroutinefunction(self.user.get_session):
            raise InvalidConfigurationError("an AsyncCognitoUser needs httpx.AsyncClient")
        source: SessionSource = self.user
        request.headers["Authorization"] = bearer_value(
            source.get_session(), self.token, self.scheme
        )
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, Any]:
        session: CognitoUserSession
        if inspect.iscoroutinefunction(self.user.get_session):
            session = await self.user.get_session()
        else:
            session = await asyncio.to_thread(self.user.get_session)
        request.headers["Authorization"] = bearer_value(session, self.token, self.scheme)
        yield request
