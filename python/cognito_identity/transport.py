"""The one module that speaks HTTP: AWS JSON 1.1 requests to Cognito over ``requests``.

Every Cognito call goes through :class:`Transport.call`. It posts the JSON body with the
``X-Amz-Target`` header, maps error responses to the :mod:`cognito_identity.errors`
family by code, and turns transport failures into :class:`CognitoNetworkError`, with the
original exception chained as ``__cause__``.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from urllib3.exceptions import NewConnectionError

from cognito_identity import __version__
from cognito_identity.errors import (
    CognitoClientException,
    CognitoNetworkError,
    CognitoResponseError,
    client_exception,
)

__all__ = ["IDENTITY_POOLS", "USER_POOLS", "Call", "Flow", "RetryPolicy", "Transport"]

#: ``X-Amz-Target`` prefixes of the two Cognito services.
USER_POOLS = "AWSCognitoIdentityProviderService"
IDENTITY_POOLS = "AWSCognitoIdentityService"

_USER_AGENT = f"cognito-identity-python/{__version__}"
# Cognito answers these when it is overloaded; they are safe to retry after a pause.
_RETRYABLE_CODES = frozenset({"TooManyRequestsException", "ThrottlingException"})

T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """One Cognito API call a flow asks for: the service prefix, action and parameters."""

    action: str
    params: Mapping[str, Any]
    service: str = USER_POOLS


#: A flow yields the calls it needs, receives each call's JSON answer, and returns its
#: result. Errors are thrown into the flow at the ``yield`` that caused them, so a flow
#: can turn a service error into a challenge or retry differently.
Flow = Generator[Call, dict[str, Any], T]


@dataclass(frozen=True)
class RetryPolicy:
    """How throttled calls and failed connections are retried (with full jitter).

    Only throttling errors and connections that could not be opened are retried: an auth
    step that reached the server is never sent twice, since a challenge session may be
    answered only once.
    """

    max_attempts: int = 3
    base_delay: float = 0.05
    max_delay: float = 2.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


class Transport:
    """Sends Cognito API calls over a :class:`requests.Session`.

    ``endpoint`` is the service URL (AWS's regional endpoint, or a local pool's).
    Pass your own ``session`` to control proxies, certificates, adapters or connection
    pool sizes; ``timeout`` is requests' ``(connect, read)`` timeout in seconds.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = (5.0, 30.0),
        retry: RetryPolicy | None = None,
        user_agent: str | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.session = session if session is not None else requests.Session()
        self.timeout = timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.user_agent = user_agent or _USER_AGENT

    def __repr__(self) -> str:
        return f"Transport(endpoint={self.endpoint!r})"

    def call(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        service: str = USER_POOLS,
        endpoint: str | None = None,
    ) -> dict[str, Any]:
        """Perform one API call and return its JSON answer (``{}`` for an empty one).

        Parameters whose value is ``None`` are left out of the request, as AWS's own
        SDKs do. Raises a :class:`CognitoClientException` subclass for an error answer
        and :class:`CognitoNetworkError` when Cognito cannot be reached.
        """
        body = json.dumps({k: v for k, v in params.items() if v is not None})
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"{service}.{action}",
            "User-Agent": self.user_agent,
        }
        url = endpoint or self.endpoint
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._post_once(url, body, headers)
            except CognitoClientException as error:
                if error.code not in _RETRYABLE_CODES or attempt >= self.retry.max_attempts:
                    raise
            except _NotConnected as error:
                if attempt >= self.retry.max_attempts:
                    raise CognitoNetworkError(
                        f"cannot connect to {url}: {error.reason}"
                    ) from error.__cause__
            time.sleep(self.retry.delay(attempt))

    def run(self, flow: Flow[T]) -> T:
        """Drive a flow to its end, performing each call it yields; return its result."""
        try:
            step = next(flow)
            while True:
                try:
                    answer = self.call(step.action, step.params, service=step.service)
                except CognitoClientException as error:
                    step = flow.throw(error)
                else:
                    step = flow.send(answer)
        except StopIteration as done:
            result: T = done.value
            return result

    def _post_once(self, url: str, body: str, headers: dict[str, str]) -> dict[str, Any]:
        try:
            response = self.session.post(url, data=body, headers=headers, timeout=self.timeout)
        except (requests.ConnectTimeout, requests.exceptions.SSLError) as error:
            raise CognitoNetworkError(f"cannot reach {url}: {type(error).__name__}") from error
        except requests.ConnectionError as error:
            if _never_sent(error):
                raise _NotConnected(type(error).__name__) from error
            raise CognitoNetworkError(
                f"connection to {url} failed: {type(error).__name__}"
            ) from error
        except requests.Timeout as error:
            raise CognitoNetworkError(f"no answer from {url} in time") from error
        except requests.RequestException as error:
            raise CognitoNetworkError(f"request to {url} failed: {type(error).__name__}") from error
        return _decode(response)


class _NotConnected(Exception):
    """A connection that could not be opened: nothing was sent, so a retry is safe."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _never_sent(error: requests.ConnectionError) -> bool:
    # requests wraps urllib3's MaxRetryError, whose reason is a NewConnectionError (or its
    # NameResolutionError subclass) when the connection was never opened; any other
    # failure may have happened after the request reached the server.
    wrapped = error.args[0] if error.args else None
    return isinstance(getattr(wrapped, "reason", None), NewConnectionError)


def _decode(response: requests.Response) -> dict[str, Any]:
    """Turn a response into its JSON object, or raise the error it carries."""
    data: Any
    try:
        data = response.json() if response.content else {}
    except ValueError:
        data = None
    if 200 <= response.status_code < 300:
        if not isinstance(data, dict):
            raise CognitoResponseError(
                f"expected a JSON object from Cognito, got {response.content[:80]!r}",
                status_code=response.status_code,
            )
        return data
    raise _error_from(response, data if isinstance(data, dict) else {})


def _error_from(response: requests.Response, data: dict[str, Any]) -> CognitoClientException:
    # The code may arrive as "__type", "code" or the x-amzn-ErrorType header, sometimes
    # namespaced ("com.amazonaws...#NotAuthorizedException") or suffixed (":http://...").
    raw_code = data.get("__type") or data.get("code") or response.headers.get("x-amzn-ErrorType")
    code = str(raw_code or "UnknownError").split(":", 1)[0].rsplit("#", 1)[-1]
    message = data.get("message") or data.get("Message")
    if not isinstance(message, str) or not message:
        message = f"Cognito returned HTTP {response.status_code} without a message"
    return client_exception(code, message, response.status_code)
