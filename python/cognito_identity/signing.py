"""SigV4 signing of Cognito calls with IAM credentials, for the admin API.

A :class:`SigV4Signer` is a :class:`~cognito_identity.client.RequestSigner`: give it to a
:class:`~cognito_identity.client.CognitoClient` and every call it sends carries an
``Authorization`` header signed for ``cognito-idp`` in the region::

    signer = SigV4Signer(AwsCredentials("AKIA...", secret), "eu-west-1")
    client = CognitoClient(user_pool_endpoint("eu-west-1"), signer=signer)

Credentials are given explicitly (:class:`AwsCredentials`, or any botocore credentials
object) or, when none are given, taken from botocore's credential chain (environment,
shared files, instance and container roles), if botocore is installed. Credentials that
refresh themselves (assumed roles, instance roles) are read afresh for every request.
The canonicalisation, hashing and signing run in Rust (:mod:`cognito_identity.sigv4`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol, Union, runtime_checkable

from cognito_identity._native import SigV4Signer as _NativeSigner
from cognito_identity._protocol import HttpRequest
from cognito_identity.errors import CredentialsError
from cognito_identity.sigv4 import DateTime, _amz_date

__all__ = ["AwsCredentials", "BotocoreCredentials", "Credentials", "SigV4Signer"]

#: The signing name of Cognito user pools.
USER_POOLS_SERVICE = "cognito-idp"


@dataclass(frozen=True)
class AwsCredentials:
    """An IAM access key, its secret and, for temporary credentials, a session token.
    The secret and the token never appear in a repr."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)


@runtime_checkable
class BotocoreCredentials(Protocol):
    """What is used of a botocore credentials object (``Credentials``,
    ``RefreshableCredentials``): a consistent snapshot, refreshed when due."""

    def get_frozen_credentials(self) -> Any:
        """``ReadOnlyCredentials(access_key, secret_key, token)``."""


#: Credentials a signer takes.
Credentials = Union[AwsCredentials, BotocoreCredentials]


def botocore_credentials() -> BotocoreCredentials:
    """The credentials botocore's default chain finds (botocore is imported only here).

    Raises :class:`CredentialsError` when botocore is not installed or finds none.
    """
    try:
        import botocore.session
    except ImportError:
        raise CredentialsError(
            "no IAM credentials given, and botocore (which would find them) is not "
            "installed: pass credentials=AwsCredentials(...) or pip install 'cognito-identity[iam]'"
        ) from None
    found = botocore.session.get_session().get_credentials()
    if found is None:
        raise CredentialsError("botocore's credential chain found no IAM credentials")
    return found  # type: ignore[no-any-return]


class SigV4Signer:
    """Signs each request with SigV4 for ``service`` in ``region``.

    ``credentials`` default to botocore's credential chain (see
    :func:`botocore_credentials`); a botocore credentials object is read afresh for
    every request, so credentials that refresh themselves stay current. Raises
    :class:`~cognito_identity.errors.SigV4Error` for a region, service or key that
    cannot be used.
    """

    def __init__(
        self,
        credentials: Credentials | None,
        region: str,
        service: str = USER_POOLS_SERVICE,
    ) -> None:
        self.region = region
        self.service = service
        self._endpoint = f"https://{service}.{region}.amazonaws.com/"
        self._source: BotocoreCredentials | None = None
        self._static: _NativeSigner | None = None
        self._access_key_id: str | None = None
        # For a botocore source: the last snapshot and the Rust signer made from it.
        self._lock = threading.Lock()
        self._last: tuple[tuple[str, str, str | None], _NativeSigner] | None = None
        if credentials is None:
            credentials = botocore_credentials()
        if isinstance(credentials, AwsCredentials):
            self._static = self._native(
                credentials.access_key_id,
                credentials.secret_access_key,
                credentials.session_token,
            )
            self._access_key_id = credentials.access_key_id
        elif isinstance(credentials, BotocoreCredentials):
            self._source = credentials
        else:
            raise CredentialsError(
                f"unsupported credentials {type(credentials).__name__}: "
                "use AwsCredentials or a botocore credentials object"
            )

    def __repr__(self) -> str:
        key = self._access_key_id if self._static is not None else "<from botocore>"
        return (
            f"SigV4Signer(access_key_id={key!r}, region={self.region!r}, service={self.service!r})"
        )

    def _native(self, access_key: str, secret: str, token: str | None) -> _NativeSigner:
        if not access_key or not secret:
            raise CredentialsError("IAM credentials need an access key id and a secret key")
        return _NativeSigner(access_key, secret, self._endpoint, self.region, self.service, token)

    def _current(self) -> _NativeSigner:
        if self._static is not None:
            return self._static
        assert self._source is not None
        frozen = self._source.get_frozen_credentials()
        snapshot = (
            getattr(frozen, "access_key", None),
            getattr(frozen, "secret_key", None),
            getattr(frozen, "token", None),
        )
        access_key, secret, token = snapshot
        if not isinstance(access_key, str) or not isinstance(secret, str):
            raise CredentialsError("botocore's credentials lack an access key or a secret key")
        with self._lock:
            if self._last is not None and self._last[0] == snapshot:
                return self._last[1]
            signer = self._native(access_key, secret, token if isinstance(token, str) else None)
            self._last = ((access_key, secret, token), signer)
            return signer

    def sign(self, request: HttpRequest, *, datetime: DateTime = None) -> HttpRequest:
        """``request`` with its SigV4 headers added (``Authorization``, ``X-Amz-Date``
        and, for temporary credentials, ``X-Amz-Security-Token``).

        ``datetime`` fixes the signing time (default: now).
        """
        _method, url, headers, _steps = self._current().sign_url(
            request.method, request.url, request.headers, request.body, _amz_date(datetime)
        )
        return HttpRequest(url, headers, request.body, request.action, request.method)
