"""Service clients: one Cognito call (encoded, signed, sent, retried, decoded), and the
driving of flows.

:class:`CognitoClient` works over a sync transport, :class:`AsyncCognitoClient` over an
asyncio one; both share the protocol (:mod:`cognito_identity._protocol`), the retry
policy, the optional request signer, the call hooks and the logging. A *flow* is a
generator that yields the :class:`Call` objects it needs and receives each call's JSON
answer; errors are thrown into it at the ``yield`` that caused them. The same flow runs on
either client.

Every attempt writes one DEBUG line to the ``cognito_identity`` logger (service, action,
status, attempt, milliseconds), never a parameter: parameters hold passwords and tokens.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import random
import re
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, Union

import requests

from cognito_identity import __version__
from cognito_identity._protocol import (
    IDENTITY_POOLS,
    RETRYABLE_CODES,
    USER_POOLS,
    HttpRequest,
    HttpResponse,
    decode_response,
    encode_call,
)
from cognito_identity.errors import (
    CognitoClientException,
    CognitoConnectError,
    CognitoError,
    InvalidConfigurationError,
)
from cognito_identity.transports import (
    AsyncTransport,
    HttpxAsyncTransport,
    RequestsTransport,
    SyncTransport,
    Timeouts,
)

__all__ = [
    "IDENTITY_POOLS",
    "USER_POOLS",
    "AsyncCognitoClient",
    "AsyncCognitoIdentityClient",
    "Call",
    "CallHook",
    "CallRecord",
    "CognitoClient",
    "CognitoIdentityClient",
    "Flow",
    "RequestSigner",
    "RetryPolicy",
    "identity_pool_endpoint",
    "user_pool_endpoint",
]

log = logging.getLogger("cognito_identity")

DEFAULT_USER_AGENT = f"cognito-identity-python/{__version__}"
T = TypeVar("T")


def user_pool_endpoint(region: str) -> str:
    """AWS's regional endpoint of Cognito user pools."""
    return f"https://cognito-idp.{region}.amazonaws.com/"


def identity_pool_endpoint(region: str) -> str:
    """AWS's regional endpoint of Cognito identity pools."""
    return f"https://cognito-identity.{region}.amazonaws.com/"


@dataclass(frozen=True)
class Call:
    """One Cognito API call a flow asks for: the action, its parameters and the service
    (``X-Amz-Target`` prefix) it belongs to."""

    action: str
    params: Mapping[str, Any]
    service: str = USER_POOLS


#: A flow yields the calls it needs, receives each call's JSON answer, and returns its
#: result. Errors are thrown into the flow at the ``yield`` that caused them, so a flow
#: can turn a service error into a challenge or retry differently.
Flow = Generator[Call, dict[str, Any], T]


@dataclass(frozen=True)
class RetryPolicy:
    """Which failures are tried again, how often, and after what pause (full jitter).

    Retried: Cognito's throttling answers (TooManyRequestsException, ThrottlingException)
    and connections that could not be opened (nothing was sent). Nothing else: an auth step
    that may have reached the server is never sent twice, since a challenge session may be
    answered only once. ``max_attempts`` counts the first try; ``1`` turns retries off.
    Retries stop early when the pause would pass the call's deadline.
    """

    max_attempts: int = 3
    base_delay: float = 0.05
    max_delay: float = 2.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))

    def should_retry(self, error: CognitoError, attempt: int) -> bool:
        """Whether a call that failed with ``error`` on try ``attempt`` is tried again."""
        if attempt >= self.max_attempts:
            return False
        if isinstance(error, CognitoConnectError):
            return True
        return isinstance(error, CognitoClientException) and error.code in RETRYABLE_CODES


@dataclass(frozen=True)
class CallRecord:
    """What a call hook receives after each attempt of a call.

    ``status`` is the HTTP status (None when no answer came), ``error`` the error code
    (None on success) and ``elapsed`` the attempt's duration in seconds.
    ``auth_step`` is the sign-in step the call carries: the ``AuthFlow`` of an
    InitiateAuth (``USER_SRP_AUTH``, ``REFRESH_TOKEN_AUTH``...) or the ``ChallengeName``
    of a RespondToAuthChallenge (``PASSWORD_VERIFIER``...), else None; no other parameter
    is ever copied here, since parameters hold passwords and tokens.
    ``response_length`` is the size of the answer's body in bytes (0 when none came).
    ``flow_cpu`` is the CPU time, in seconds, a flow run by ``run`` spent working out this
    call (e.g. its SRP math), given with the first attempt only: 0.0 on retries and on
    calls made directly.
    """

    service: str
    action: str
    attempt: int
    status: int | None
    error: str | None
    elapsed: float
    auth_step: str | None = None
    response_length: int = 0
    flow_cpu: float = 0.0


# The parameters that name a call's sign-in step, and the shape of an enum value (so a
# value that is not one, such as a secret passed by mistake, never reaches a hook).
_STEP_PARAMS = ("AuthFlow", "ChallengeName")
_STEP_VALUE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")

#: The CPU time the flow being run spent working out the call in progress (set by
#: ``run`` around each call, read by the call for its hook records).
_flow_cpu: ContextVar[float] = ContextVar("cognito_identity_flow_cpu", default=0.0)


def _auth_step(params: Mapping[str, Any]) -> str | None:
    """The ``AuthFlow`` or ``ChallengeName`` a call's parameters carry (see
    :class:`CallRecord`), or None."""
    for name in _STEP_PARAMS:
        value = params.get(name)
        if isinstance(value, str) and _STEP_VALUE.fullmatch(value):
            return value
    return None


#: A function called after every attempt of every call (timing, metrics, load tests).
CallHook = Callable[[CallRecord], None]


class RequestSigner(Protocol):
    """Signs a request before it is sent (e.g. SigV4 for IAM-authorised admin calls)."""

    def sign(self, request: HttpRequest) -> HttpRequest:
        """The signed request."""


def _checked_endpoint(endpoint: str) -> str:
    if not endpoint.startswith(("https://", "http://")):
        raise InvalidConfigurationError(
            f"invalid endpoint {endpoint!r}: expected an http:// or https:// URL"
        )
    return endpoint


C = TypeVar("C", bound="_ClientCore")


class _ClientCore:
    """What the sync and asyncio clients share: settings, encoding, hooks and logs."""

    def __init__(
        self,
        endpoint: str,
        *,
        service: str,
        timeout: float | tuple[float, float] | Timeouts,
        deadline: float | None,
        retry: RetryPolicy | None,
        signer: RequestSigner | None,
        user_agent: str | None,
        hooks: Iterable[CallHook],
    ) -> None:
        self.endpoint = _checked_endpoint(endpoint)
        self.service = service
        self.timeouts = Timeouts.from_arg(timeout, deadline)
        self.retry = retry if retry is not None else RetryPolicy()
        self.signer = signer
        self.user_agent = user_agent or DEFAULT_USER_AGENT
        self.hooks: list[CallHook] = list(hooks)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self.endpoint!r})"

    def for_service(self: C, service: str, endpoint: str) -> C:
        """A client of another Cognito service at ``endpoint`` that shares this one's
        transport (its connections), timeouts, retry policy, user agent and hooks (the
        same list, so a hook added later sees both). It has no signer: a SigV4 signature
        names one service. Closing either closes the transport they share."""
        twin = copy.copy(self)
        twin.service = service
        twin.endpoint = _checked_endpoint(endpoint)
        twin.signer = None
        return twin

    def _encode(
        self, action: str, params: Mapping[str, Any], service: str | None, endpoint: str | None
    ) -> HttpRequest:
        request = encode_call(
            endpoint or self.endpoint, service or self.service, action, params, self.user_agent
        )
        return self.signer.sign(request) if self.signer is not None else request

    def _observe(
        self,
        request: HttpRequest,
        attempt: int,
        started: float,
        response: HttpResponse | None,
        error: CognitoError | None,
        step: str | None,
        flow_cpu: float,
    ) -> None:
        elapsed = time.monotonic() - started
        status = response.status_code if response is not None else None
        service = request.headers.get("X-Amz-Target", "").partition(".")[0]
        code = error.code if error is not None else None
        log.debug(
            "%s %s status=%s attempt=%d %.1fms%s",
            service,
            request.action,
            status,
            attempt,
            elapsed * 1000,
            f" error={code}" if code else "",
        )
        if self.hooks:
            record = CallRecord(
                service,
                request.action,
                attempt,
                status,
                code,
                elapsed,
                step,
                len(response.body) if response is not None else 0,
                flow_cpu if attempt == 1 else 0.0,
            )
            for hook in self.hooks:
                hook(record)

    def _attempts(self, request: HttpRequest, params: Mapping[str, Any]) -> _Attempts:
        """The retry loop of one call without its IO (what both clients share).

        It yields a :class:`_Send` when an attempt is due; the client sends the request
        and sends back the :class:`HttpResponse`, or the transport's
        :class:`CognitoError`. It yields a :class:`_Pause` before a retry; the client
        waits that long and sends back None. It returns the decoded answer, or raises
        the error that ends the call: one the policy does not retry, the last one when
        the attempts are used up, or when the deadline leaves no time for another.
        ``params`` (the call's) give the hook records their sign-in step.
        """
        step, flow_cpu = (_auth_step(params), _flow_cpu.get()) if self.hooks else (None, 0.0)
        deadline = time.monotonic() + self.timeouts.deadline
        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            outcome = yield _Send(request, deadline)
            response = outcome if isinstance(outcome, HttpResponse) else None
            try:
                if isinstance(outcome, CognitoError):
                    raise outcome
                assert response is not None
                answer = decode_response(response)
            except CognitoError as error:
                self._observe(request, attempt, started, response, error, step, flow_cpu)
                if not self.retry.should_retry(error, attempt):
                    raise
                pause = self.retry.delay(attempt)
                if time.monotonic() + pause >= deadline:
                    raise
                yield _Pause(pause)
                if time.monotonic() >= deadline:  # the pause overran (a loaded machine)
                    raise
                continue
            self._observe(request, attempt, started, response, None, step, flow_cpu)
            return answer


@dataclass(frozen=True)
class _Send:
    """Send ``request`` once, within ``deadline`` (a :func:`time.monotonic` instant)."""

    request: HttpRequest
    deadline: float


@dataclass(frozen=True)
class _Pause:
    """Wait ``seconds`` before the next attempt."""

    seconds: float


_Attempts = Generator[Union[_Send, _Pause], Union[HttpResponse, CognitoError, None], dict[str, Any]]


class CognitoClient(_ClientCore):
    """Calls one Cognito service over a sync transport (``requests`` by default).

    ``endpoint`` is the service URL (AWS's regional endpoint, or a local pool's).
    ``session`` is a :class:`requests.Session` for the default transport (proxies,
    certificates, pool sizes); ``transport`` replaces the transport altogether (e.g. a
    :class:`~cognito_identity.transports.MockTransport`). ``timeout`` is requests'
    ``(connect, read)`` pair or one number; ``deadline`` bounds a whole call, retries
    included (30 s by default). ``signer`` signs each request (admin calls); ``hooks``
    are called after every attempt with a :class:`CallRecord`.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        service: str = USER_POOLS,
        transport: SyncTransport | None = None,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] | Timeouts = (5.0, 30.0),
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
        signer: RequestSigner | None = None,
        user_agent: str | None = None,
        hooks: Iterable[CallHook] = (),
    ) -> None:
        super().__init__(
            endpoint,
            service=service,
            timeout=timeout,
            deadline=deadline,
            retry=retry,
            signer=signer,
            user_agent=user_agent,
            hooks=hooks,
        )
        self.transport: SyncTransport = (
            transport if transport is not None else RequestsTransport(session)
        )

    @property
    def session(self) -> requests.Session | None:
        """The :class:`requests.Session` of the default transport (None for another)."""
        return getattr(self.transport, "session", None)

    def call(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        service: str | None = None,
        endpoint: str | None = None,
    ) -> dict[str, Any]:
        """Perform one API call and return its JSON answer (``{}`` for an empty one).

        Parameters whose value is ``None`` are left out of the request, as AWS's own
        SDKs do. Raises a :class:`CognitoClientException` subclass for an error answer,
        :class:`~cognito_identity.errors.CognitoTimeoutError` past the deadline and
        :class:`~cognito_identity.errors.CognitoNetworkError` when Cognito cannot be
        reached.
        """
        attempts = self._attempts(self._encode(action, params, service, endpoint), params)
        try:
            step = next(attempts)
            while True:
                if isinstance(step, _Pause):
                    time.sleep(step.seconds)
                    step = attempts.send(None)
                    continue
                outcome: HttpResponse | CognitoError
                try:
                    outcome = self.transport.send(step.request, self.timeouts, step.deadline)
                except CognitoError as error:
                    outcome = error
                step = attempts.send(outcome)
        except StopIteration as done:
            answer: dict[str, Any] = done.value
            return answer

    def run(self, flow: Flow[T]) -> T:
        """Drive a flow to its end, performing each call it yields; return its result.

        With hooks, each call's record carries the CPU time the flow spent working it
        out (:attr:`CallRecord.flow_cpu`).
        """
        clock = time.thread_time if self.hooks else _no_clock
        try:
            started = clock()
            step = next(flow)
            while True:
                try:
                    answer = self._call_in_flow(step, clock() - started)
                except CognitoClientException as error:
                    started = clock()
                    step = flow.throw(error)
                else:
                    started = clock()
                    step = flow.send(answer)
        except StopIteration as done:
            result: T = done.value
            return result

    def _call_in_flow(self, step: Call, flow_cpu: float) -> dict[str, Any]:
        # The flow's CPU time reaches this call's hook records through a context
        # variable, so that ``call`` keeps its signature for subclasses that wrap it.
        token = _flow_cpu.set(flow_cpu)
        try:
            return self.call(step.action, step.params, service=step.service)
        finally:
            _flow_cpu.reset(token)

    def close(self) -> None:
        """Release the transport's connections."""
        self.transport.close()

    def __enter__(self) -> CognitoClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncCognitoClient(_ClientCore):
    """Calls one Cognito service over an asyncio transport (httpx by default).

    The same settings as :class:`CognitoClient`; ``transport`` may be an
    :class:`~cognito_identity.transports.HttpxAsyncTransport` over your own
    ``httpx.AsyncClient``, or a :class:`~cognito_identity.transports.MockTransport`.
    Flows are advanced in a worker thread, so the SRP math they do (in Rust, without
    the GIL) never blocks the event loop.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        service: str = USER_POOLS,
        transport: AsyncTransport | None = None,
        timeout: float | tuple[float, float] | Timeouts = (5.0, 30.0),
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
        signer: RequestSigner | None = None,
        user_agent: str | None = None,
        hooks: Iterable[CallHook] = (),
    ) -> None:
        super().__init__(
            endpoint,
            service=service,
            timeout=timeout,
            deadline=deadline,
            retry=retry,
            signer=signer,
            user_agent=user_agent,
            hooks=hooks,
        )
        self.transport: AsyncTransport = (
            transport if transport is not None else HttpxAsyncTransport()
        )

    async def call(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        service: str | None = None,
        endpoint: str | None = None,
    ) -> dict[str, Any]:
        """Perform one API call and return its JSON answer; errors as in
        :meth:`CognitoClient.call`."""
        attempts = self._attempts(self._encode(action, params, service, endpoint), params)
        try:
            step = next(attempts)
            while True:
                if isinstance(step, _Pause):
                    await asyncio.sleep(step.seconds)
                    step = attempts.send(None)
                    continue
                outcome: HttpResponse | CognitoError
                try:
                    outcome = await self.transport.asend(step.request, self.timeouts, step.deadline)
                except CognitoError as error:
                    outcome = error
                step = attempts.send(outcome)
        except StopIteration as done:
            answer: dict[str, Any] = done.value
            return answer

    async def run(self, flow: Flow[T]) -> T:
        """Drive a flow to its end, performing each call it yields; return its result.
        Hooks see the flow's CPU time per call as with :meth:`CognitoClient.run`."""
        step, spent = await _advance(flow.__next__)
        while isinstance(step, Call):
            try:
                answer = await self._call_in_flow(step, spent)
            except CognitoClientException as error:
                step, spent = await _advance(flow.throw, error)
            else:
                step, spent = await _advance(flow.send, answer)
        result: T = step.value
        return result

    async def _call_in_flow(self, step: Call, flow_cpu: float) -> dict[str, Any]:
        # As CognitoClient._call_in_flow.
        token = _flow_cpu.set(flow_cpu)
        try:
            return await self.call(step.action, step.params, service=step.service)
        finally:
            _flow_cpu.reset(token)

    async def aclose(self) -> None:
        """Release the transport's connections."""
        await self.transport.aclose()

    async def __aenter__(self) -> AsyncCognitoClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class CognitoIdentityClient(CognitoClient):
    """Calls Cognito identity pools (the ``cognito-identity`` service) over a sync
    transport: a :class:`CognitoClient` whose service is identity pools and whose
    endpoint is AWS's in ``region`` unless ``endpoint`` is given. The other arguments are
    :class:`CognitoClient`'s; a ``signer`` must sign for ``cognito-identity``.
    """

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        region: str = "us-east-1",
        transport: SyncTransport | None = None,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] | Timeouts = (5.0, 30.0),
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
        signer: RequestSigner | None = None,
        user_agent: str | None = None,
        hooks: Iterable[CallHook] = (),
    ) -> None:
        super().__init__(
            endpoint or identity_pool_endpoint(region),
            service=IDENTITY_POOLS,
            transport=transport,
            session=session,
            timeout=timeout,
            deadline=deadline,
            retry=retry,
            signer=signer,
            user_agent=user_agent,
            hooks=hooks,
        )


class AsyncCognitoIdentityClient(AsyncCognitoClient):
    """Calls Cognito identity pools over an asyncio transport: as
    :class:`CognitoIdentityClient`, with :class:`AsyncCognitoClient`'s arguments."""

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        region: str = "us-east-1",
        transport: AsyncTransport | None = None,
        timeout: float | tuple[float, float] | Timeouts = (5.0, 30.0),
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
        signer: RequestSigner | None = None,
        user_agent: str | None = None,
        hooks: Iterable[CallHook] = (),
    ) -> None:
        super().__init__(
            endpoint or identity_pool_endpoint(region),
            service=IDENTITY_POOLS,
            transport=transport,
            timeout=timeout,
            deadline=deadline,
            retry=retry,
            signer=signer,
            user_agent=user_agent,
            hooks=hooks,
        )


@dataclass(frozen=True)
class _Finished:
    value: Any


#: The threads that advance flows for every asyncio client of this process: one core's
#: worth fewer than the machine has (the event loop keeps one), at most four. A step is
#: mostly Rust without the GIL; each more thread wanting the GIL back makes the event
#: loop wait longer for it after every socket operation.
_FLOW_THREADS = ThreadPoolExecutor(
    max_workers=min(4, max(1, (os.cpu_count() or 2) - 1)),
    thread_name_prefix="cognito-identity-flow",
)


def _no_clock() -> float:
    """The clock of a client without hooks: nobody reads the flow's CPU time."""
    return 0.0


async def _advance(step: Callable[..., Call], *args: Any) -> tuple[Call | _Finished, float]:
    """One step of a flow, in a worker thread, and the CPU time it took there; its end
    comes back as a value, since a StopIteration cannot cross a coroutine."""

    def advance() -> tuple[Call | _Finished, float]:
        started = time.thread_time()
        try:
            return step(*args), time.thread_time() - started
        except StopIteration as done:
            return _Finished(done.value), time.thread_time() - started

    return await asyncio.get_running_loop().run_in_executor(_FLOW_THREADS, advance)
