"""A transport for load tests: geventhttpclient (Locust's own fast HTTP client) with one
keep-alive connection per simulated user and the call's deadline as a gevent timeout.

The SDK's default transport (requests, with a watchdog thread per answer) costs more CPU
per call than Cognito's answer is worth measuring; under Locust every greenlet shares one
core, so the cheaper client leaves more of it to the users.
"""

from __future__ import annotations

import time
from http.client import HTTPException
from typing import Any

import gevent
from geventhttpclient import HTTPClient
from geventhttpclient.url import URL

from cognito_identity._protocol import HttpRequest, HttpResponse
from cognito_identity.errors import CognitoConnectError, CognitoNetworkError, CognitoTimeoutError
from cognito_identity.transports import Timeouts

__all__ = ["GeventTransport"]


class GeventTransport:
    """Sends requests over geventhttpclient, one connection per host (and so per user)."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, str, int], Any] = {}

    def __repr__(self) -> str:
        return "GeventTransport()"

    def _client(self, url: Any, timeouts: Timeouts) -> Any:
        key = (url.scheme, url.host, url.port)
        client = self._clients.get(key)
        if client is None:
            client = HTTPClient.from_url(
                url,
                concurrency=1,
                connection_timeout=timeouts.connect,
                network_timeout=timeouts.read,
            )
            self._clients[key] = client
        return client

    def send(self, request: HttpRequest, timeouts: Timeouts, deadline: float) -> HttpResponse:
        """Send ``request`` and read the whole answer before ``deadline``."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise CognitoTimeoutError(f"{request.action or request.url}: deadline passed")
        url = URL(request.url)
        try:
            with gevent.Timeout(left):
                response = self._client(url, timeouts).request(
                    request.method, url.request_uri, body=request.body, headers=request.headers
                )
                try:
                    body = response.read()
                finally:
                    response.release()
        except gevent.Timeout:
            raise CognitoTimeoutError(f"no answer from {request.url} in time") from None
        except ConnectionRefusedError as error:
            raise CognitoConnectError(f"cannot connect to {request.url}: refused") from error
        except (OSError, ValueError, HTTPException) as error:
            # A connection closed without an answer is geventhttpclient's HTTPException.
            raise CognitoNetworkError(
                f"connection to {request.url} failed: {type(error).__name__}"
            ) from error
        return HttpResponse(response.status_code, dict(response.items()), body)

    def close(self) -> None:
        """Close every connection."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()
