"""The sync transport's deadline covers the wait for the status line and headers: a server
that drips them a byte at a time, each within the read timeout, is cut off at the
deadline (found by scripts/reliability_faults.py; it used to hold a 2 s call for 12 s)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from cognito_identity.client import CognitoClient, RetryPolicy
from cognito_identity.errors import CognitoTimeoutError
from cognito_identity.transports import Timeouts


@pytest.fixture
def dripping_server() -> Iterator[str]:
    """A server that reads the request, then sends a header byte every 50 ms for 10 s."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200:
                if stop.wait(0.05):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    thread.join()
    listener.close()


def test_dripped_headers_end_at_the_deadline(dripping_server: str) -> None:
    client = CognitoClient(
        dripping_server,
        timeout=Timeouts(connect=1.0, read=1.0, deadline=1.0),
        retry=RetryPolicy(max_attempts=1),
    )
    started = time.monotonic()
    with pytest.raises(CognitoTimeoutError):
        client.call("InitiateAuth", {})
    assert time.monotonic() - started < 2.5
    client.close()
