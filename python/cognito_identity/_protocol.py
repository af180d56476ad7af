"""AWS JSON 1.1 as Cognito speaks it, without any IO: a call in, bytes out; bytes in, data
or a typed error out.

Both Cognito services (user pools and identity pools) take a POST of a JSON object with
the action named in ``X-Amz-Target``, and answer a JSON object, or an error whose code
arrives as ``__type``, ``code`` or the ``x-amzn-ErrorType`` header. The transports move
the bytes; the clients decide about retries. Nothing here blocks, so the sync and the
asyncio clients share it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cognito_identity._json import parse_json
from cognito_identity.errors import (
    CognitoClientException,
    CognitoResponseError,
    InvalidArgumentTypeError,
    client_exception,
)

__all__ = [
    "CONTENT_TYPE",
    "IDENTITY_POOLS",
    "MAX_ERROR_MESSAGE",
    "RETRYABLE_CODES",
    "USER_POOLS",
    "HttpRequest",
    "HttpResponse",
    "decode_response",
    "encode_call",
    "without_none",
]

#: ``X-Amz-Target`` prefixes of the two Cognito services.
USER_POOLS = "AWSCognitoIdentityProviderService"
IDENTITY_POOLS = "AWSCognitoIdentityService"
CONTENT_TYPE = "application/x-amz-json-1.1"

#: Error codes Cognito answers when it is overloaded: safe to retry after a pause.
RETRYABLE_CODES = frozenset({"TooManyRequestsException", "ThrottlingException"})

#: Longest error message passed on from a response; longer ones are cut (a server that
#: answers megabytes of text is broken or hostile, and the text ends up in logs).
MAX_ERROR_MESSAGE = 1024


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request, as a transport sends it. ``action`` names it for logs."""

    url: str
    headers: Mapping[str, str]
    body: bytes
    action: str = ""
    method: str = "POST"


@dataclass(frozen=True)
class HttpResponse:
    """One HTTP response, as a transport received it (header names in any case)."""

    status_code: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The value of header ``name``, looked up without regard to case."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


def without_none(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` without the entries whose value is ``None``: AWS's SDKs leave unset
    parameters out of the request, and Cognito refuses a ``null`` for most of them."""
    return {name: value for name, value in params.items() if value is not None}


def encode_call(
    url: str, service: str, action: str, params: Mapping[str, Any], user_agent: str
) -> HttpRequest:
    """The HTTP request for one call of ``service``'s ``action`` with ``params``.

    Top-level parameters whose value is ``None`` are left out. Parameters that JSON
    cannot carry raise :class:`~cognito_identity.errors.InvalidArgumentTypeError`.
    """
    try:
        body = json.dumps(without_none(params), separators=(",", ":")).encode()
    except (TypeError, ValueError, RecursionError) as error:
        # The messages name a type or the trouble ("Circular reference detected"), never
        # a value; a lone surrogate's UnicodeEncodeError cannot occur with ASCII output.
        raise InvalidArgumentTypeError(
            f"the parameters of {action} cannot be sent as JSON: {error}"
        ) from None
    headers = {
        "Content-Type": CONTENT_TYPE,
        "X-Amz-Target": f"{service}.{action}",
        "User-Agent": user_agent,
    }
    return HttpRequest(url, headers, body, action)


def decode_response(response: HttpResponse) -> dict[str, Any]:
    """The JSON object of a 2xx answer; raise the error any other answer carries.

    Raises a :class:`CognitoClientException` subclass (by Cognito's error code) for an
    error answer, and :class:`CognitoResponseError` for a 2xx answer that is not a JSON
    object.
    """
    data: Any = parse_json(response.body) if response.body else {}
    if 200 <= response.status_code < 300:
        if not isinstance(data, dict):
            raise CognitoResponseError(
                f"expected a JSON object from Cognito, got {response.body[:80]!r}",
                status_code=response.status_code,
            )
        return data
    raise error_from(response, data if isinstance(data, dict) else {})


def error_from(response: HttpResponse, data: Mapping[str, Any]) -> CognitoClientException:
    """The typed error of an error answer, its message capped at :data:`MAX_ERROR_MESSAGE`."""
    # The code may arrive as "__type", "code" or the x-amzn-ErrorType header, sometimes
    # namespaced ("com.amazonaws...#NotAuthorizedException") or suffixed (":http://...").
    raw_code = data.get("__type") or data.get("code") or response.header("x-amzn-ErrorType")
    code = str(raw_code or "UnknownError").split(":", 1)[0].rsplit("#", 1)[-1][:128]
    message = data.get("message") or data.get("Message")
    if not isinstance(message, str) or not message:
        message = f"Cognito returned HTTP {response.status_code} without a message"
    elif len(message) > MAX_ERROR_MESSAGE:
        message = message[:MAX_ERROR_MESSAGE] + f"... ({len(message)} characters in all)"
    return client_exception(code, message, response.status_code)
