"""HttpxAsyncTransport hands httpx a bounded number of requests at once; the others wait
their turn within their deadline."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import pytest

from cognito_identity.client import AsyncCognitoClient
from cognito_identity.errors import CognitoTimeoutError, InvalidConfigurationError

httpx = pytest.importorskip("httpx")

from cognito_identity.transports import HttpxAsyncTransport  # noqa: E402

URL = "https://cognito-idp.eu-west-1.amazonaws.com/"


def streamed(document: object) -> httpx.Response:
    """A 200 answer whose body is streamed, as from a socket (httpx reads a body given
    whole at once)."""

    async def body() -> AsyncIterator[bytes]:
        yield json.dumps(document).encode()

    return httpx.Response(200, content=body())


def counting_client(pause: float) -> tuple[httpx.AsyncClient, list[int]]:
    """An httpx client whose answers take ``pause`` seconds; the list receives the number
    of requests in progress each time one starts."""
    in_progress = [0]
    seen: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        in_progress[0] += 1
        seen.append(in_progress[0])
        try:
            await asyncio.sleep(pause)
        finally:
            in_progress[0] -= 1
        return streamed({"ok": True})

    return httpx.AsyncClient(transport=httpx.MockTransport(handler)), seen


def test_at_most_max_in_flight_requests_reach_httpx_at_once() -> None:
    async def main() -> list[int]:
        http, seen = counting_client(0.02)
        transport = HttpxAsyncTransport(http, max_in_flight=3)
        async with http, AsyncCognitoClient(URL, transport=transport) as client:
            answers = await asyncio.gather(*(client.call("GetUser", {}) for _ in range(20)))
        assert answers == [{"ok": True}] * 20
        return seen

    seen = asyncio.run(main())
    assert len(seen) == 20 and max(seen) == 3


def test_waiting_for_a_turn_counts_against_the_deadline() -> None:
    async def main() -> tuple[int, float]:
        http, seen = counting_client(5.0)
        transport = HttpxAsyncTransport(http, max_in_flight=1)
        async with http, AsyncCognitoClient(URL, transport=transport, deadline=0.5) as client:
            started = time.monotonic()
            results = await asyncio.gather(
                *(client.call("GetUser", {}) for _ in range(3)), return_exceptions=True
            )
        assert all(isinstance(result, CognitoTimeoutError) for result in results)
        return len(seen), time.monotonic() - started

    started_requests, elapsed = asyncio.run(main())
    assert started_requests == 1  # the two others never had a turn
    assert elapsed < 3.0


def test_the_client_it_makes_keeps_that_many_connections() -> None:
    async def main() -> None:
        transport = HttpxAsyncTransport(max_in_flight=5)
        pool = transport.client._transport._pool  # httpcore's pool, to read its limits
        assert pool._max_connections == 5 and pool._max_keepalive_connections == 5
        await transport.aclose()

    asyncio.run(main())


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "8"])
def test_a_bad_max_in_flight_is_refused(bad: object) -> None:
    with pytest.raises(InvalidConfigurationError):
        HttpxAsyncTransport(max_in_flight=bad)  # type: ignore[arg-type]


def test_the_answer_body_arrives_whole() -> None:
    document = {"UserAttributes": [{"Name": "email", "Value": "a@example.com"}] * 500}

    async def handler(request: httpx.Request) -> httpx.Response:
        return streamed(document)

    async def main() -> object:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            transport = HttpxAsyncTransport(http, max_in_flight=2)
            async with AsyncCognitoClient(URL, transport=transport) as client:
                return await client.call("GetUser", {})

    assert asyncio.run(main()) == document
