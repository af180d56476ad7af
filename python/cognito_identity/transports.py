"""Transports: the only code that moves bytes to Cognito and back.

A transport sends one :class:`~cognito_identity._protocol.HttpRequest` and returns the
:class:`~cognito_identity._protocol.HttpResponse`, whatever its status; it knows nothing
of JSON, retries or Cognito's errors (the clients in :mod:`cognito_identity.client` do).
It raises :class:`CognitoConnectError` when no connection could be opened (nothing was
sent), :class:`CognitoTimeoutError` past the deadline, and :class:`CognitoNetworkError`
for any other failure.

* :class:`RequestsTransport`, the default, over a :class:`requests.Session`;
* :class:`HttpxAsyncTransport`, for asyncio, over an :class:`httpx.AsyncClient` (the extra
  ``cognito-identity[async]``);
* :class:`MockTransport`, which hands each request to a function: for tests without a
  server, sync and async alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Union
from urllib.parse import parse_qsl

import requests
from urllib3.exceptions import NewConnectionError

from cognito_identity._deadline import DeadlineAdapter, watching
from cognito_identity._protocol import HttpRequest, HttpResponse
from cognito_identity.errors import (
    CognitoConnectError,
    CognitoError,
    CognitoNetworkError,
    CognitoResponseError,
    CognitoTimeoutError,
    InvalidArgumentTypeError,
    InvalidConfigurationError,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "MAX_RESPONSE_BYTES",
    "AsyncTransport",
    "HttpRequest",
    "HttpResponse",
    "HttpxAsyncTransport",
    "MockRequest",
    "MockTransport",
    "RequestsTransport",
    "SyncTransport",
    "Timeouts",
]

#: Largest answer read from Cognito; its real answers are a few kilobytes.
MAX_RESPONSE_BYTES = 1 << 20


@dataclass(frozen=True)
class Timeouts:
    """How long a call may take, in seconds.

    ``connect`` bounds opening a connection and ``read`` each wait for data; ``deadline``
    bounds the whole call, retries and back-off included, however the server drips its
    answer.
    """

    connect: float = 5.0
    read: float = 30.0
    deadline: float = 30.0

    @classmethod
    def from_arg(
        cls, timeout: float | tuple[float, float] | Timeouts, deadline: float | None = None
    ) -> Timeouts:
        """Timeouts from requests' forms (one number, or ``(connect, read)``)."""
        if isinstance(timeout, Timeouts):
            base = timeout
        elif isinstance(timeout, tuple):
            base = cls(connect=float(timeout[0]), read=float(timeout[1]))
        else:
            base = cls(connect=float(timeout), read=float(timeout))
        if deadline is not None:
            base = cls(base.connect, base.read, float(deadline))
        return base


class SyncTransport(Protocol):
    """What the sync client needs of a transport."""

    def send(self, request: HttpRequest, timeouts: Timeouts, deadline: float) -> HttpResponse:
        """Send ``request``; ``deadline`` is a :func:`time.monotonic` instant."""

    def close(self) -> None:
        """Release connections."""


class AsyncTransport(Protocol):
    """What the asyncio client needs of a transport."""

    async def asend(
        self, request: HttpRequest, timeouts: Timeouts, deadline: float
    ) -> HttpResponse:
        """Send ``request``; ``deadline`` is a :func:`time.monotonic` instant."""

    async def aclose(self) -> None:
        """Release connections."""


def _remaining(request: HttpRequest, deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise CognitoTimeoutError(f"{request.action or request.url}: deadline passed")
    return left


class RequestsTransport:
    """Sends requests over a :class:`requests.Session` (yours, or one of its own).

    Pass your own ``session`` for proxies, certificates, adapters or connection pool
    sizes. The answer is read in small pieces against the deadline, and a watchdog shuts
    the connection down at the deadline, so a server that drips its answer cannot hold a
    call past it. With the session made here, that holds for the status line and headers
    too; with yours, their wait is bounded by the read timeout of each read only.
    """

    def __init__(self, session: requests.Session | None = None) -> None:
        self._own_session = session is None
        if session is None:
            session = requests.Session()
            for prefix in ("http://", "https://"):
                session.mount(prefix, DeadlineAdapter())
        self.session = session

    def __repr__(self) -> str:
        return "RequestsTransport()"

    def send(self, request: HttpRequest, timeouts: Timeouts, deadline: float) -> HttpResponse:
        left = _remaining(request, deadline)
        try:
            with watching(left):
                response = self.session.request(
                    request.method,
                    request.url,
                    data=request.body,
                    headers=dict(request.headers),
                    timeout=(min(timeouts.connect, left), min(timeouts.read, left)),
                    stream=True,
                    allow_redirects=False,
                )
        except requests.RequestException as error:
            if time.monotonic() >= deadline:
                # The watch shut the connection down: the server was too slow to answer.
                raise CognitoTimeoutError(
                    f"{request.action or request.url}: deadline passed"
                ) from error
            raise _sending_error(request, error) from error
        try:
            body = _read_body(response, request, deadline)
        finally:
            response.close()
        return HttpResponse(response.status_code, dict(response.headers), body)

    def close(self) -> None:
        """Close the session if this transport made it (yours stays open)."""
        if self._own_session:
            self.session.close()


def _sending_error(request: HttpRequest, error: requests.RequestException) -> CognitoError:
    """The typed error of a request that got no answer (nothing read past the deadline)."""
    name = type(error).__name__
    if isinstance(error, (requests.ConnectTimeout, requests.exceptions.SSLError)):
        return CognitoConnectError(f"cannot reach {request.url}: {name}")
    if isinstance(error, requests.ConnectionError):
        if _never_sent(error):
            return CognitoConnectError(f"cannot connect to {request.url}: {name}")
        return CognitoNetworkError(f"connection to {request.url} failed: {name}")
    if isinstance(error, requests.Timeout):
        return CognitoTimeoutError(f"no answer from {request.url} in time")
    return CognitoNetworkError(f"request to {request.url} failed: {name}")


def _read_body(response: requests.Response, request: HttpRequest, deadline: float) -> bytes:
    raw = response.raw
    watchdog = threading.Timer(max(deadline - time.monotonic(), 0.0), _shut_down, (raw,))
    watchdog.daemon = True
    watchdog.start()
    body = bytearray()
    try:
        while True:
            # read1 returns what has arrived instead of waiting for a full buffer, so the
            # deadline is checked between every few bytes a slow server sends.
            chunk = raw.read1(65536) if hasattr(raw, "read1") else raw.read(4096)
            if time.monotonic() >= deadline:
                raise CognitoTimeoutError(f"{request.action or request.url}: deadline passed")
            if not chunk:
                return bytes(body)
            body += chunk
            if len(body) > MAX_RESPONSE_BYTES:
                raise CognitoResponseError(
                    f"the answer from {request.url} exceeds {MAX_RESPONSE_BYTES} bytes",
                    status_code=response.status_code,
                )
    except (CognitoNetworkError, CognitoResponseError):
        raise
    except Exception as error:
        # requests', urllib3's and the socket's errors: after the watchdog fired, a timeout.
        if time.monotonic() >= deadline:
            raise CognitoTimeoutError(
                f"{request.action or request.url}: deadline passed"
            ) from error
        raise CognitoNetworkError(
            f"reading the answer from {request.url} failed: {type(error).__name__}"
        ) from error
    finally:
        watchdog.cancel()


def _shut_down(raw: Any) -> None:
    # Shutting the socket down (not closing it) wakes a recv blocked in another thread.
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _never_sent(error: requests.ConnectionError) -> bool:
    # requests wraps urllib3's MaxRetryError, whose reason is a NewConnectionError (or its
    # NameResolutionError subclass) when the connection was never opened; any other
    # failure may have happened after the request reached the server.
    wrapped = error.args[0] if error.args else None
    return isinstance(getattr(wrapped, "reason", None), NewConnectionError)


class HttpxAsyncTransport:
    """Sends requests over an :class:`httpx.AsyncClient` (yours, or one of its own).

    Needs the extra ``cognito-identity[async]``. The whole exchange, body included, runs
    under the call's deadline.

    At most ``max_in_flight`` requests are handed to httpx at once (per event loop); the
    others wait their turn, their wait counted against their deadline. httpx's pool does
    work on the event loop that grows with its connections times its queued requests
    (and asks the OS whether each idle connection was closed, every time a request comes
    or goes), so handing it hundreds of requests at once makes every request dearer and
    the loop late; a few connections kept busy carry as many logins. The client this
    transport makes keeps that many connections open. Raise it for a distant endpoint
    where each call waits long on the network; your own ``client`` keeps its own limits.
    """

    def __init__(self, client: httpx.AsyncClient | None = None, *, max_in_flight: int = 4) -> None:
        try:
            import httpx
        except ImportError as error:  # pragma: no cover - depends on the install
            raise ImportError(
                "the asyncio API needs httpx: pip install 'cognito-identity[async]'"
            ) from error
        if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int):
            raise InvalidConfigurationError("max_in_flight must be an int")
        if max_in_flight < 1:
            raise InvalidConfigurationError("max_in_flight must be at least 1")
        self._httpx = httpx
        self._own_client = client is None
        self.max_in_flight = max_in_flight
        self.client = (
            client
            if client is not None
            else httpx.AsyncClient(
                limits=httpx.Limits(
                    max_connections=max_in_flight, max_keepalive_connections=max_in_flight
                )
            )
        )
        # One semaphore per event loop (an asyncio primitive belongs to one loop).
        self._turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def __repr__(self) -> str:
        return "HttpxAsyncTransport()"

    async def asend(
        self, request: HttpRequest, timeouts: Timeouts, deadline: float
    ) -> HttpResponse:
        httpx = self._httpx
        left = _remaining(request, deadline)
        timeout = httpx.Timeout(
            min(timeouts.read, left), connect=min(timeouts.connect, left), pool=left
        )
        try:
            return await asyncio.wait_for(self._in_turn(request, timeout), left)
        except asyncio.TimeoutError as error:
            raise CognitoTimeoutError(
                f"{request.action or request.url}: deadline passed"
            ) from error
        except httpx.ConnectTimeout as error:
            raise CognitoConnectError(
                f"cannot reach {request.url}: {type(error).__name__}"
            ) from error
        except httpx.ConnectError as error:
            raise CognitoConnectError(
                f"cannot connect to {request.url}: {type(error).__name__}"
            ) from error
        except httpx.TimeoutException as error:
            raise CognitoTimeoutError(f"no answer from {request.url} in time") from error
        except httpx.HTTPError as error:
            raise CognitoNetworkError(
                f"request to {request.url} failed: {type(error).__name__}"
            ) from error

    async def _in_turn(self, request: HttpRequest, timeout: httpx.Timeout) -> HttpResponse:
        loop = asyncio.get_running_loop()
        turns = self._turns.get(loop)
        if turns is None:
            turns = self._turns[loop] = asyncio.Semaphore(self.max_in_flight)
        async with turns:
            return await self._exchange(request, timeout)

    async def _exchange(self, request: HttpRequest, timeout: httpx.Timeout) -> HttpResponse:
        async with self.client.stream(
            request.method,
            request.url,
            content=request.body,
            headers=dict(request.headers),
            timeout=timeout,
        ) as response:
            body = bytearray()
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES:
                    raise CognitoResponseError(
                        f"the answer from {request.url} exceeds {MAX_RESPONSE_BYTES} bytes",
                        status_code=response.status_code,
                    )
            return HttpResponse(response.status_code, dict(response.headers), bytes(body))

    async def aclose(self) -> None:
        """Close the client if this transport made it (yours stays open)."""
        if self._own_client:
            await self.client.aclose()


@dataclass(frozen=True)
class MockRequest:
    """A request as :class:`MockTransport` hands it to its handler: the raw request, and
    what it asks, decoded from it.

    ``action`` is the Cognito action (``"InitiateAuth"``, with its ``service``) or, for the
    OAuth endpoints, the endpoint (``"oauth2/token"``, ``"oauth2/revoke"``,
    ``"oauth2/userInfo"``; ``service`` is empty). ``params`` is the call's JSON object or
    the posted form as a dict (``{"grant_type": "refresh_token", ...}``), and empty for a
    request without a body, such as the GET of ``oauth2/userInfo``, whose bearer token is
    in ``http.headers["Authorization"]``.
    """

    http: HttpRequest
    service: str
    action: str
    params: dict[str, Any]


#: What a mock handler may return: a full response (any status, any body: an HTML error
#: page as well as JSON), or a JSON object for a 200 answer.
MockAnswer = Union[HttpResponse, Mapping[str, Any]]
MockHandler = Callable[[MockRequest], Union[MockAnswer, Awaitable[MockAnswer]]]

_FORM = "application/x-www-form-urlencoded"


class MockTransport:
    """A transport that answers every request with ``handler(request)``: no network.

    The handler gets a :class:`MockRequest` (the Cognito call or OAuth request, decoded)
    and returns an :class:`HttpResponse` or, for a 200 answer, a JSON object (sent as
    Cognito's JSON to a Cognito call, as ``application/json`` to the OAuth endpoints); it
    may raise a transport error to act out a failure. It serves the sync and the asyncio
    clients, Cognito's and the OAuth ones, and an ``async def`` handler works with the
    asyncio clients. ``requests`` keeps every request sent, in order.
    """

    def __init__(self, handler: MockHandler) -> None:
        self.handler = handler
        self.requests: list[MockRequest] = []

    def __repr__(self) -> str:
        return f"MockTransport({len(self.requests)} requests)"

    def _decode(self, request: HttpRequest) -> MockRequest:
        target = request.headers.get("X-Amz-Target", "")
        service, _, action = target.partition(".")
        params: Any = {}
        if target and request.body:
            params = json.loads(request.body)
        elif _header(request, "Content-Type").startswith(_FORM):
            # The OAuth endpoints' forms; a GET (oauth2/userInfo) has no body and no params.
            params = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
        mock = MockRequest(request, service, action or request.action, params)
        self.requests.append(mock)
        return mock

    @staticmethod
    def _response(request: MockRequest, answer: object) -> HttpResponse:
        if isinstance(answer, HttpResponse):
            return answer
        if not isinstance(answer, Mapping):
            raise InvalidArgumentTypeError(
                "a mock handler returns an HttpResponse or a JSON object (a dict), "
                f"not {type(answer).__name__}"
            )
        content_type = "application/x-amz-json-1.1" if request.service else "application/json"
        return HttpResponse(200, {"Content-Type": content_type}, _json(answer))

    def send(self, request: HttpRequest, timeouts: Timeouts, deadline: float) -> HttpResponse:
        _remaining(request, deadline)
        mock = self._decode(request)
        answer = self.handler(mock)
        if isinstance(answer, Awaitable):
            if isinstance(answer, Coroutine):
                answer.close()  # never awaited: close it, so Python does not warn of it
            raise InvalidArgumentTypeError("an async mock handler needs the asyncio client")
        return self._response(mock, answer)

    async def asend(
        self, request: HttpRequest, timeouts: Timeouts, deadline: float
    ) -> HttpResponse:
        _remaining(request, deadline)
        mock = self._decode(request)
        answer = self.handler(mock)
        if isinstance(answer, Awaitable):
            answer = await answer
        return self._response(mock, answer)

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""


def _header(request: HttpRequest, name: str) -> str:
    wanted = name.lower()
    return next((v for k, v in request.headers.items() if k.lower() == wanted), "")


def _json(document: Mapping[str, Any]) -> bytes:
    return json.dumps(dict(document)).encode()
