"""``requests`` auths that keep themselves current: SigV4 with a user's identity-pool
credentials, and a user's Cognito token as the ``Authorization`` header::

    credentials = CognitoCredentials(identity_pool_id, pool, user=user)
    requests.post(url, json=document, auth=CognitoSigV4Auth(credentials, "execute-api",
                                                            "eu-west-1"))
    requests.post(graphql_url, json=query, auth=CognitoBearerAuth(user, token="id"))

Each request is signed with what it actually sends. A body that is a file or an iterator
is signed ``UNSIGNED-PAYLOAD`` for S3, which allows it; for other services it is read
into memory first and sent as the bytes that were signed. The same two auths for httpx
are in :mod:`cognito_identity.httpx_auth`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, Protocol

from requests.auth import AuthBase
from requests.models import PreparedRequest

from cognito_identity.credentials_async import AsyncCognitoCredentials
from cognito_identity.errors import InvalidConfigurationError, SigV4Error
from cognito_identity.sigv4 import AwsSigV4Client, SigV4Auth

if TYPE_CHECKING:
    from cognito_identity.credentials import CognitoCredentials, TemporaryCredentials
    from cognito_identity.session import CognitoUserSession

__all__ = ["CognitoBearerAuth", "CognitoSigV4Auth", "SessionSource", "TokenKind"]

#: Which of the user's tokens a bearer auth sends.
TokenKind = Literal["id", "access"]


class SessionSource(Protocol):
    """What a bearer auth reads: a signed-in user (e.g. a
    :class:`~cognito_identity.user.CognitoUser`) whose session refreshes when due."""

    def get_session(self) -> CognitoUserSession:
        """A valid session, refreshed first when it has expired."""


class FreshSigner:
    """An :class:`AwsSigV4Client` for the credentials' current snapshot, made again
    only when the credentials were refreshed (shared by the requests and httpx auths).

    ``credentials`` may be an
    :class:`~cognito_identity.credentials_async.AsyncCognitoCredentials` only where the
    auth is awaited (httpx's ``AsyncClient``), which reads them itself.
    """

    def __init__(
        self,
        credentials: CognitoCredentials | AsyncCognitoCredentials,
        service: str,
        region: str,
    ) -> None:
        self.credentials = credentials
        self.service = service
        self.region = region
        self._last: tuple[TemporaryCredentials, AwsSigV4Client] | None = None

    def __repr__(self) -> str:
        return f"FreshSigner(service={self.service!r}, region={self.region!r})"

    def client_for(self, current: TemporaryCredentials) -> AwsSigV4Client:
        """The signing client of ``current`` (one tuple assignment: safe across threads)."""
        last = self._last
        if last is not None and last[0] is current:
            return last[1]
        client = AwsSigV4Client(
            current.access_key_id,
            current.secret_access_key,
            f"https://{self.service}.{self.region}.amazonaws.com/",
            service_name=self.service,
            region=self.region,
            session_token=current.session_token,
        )
        self._last = (current, client)
        return client

    def client(self) -> AwsSigV4Client:
        """The signing client of credentials valid for at least another minute (read
        here, without an event loop: asyncio credentials are refused)."""
        credentials = self.credentials
        if isinstance(credentials, AsyncCognitoCredentials):
            raise InvalidConfigurationError(
                "AsyncCognitoCredentials are awaited: sign with "
                "cognito_identity.httpx_auth.CognitoSigV4Auth on an httpx.AsyncClient"
            )
        return self.client_for(credentials.get_credentials())

    def is_s3(self, client: AwsSigV4Client) -> bool:
        """Whether the service is signed with S3's rules (which allow UNSIGNED-PAYLOAD)."""
        return client._signer.is_s3


def check_token_kind(token: str) -> TokenKind:
    """``token`` if it names a token a bearer auth can send, else a typed error."""
    if token == "id":
        return "id"
    if token == "access":
        return "access"
    raise InvalidConfigurationError(f"token must be 'id' or 'access', not {token!r}")


def bearer_value(session: CognitoUserSession, token: TokenKind, scheme: str | None) -> str:
    """The ``Authorization`` value: the session's token, after ``scheme`` if given."""
    jwt = (session.id_token if token == "id" else session.access_token).jwt_token
    return f"{scheme} {jwt}" if scheme else jwt


def _joined(chunks: Iterable[Any]) -> bytes:
    return b"".join(chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in chunks)


class CognitoSigV4Auth(AuthBase):
    """Signs each request with SigV4 for ``service`` in ``region``, with credentials
    that are always fresh (:meth:`CognitoCredentials.get_credentials` before each
    request: it refreshes them, once for all threads, when they near expiry).

    ``unsigned_payload`` signs ``UNSIGNED-PAYLOAD`` for every body (S3 only); file and
    streamed bodies are signed so for S3 in any case.
    """

    def __init__(
        self,
        credentials: CognitoCredentials,
        service: str,
        region: str,
        *,
        unsigned_payload: bool = False,
    ) -> None:
        self.signer = FreshSigner(credentials, service, region)
        self.unsigned_payload = unsigned_payload

    def __repr__(self) -> str:
        return f"CognitoSigV4Auth(service={self.signer.service!r}, region={self.signer.region!r})"

    def __call__(self, r: PreparedRequest) -> PreparedRequest:
        """Sign ``r`` in place and return it."""
        client = self.signer.client()
        unsigned = self.unsigned_payload
        if r.body is not None and not isinstance(r.body, (bytes, str)):
            if self.signer.is_s3(client):
                unsigned = True
            else:
                # Only S3 takes an unsigned body: send exactly the bytes that are signed.
                body: Any = r.body
                data = body.read() if hasattr(body, "read") else _joined(body)
                r.body = data.encode("latin-1") if isinstance(data, str) else bytes(data)
                r.headers.pop("Transfer-Encoding", None)
                r.headers["Content-Length"] = str(len(r.body))
        if unsigned and not self.signer.is_s3(client):
            raise SigV4Error(f"UNSIGNED-PAYLOAD is an S3 feature, not {self.signer.service!r}'s")
        return SigV4Auth(client, unsigned_payload=unsigned)(r)


class CognitoBearerAuth(AuthBase):
    """Sends the user's Cognito ``token`` (``"id"`` or ``"access"``) as the
    ``Authorization`` header, for API Gateway and AppSync user-pool authorizers.

    The session comes from ``user.get_session()`` for each request, so expired tokens
    are refreshed first. The token is sent as it is (what API Gateway's Cognito
    authorizer and AppSync read); give ``scheme="Bearer"`` for JWT authorizers that want
    ``Bearer <token>``.
    """

    def __init__(
        self, user: SessionSource, token: str = "id", *, scheme: str | None = None
    ) -> None:
        self.user = user
        self.token = check_token_kind(token)
        self.scheme = scheme

    def __repr__(self) -> str:
        return f"CognitoBearerAuth(user={self.user!r}, token={self.token!r})"

    def __call__(self, r: PreparedRequest) -> PreparedRequest:
        """Set ``Authorization`` on ``r`` and return it."""
        r.headers["Authorization"] = bearer_value(self.user.get_session(), self.token, self.scheme)
        return r
