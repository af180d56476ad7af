"""What the OAuth 2.0 clients share, without any IO: URLs, PKCE and state, the redirect's
checks, the client-credentials cache, and each token-endpoint call as a flow.

A flow is a generator that yields the :class:`~cognito_identity._protocol.HttpRequest`
to send and receives its :class:`~cognito_identity._protocol.HttpResponse` (as httpx's
auth flows do); :class:`~cognito_identity.oauth.CognitoOAuthClient` drives the flows over
a sync transport, :class:`~cognito_identity.oauth_async.AsyncCognitoOAuthClient` over an
async one. Only that driving differs between the two.
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
import secrets
import threading
import time
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit

from cognito_identity._json import parse_json
from cognito_identity._protocol import HttpRequest, HttpResponse
from cognito_identity.errors import CognitoResponseError, InvalidConfigurationError
from cognito_identity.oauth_errors import (
    OAuthInvalidRequestError,
    OAuthStateError,
    oauth_error,
)
from cognito_identity.session import (
    CognitoAccessToken,
    CognitoIdToken,
    CognitoRefreshToken,
    CognitoUserSession,
)
from cognito_identity.transports import Timeouts

if TYPE_CHECKING:
    from cognito_identity.pool import PoolSettings

__all__ = ["DEFAULT_TIMEOUTS", "EXPIRY_MARGIN", "OAuthClientCore", "OAuthFlow", "OAuthTokens"]

T = TypeVar("T")
#: A token-endpoint call: yields requests, receives responses, returns its result.
OAuthFlow = Generator[HttpRequest, HttpResponse, T]

#: A cached client-credentials token is renewed this many seconds before it expires.
EXPIRY_MARGIN = 60.0
#: How long an OAuth call may take unless told (see :class:`Timeouts`).
DEFAULT_TIMEOUTS = Timeouts(connect=5.0, read=15.0, deadline=30.0)
#: Authorize URLs whose redirect never came back are forgotten beyond this many.
_MAX_PENDING = 64


@dataclass(frozen=True)
class OAuthTokens:
    """What ``/oauth2/token`` issued. Token strings never appear in the repr."""

    access_token: str = field(repr=False)
    expires_in: int
    token_type: str = "Bearer"
    id_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)

    def session(self) -> CognitoUserSession:
        """These tokens as a :class:`CognitoUserSession` (needs the ``openid`` scope,
        which brings the id token)."""
        if self.id_token is None:
            raise CognitoResponseError("no id token was issued: ask for the openid scope")
        return CognitoUserSession(
            CognitoIdToken(self.id_token),
            CognitoAccessToken(self.access_token),
            CognitoRefreshToken(self.refresh_token) if self.refresh_token else None,
        )


@dataclass
class _CachedToken:
    access_token: str
    renew_at: float


class OAuthClientCore:
    """An app client of a Cognito domain's OAuth 2.0 endpoints, minus the IO.

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
        timeout: float | tuple[float, float] | Timeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        parts = urlsplit(domain)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise InvalidConfigurationError(f"domain must be an http(s) URL, not {domain!r}")
        if not client_id:
            raise InvalidConfigurationError("client_id must not be empty")
        if not redirect_uri:
            raise InvalidConfigurationError("redirect_uri must not be empty")
        self.domain = domain.rstrip("/")
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self._client_secret = client_secret
        self.scopes = tuple(scopes)
        self._timeouts = Timeouts.from_arg(timeout)
        self._lock = threading.Lock()
        # state -> PKCE verifier of each authorize URL not yet come back, then
        # code -> verifier of each redirect not yet exchanged.
        self._pending_states: dict[str, str] = {}
        self._pending_codes: dict[str, str] = {}
        self._machine_tokens: dict[tuple[str, ...], _CachedToken] = {}
        self._clock = time.monotonic

    def __repr__(self) -> str:
        secret = ", client_secret=<hidden>" if self._client_secret else ""
        return (
            f"{type(self).__name__}(domain={self.domain!r}, client_id={self.client_id!r}, "
            f"redirect_uri={self.redirect_uri!r}{secret})"
        )

    # --- The browser's part: authorize, come back ---

    def authorize_url(
        self,
        identity_provider: str | None = None,
        state: str | None = None,
        login_hint: str | None = None,
        prompt: str | None = None,
    ) -> str:
        """The ``/oauth2/authorize`` URL to send the browser to, with a fresh PKCE
        (S256) challenge. ``state`` defaults to a random value; either way it is kept,
        and :meth:`parse_redirect` accepts it once. ``identity_provider`` goes straight
        to that provider (``Google``, a SAML or OIDC provider's name, ``COGNITO``).
        ``prompt`` is OIDC's: ``"login"`` asks for the sign-in page even when the
        browser's session would skip it, ``"none"`` never shows it (the redirect then
        carries ``login_required`` when there is no session)."""
        verifier = _b64url(os.urandom(64))
        state = state if state is not None else secrets.token_urlsafe(32)
        with self._lock:
            if state in self._pending_states:
                raise OAuthInvalidRequestError("this state is already waiting for a redirect")
            while len(self._pending_states) >= _MAX_PENDING:
                del self._pending_states[next(iter(self._pending_states))]
            self._pending_states[state] = verifier
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": " ".join(self.scopes),
            "state": state,
            "code_challenge": _b64url(hashlib.sha256(verifier.encode()).digest()),
            "code_challenge_method": "S256",
        }
        if identity_provider is not None:
            query["identity_provider"] = identity_provider
        if login_hint is not None:
            query["login_hint"] = login_hint
        if prompt is not None:
            query["prompt"] = prompt
        return f"{self.domain}/oauth2/authorize?{urlencode(query)}"

    def parse_redirect(self, url: str) -> str:
        """The authorization code of the redirect the browser came back with.

        Raises :class:`OAuthStateError` when its state is not one this client issued or
        was already used, and the :class:`OAuthError` subclass of its ``error`` when the
        sign-in failed.
        """
        query = parse_qs(urlsplit(url).query)
        state = _single(query, "state")
        with self._lock:
            verifier = self._pending_states.pop(state, None) if state is not None else None
        if verifier is None:
            raise OAuthStateError("the redirect's state is unknown or was already used")
        error = _single(query, "error")
        if error is not None:
            raise oauth_error(error, _single(query, "error_description"))
        code = _single(query, "code")
        if not code:
            raise OAuthInvalidRequestError("the redirect carries neither a code nor an error")
        with self._lock:
            while len(self._pending_codes) >= _MAX_PENDING:
                del self._pending_codes[next(iter(self._pending_codes))]
            self._pending_codes[code] = verifier
        return code

    def logout_url(self, logout_uri: str) -> str:
        """The ``/logout`` URL that ends the hosted UI's session and sends the browser to
        ``logout_uri`` (one of the app client's sign-out URLs)."""
        query = urlencode({"client_id": self.client_id, "logout_uri": logout_uri})
        return f"{self.domain}/logout?{query}"

    # --- The calls, as flows ---

    def _exchange_code_flow(self, code: str) -> OAuthFlow[OAuthTokens]:
        with self._lock:
            verifier = self._pending_codes.pop(code, None)
        if verifier is None:
            raise OAuthInvalidRequestError(
                "this code did not come from parse_redirect, or was used"
            )
        return (
            yield from self._token_flow(
                {
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": self.redirect_uri,
                    "code_verifier": verifier,
                }
            )
        )

    def _refresh_flow(self, refresh_token: str) -> OAuthFlow[OAuthTokens]:
        tokens = yield from self._token_flow(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )
        if tokens.refresh_token is None:
            # Cognito sends no new refresh token: the old one stays good.
            return OAuthTokens(
                tokens.access_token,
                tokens.expires_in,
                tokens.token_type,
                tokens.id_token,
                refresh_token,
            )
        return tokens

    def _client_credentials_flow(self, scopes: Iterable[str] | None) -> OAuthFlow[str]:
        wanted = tuple(sorted(self.scopes if scopes is None else scopes))
        with self._lock:
            cached = self._machine_tokens.get(wanted)
            if cached is not None and self._clock() < cached.renew_at:
                return cached.access_token
        form = {"grant_type": "client_credentials"}
        if wanted:
            form["scope"] = " ".join(wanted)
        tokens = yield from self._token_flow(form)
        renew_at = self._clock() + max(tokens.expires_in - EXPIRY_MARGIN, 0.0)
        with self._lock:
            self._machine_tokens[wanted] = _CachedToken(tokens.access_token, renew_at)
        return tokens.access_token

    def _revoke_flow(self, refresh_token: str) -> OAuthFlow[None]:
        _raise_for_error((yield self._post_request("/oauth2/revoke", {"token": refresh_token})))

    def _user_info_flow(self, access_token: str) -> OAuthFlow[dict[str, Any]]:
        request = HttpRequest(
            f"{self.domain}/oauth2/userInfo",
            {"Authorization": f"Bearer {access_token}"},
            b"",
            action="oauth2/userInfo",
            method="GET",
        )
        return _json_object((yield request))

    def _token_flow(self, form: dict[str, str]) -> OAuthFlow[OAuthTokens]:
        document = _json_object((yield self._post_request("/oauth2/token", form)))
        access_token = document.get("access_token")
        if not isinstance(access_token, str):
            raise CognitoResponseError("the token endpoint's answer has no access_token")
        expires_in = document.get("expires_in", 3600)
        id_token, refresh_token = document.get("id_token"), document.get("refresh_token")
        return OAuthTokens(
            access_token=access_token,
            expires_in=_seconds(expires_in, default=3600),
            token_type=str(document.get("token_type", "Bearer")),
            id_token=id_token if isinstance(id_token, str) else None,
            refresh_token=refresh_token if isinstance(refresh_token, str) else None,
        )

    def _post_request(self, path: str, form: Mapping[str, str]) -> HttpRequest:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        body = dict(form)
        if self._client_secret is not None:
            pair = f"{self.client_id}:{self._client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            body["client_id"] = self.client_id
        return HttpRequest(
            f"{self.domain}{path}", headers, urlencode(body).encode(), action=path.lstrip("/")
        )

    def _deadline(self) -> float:
        return time.monotonic() + self._timeouts.deadline

    def _check_pool(self, pool: PoolSettings) -> None:
        if pool.client_id != self.client_id:
            raise InvalidConfigurationError("the pool's app client is not this OAuth client")


def _seconds(value: Any, default: int) -> int:
    """A lifetime in whole seconds from a JSON number; ``default`` for anything else
    (JSON from Python's parser may hold NaN and Infinity, which int() refuses)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return int(value) if math.isfinite(value) else default


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _single(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise OAuthInvalidRequestError(f"the redirect repeats {name}")
    return values[0]


def _raise_for_error(response: HttpResponse) -> None:
    if response.status_code < 400:
        return
    document = parse_json(response.body)
    if isinstance(document, dict) and isinstance(document.get("error"), str):
        description = document.get("error_description")
        raise oauth_error(
            document["error"],
            description if isinstance(description, str) else None,
            response.status_code,
        )
    raise CognitoResponseError(
        f"HTTP {response.status_code} without an OAuth error", status_code=response.status_code
    )


def _json_object(response: HttpResponse) -> dict[str, Any]:
    _raise_for_error(response)
    document = parse_json(response.body)
    if not isinstance(document, dict):
        raise CognitoResponseError(
            "the OAuth endpoint answered without a JSON object", status_code=response.status_code
        )
    return document
