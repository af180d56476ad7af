"""Temporary AWS credentials from a Cognito identity pool (GetId, GetCredentialsForIdentity).

:class:`CognitoCredentials` turns a signed-in user's id token (or nothing, for a guest)
into an access key, secret key and session token, as the original SDK does, with its
quirk Q20 fixed:

* the identity pool's region (from its id, ``"<region>:<uuid>"``) is used for both calls,
  and the identity endpoint can be changed (a local pool serves both services);
* cached credentials are reused only for the same kind of identity and the same logins;
* the IdentityId is cached per identity pool AND per kind (guest, or the login provider),
  so a guest and a signed-in user never share one.

The IdentityId cache lives in the user pool's storage under
``aws.cognito.identity-id.<identity pool id>.<kind>``.

Give ``user=`` and :meth:`CognitoCredentials.get_credentials` fetches and refreshes by
itself, from the user's current session. One object may be shared by many threads: one
fetch at a time reaches the identity pool, and every reader gets a consistent
:class:`TemporaryCredentials` snapshot.

What to fetch, when, and what to do with the answers is decided once, without IO, by
:class:`CredentialsCore` and :class:`IdentityIdCore`: they write each fetch as a flow
(see :mod:`cognito_identity.client`) that yields the identity pool calls it needs. The
sync classes here drive those flows over a
:class:`~cognito_identity.client.CognitoClient`;
:class:`~cognito_identity.credentials_async.AsyncCognitoCredentials` drives the same
flows over an asyncio client.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from cognito_identity._decode import timestamp_field
from cognito_identity.client import (
    IDENTITY_POOLS,
    Call,
    CognitoClient,
    Flow,
    identity_pool_endpoint,
)
from cognito_identity.errors import (
    CognitoClientException,
    CognitoResponseError,
    InvalidConfigurationError,
    MalformedTokenError,
    NotAuthenticatedError,
)
from cognito_identity.jwt import decode
from cognito_identity.sigv4 import AwsSigV4Client

if TYPE_CHECKING:
    from cognito_identity.client import _ClientCore
    from cognito_identity.pool import CognitoUserPool, PoolSettings
    from cognito_identity.session import CognitoUserSession
    from cognito_identity.user import CognitoUser
    from cognito_identity.user_core import UserCore

__all__ = [
    "GUEST",
    "CognitoCredentials",
    "CognitoIdentityId",
    "CredentialsCore",
    "IdentityIdCore",
    "TemporaryCredentials",
    "identity_id_key",
]

T = TypeVar("T")
#: The client a front end drives the flows over (sync or asyncio).
ClientT = TypeVar("ClientT", bound="_ClientCore")

#: The kind of an identity without a login, in :func:`identity_id_key`.
GUEST = "unauthenticated"
# "<region>:<uuid>", e.g. "eu-west-1:0b2c...": the region is what comes before the colon.
_IDENTITY_POOL_ID = re.compile(r"^([\w-]+):[0-9a-f-]+$")
# Credentials this close to their expiry are fetched again, as in the original SDK.
_EXPIRY_MARGIN_SECONDS = 60
# Errors of GetCredentialsForIdentity that a stale cached IdentityId can cause.
_STALE_IDENTITY = frozenset({"NotAuthorizedException", "ResourceNotFoundException"})


def _now() -> float:
    """This machine's clock, in seconds since the epoch (one place, so tests can move it)."""
    return time.time()


@dataclass(frozen=True)
class TemporaryCredentials:
    """One consistent set of temporary AWS credentials from an identity pool.

    The secret key and session token never appear in a repr. ``access_key``,
    ``secret_key`` and ``token`` are botocore's names for the same values, so a snapshot
    can stand where botocore's ``ReadOnlyCredentials`` is read.
    """

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str = field(repr=False)
    #: When the credentials expire (timezone-aware, UTC).
    expiration: datetime
    #: The identity they were issued to.
    identity_id: str

    @property
    def access_key(self) -> str:
        """botocore's name of :attr:`access_key_id`."""
        return self.access_key_id

    @property
    def secret_key(self) -> str:
        """botocore's name of :attr:`secret_access_key`."""
        return self.secret_access_key

    @property
    def token(self) -> str:
        """botocore's name of :attr:`session_token`."""
        return self.session_token

    @property
    def expiration_timestamp(self) -> int:
        """:attr:`expiration` in seconds since the epoch."""
        return int(self.expiration.timestamp())

    def expires_within(self, seconds: float) -> bool:
        """Whether these credentials expire within ``seconds`` from now."""
        return _now() > self.expiration_timestamp - seconds


def identity_id_key(identity_pool_id: str, kind: str) -> str:
    """The storage key of the cached IdentityId of ``kind`` (:data:`GUEST` or a login
    provider name) in an identity pool."""
    return f"aws.cognito.identity-id.{identity_pool_id}.{kind}"


def identity_client(pool: CognitoUserPool, endpoint: str) -> CognitoClient:
    """The identity pool client at ``endpoint`` that shares the user pool's client: its
    connections, timeouts, retry policy and hooks (see :meth:`CognitoClient.for_service`).
    Made afresh for each use, so it follows a client replaced on the pool."""
    return pool.transport.for_service(IDENTITY_POOLS, endpoint)


def call_identity_pools(
    client: CognitoClient, action: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """``client.call`` of an identity pool action; service and endpoint are named, so that
    a wrapper of ``call`` sees where the call goes."""
    return client.call(action, params, service=client.service, endpoint=client.endpoint)


def run_identity_flow(client: CognitoClient, flow: Flow[T]) -> T:
    """Drive an identity pool ``flow`` over ``client``: each call it yields goes through
    :func:`call_identity_pools`, and a refusal is thrown back into the flow."""
    try:
        step = next(flow)
        while True:
            try:
                answer = call_identity_pools(client, step.action, step.params)
            except CognitoClientException as error:
                step = flow.throw(error)
            else:
                step = flow.send(answer)
    except StopIteration as done:
        result: T = done.value
        return result


class IdentityIdCore:
    """The IdentityId of one kind of identity in an identity pool, minus the IO of its
    call: the storage that caches it, and GetId as a flow.

    ``logins`` maps a provider name to its token; leave it empty for a guest identity.
    """

    def __init__(
        self,
        identity_pool_id: str,
        pool: PoolSettings,
        endpoint: str,
        logins: Mapping[str, str] | None = None,
    ) -> None:
        self.identity_pool_id = identity_pool_id
        self.logins = dict(logins or {})
        self._pool = pool
        self._endpoint = endpoint
        #: :data:`GUEST`, or the login provider names (comma-separated, sorted).
        self.kind = ",".join(sorted(self.logins)) or GUEST
        self.storage_key = identity_id_key(identity_pool_id, self.kind)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(storage_key={self.storage_key!r})"

    def _cached(self) -> str | None:
        return self._pool.storage.get_item(self.storage_key)

    def _forget(self) -> str | None:
        return self._pool.storage.remove_item(self.storage_key)

    def _identity_id_flow(self) -> Flow[str]:
        """The cached IdentityId, or a new one from GetId (then cached)."""
        cached = self._cached()
        if cached:
            return cached
        answer = yield Call(
            "GetId",
            {"IdentityPoolId": self.identity_pool_id, "Logins": self.logins or None},
            IDENTITY_POOLS,
        )
        identity_id = answer.get("IdentityId")
        if not isinstance(identity_id, str) or not identity_id:
            raise CognitoResponseError("GetId answered without an IdentityId")
        self._pool.storage.set_item(self.storage_key, identity_id)
        return identity_id


class CognitoIdentityId(IdentityIdCore):
    """The IdentityId of one kind of identity in an identity pool: cached, else GetId.

    ``logins`` maps a provider name to its token; leave it empty for a guest identity.
    GetId goes through ``client`` (a
    :class:`~cognito_identity.client.CognitoIdentityClient`) when given, else through an
    identity pool client at ``endpoint`` that shares the user pool's client.
    """

    _pool: CognitoUserPool

    def __init__(
        self,
        identity_pool_id: str,
        pool: CognitoUserPool,
        endpoint: str,
        logins: Mapping[str, str] | None = None,
        *,
        client: CognitoClient | None = None,
    ) -> None:
        super().__init__(identity_pool_id, pool, endpoint, logins)
        self._client = client

    def cached_identity_id(self) -> str | None:
        """The cached IdentityId, or None."""
        return self._cached()

    def get_identity_id(self) -> str:
        """The cached IdentityId, or a new one from GetId (then cached)."""
        client = self._client or identity_client(self._pool, self._endpoint)
        return run_identity_flow(client, self._identity_id_flow())

    def remove_identity_id(self) -> str | None:
        """Forget the cached IdentityId; return it (None if there was none)."""
        return self._forget()


class CredentialsCore(Generic[ClientT]):
    """What :class:`CognitoCredentials` and its asyncio twin share: the settings, the
    credentials held and whose they are, and every decision about them, with each fetch
    written as a flow. A front end adds the locking and drives the flows over its client.

    The attributes are those documented on :class:`CognitoCredentials`.
    """

    pool: PoolSettings
    user: UserCore | None

    def __init__(
        self,
        identity_pool_id: str,
        pool: PoolSettings,
        region: str | None,
        endpoint: str | None,
        user: UserCore | None,
        client: ClientT | None,
    ) -> None:
        match = _IDENTITY_POOL_ID.match(identity_pool_id)
        if match is None:
            raise InvalidConfigurationError(
                f"invalid identity pool id {identity_pool_id!r}: expected '<region>:<uuid>'"
            )
        self.identity_pool_id = identity_pool_id
        self.pool = pool
        self.user = user
        self.region = region or match.group(1)
        self.endpoint = (
            endpoint
            or (client.endpoint if client is not None else None)
            or identity_pool_endpoint(self.region)
        )
        if client is not None and client.endpoint != self.endpoint:
            client = client.for_service(client.service, self.endpoint)
        self.client: ClientT | None = client
        self._current: TemporaryCredentials | None = None
        # Whose credentials these are: the logins they were fetched with (empty: a guest).
        self._owner: dict[str, str] | None = None
        # Whether the held credentials came from ``user`` (not an explicit get_*_aws_*).
        self._from_user = False
        # The logins last asked for, used to refresh when there is no ``user``.
        self._last_logins: dict[str, str] | None = None
        self._kinds_used: set[str] = set()
        # One fetch at a time (the front ends hold it around every flow); readers of a
        # fresh snapshot never wait.
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(identity_pool_id={self.identity_pool_id!r}, "
            f"identity_id={self.identity_id!r}, access_key_id={self.access_key_id!r}, "
            f"expire_time={self.expire_time!r})"
        )

    @property
    def access_key_id(self) -> str | None:
        """The access key id of the last credentials fetched (None before, or after a
        reset)."""
        return self._current.access_key_id if self._current else None

    @property
    def secret_access_key(self) -> str | None:
        """The secret key of the last credentials fetched."""
        return self._current.secret_access_key if self._current else None

    @property
    def session_token(self) -> str | None:
        """The session token of the last credentials fetched."""
        return self._current.session_token if self._current else None

    @property
    def expire_time(self) -> datetime | None:
        """When the last credentials fetched expire (timezone-aware, UTC)."""
        return self._current.expiration if self._current else None

    @property
    def expire_timestamp(self) -> int | None:
        """:attr:`expire_time` in seconds since the epoch."""
        return self._current.expiration_timestamp if self._current else None

    @property
    def identity_id(self) -> str | None:
        """The IdentityId the last credentials were issued to."""
        return self._current.identity_id if self._current else None

    def default_authenticator(self, token: str) -> str:
        """The login provider name of the user pool's id ``token``.

        It is the token's ``iss`` without its scheme when that names this user pool (for
        AWS: ``cognito-idp.<region>.amazonaws.com/<user pool id>``; for a local pool: its
        host, port and pool id), else AWS's form.
        """
        aws_form = f"cognito-idp.{self.pool.region}.amazonaws.com/{self.pool.user_pool_id}"
        try:
            issuer = decode(token)[1].get("iss")
        except MalformedTokenError:
            return aws_form
        if isinstance(issuer, str) and issuer.endswith("/" + self.pool.user_pool_id):
            return issuer.split("://", 1)[-1]
        return aws_form

    # --- Decisions, for the front ends ---

    def _held(self, min_lifetime: float) -> TemporaryCredentials | None:
        """The held credentials if they came from what ``get_credentials`` fetches with
        and live ``min_lifetime`` more seconds, else None (then a fetch is due)."""
        current = self._current
        if (
            current is not None
            and self._is_source(current)
            and not current.expires_within(min_lifetime)
        ):
            return current
        return None

    def _login(self, token: str, authenticator: str | None) -> dict[str, str]:
        """The logins of ``token`` from ``authenticator`` (default: this user pool)."""
        return {authenticator or self.default_authenticator(token): token}

    def _user_logins(self, session: CognitoUserSession) -> dict[str, str]:
        """The logins of ``user``'s current ``session``: its id token."""
        return self._login(session.id_token.jwt_token, None)

    def _last_logins_or_raise(self) -> dict[str, str]:
        if self._last_logins is None:
            raise NotAuthenticatedError(
                "no AWS credentials to refresh: give user= or call get_aws_credentials "
                "or get_guest_aws_credentials first"
            )
        return self._last_logins

    def _signing_client(
        self,
        current: TemporaryCredentials,
        endpoint: str,
        service_name: str,
        region: str | None,
    ) -> AwsSigV4Client:
        return AwsSigV4Client(
            current.access_key_id,
            current.secret_access_key,
            endpoint,
            service_name=service_name,
            region=region or self.region,
            session_token=current.session_token,
        )

    def _reset(self) -> None:
        """Forget the credentials and every IdentityId cached (storage IO; the lock is
        held)."""
        for kind in self._kinds_used:
            self.pool.storage.remove_item(identity_id_key(self.identity_pool_id, kind))
        self._kinds_used.clear()
        self._last_logins = None
        self._forget_credentials()

    def _forget_credentials(self) -> None:
        self._current = None
        self._owner = None
        self._from_user = False

    def _is_source(self, current: TemporaryCredentials) -> bool:
        """Whether ``current`` came from what ``get_credentials`` fetches with."""
        if self.user is not None:
            return self._from_user
        return self._owner is not None and self._owner == self._last_logins

    def _fresh_for(self, logins: dict[str, str], min_lifetime: float) -> bool:
        return (
            self._owner == logins
            and self._current is not None
            and not self._current.expires_within(min_lifetime)
        )

    def _same_identity(self, logins: dict[str, str]) -> bool:
        """Whether ``logins`` is the held user's with a newer token (a refresh of the
        same ``user``), so the held credentials stay until the new ones arrive."""
        return (
            self.user is not None
            and self._owner is not None
            and (sorted(self._owner) == sorted(logins) and bool(logins))
        )

    # --- The fetches, as flows (run with the lock held) ---

    def _explicit_flow(self, logins: dict[str, str]) -> Flow[TemporaryCredentials]:
        """``get_aws_credentials`` / ``get_guest_aws_credentials``: these logins become
        the ones to refresh with; their held credentials are reused while fresh."""
        self._last_logins = dict(logins)
        self._from_user = False
        return (yield from self._fetch_flow(logins, _EXPIRY_MARGIN_SECONDS))

    def _source_flow(
        self, logins: dict[str, str], min_lifetime: float
    ) -> Flow[TemporaryCredentials]:
        """``get_credentials``'s fetch with the ``user``'s (or the last) ``logins``."""
        fetched = yield from self._fetch_flow(logins, min_lifetime)
        self._from_user = self.user is not None
        return fetched

    def _fetch_flow(
        self, logins: dict[str, str], min_lifetime: float
    ) -> Flow[TemporaryCredentials]:
        """Credentials for ``logins`` (the held ones if fresh enough)."""
        if self._fresh_for(logins, min_lifetime):
            assert self._current is not None
            return self._current
        if self._owner != logins and not self._same_identity(logins):
            # Never leave someone else's credentials in place if this fetch fails.
            self._forget_credentials()
        identity = IdentityIdCore(self.identity_pool_id, self.pool, self.endpoint, logins)
        self._kinds_used.add(identity.kind)
        cached = identity._cached()
        identity_id = cached or (yield from identity._identity_id_flow())
        try:
            answer = yield self._credentials_call(identity_id, logins)
        except CognitoClientException as error:
            identity._forget()
            if not cached or error.code not in _STALE_IDENTITY:
                raise
            # The cached IdentityId belongs to someone else or no longer exists: get the
            # login's own identity once more.
            identity_id = yield from identity._identity_id_flow()
            answer = yield self._credentials_call(identity_id, logins)
        return self._store(answer, identity_id, logins)

    @staticmethod
    def _credentials_call(identity_id: str, logins: dict[str, str]) -> Call:
        return Call(
            "GetCredentialsForIdentity",
            {"IdentityId": identity_id, "Logins": logins or None},
            IDENTITY_POOLS,
        )

    def _store(
        self, answer: dict[str, Any], identity_id: str, logins: dict[str, str]
    ) -> TemporaryCredentials:
        credentials = answer.get("Credentials")
        if not isinstance(credentials, dict):
            raise CognitoResponseError("GetCredentialsForIdentity answered without Credentials")
        access_key, secret, token = (
            credentials.get(name) for name in ("AccessKeyId", "SecretKey", "SessionToken")
        )
        expiration = timestamp_field(credentials, "Expiration")
        if expiration is None or not all(
            isinstance(value, str) and value for value in (access_key, secret, token)
        ):
            raise CognitoResponseError("GetCredentialsForIdentity answered incomplete Credentials")
        current = TemporaryCredentials(
            str(access_key),
            str(secret),
            str(token),
            expiration.replace(microsecond=0),
            str(answer.get("IdentityId") or identity_id),
        )
        self._current = current
        self._owner = dict(logins)
        return current


class CognitoCredentials(CredentialsCore[CognitoClient]):
    """Temporary AWS credentials from the identity pool ``identity_pool_id``.

    ``pool`` provides the storage that caches IdentityIds. ``region`` defaults to the
    identity pool's (the part of its id before the colon); ``endpoint`` defaults to
    ``client``'s, else ``https://cognito-identity.<region>.amazonaws.com/``; give a local
    pool's endpoint to use its identity pools. Both calls go through ``client`` (a
    :class:`~cognito_identity.client.CognitoIdentityClient`, e.g. with its own retry
    policy) when given, else through an identity pool client that shares the user pool's
    client: its connections, timeouts, retry policy and hooks.

    With ``user`` (a signed-in :class:`~cognito_identity.user.CognitoUser`),
    :meth:`get_credentials` needs no earlier call: it fetches the user's credentials with
    the id token of ``user.get_session()`` (refreshed first when it has expired), and
    fetches again whenever they come within a minute of expiry. Without ``user`` it
    refreshes with the logins of the last :meth:`get_aws_credentials` or
    :meth:`get_guest_aws_credentials`.

    After a fetch: ``access_key_id``, ``secret_access_key``, ``session_token``,
    ``expire_time`` (a timezone-aware ``datetime``), ``expire_timestamp`` (the same in
    epoch seconds) and ``identity_id``; read them together through
    :meth:`get_credentials` when other threads may refresh meanwhile. The secret key and
    session token never appear in a repr.
    """

    pool: CognitoUserPool
    user: CognitoUser | None

    def __init__(
        self,
        identity_pool_id: str,
        pool: CognitoUserPool,
        region: str | None = None,
        endpoint: str | None = None,
        *,
        user: CognitoUser | None = None,
        client: CognitoClient | None = None,
    ) -> None:
        super().__init__(identity_pool_id, pool, region, endpoint, user, client)

    def get_aws_credentials(self, token: str, authenticator: str | None = None) -> None:
        """Fetch credentials for the user whose ``token`` (normally the id token) the
        ``authenticator`` provider issued (default: this user pool, see
        :meth:`default_authenticator`). Cached credentials of the same login are reused
        until a minute before they expire."""
        logins = self._login(token, authenticator)
        with self._lock:
            self._run(self._explicit_flow(logins))

    def get_guest_aws_credentials(self) -> None:
        """Fetch credentials for a guest (unauthenticated) identity, reusing cached guest
        credentials until a minute before they expire."""
        with self._lock:
            self._run(self._explicit_flow({}))

    def get_credentials(
        self, *, min_lifetime: float = _EXPIRY_MARGIN_SECONDS
    ) -> TemporaryCredentials:
        """Credentials valid for at least ``min_lifetime`` more seconds, fetched (once,
        however many threads ask) when the ones held expire sooner.

        They are the ``user``'s when one was given, else those of the last
        :meth:`get_aws_credentials` or :meth:`get_guest_aws_credentials`. Raises
        :class:`NotAuthenticatedError` when there is neither, and the service's error
        when the fetch is refused.
        """
        held = self._held(min_lifetime)
        if held is not None:
            return held
        with self._lock:
            held = self._held(min_lifetime)
            if held is not None:
                return held  # another thread fetched while this one waited
            logins = (
                self._user_logins(self.user.get_session())
                if self.user is not None
                else self._last_logins_or_raise()
            )
            return self._run(self._source_flow(logins, min_lifetime))

    def get_frozen_credentials(self) -> TemporaryCredentials:
        """:meth:`get_credentials` under botocore's name, so that a
        :class:`~cognito_identity.signing.SigV4Signer` can take this object."""
        return self.get_credentials()

    def reset_aws_credentials(self) -> None:
        """Forget the credentials and every IdentityId this object cached."""
        with self._lock:
            self._reset()

    def sigv4_client(
        self, endpoint: str, service_name: str = "execute-api", region: str | None = None
    ) -> AwsSigV4Client:
        """An :class:`AwsSigV4Client` that signs requests to ``endpoint`` with the
        current credentials (see :meth:`get_credentials`; ``region`` defaults to the
        identity pool's). It keeps those credentials: for long-lived signing use
        :class:`~cognito_identity.auth.CognitoSigV4Auth`, which follows refreshes."""
        return self._signing_client(self.get_credentials(), endpoint, service_name, region)

    def boto3_session(self, region: str | None = None) -> Any:
        """A ``boto3.Session`` whose clients sign with these credentials, in ``region``
        (default: the identity pool's).

        Its credentials are botocore ``RefreshableCredentials`` fed by this object: when
        botocore finds them due (15 minutes before expiry) it gets new ones from
        :meth:`get_credentials`, so clients made once keep working. The first ones are
        fetched now: without ``user`` and before any fetch this raises
        :class:`~cognito_identity.errors.NotAuthenticatedError`, as
        :meth:`get_credentials` does. Needs boto3 (the ``boto3`` extra); raises
        :class:`~cognito_identity.errors.MissingDependencyError` without it.
        """
        from cognito_identity.boto3_credentials import boto3_session

        return boto3_session(self, region)

    def _run(self, flow: Flow[T]) -> T:
        return run_identity_flow(self.client or identity_client(self.pool, self.endpoint), flow)
