"""The HTTP/1.1 server: keep-alive connections, one thread each, bodies size-limited.

All protocol decisions are in :mod:`cognito_identity.local.protocol`; this module only
reads requests off sockets and writes replies back.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cognito_identity.local.context import ServerContext
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.protocol import Reply, error_reply, handle_get, not_found
from cognito_identity.local.serving import serve_action

__all__ = ["MAX_BODY_BYTES", "CognitoHTTPServer"]

log = logging.getLogger("cognito_identity.local")

MAX_BODY_BYTES = 1 << 20
# A body up to this size is read and dropped before refusing it, so the client sees the
# 413 instead of a reset connection; anything larger is refused without reading.
_MAX_DRAIN_BYTES = 16 << 20
_IDLE_TIMEOUT_SECONDS = 120


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = _IDLE_TIMEOUT_SECONDS
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # headers and body leave in one write, flushed per request
    server: CognitoHTTPServer

    def do_POST(self) -> None:
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
        if self.path.split("?", 1)[0] != "/":
            self._send(not_found())
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        target = self.headers.get("X-Amz-Target")
        reply = serve_action(self.server.context, target, body, headers, self.path)
        if reply is None:  # an injected fault: the connection drops without an answer
            self.close_connection = True
            return
        self._send(reply)

    def do_GET(self) -> None:
        self._send(handle_get(self.server.context, self.path))

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
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class CognitoHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server bound to ``context``; tracks sockets so it can close them."""

    # Connection threads are daemons, so the interpreter can exit even if the server is
    # never stopped; close_connections() ends and joins them itself.
    request_queue_size = 128  # load tests open many connections at once

    def __init__(self, address: tuple[str, int], context: ServerContext) -> None:
        self.context = context
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self._open: set[socket.socket] = set()
        self._workers: set[threading.Thread] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the new connection in its own thread, recorded so stop() can join it."""
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
            with self._open_lock:
                self._workers.discard(threading.current_thread())

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self, timeout: float = 10.0) -> None:
        """End every open keep-alive connection and wait for its thread (after
        ``shutdown()``), so that nothing uses the store once this returns."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        with self._open_lock:
            workers = list(self._workers)
        for worker in workers:
            worker.join(timeout)
