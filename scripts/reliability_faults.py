"""Transport faults for the reliability report: a scripted TCP server misbehaves in one
way per row (refused and reset connections, silence, dripped headers and bodies,
truncated, oversized and garbled answers, HTTP errors, throttling...), and the sync
client (requests) and the asyncio client (httpx) each make one Cognito call against it.

A row passes when the call ends as it should (a CognitoError subclass, or the answer for
the rows that only look odd) within the call's deadline plus a second. Prints JSON.

    python scripts/reliability_faults.py
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from cognito_identity.client import AsyncCognitoClient, CognitoClient, RetryPolicy
from cognito_identity.errors import CognitoError
from cognito_identity.transports import Timeouts

TIMEOUTS = Timeouts(connect=1.0, read=1.0, deadline=2.0)
RETRY = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05)
MARGIN = 1.0
ANSWER = b'{"ChallengeName":"PASSWORD_VERIFIER","Session":"s"}'
JSON_HEADERS = b"Content-Type: application/x-amz-json-1.1\r\n"

Behaviour = Callable[[socket.socket, threading.Event], None]


def read_request(conn: socket.socket) -> None:
    """Read one request (headers and a Content-Length body) off ``conn``."""
    data = b""
    conn.settimeout(5)
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return
        body += chunk


def response(status: bytes, body: bytes, extra: bytes = JSON_HEADERS) -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\n" + extra + b"Content-Length: %d\r\n\r\n" % len(body) + body
    )


def reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def answer_with(data: bytes) -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(data)
        conn.close()

    return behave


def reset_after_request(conn: socket.socket, stop: threading.Event) -> None:
    read_request(conn)
    reset(conn)


def reset_at_once(conn: socket.socket, stop: threading.Event) -> None:
    reset(conn)


def close_without_answer(conn: socket.socket, stop: threading.Event) -> None:
    read_request(conn)
    conn.close()


def silence(conn: socket.socket, stop: threading.Event) -> None:
    read_request(conn)
    stop.wait(30)
    conn.close()


def drip(head: bytes, tail: bytes, pause: float) -> Behaviour:
    """Send ``head`` at once, then ``tail`` a byte at a time every ``pause`` seconds."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        try:
            conn.sendall(head)
            for byte in tail:
                if stop.wait(pause):
                    break
                conn.sendall(bytes([byte]))
        except OSError:
            pass
        conn.close()

    return behave


def fragments(data: bytes) -> Behaviour:
    """The whole answer, one byte per TCP write, without pauses."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in data:
            conn.sendall(bytes([byte]))
        conn.close()

    return behave


class FaultServer:
    """Accepts connections on loopback and hands each to ``behaviour`` in a thread."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            self.behaviour(conn, self.stop)
        except OSError:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@dataclass(frozen=True)
class Fault:
    name: str
    behaviour: Behaviour | None  # None: nothing listens on the port
    succeeds: bool = False  # the rows that only look odd: the call must return the answer


HUGE = 4 << 20
FAULTS = [
    Fault("connection refused", None),
    Fault("reset before reading the request", reset_at_once),
    Fault("reset after the request", reset_after_request),
    Fault("closed without an answer", close_without_answer),
    Fault("no answer at all (read timeout)", silence),
    Fault(
        "status line then headers dripped past the deadline",
        drip(b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 200 + b"\r\n\r\n", 0.05),
    ),
    Fault(
        "body dripped past the deadline",
        drip(
            JSON_HEADERS.join([b"HTTP/1.1 200 OK\r\n", b"Content-Length: 400\r\n\r\n"]),
            b"{" + b" " * 399,
            0.05,
        ),
    ),
    Fault(
        "body shorter than Content-Length, then close",
        answer_with(b"HTTP/1.1 200 OK\r\n" + JSON_HEADERS + b'Content-Length: 100\r\n\r\n{"a":'),
    ),
    Fault("truncated JSON", answer_with(response(b"200 OK", ANSWER[:17]))),
    Fault("garbage status line", answer_with(b"HTTX/9 abc\r\n\r\n")),
    Fault("no status line (bare JSON)", answer_with(ANSWER)),
    Fault("empty answer, then close", answer_with(b"")),
    Fault("4 MiB body", answer_with(response(b"200 OK", b'{"a":"' + b"x" * HUGE + b'"}'))),
    Fault(
        "1 MiB header line",
        answer_with(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n{}"),
    ),
    Fault(
        "broken chunked encoding",
        answer_with(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n"),
    ),
    Fault(
        "gzip Content-Encoding over plain bytes",
        answer_with(
            response(b"200 OK", b"not gzip at all", JSON_HEADERS + b"Content-Encoding: gzip\r\n")
        ),
    ),
    Fault(
        "500 with an HTML page",
        answer_with(
            response(
                b"500 Internal Server Error",
                b"<html><body>oops</body></html>",
                b"Content-Type: text/html\r\n",
            )
        ),
    ),
    Fault("502 from a proxy, empty body", answer_with(response(b"502 Bad Gateway", b""))),
    Fault(
        "429 throttling every time (retried, then given up)",
        answer_with(
            response(
                b"429 Too Many Requests",
                b'{"__type":"TooManyRequestsException","message":"slow down"}',
            )
        ),
    ),
    Fault(
        "302 redirect elsewhere",
        answer_with(response(b"302 Found", b"", b"Location: http://198.51.100.1/\r\n")),
    ),
    Fault(
        "200 with a body that is not JSON", answer_with(response(b"200 OK", b"<html>hello</html>"))
    ),
    Fault("200 with a JSON array", answer_with(response(b"200 OK", b"[1,2,3]"))),
    Fault("200 with JSON nested 100000 deep", answer_with(response(b"200 OK", b"[" * 100_000))),
    Fault(
        "400 with an unknown error code",
        answer_with(response(b"400 Bad Request", b'{"__type":"com.example#Weird:x","message":7}')),
    ),
    Fault("answer in one-byte TCP segments", fragments(response(b"200 OK", ANSWER)), succeeds=True),
    Fault(
        "100 Continue before the answer",
        answer_with(b"HTTP/1.1 100 Continue\r\n\r\n" + response(b"200 OK", ANSWER)),
        succeeds=True,
    ),
    Fault(
        "answer without Content-Length, ended by close",
        answer_with(b"HTTP/1.1 200 OK\r\n" + JSON_HEADERS + b"Connection: close\r\n\r\n" + ANSWER),
        succeeds=True,
    ),
    Fault(
        "body dripped but within the deadline",
        drip(
            JSON_HEADERS.join(
                [b"HTTP/1.1 200 OK\r\n", b"Content-Length: %d\r\n\r\n" % len(ANSWER)]
            ),
            ANSWER,
            0.01,
        ),
        succeeds=True,
    ),
]


def closed_port_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/"


def judge(fault: Fault, outcome: object, elapsed: float) -> dict[str, object]:
    in_time = elapsed <= TIMEOUTS.deadline + MARGIN
    if fault.succeeds:
        ok = outcome == json.loads(ANSWER)
        shown = "answer" if ok else repr(outcome)[:80]
    else:
        ok = isinstance(outcome, CognitoError)
        shown = type(outcome).__name__
    return {"outcome": shown, "seconds": round(elapsed, 2), "passed": ok and in_time}


def sync_call(url: str) -> tuple[object, float]:
    started = time.monotonic()
    try:
        with CognitoClient(url, timeout=TIMEOUTS, retry=RETRY) as client:
            outcome: object = client.call("InitiateAuth", {"AuthFlow": "USER_SRP_AUTH"})
    except Exception as error:  # the point: anything at all is recorded, typed or not
        outcome = error
    return outcome, time.monotonic() - started


async def async_call(url: str) -> tuple[object, float]:
    started = time.monotonic()
    try:
        async with AsyncCognitoClient(url, timeout=TIMEOUTS, retry=RETRY) as client:
            outcome: object = await client.call("InitiateAuth", {"AuthFlow": "USER_SRP_AUTH"})
    except Exception as error:
        outcome = error
    return outcome, time.monotonic() - started


def main() -> None:
    rows = []
    for fault in FAULTS:
        server = FaultServer(fault.behaviour) if fault.behaviour is not None else None
        url = server.url if server is not None else closed_port_url()
        try:
            sync = judge(fault, *sync_call(url))
            async_ = judge(fault, *asyncio.run(async_call(url)))
        finally:
            if server is not None:
                server.close()
        rows.append({"fault": fault.name, "sync": sync, "async": async_})
        print(f"{fault.name}: {sync} {async_}", file=sys.stderr)
    json.dump({"deadline": TIMEOUTS.deadline, "margin": MARGIN, "rows": rows}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
