"""The JWKS cache of a verifier: keys fetched once with ``requests``, loaded from a dict
for offline use, and fetched again (rarely) when a token names a kid it does not hold."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from cognito_identity import _native
from cognito_identity.errors import (
    InvalidJwkError,
    JwksFetchError,
    MalformedTokenError,
    TokenKeyNotFoundError,
)
from cognito_identity.jwt import JsonInput, _json_text
from cognito_identity.verify.refetch import RefetchPolicy
from cognito_identity.verify.settings import check_jwks_uri

__all__ = ["MAX_JWKS_BYTES", "JwksCache", "KeySet", "parse_jwks", "token_kid"]

#: A JWKS larger than this is refused (a user pool's holds two keys, about 2 KiB).
MAX_JWKS_BYTES = 1 << 20
DEFAULT_TIMEOUT = 5.0
DEFAULT_REFETCH_INTERVAL = 10.0
DEFAULT_PENALTY = 60.0


class KeySet:
    """Parsed keys and their kids, replaced whole (never changed) when a fetch succeeds."""

    __slots__ = ("keys", "kids")

    def __init__(self, keys: _native.JwtKeySet) -> None:
        self.keys = keys
        self.kids = frozenset(keys.kids)


def parse_jwks(jwks: JsonInput | bytes) -> KeySet:
    """Parse a JWKS given as JSON text, UTF-8 bytes or a mapping.

    Raises:
        InvalidJwkError: not a usable set of RSA signing keys (see
            :meth:`cognito_identity.jwt.JsonWebKeySet.from_json`).
    """
    return KeySet(_native.JwtKeySet.from_json(_json_text(jwks, "JWKS")))


def token_kid(token: object) -> str:
    """The ``kid`` of a token's header (read without verifying anything).

    Raises:
        MalformedTokenError: not a token, or a header without a string ``kid``.
    """
    if not isinstance(token, str):
        raise MalformedTokenError("malformed token: token is not a string")
    kid = json.loads(_native.jwt_decode(token)[0]).get("kid")
    if not isinstance(kid, str):
        raise MalformedTokenError("malformed token: header has no kid")
    return kid


def unknown_kid() -> TokenKeyNotFoundError:
    return TokenKeyNotFoundError("no key of the user pool's JWKS has the token's kid")


class JwksCache:
    """The keys of one JWKS URI, shared by every thread of a verifier.

    Reading the keys takes no lock; fetching does, so only one thread fetches at a time
    and the others then use what it got. Without ``jwks``, the first verification (or
    :meth:`hydrate`) fetches the keys.

    Args:
        jwks_uri: HTTPS, or HTTP to a loopback host (a local pool).
        jwks: the JWKS to start with, for offline use (text, bytes or a mapping).
        timeout: seconds allowed for connecting and for each read of a fetch.
        refetch_interval: least seconds between two fetches, however many unknown kids
            arrive.
        penalty: seconds a kid still unknown after a fetch is refused without fetching.
        session: the ``requests.Session`` to fetch with (a new one otherwise).
    """

    def __init__(
        self,
        jwks_uri: str,
        *,
        jwks: JsonInput | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        refetch_interval: float = DEFAULT_REFETCH_INTERVAL,
        penalty: float = DEFAULT_PENALTY,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        check_jwks_uri(jwks_uri)
        self.jwks_uri = jwks_uri
        self.timeout = timeout
        self.policy = RefetchPolicy(refetch_interval, penalty, clock)
        self._session = session
        self._lock = threading.Lock()
        self._state: KeySet | None = None if jwks is None else parse_jwks(jwks)
        self.fetches = 0

    @property
    def kids(self) -> frozenset[str]:
        """The kids of the cached keys (empty before the first load)."""
        state = self._state
        return frozenset() if state is None else state.kids

    def load(self, jwks: JsonInput) -> None:
        """Replace the cached keys with ``jwks`` (text, bytes or a mapping), no network."""
        self._state = parse_jwks(jwks)

    def hydrate(self) -> None:
        """Fetch the keys now, so that the first verification does not wait for them.

        Raises:
            JwksFetchError: the JWKS could not be fetched.
            InvalidJwkError: it was fetched but is not a usable key set.
        """
        with self._lock:
            self._fetch()

    def key_set(self) -> _native.JwtKeySet:
        """The cached keys, fetched first if there are none yet."""
        state = self._state
        if state is not None:
            return state.keys
        with self._lock:
            if self._state is None:
                if not self.policy.may_fetch():
                    raise JwksFetchError(
                        f"the JWKS at {self.jwks_uri} could not be fetched recently;"
                        " not retried before the refetch interval ends"
                    )
                self._fetch()
            assert self._state is not None
            return self._state.keys

    def key_set_with(self, kid: str) -> _native.JwtKeySet:
        """Keys holding ``kid``, fetching the JWKS again if the rules allow it.

        Raises:
            TokenKeyNotFoundError: ``kid`` is in the penalty box, a fetch is not allowed
                yet, or the JWKS fetched again still lacks it (``kid`` is then penalized).
        """
        state = self._state
        if state is not None and kid in state.kids:
            return state.keys
        if self.policy.is_penalized(kid):
            raise unknown_kid()
        with self._lock:
            state = self._state
            if state is not None and kid in state.kids:
                return state.keys  # another thread fetched it meanwhile
            if not self.policy.may_fetch():
                raise unknown_kid()
            self.policy.fetching()
            try:
                state = self._fetch()
            except (JwksFetchError, InvalidJwkError) as exc:
                raise unknown_kid() from exc
            if kid not in state.kids:
                self.policy.penalize(kid)
                raise unknown_kid()
            return state.keys

    def _fetch(self) -> KeySet:
        """GET the JWKS (the lock is held) and cache it. A failure counts as a refetch,
        so a broken endpoint is not asked again before the interval ends."""
        self.fetches += 1
        if self._session is None:
            self._session = requests.Session()
        try:
            state = parse_jwks(_get(self._session, self.jwks_uri, self.timeout))
        except (JwksFetchError, InvalidJwkError):
            self.policy.fetching()
            raise
        self._state = state
        return state


def _get(session: requests.Session, uri: str, timeout: float) -> bytes:
    """The body of a 200 answer to GET ``uri``, at most :data:`MAX_JWKS_BYTES`."""
    try:
        with session.get(uri, timeout=timeout, allow_redirects=False, stream=True) as response:
            if response.status_code != 200:
                raise JwksFetchError(f"the JWKS at {uri} answered HTTP {response.status_code}")
            return read_limited(response.iter_content(65536), uri)
    except requests.RequestException as exc:
        raise JwksFetchError(
            f"the JWKS at {uri} could not be fetched: {type(exc).__name__}"
        ) from exc


def read_limited(chunks: Any, uri: str) -> bytes:
    """Join ``chunks`` (an iterable of bytes), refusing more than :data:`MAX_JWKS_BYTES`."""
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > MAX_JWKS_BYTES:
            raise JwksFetchError(f"the JWKS at {uri} is larger than 1 MiB")
    return bytes(body)
