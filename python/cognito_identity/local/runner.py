"""Run the local user pool: in a background thread (``with LocalCognito() as local:``) or
in the foreground for the CLI."""

from __future__ import annotations

import ipaddress
import logging
import os
import shutil
import tempfile
import threading
import weakref
from types import TracebackType

from cognito_identity.local.clock import Clock, SystemClock
from cognito_identity.local.context import ServerContext
from cognito_identity.local.faults import Faults
from cognito_identity.local.iam import IamCredentials, SignatureChecker
from cognito_identity.local.outbox import Outbox
from cognito_identity.local.server import CognitoHTTPServer, ServerLimits
from cognito_identity.local.store import Store
from cognito_identity.local.totp import totp_code
from cognito_identity.local.triggers import Triggers

__all__ = ["LocalCognito"]

# How often the accept loop checks for a stop request: bounds how long stop() takes.
_POLL_SECONDS = 0.05

log = logging.getLogger("cognito_identity.local")


class LocalCognito:
    """A Cognito-compatible user pool server on loopback.

    ``db`` is the SQLite file to keep data in (created if missing); without it the server
    uses a fresh temporary database, removed on :meth:`stop` (or, if ``stop`` is never
    called, when the object is collected or the interpreter exits). ``port=0`` picks a
    free port. ``clock`` replaces the wall clock (see :class:`ManualClock`) for tests.
    ``faults`` (a :class:`~cognito_identity.local.faults.Faults` or its spec, e.g.
    ``"throttle=0.05,latency=20ms,error=0.01,drop=0.01"``) are injected into every action
    request; ``GET /_local/stats`` counts what was served.
    ``iam_credentials`` (``"KEY:SECRET"``) makes the server check the SigV4 signature of
    every administrator call against that key, as Cognito checks IAM callers (see
    :mod:`cognito_identity.local.iam`); without it any call is accepted. ``limits``
    (:class:`ServerLimits`) caps connections and sets how long a client may take to send
    a request. ``credentials_lifetime`` is how many seconds the identity pools' AWS
    credentials last (an hour, as in Cognito); requests signed with them can be sent to
    ``<endpoint>/_local/aws/<service>/...``, which checks their signature as AWS does
    (see :mod:`cognito_identity.local.aws_endpoint`).

    >>> with LocalCognito() as local:          # doctest: +SKIP
    ...     boto3.client("cognito-idp", endpoint_url=local.endpoint, ...)
    """

    def __init__(
        self,
        db: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        region: str = "us-east-1",
        clock: Clock | None = None,
        faults: Faults | str | None = None,
        iam_credentials: str | None = None,
        limits: ServerLimits | None = None,
        credentials_lifetime: int = 3600,
    ) -> None:
        if credentials_lifetime < 1:
            raise ValueError("credentials_lifetime must be at least 1 second")
        injected = faults if isinstance(faults, Faults) else Faults.parse(faults)
        checker = (
            None
            if iam_credentials is None
            else SignatureChecker(IamCredentials.parse(iam_credentials), region)
        )
        tempdir: str | None = None
        if db is None:
            tempdir = tempfile.mkdtemp(prefix="cognito-local-")
            db = os.path.join(tempdir, "cognito.sqlite3")
        try:
            self._store = Store(db)
            self._context = ServerContext(
                self._store,
                clock or SystemClock(),
                region,
                faults=injected,
                signatures=checker,
                credentials_seconds=credentials_lifetime,
            )
            try:
                self._server = CognitoHTTPServer((host, port), self._context, limits)
            except BaseException:
                self._store.close()
                raise
        except BaseException:
            if tempdir is not None:
                _remove_folder(tempdir)
            raise
        # A temporary database lives as long as its store: removed by stop(), or when the
        # store is collected, or at interpreter exit, so that a server started without
        # stop() leaves no folder behind.
        self._cleanup = (
            None if tempdir is None else weakref.finalize(self._store, _remove_folder, tempdir)
        )
        bound_host, bound_port = self._server.server_address[:2]
        host_text = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
        shown_host = f"[{host_text}]" if ":" in host_text else host_text
        self._context.endpoint = f"http://{shown_host}:{bound_port}"
        if not _is_loopback(host_text):
            log.warning(
                "the local pool listens on %s, which is not loopback: whoever reaches it "
                "can create users and sign in as them, over plain HTTP",
                self._context.endpoint,
            )
        self._thread: threading.Thread | None = None
        self._serving = False

    @property
    def endpoint(self) -> str:
        """The URL to give a Cognito client as its endpoint, e.g. ``http://127.0.0.1:53211``."""
        return self._context.endpoint

    @property
    def outbox(self) -> Outbox:
        """The messages (codes) the pool would have e-mailed or texted."""
        return self._context.outbox

    @property
    def triggers(self) -> Triggers:
        """The pools' Lambda triggers as Python callables (see :mod:`.triggers`)."""
        return self._context.triggers

    @property
    def db_path(self) -> str:
        """The SQLite database file."""
        return self._store.path

    def totp_code(self, secret: str) -> str:
        """The code an authenticator app shows now for ``secret`` (the base32
        ``SecretCode`` of AssociateSoftwareToken), by this server's clock.

        A code is accepted once: to sign in again with TOTP in a test, advance a
        :class:`ManualClock` by 30 seconds first.
        """
        return totp_code(secret, self._context.clock.now())

    def start(self) -> LocalCognito:
        """Serve in a background thread; returns ``self``."""
        if self._thread is None:
            self._serving = True
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                args=(_POLL_SECONDS,),
                name="cognito-local",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`stop` is called from another one (or Ctrl-C)."""
        self._serving = True
        try:
            self._server.serve_forever(_POLL_SECONDS)
        finally:
            self._serving = False

    def stop(self) -> None:
        """Stop serving, close every connection and remove a temporary database."""
        if self._serving:
            self._server.shutdown()
            self._serving = False
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._store.close()
        if self._cleanup is not None:
            self._cleanup()

    def __enter__(self) -> LocalCognito:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _remove_folder(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)
