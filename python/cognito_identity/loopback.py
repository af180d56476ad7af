"""The hosted UI's redirect caught on a loopback port, as CLIs and desktop apps do it
(RFC 8252, section 7.3): a one-shot HTTP listener at the redirect URI's port, the browser
sent to the authorize URL, and the redirect's URL handed back."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import urlsplit

from cognito_identity.errors import CognitoTimeoutError, InvalidConfigurationError

__all__ = ["RedirectTimeoutError", "catch_redirect"]


class RedirectTimeoutError(CognitoTimeoutError):
    """No sign-in came back: the browser was not redirected to the loopback redirect URI
    in time (the user did not finish, or the page was closed). Nothing was sent to
    Cognito by this process, so it says nothing about whether Cognito is reachable."""

    code = "RedirectTimeout"


_DONE_PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signed in</title>'
    b"</head><body><p>You may close this window and return to the terminal.</p></body></html>"
)


class _Listener(HTTPServer):
    base: str
    path_wanted: str
    redirect: str | None
    arrived: threading.Event


class _Handler(BaseHTTPRequestHandler):
    server: _Listener

    def do_GET(self) -> None:
        if self.path.partition("?")[0] != self.server.path_wanted:
            self.send_error(404)
            return
        self.server.redirect = self.server.base + self.path
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(_DONE_PAGE)))
        self.end_headers()
        self.wfile.write(_DONE_PAGE)
        self.server.arrived.set()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the query holds the code: it is not logged


def catch_redirect(
    authorize_url: str,
    redirect_uri: str,
    *,
    timeout: float = 300.0,
    open_browser: Callable[[str], bool] = webbrowser.open,
    show: Callable[[str], None] = print,
) -> str:
    """Open ``authorize_url`` in a browser and return the URL the browser is redirected
    to, caught at ``redirect_uri`` (``http://127.0.0.1:<port>/<path>``, one of the app
    client's callback URLs). Without a browser the URL is shown for the user to open.
    Raises :class:`RedirectTimeoutError` when no redirect comes within ``timeout`` seconds.
    """
    parts = urlsplit(redirect_uri)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise InvalidConfigurationError("the redirect URI must be http on a loopback address")
    if parts.port is None:
        raise InvalidConfigurationError("the redirect URI must name its port")
    listener = _Listener((parts.hostname, parts.port), _Handler)
    listener.base = f"{parts.scheme}://{parts.netloc}"
    listener.path_wanted = parts.path or "/"
    listener.redirect = None
    listener.arrived = threading.Event()
    thread = threading.Thread(target=listener.serve_forever, name="oauth-redirect", daemon=True)
    thread.start()
    try:
        if not open_browser(authorize_url):
            show(f"Open this address in a browser to sign in:\n{authorize_url}")
        else:
            show("Sign in in the browser window that opened (waiting for the redirect)...")
        if not listener.arrived.wait(timeout) or listener.redirect is None:
            raise RedirectTimeoutError(
                f"timed out waiting for the browser's redirect to {redirect_uri}:"
                f" no sign-in came back within {timeout:g} seconds"
            )
        return listener.redirect
    finally:
        listener.shutdown()
        listener.server_close()
        thread.join()
