"""Identity-pool credentials for asyncio: :class:`AsyncCognitoCredentials` and
:class:`AsyncCognitoIdentityId` (importable from :mod:`cognito_identity.asyncio`).

They are :class:`~cognito_identity.credentials.CognitoCredentials` and
:class:`~cognito_identity.credentials.CognitoIdentityId` with the calls awaitable: the
decisions and the GetId / GetCredentialsForIdentity flows are the same ones
(:class:`~cognito_identity.credentials.CredentialsCore`), driven over the asyncio pool's
:class:`~cognito_identity.client.AsyncCognitoClient`. The flows advance in worker
threads, so the storage that caches IdentityIds is read and written off the event loop.

However many tasks find the credentials due at once, one fetch reaches the identity
pool: the tasks of a loop take turns on an asyncio lock, and the one fetching also holds
the object's thread lock, so tasks of other loops (in other threads) wait too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, TypeVar

from cognito_identity._task_gates import LoopLocks, holding, off_loop
from cognito_identity.client import IDENTITY_POOLS, AsyncCognitoClient, Flow
from cognito_identity.credentials import (
    _EXPIRY_MARGIN_SECONDS,
    CredentialsCore,
    IdentityIdCore,
    TemporaryCredentials,
)
from cognito_identity.sigv4 import AwsSigV4Client

if TYPE_CHECKING:
    from cognito_identity.asyncio import AsyncCognitoUser, AsyncCognitoUserPool

__all__ = ["AsyncCognitoCredentials", "AsyncCognitoIdentityId"]

T = TypeVar("T")

#: The fetch locks of the tasks of each event loop, one per credentials object.
_FETCH_GATES = LoopLocks()


def async_identity_client(pool: AsyncCognitoUserPool, endpoint: str) -> AsyncCognitoClient:
    """The asyncio identity pool client at ``endpoint`` that shares the pool's client (as
    :func:`~cognito_identity.credentials.identity_client` for the sync pool)."""
    return pool.client.for_service(IDENTITY_POOLS, endpoint)


class AsyncCognitoIdentityId(IdentityIdCore):
    """The IdentityId of one kind of identity in an identity pool, for asyncio: cached in
    the pool's storage, else GetId (as
    :class:`~cognito_identity.credentials.CognitoIdentityId`, with the methods awaitable).

    GetId goes through ``client`` (an
    :class:`~cognito_identity.client.AsyncCognitoIdentityClient`) when given, else
    through an identity pool client at ``endpoint`` that shares the pool's client.
    """

    _pool: AsyncCognitoUserPool

    def __init__(
        self,
        identity_pool_id: str,
        pool: AsyncCognitoUserPool,
        endpoint: str,
        logins: Mapping[str, str] | None = None,
        *,
        client: AsyncCognitoClient | None = None,
    ) -> None:
        super().__init__(identity_pool_id, pool, endpoint, logins)
        self._client = client

    async def cached_identity_id(self) -> str | None:
        """The cached IdentityId, or None."""
        return await off_loop(self._cached)

    async def get_identity_id(self) -> str:
        """The cached IdentityId, or a new one from GetId (then cached)."""
        client = self._client or async_identity_client(self._pool, self._endpoint)
        return await client.run(self._identity_id_flow())

    async def remove_identity_id(self) -> str | None:
        """Forget the cached IdentityId; return it (None if there was none)."""
        return await off_loop(self._forget)


class AsyncCognitoCredentials(CredentialsCore[AsyncCognitoClient]):
    """Temporary AWS credentials from the identity pool ``identity_pool_id``, for asyncio.

    The arguments, attributes and behaviour are those of
    :class:`~cognito_identity.credentials.CognitoCredentials`, with ``pool`` an
    :class:`~cognito_identity.asyncio.AsyncCognitoUserPool`, ``user`` an
    :class:`~cognito_identity.asyncio.AsyncCognitoUser` and ``client`` an
    :class:`~cognito_identity.client.AsyncCognitoIdentityClient`; the methods that may
    call the identity pool are awaitable. With ``user``, :meth:`get_credentials` fetches
    with the id token of ``await user.get_session()`` and again whenever the credentials
    come within a minute of expiry; many tasks asking at once cause one fetch.
    """

    pool: AsyncCognitoUserPool
    user: AsyncCognitoUser | None

    def __init__(
        self,
        identity_pool_id: str,
        pool: AsyncCognitoUserPool,
        region: str | None = None,
        endpoint: str | None = None,
        *,
        user: AsyncCognitoUser | None = None,
        client: AsyncCognitoClient | None = None,
    ) -> None:
        super().__init__(identity_pool_id, pool, region, endpoint, user, client)

    async def get_aws_credentials(self, token: str, authenticator: str | None = None) -> None:
        """Fetch credentials for the user whose ``token`` (normally the id token) the
        ``authenticator`` provider issued (default: this user pool, see
        :meth:`default_authenticator`), reusing cached ones of the same login until a
        minute before they expire."""
        logins = self._login(token, authenticator)
        async with self._one_fetch():
            await self._run(self._explicit_flow(logins))

    async def get_guest_aws_credentials(self) -> None:
        """Fetch credentials for a guest (unauthenticated) identity, reusing cached guest
        credentials until a minute before they expire."""
        async with self._one_fetch():
            await self._run(self._explicit_flow({}))

    async def get_credentials(
        self, *, min_lifetime: float = _EXPIRY_MARGIN_SECONDS
    ) -> TemporaryCredentials:
        """Credentials valid for at least ``min_lifetime`` more seconds, fetched (once,
        however many tasks ask) when the ones held expire sooner.

        They are the ``user``'s when one was given, else those of the last
        :meth:`get_aws_credentials` or :meth:`get_guest_aws_credentials`. Raises
        :class:`~cognito_identity.errors.NotAuthenticatedError` when there is neither,
        and the service's error when the fetch is refused.
        """
        held = self._held(min_lifetime)
        if held is not None:
            return held
        async with self._one_fetch():
            held = self._held(min_lifetime)
            if held is not None:
                return held  # another task fetched while this one waited
            logins = (
                self._user_logins(await self.user.get_session())
                if self.user is not None
                else self._last_logins_or_raise()
            )
            return await self._run(self._source_flow(logins, min_lifetime))

    async def reset_aws_credentials(self) -> None:
        """Forget the credentials and every IdentityId this object cached."""
        async with self._one_fetch():
            await off_loop(self._reset)

    async def sigv4_client(
        self, endpoint: str, service_name: str = "execute-api", region: str | None = None
    ) -> AwsSigV4Client:
        """An :class:`~cognito_identity.sigv4.AwsSigV4Client` that signs requests to
        ``endpoint`` with the current credentials (see :meth:`get_credentials`;
        ``region`` defaults to the identity pool's). It keeps those credentials: for
        long-lived signing use :class:`~cognito_identity.httpx_auth.CognitoSigV4Auth`,
        which follows refreshes."""
        current = await self.get_credentials()
        return self._signing_client(current, endpoint, service_name, region)

    @asynccontextmanager
    async def _one_fetch(self) -> AsyncIterator[None]:
        # The gate is held in a local: the map keeps it only weakly.
        gate = _FETCH_GATES.gate(self)
        async with gate.lock, holding(self._lock):
            yield

    async def _run(self, flow: Flow[T]) -> T:
        client = self.client or async_identity_client(self.pool, self.endpoint)
        return await client.run(flow)
