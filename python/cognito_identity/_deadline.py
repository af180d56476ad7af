"""A deadline for the whole of a ``requests`` call, the wait for the status line and
headers included.

requests' read timeout bounds each wait for data, so a server that sends a header byte
every second keeps a call open forever. The sessions :class:`RequestsTransport` makes
mount :class:`DeadlineAdapter`, whose connections tell the calling thread's
:class:`SocketWatch` which socket they wait on; at the deadline the watch shuts that
socket down, which wakes the blocked read.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.response import HTTPResponse

__all__ = ["DeadlineAdapter", "SocketWatch", "watching"]

_current = threading.local()


class SocketWatch:
    """The socket one call waits on; :meth:`expire` (at the deadline) shuts it down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._expired = False

    def note(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            expired = self._expired
        if expired:
            self._shut(sock)

    def expire(self) -> None:
        with self._lock:
            self._expired = True
            sock = self._sock
        self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket | None) -> None:
        # Shutting the socket down (not closing it) wakes a recv blocked in another thread.
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def watching(seconds: float) -> Iterator[SocketWatch]:
    """Watch this thread's next connection for ``seconds``, then shut it down."""
    watch = SocketWatch()
    timer = threading.Timer(max(seconds, 0.0), watch.expire)
    timer.daemon = True
    _current.watch = watch
    timer.start()
    try:
        yield watch
    finally:
        timer.cancel()
        _current.watch = None


def _note(sock: socket.socket | None) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None:
        watch.note(sock)


class _WatchedHTTPConnection(HTTPConnection):
    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        _note(self.sock)
        return super().getresponse()


class _WatchedHTTPSConnection(HTTPSConnection):
    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        _note(self.sock)
        return super().getresponse()


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter, with connections a :func:`watching` block can shut down."""

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }
