"""The asyncio twin of the verifier: the same checks, the JWKS fetched with httpx (the
``async`` extra). Verification itself takes microseconds, so it runs inline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING

from cognito_identity.errors import InvalidJwkError, JwksFetchError, TokenKeyNotFoundError
from cognito_identity.jwt import JsonInput
from cognito_identity.verify.bearer import bearer_token
from cognito_identity.verify.jwks_cache import (
    DEFAULT_PENALTY,
    DEFAULT_REFETCH_INTERVAL,
    DEFAULT_TIMEOUT,
    MAX_JWKS_BYTES,
    KeySet,
    parse_jwks,
    token_kid,
    unknown_kid,
)
from cognito_identity.verify.refetch import RefetchPolicy
from cognito_identity.verify.settings import VerifierSettings, check_jwks_uri
from cognito_identity.verify.verifier import Claims, CustomCheck, native_rules, run_custom_check

if TYPE_CHECKING:
    import httpx

    from cognito_identity import _native

__all__ = ["AsyncCognitoJwtVerifier", "AsyncJwksCache"]


class AsyncJwksCache:
    """:class:`~cognito_identity.verify.JwksCache` for asyncio: the same refetch rules,
    fetched with an :class:`httpx.AsyncClient` (yours, or one of its own)."""

    def __init__(
        self,
        jwks_uri: str,
        *,
        jwks: JsonInput | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        refetch_interval: float = DEFAULT_REFETCH_INTERVAL,
        penalty: float = DEFAULT_PENALTY,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        check_jwks_uri(jwks_uri)
        try:
            import httpx
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "AsyncCognitoJwtVerifier needs httpx: pip install 'cognito-identity[async]'"
            ) from exc
        self._httpx = httpx
        self.jwks_uri = jwks_uri
        self.timeout = timeout
        self.policy = RefetchPolicy(refetch_interval, penalty, clock)
        self._client = client
        self._own_client: httpx.AsyncClient | None = None
        # Made on first use: before Python 3.10 a lock binds to the loop current at birth.
        self._lock: asyncio.Lock | None = None
        self._state: KeySet | None = None if jwks is None else parse_jwks(jwks)
        self.fetches = 0

    def load(self, jwks: JsonInput) -> None:
        """Replace the cached keys with ``jwks``, no network."""
        self._state = parse_jwks(jwks)

    async def hydrate(self) -> None:
        """Fetch the keys now."""
        async with self._locked():
            await self._fetch()

    async def key_set(self) -> _native.JwtKeySet:
        """The cached keys, fetched first if there are none yet."""
        state = self._state
        if state is not None:
            return state.keys
        async with self._locked():
            state = self._state
            if state is None:
                if not self.policy.may_fetch():
                    raise JwksFetchError(
                        f"the JWKS at {self.jwks_uri} could not be fetched recently;"
                        " not retried before the refetch interval ends"
                    )
                state = await self._fetch()
            return state.keys

    async def key_set_with(self, kid: str) -> _native.JwtKeySet:
        """Keys holding ``kid``, fetching again if the rules allow (see ``JwksCache``)."""
        state = self._state
        if state is not None and kid in state.kids:
            return state.keys
        if self.policy.is_penalized(kid):
            raise unknown_kid()
        async with self._locked():
            state = self._state
            if state is not None and kid in state.kids:
                return state.keys
            if not self.policy.may_fetch():
                raise unknown_kid()
            self.policy.fetching()
            try:
                state = await self._fetch()
            except (JwksFetchError, InvalidJwkError) as exc:
                raise unknown_kid() from exc
            if kid not in state.kids:
                self.policy.penalize(kid)
                raise unknown_kid()
            return state.keys

    def _locked(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def _fetch(self) -> KeySet:
        """GET the JWKS (the lock is held) and cache it; a failure counts as a refetch."""
        self.fetches += 1
        try:
            state = parse_jwks(await self._get())
        except (JwksFetchError, InvalidJwkError):
            self.policy.fetching()
            raise
        self._state = state
        return state

    async def _get(self) -> bytes:
        httpx = self._httpx
        if self._client is None:
            self._client = self._own_client = httpx.AsyncClient()
        uri = self.jwks_uri
        try:
            request = self._client.build_request("GET", uri, timeout=self.timeout)
            response = await self._client.send(request, stream=True, follow_redirects=False)
            try:
                if response.status_code != 200:
                    raise JwksFetchError(f"the JWKS at {uri} answered HTTP {response.status_code}")
                return await _read_limited(response.aiter_bytes(), uri)
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            raise JwksFetchError(
                f"the JWKS at {uri} could not be fetched: {type(exc).__name__}"
            ) from exc

    async def aclose(self) -> None:
        """Close the httpx client this cache made (not one it was given)."""
        if self._own_client is not None:
            await self._own_client.aclose()
            self._client = self._own_client = None


async def _read_limited(chunks: AsyncIterator[bytes], uri: str) -> bytes:
    """Join ``chunks``, refusing more than :data:`MAX_JWKS_BYTES`."""
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > MAX_JWKS_BYTES:
            raise JwksFetchError(f"the JWKS at {uri} is larger than 1 MiB")
    return bytes(body)


class AsyncCognitoJwtVerifier:
    """:class:`~cognito_identity.verify.CognitoJwtVerifier` for asyncio: the same
    arguments and checks, ``await verifier.verify(token)``; the JWKS is fetched with
    httpx (``client`` is the ``httpx.AsyncClient`` to use, a new one otherwise)."""

    def __init__(
        self,
        user_pool_id: str,
        client_id: str | Iterable[str] | None = None,
        token_use: str | None = None,
        *,
        issuer: str | None = None,
        jwks_uri: str | None = None,
        leeway: float = 0,
        groups: str | Iterable[str] | None = None,
        custom_check: CustomCheck | None = None,
        jwks: JsonInput | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        refetch_interval: float = DEFAULT_REFETCH_INTERVAL,
        penalty: float = DEFAULT_PENALTY,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.settings = VerifierSettings.build(
            user_pool_id,
            client_id,
            token_use,
            issuer=issuer,
            jwks_uri=jwks_uri,
            leeway=leeway,
            groups=groups,
        )
        self.cache = AsyncJwksCache(
            self.settings.jwks_uri,
            jwks=jwks,
            timeout=timeout,
            refetch_interval=refetch_interval,
            penalty=penalty,
            client=client,
        )
        self._rules = native_rules(self.settings)
        self._custom_check = custom_check

    async def hydrate(self) -> None:
        """Fetch the pool's JWKS now rather than at the first verification."""
        await self.cache.hydrate()

    async def verify(self, token: str) -> Claims:
        """Verify ``token`` and return its claims (errors as ``CognitoJwtVerifier.verify``)."""
        try:
            claims = self._rules.verify(await self.cache.key_set(), token)
        except TokenKeyNotFoundError:
            keys = await self.cache.key_set_with(token_kid(token))
            claims = self._rules.verify(keys, token)
        if self._custom_check is not None:
            run_custom_check(self._custom_check, claims)
        return claims

    async def verify_authorization_header(self, header: str | None) -> Claims:
        """Verify the token of an ``Authorization: Bearer <token>`` header value."""
        return await self.verify(bearer_token(header))
