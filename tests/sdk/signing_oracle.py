"""A loopback HTTP server that records each request as it arrived, and botocore's
signature for such a request: the oracle the auth classes' signatures are compared with."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from cognito_identity.credentials import TemporaryCredentials

_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/[^,]+, "
    r"SignedHeaders=(?P<signed>[^,]+), Signature=(?P<signature>[0-9a-f]{64})$"
)


@dataclass(frozen=True)
class Received:
    """One request as the server read it off the socket."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def access_key_id(self) -> str:
        return self._part("key")

    @property
    def signature(self) -> str:
        return self._part("signature")

    def _part(self, name: str) -> str:
        match = _AUTHORIZATION.match(self.headers.get("authorization", ""))
        assert match is not None, f"not a SigV4 Authorization: {self.headers.get('authorization')}"
        return match.group(name)

    def botocore_signature(
        self, credentials: TemporaryCredentials, service: str, region: str
    ) -> str:
        """The signature botocore computes for this request, as received, with its
        signed headers, at its X-Amz-Date."""
        match = _AUTHORIZATION.match(self.headers["authorization"])
        assert match is not None
        signed = match.group("signed").split(";")
        request = AWSRequest(
            self.method,
            f"http://{self.headers['host']}{self.path}",
            headers={name: self.headers[name] for name in signed},
            data=self.body,
        )
        request.context["timestamp"] = self.headers["x-amz-date"]
        signer_class = botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth
        signer = signer_class(
            Credentials(
                credentials.access_key_id,
                credentials.secret_access_key,
                credentials.session_token,
            ),
            service,
            region,
        )
        canonical = signer.canonical_request(request)
        return str(signer.signature(signer.string_to_sign(request, canonical), request))


@contextmanager
def echo_server() -> Iterator[tuple[str, list[Received]]]:
    """A server on loopback answering 200 with a small JSON to every request; yields its
    base URL and the list of requests it received."""
    received: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            received.append(Received(self.command, self.path, headers, body))
            answer = json.dumps({"received": len(body)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
