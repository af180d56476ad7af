"""The whole-call deadline also holds against a server that drips its headers (not only
its body), with the sync and the asyncio transports."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from dripping import dripping_server

from cognito_identity.client import AsyncCognitoClient, CognitoClient, RetryPolicy
from cognito_identity.errors import CognitoTimeoutError
from cognito_identity.transports import Timeouts


@pytest.fixture
def header_dripping_server() -> Iterator[str]:
    """A server that sends its status line, then one byte of a header every 0.1 s, for
    ever: each wait for data is short, but the headers never end."""
    with dripping_server(b"HTTP/1.1 200 OK\r\nX-Slow: ", b"x") as url:
        yield url


def test_dripped_headers_are_cut_off_at_the_deadline(header_dripping_server: str) -> None:
    client = CognitoClient(
        header_dripping_server, timeout=(1.0, 5.0), deadline=1.0, retry=RetryPolicy()
    )
    started = time.monotonic()
    with pytest.raises(CognitoTimeoutError):
        client.call("GetUser", {})
    # The header would take hours at this pace; the slack is for a loaded machine.
    assert time.monotonic() - started < 4.0
    client.close()


def test_dripped_headers_end_at_the_deadline_with_timeouts(header_dripping_server: str) -> None:
    """The same with the deadline given in ``Timeouts`` and each byte well within the read
    timeout (found by scripts/reliability_faults.py; it used to hold a 2 s call for 12 s)."""
    client = CognitoClient(
        header_dripping_server,
        timeout=Timeouts(connect=1.0, read=1.0, deadline=1.0),
        retry=RetryPolicy(max_attempts=1),
    )
    started = time.monotonic()
    with pytest.raises(CognitoTimeoutError):
        client.call("InitiateAuth", {})
    assert time.monotonic() - started < 2.5
    client.close()


def test_dripped_headers_are_cut_off_at_the_deadline_with_asyncio(
    header_dripping_server: str,
) -> None:
    pytest.importorskip("httpx")

    async def main() -> float:
        async with AsyncCognitoClient(header_dripping_server, deadline=1.0) as client:
            started = time.monotonic()
            with pytest.raises(CognitoTimeoutError):
                await client.call("GetUser", {})
            return time.monotonic() - started

    assert asyncio.run(main()) < 4.0


def test_the_connection_cut_off_is_not_reused(header_dripping_server: str) -> None:
    """After a call cut off at its deadline, the next call on the same client starts
    afresh (and is cut off in its turn), instead of reading the old connection."""
    client = CognitoClient(header_dripping_server, deadline=0.5)
    for _ in range(2):
        started = time.monotonic()
        with pytest.raises(CognitoTimeoutError):
            client.call("GetUser", {})
        assert time.monotonic() - started < 3.5
    client.close()
