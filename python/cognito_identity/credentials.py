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
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cognito_identity.errors import (
    CognitoClientException,
    CognitoResponseError,
    InvalidConfigurationError,
    MalformedTokenError,
    NotAuthenticatedError,
)
from cognito_identity.jwt import decode
from cognito_identity.sigv4 import AwsSigV4Client
from cognito_identity.transport import IDENTITY_POOLS

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool

__all__ = ["GUEST", "CognitoCredentials", "CognitoIdentityId", "identity_id_key"]

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


def identity_id_key(identity_pool_id: str, kind: str) -> str:
    """The storage key of the cached IdentityId of ``kind`` (:data:`GUEST` or a login
    provider name) in an identity pool."""
    return f"aws.cognito.identity-id.{identity_pool_id}.{kind}"


class CognitoIdentityId:
    """The IdentityId of one kind of identity in an identity pool: cached, else GetId.

    ``logins`` maps a provider name to its token; leave it empty for a guest identity.
    """

    def __init__(
        self,
        identity_pool_id: str,
        pool: CognitoUserPool,
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
        return f"CognitoIdentityId(storage_key={self.storage_key!r})"

    def cached_identity_id(self) -> str | None:
        """The cached IdentityId, or None."""
        return self._pool.storage.get_item(self.storage_key)

    def get_identity_id(self) -> str:
        """The cached IdentityId, or a new one from GetId (then cached)."""
        cached = self.cached_identity_id()
        if cached:
            return cached
        answer = self._pool.transport.call(
            "GetId",
            {"IdentityPoolId": self.identity_pool_id, "Logins": self.logins or None},
            service=IDENTITY_POOLS,
            endpoint=self._endpoint,
        )
        identity_id = answer.get("IdentityId")
        if not isinstance(identity_id, str) or not identity_id:
            raise CognitoResponseError("GetId answered without an IdentityId")
        self._pool.storage.set_item(self.storage_key, identity_id)
        return identity_id

    def remove_identity_id(self) -> str | None:
        """Forget the cached IdentityId; return it (None if there was none)."""
        return self._pool.storage.remove_item(self.storage_key)


class CognitoCredentials:
    """Temporary AWS credentials from the identity pool ``identity_pool_id``.

    ``pool`` provides the transport and the storage that caches IdentityIds. ``region``
    defaults to the identity pool's (the part of its id before the colon); ``endpoint``
    defaults to ``https://cognito-identity.<region>.amazonaws.com/``; give a local pool's
    endpoint to use its identity pools.

    After :meth:`get_aws_credentials` or :meth:`get_guest_aws_credentials`:
    ``access_key_id``, ``secret_access_key``, ``session_token``, ``expire_time`` (epoch
    seconds) and ``identity_id``. The secret key and session token never appear in a repr.
    """

    def __init__(
        self,
        identity_pool_id: str,
        pool: CognitoUserPool,
        region: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        match = _IDENTITY_POOL_ID.match(identity_pool_id)
        if match is None:
            raise InvalidConfigurationError(
                f"invalid identity pool id {identity_pool_id!r}: expected '<region>:<uuid>'"
            )
        self.identity_pool_id = identity_pool_id
        self.pool = pool
        self.region = region or match.group(1)
        self.endpoint = endpoint or f"https://cognito-identity.{self.region}.amazonaws.com/"
        self.access_key_id: str | None = None
        self.secret_access_key: str | None = None
        self.session_token: str | None = None
        self.expire_time: int | None = None
        self.identity_id: str | None = None
        # Whose credentials these are: the logins they were fetched with (empty: a guest).
        self._owner: dict[str, str] | None = None
        self._kinds_used: set[str] = set()

    def __repr__(self) -> str:
        return (
            f"CognitoCredentials(identity_pool_id={self.identity_pool_id!r}, "
            f"identity_id={self.identity_id!r}, access_key_id={self.access_key_id!r}, "
            f"expire_time={self.expire_time!r})"
        )

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

    def get_aws_credentials(self, token: str, authenticator: str | None = None) -> None:
        """Fetch credentials for the user whose ``token`` (normally the id token) the
        ``authenticator`` provider issued (default: this user pool, see
        :meth:`default_authenticator`). Cached credentials of the same login are reused
        until a minute before they expire."""
        provider = authenticator or self.default_authenticator(token)
        self._fetch({provider: token})

    def get_guest_aws_credentials(self) -> None:
        """Fetch credentials for a guest (unauthenticated) identity, reusing cached guest
        credentials until a minute before they expire."""
        self._fetch({})

    def reset_aws_credentials(self) -> None:
        """Forget the credentials and every IdentityId this object cached."""
        for kind in self._kinds_used:
            self.pool.storage.remove_item(identity_id_key(self.identity_pool_id, kind))
        self._kinds_used.clear()
        self._forget_credentials()

    def _forget_credentials(self) -> None:
        self.access_key_id = self.secret_access_key = self.session_token = None
        self.expire_time = None
        self.identity_id = None
        self._owner = None

    def sigv4_client(
        self, endpoint: str, service_name: str = "execute-api", region: str | None = None
    ) -> AwsSigV4Client:
        """An :class:`AwsSigV4Client` that signs requests to ``endpoint`` with these
        credentials (``region`` defaults to the identity pool's)."""
        if self.access_key_id is None or self.secret_access_key is None:
            raise NotAuthenticatedError("no AWS credentials yet: call get_aws_credentials first")
        return AwsSigV4Client(
            self.access_key_id,
            self.secret_access_key,
            endpoint,
            service_name=service_name,
            region=region or self.region,
            session_token=self.session_token,
        )

    def _fresh_for(self, logins: dict[str, str]) -> bool:
        return (
            self._owner == logins
            and self.expire_time is not None
            and _now() <= self.expire_time - _EXPIRY_MARGIN_SECONDS
        )

    def _fetch(self, logins: dict[str, str]) -> None:
        if self._fresh_for(logins):
            return
        if self._owner != logins:
            # Never leave someone else's credentials in place if this fetch fails.
            self._forget_credentials()
        identity = CognitoIdentityId(self.identity_pool_id, self.pool, self.endpoint, logins)
        self._kinds_used.add(identity.kind)
        cached = identity.cached_identity_id()
        identity_id = cached or identity.get_identity_id()
        try:
            answer = self._credentials_for(identity_id, logins)
        except CognitoClientException as error:
            identity.remove_identity_id()
            if not cached or error.code not in _STALE_IDENTITY:
                raise
            # The cached IdentityId belongs to someone else or no longer exists: get the
            # login's own identity once more.
            identity_id = identity.get_identity_id()
            answer = self._credentials_for(identity_id, logins)
        self._store(answer, identity_id, logins)

    def _credentials_for(self, identity_id: str, logins: dict[str, str]) -> dict[str, Any]:
        return self.pool.transport.call(
            "GetCredentialsForIdentity",
            {"IdentityId": identity_id, "Logins": logins or None},
            service=IDENTITY_POOLS,
            endpoint=self.endpoint,
        )

    def _store(self, answer: dict[str, Any], identity_id: str, logins: dict[str, str]) -> None:
        credentials = answer.get("Credentials")
        if not isinstance(credentials, dict):
            raise CognitoResponseError("GetCredentialsForIdentity answered without Credentials")
        fields = [credentials.get(name) for name in ("AccessKeyId", "SecretKey", "SessionToken")]
        expiration = credentials.get("Expiration")
        if not all(isinstance(value, str) and value for value in fields) or not isinstance(
            expiration, (int, float)
        ):
            raise CognitoResponseError("GetCredentialsForIdentity answered incomplete Credentials")
        self.access_key_id, self.secret_access_key, self.session_token = fields
        self.expire_time = int(expiration)
        self.identity_id = str(answer.get("IdentityId") or identity_id)
        self._owner = dict(logins)
