"""The HTTP/1.1 server: keep-alive connections, one thread each, within limits.

All protocol decisions are in :mod:`cognito_identity.local.protocol`; this module only
reads requests off sockets and writes replies back, within :class:`ServerLimits`:

* at most ``max_connections`` connections are served at once; a connection over the cap
  waits in the listen queue until one closes;
* a request (line, headers and body) must arrive within ``header_timeout`` seconds of
  the connection opening, and a kept-alive connection must send its next request within
  ``idle_timeout``; a watchdog closes any connection that overstays (so a client that
  drips its headers, or opens connections and sends nothing, holds a thread only briefly);
* bodies are size-limited, and actions take only ``application/x-amz-json-1.0`` or
  ``1.1`` bodies (a request without a Content-Type is read as JSON).

Each request is logged on ``cognito_identity.local.access`` at INFO: client, action (or
path), status and milliseconds, never a header or body value.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cognito_identity.local.aws_endpoint import handle_aws, is_aws_path
from cognito_identity.local.aws_signatures import Received
from cognito_identity.local.context import ServerContext
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.oauth.endpoints import handle_oauth, is_oauth_path
from cognito_identity.local.protocol import Reply, error_reply, handle_get, not_found
from cognito_identity.local.serving import serve_action

__all__ = ["MAX_BODY_BYTES", "CognitoHTTPServer", "ServerLimits"]

log = logging.getLogger("cognito_identity.local")
access_log = logging.getLogger("cognito_identity.local.access")

MAX_BODY_BYTES = 1 << 20
# A body up to this size is read and dropped before refusing it, so the client sees the
# 413 instead of a reset connection; anything larger is refused without reading.
_MAX_DRAIN_BYTES = 16 << 20
_JSON_TYPES = ("application/x-amz-json-1.0", "application/x-amz-json-1.1")
# How often the watchdog looks for connections past their deadline.
_WATCH_SECONDS = 0.1


@dataclass(frozen=True)
class ServerLimits:
    """How much the server takes on: connections served at once, and how long a
    connection may take to send a request (``header_timeout``, from when it opens) or to
    start its next one (``idle_timeout``, after a response), in seconds."""

    max_connections: int = 1024
    header_timeout: float = 10.0
    idle_timeout: float = 60.0

    def __post_init__(self) -> None:
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        if self.header_timeout <= 0 or self.idle_timeout <= 0:
            raise ValueError("timeouts must be positive")


class _Watchdog:
    """Closes connections that do not deliver a request by their deadline."""

    def __init__(self) -> None:
        self._deadlines: dict[socket.socket, float] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="cognito-local-watchdog", daemon=True
        )
        self._thread.start()

    def expect(self, sock: socket.socket, seconds: float) -> None:
        """``sock`` must deliver a whole request within ``seconds``."""
        with self._lock:
            self._deadlines[sock] = time.monotonic() + seconds

    def clear(self, sock: socket.socket) -> None:
        """``sock`` delivered its request (or is gone): no deadline."""
        with self._lock:
            self._deadlines.pop(sock, None)

    def stop(self) -> None:
        """End the watchdog's thread."""
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(_WATCH_SECONDS):
            now = time.monotonic()
            with self._lock:
                late = [sock for sock, deadline in self._deadlines.items() if deadline <= now]
                for sock in late:
                    del self._deadlines[sock]
            for sock in late:
                # The connection's thread, blocked reading, sees the end of the stream.
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return True
    return content_type.split(";", 1)[0].strip().lower() in _JSON_TYPES


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # headers and body leave in one write, flushed per request
    server: CognitoHTTPServer
    _served = 0
    _started = 0.0
    _label = ""

    def setup(self) -> None:
        super().setup()
        # A socket timeout backs the watchdog up, should a read outlive its deadline.
        limits = self.server.limits
        self.connection.settimeout(max(limits.header_timeout, limits.idle_timeout) + 5)

    def handle_one_request(self) -> None:
        limits = self.server.limits
        wait = limits.header_timeout if self._served == 0 else limits.idle_timeout
        self.server.watchdog.expect(self.connection, wait)
        self._started = time.perf_counter()
        self._label = ""
        try:
            super().handle_one_request()
        finally:
            self.server.watchdog.clear(self.connection)
            self._served += 1

    def do_POST(self) -> None:
        if is_aws_path(self.path):
            self._serve_aws()
            return
        length_header = self.headers.get("Content-Length")
        try:
            length = int(length_header) if length_header is not None else 0
        except ValueError:
            length = -1
        if length < 0 or self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._send(error_reply(ServiceError.serialization("Invalid Content-Length")))
            return
        if length > MAX_BODY_BYTES:
            self._refuse_large(length)
            return
        body = self.rfile.read(length)
        self.server.watchdog.clear(self.connection)
        if len(body) < length:
            # Cut off before the body was whole (its deadline passed): nothing to answer.
            self.close_connection = True
            return
        target = self.headers.get("X-Amz-Target")
        self._label = (target or "-").rpartition(".")[2][:64]
        if is_oauth_path(self.path):
            self._label = self.path.split("?", 1)[0][:64]
            self._send(
                handle_oauth(self.server.context, "POST", self.path, dict(self.headers), body)
            )
            return
        if self.path.split("?", 1)[0] != "/":
            self._send(not_found())
            return
        if not _is_json(self.headers.get("Content-Type")):
            self._send(error_reply(ServiceError.unsupported_content_type()))
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = serve_action(self.server.context, target, body, headers, self.path)
        if reply is None:  # an injected fault: the connection drops without an answer
            self.close_connection = True
            return
        self._send(reply)

    def do_GET(self) -> None:
        if is_aws_path(self.path):
            self._serve_aws()
            return
        self.server.watchdog.clear(self.connection)
        self._label = self.path.split("?", 1)[0][:64]
        if is_oauth_path(self.path):
            self._send(handle_oauth(self.server.context, "GET", self.path, dict(self.headers), b""))
            return
        self._send(handle_get(self.server.context, self.path))

    def _serve_aws(self) -> None:
        """The signed-request endpoint (any method): read the body, check, answer."""
        self._label = self.path.split("?", 1)[0][:64]
        body = self._read_any_body()
        self.server.watchdog.clear(self.connection)
        if body is None:
            return
        request = Received(self.command, self.path, list(self.headers.items()), body)
        self._send(handle_aws(self.server.context, request))

    def _other_method(self) -> None:
        if is_aws_path(self.path):
            self._serve_aws()
            return
        self.server.watchdog.clear(self.connection)
        self.close_connection = True  # any body is left unread
        self.send_error(501, f"Unsupported method ({self.command!r})")

    do_PUT = do_DELETE = do_HEAD = do_PATCH = _other_method

    def _read_any_body(self) -> bytes | None:
        """The body, by Content-Length or chunked; None once refused (or cut off)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(error_reply(ServiceError.serialization("Invalid Content-Length")))
            return None
        if length > MAX_BODY_BYTES:
            self._refuse_large(length)
            return None
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return None
        return body

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                self.close_connection = True
                self._send(error_reply(ServiceError.serialization("Invalid chunked body")))
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                self.close_connection = True
                self._send(error_reply(ServiceError.too_large(MAX_BODY_BYTES)))
                return None
            chunk = self.rfile.read(size)
            self.rfile.readline(1024)
            if len(chunk) < size:
                self.close_connection = True
                return None
            chunks.append(chunk)

    def _refuse_large(self, length: int) -> None:
        if length <= _MAX_DRAIN_BYTES:
            remaining = length
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
        self.close_connection = True
        self._send(error_reply(ServiceError.too_large(MAX_BODY_BYTES)))

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)
        access_log.info(
            "%s %s %s %d %.1f ms",
            self.client_address[0],
            self.command,
            self._label,
            reply.status,
            (time.perf_counter() - self._started) * 1000,
        )

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The path only: a query can carry secrets (a presigned URL's session token).
        route = self.path.split("?", 1)[0][:200]
        log.debug('%s "%s %s" %s', self.address_string(), self.command, route, code)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class CognitoHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server bound to ``context``; tracks sockets so it can close them."""

    # Connection threads are daemons, so the interpreter can exit even if the server is
    # never stopped; close_connections() ends and joins them itself.
    # Load tests open many connections at once; those over the cap wait here.
    request_queue_size = 2048

    def __init__(
        self,
        address: tuple[str, int],
        context: ServerContext,
        limits: ServerLimits | None = None,
    ) -> None:
        self.context = context
        self.limits = limits or ServerLimits()
        self._slots = threading.BoundedSemaphore(self.limits.max_connections)
        self._closing = threading.Event()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self._open: set[socket.socket] = set()
        self._workers: set[threading.Thread] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)
        self.watchdog = _Watchdog()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the new connection in its own thread, recorded so stop() can join it;
        at the cap, wait for a connection to close first."""
        while not self._slots.acquire(timeout=_WATCH_SECONDS):
            if self._closing.is_set():
                self.shutdown_request(request)
                return
        worker = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True
        )
        with self._open_lock:
            self._open.add(request)
            self._workers.add(worker)
        worker.start()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            # This thread ends with its HTTP connection: its database connection is reused.
            self.context.store.release()
            self.watchdog.clear(request)
            with self._open_lock:
                self._workers.discard(threading.current_thread())
            self._slots.release()

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def shutdown(self) -> None:
        """Stop the accept loop, even while it waits for a free connection slot."""
        self._closing.set()
        super().shutdown()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client gone mid-reply (or a connection the watchdog closed) is no server fault.
        log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def close_connections(self, timeout: float = 10.0) -> None:
        """End every open keep-alive connection and wait for its thread (after
        ``shutdown()``), so that nothing uses the store once this returns."""
        self._closing.set()
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        with self._open_lock:
            workers = list(self._workers)
        for worker in workers:
            worker.join(timeout)
        self.watchdog.stop()
