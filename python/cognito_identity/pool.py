"""A Cognito user pool app client: sign-up, and the way back to the current user."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import requests

from cognito_identity._checks import require_str
from cognito_identity._decode import bool_field, dict_field, str_field
from cognito_identity.attributes import AttributesLike, attribute_list
from cognito_identity.client import (
    Call,
    CallHook,
    CognitoClient,
    Flow,
    RetryPolicy,
    user_pool_endpoint,
)
from cognito_identity.errors import InvalidConfigurationError
from cognito_identity.flows import AppClient
from cognito_identity.storage import CognitoStorage, MemoryStorage, last_user_key
from cognito_identity.transports import SyncTransport
from cognito_identity.user import CognitoUser

__all__ = ["CognitoUserPool", "PoolSettings", "SignUpAnswer", "SignUpResult"]

# "<region>_<id>", e.g. "eu-west-1_AbCdEf123"; the local pool uses "local_<id>".
_POOL_ID = re.compile(r"^([\w-]+)_([0-9A-Za-z]+)$")


@dataclass(frozen=True)
class SignUpResult:
    """What :meth:`CognitoUserPool.sign_up` returns.

    ``user_confirmed`` is False when the user still has to confirm a code (sent as
    ``code_delivery_details`` says); ``user_sub`` is the new user's unique id.
    """

    user: CognitoUser
    user_confirmed: bool
    user_sub: str | None
    code_delivery_details: dict[str, Any] | None


class PoolSettings:
    """What the sync and the asyncio pools share: the pool and app client they name, the
    storage of sessions, and the sign-up flow. Subclasses add the client that runs flows."""

    def __init__(
        self,
        user_pool_id: str,
        client_id: str,
        client_secret: str | None,
        storage: CognitoStorage | None,
        refresh_token_rotation: bool,
    ) -> None:
        require_str(user_pool_id, "user_pool_id")
        require_str(client_id, "client_id")
        require_str(client_secret, "client_secret", optional=True)
        match = _POOL_ID.match(user_pool_id)
        if match is None:
            raise InvalidConfigurationError(
                f"invalid user pool id {user_pool_id!r}: expected '<region>_<id>'"
            )
        if not client_id:
            raise InvalidConfigurationError("client_id must not be empty")
        self.user_pool_id = user_pool_id
        self.region, self.pool_name = match.group(1), match.group(2)
        self.client_id = client_id
        self._client_secret = client_secret
        self.refresh_token_rotation = refresh_token_rotation
        self.storage = storage if storage is not None else MemoryStorage()
        self.app_client = AppClient(client_id, self.pool_name, client_secret)

    @property
    def has_client_secret(self) -> bool:
        """Whether this app client has a secret (and so calls carry a SECRET_HASH)."""
        return self._client_secret is not None

    @property
    def client_secret(self) -> str | None:
        """The app client's secret (needed by RevokeToken), or None."""
        return self._client_secret

    def secret_hash(self, username: str) -> str | None:
        """The SECRET_HASH for ``username``, or None when the client has no secret."""
        return self.app_client.secret_hash(username)

    def _sign_up_flow(
        self,
        username: str,
        password: str,
        user_attributes: AttributesLike | None,
        validation_data: AttributesLike | None,
        client_metadata: dict[str, str] | None,
    ) -> Flow[SignUpAnswer]:
        require_str(username, "username")
        require_str(password, "password")
        answer = yield Call(
            "SignUp",
            {
                "ClientId": self.client_id,
                "Username": username,
                "Password": password,
                "UserAttributes": attribute_list(user_attributes),
                "ValidationData": attribute_list(validation_data),
                "ClientMetadata": client_metadata,
                "SecretHash": self.secret_hash(username),
            },
        )
        return SignUpAnswer(
            user_confirmed=bool_field(answer, "UserConfirmed") is True,
            user_sub=str_field(answer, "UserSub"),
            code_delivery_details=dict_field(answer, "CodeDeliveryDetails"),
        )

    def _current_username(self) -> str | None:
        return self.storage.get_item(last_user_key(self.client_id)) or None


@dataclass(frozen=True)
class SignUpAnswer:
    """SignUp's answer, before a pool wraps it with its user object."""

    user_confirmed: bool
    user_sub: str | None
    code_delivery_details: dict[str, Any] | None


class CognitoUserPool(PoolSettings):
    """A user pool seen through one app client.

    ``user_pool_id`` is ``"<region>_<id>"``; the region picks AWS's endpoint unless
    ``endpoint`` is given (a local pool's URL, a VPC endpoint). Give ``client_secret`` when
    the app client has one: every call that needs a ``SECRET_HASH`` gets it. Sessions are
    kept in ``storage`` (in memory by default). ``http_session`` lets you supply your own
    :class:`requests.Session` (proxies, certificates, connection pool size). Set
    ``refresh_token_rotation`` when the app client rotates refresh tokens: sessions are then
    refreshed with GetTokensFromRefreshToken and keep the new refresh token each time.

    :meth:`close` (or leaving a ``with CognitoUserPool(...) as pool:`` block) releases the
    HTTP connections; a ``http_session`` you supplied stays open.
    """

    def __init__(
        self,
        user_pool_id: str,
        client_id: str,
        client_secret: str | None = None,
        endpoint: str | None = None,
        storage: CognitoStorage | None = None,
        *,
        http_session: requests.Session | None = None,
        timeout: float | tuple[float, float] = (5.0, 30.0),
        retry: RetryPolicy | None = None,
        refresh_token_rotation: bool = False,
        deadline: float | None = None,
        transport: SyncTransport | None = None,
        hooks: tuple[CallHook, ...] = (),
    ) -> None:
        super().__init__(user_pool_id, client_id, client_secret, storage, refresh_token_rotation)
        #: The client every call of this pool's users goes through (named ``transport``
        #: for compatibility with earlier versions).
        self.transport = CognitoClient(
            endpoint or user_pool_endpoint(self.region),
            transport=transport,
            session=http_session,
            timeout=timeout,
            deadline=deadline,
            retry=retry,
            hooks=hooks,
        )

    def __repr__(self) -> str:
        return (
            f"CognitoUserPool(user_pool_id={self.user_pool_id!r}, client_id={self.client_id!r}, "
            f"endpoint={self.transport.endpoint!r})"
        )

    def close(self) -> None:
        """Release this pool's HTTP connections (not those of your own ``http_session``)."""
        self.transport.close()

    def __enter__(self) -> CognitoUserPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def sign_up(
        self,
        username: str,
        password: str,
        user_attributes: AttributesLike | None = None,
        validation_data: AttributesLike | None = None,
        client_metadata: dict[str, str] | None = None,
    ) -> SignUpResult:
        """Register a new user (Cognito's SignUp) and return the :class:`SignUpResult`."""
        answer = self.transport.run(
            self._sign_up_flow(
                username, password, user_attributes, validation_data, client_metadata
            )
        )
        return SignUpResult(
            CognitoUser(username, self),
            answer.user_confirmed,
            answer.user_sub,
            answer.code_delivery_details,
        )

    def get_current_user(self) -> CognitoUser | None:
        """The user who last signed in through this client (from storage), or None."""
        username = self._current_username()
        return CognitoUser(username, self) if username else None
