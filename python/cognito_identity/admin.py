"""Admin calls for services: sign users in on their behalf and manage them, with IAM.

:class:`UserPoolAdmin` signs every call with SigV4 (:mod:`cognito_identity.signing`) and
speaks the admin API: AdminInitiateAuth / AdminRespondToAuthChallenge run the same sign-in
flows as :class:`~cognito_identity.user.CognitoUser` (:mod:`cognito_identity.flows`) and
raise the same challenge exceptions, and the user-management actions a service needs
return typed values::

    admin = UserPoolAdmin("eu-west-1_AbCdEf123", client_id="...", credentials=creds)
    admin.create_user("ann", attributes={"email": "ann@example.com"})
    session = admin.authenticate_user("ann", password)

A service keeps no user object between calls, so a challenge exception raised here carries
its ``session`` and ``username``; hand the exception back to answer it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from cognito_identity._decode import (
    bool_field,
    dict_field,
    list_field,
    str_field,
    timestamp_field,
)
from cognito_identity.attributes import AttributesLike, CognitoUserAttribute, attribute_list
from cognito_identity.client import (
    CallHook,
    CognitoClient,
    Flow,
    RequestSigner,
    RetryPolicy,
    user_pool_endpoint,
)
from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserException,
    InvalidConfigurationError,
    challenge_exception,
)
from cognito_identity.flows import (
    AppClient,
    ChallengeAnswer,
    CustomSignIn,
    Outcome,
    PasswordSignIn,
    Refresh,
    RememberedDevice,
    SrpSignIn,
    Tokens,
)
from cognito_identity.session import (
    CognitoRefreshToken,
    CognitoUserSession,
)
from cognito_identity.signing import Credentials, SigV4Signer
from cognito_identity.transports import SyncTransport, Timeouts

__all__ = ["PoolUser", "UserPoolAdmin"]

# The sign-in flows authenticate_user runs, by their admin API names.
_SRP = "USER_SRP_AUTH"
_PASSWORD = "ADMIN_USER_PASSWORD_AUTH"
_CUSTOM = "CUSTOM_AUTH"
_AUTH_FLOWS = (_SRP, _PASSWORD, _CUSTOM)
_MFA_CODE_FIELDS = {
    "SMS_MFA": "SMS_MFA_CODE",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
    "EMAIL_OTP": "EMAIL_OTP_CODE",
}


@dataclass(frozen=True)
class PoolUser:
    """A user as the admin API describes it (AdminGetUser, AdminCreateUser, ListUsers).

    ``status`` is Cognito's UserStatus (``CONFIRMED``, ``FORCE_CHANGE_PASSWORD``...);
    ``created`` and ``modified`` are UTC times. ``preferred_mfa`` and ``mfa_methods``
    come only from AdminGetUser.
    """

    username: str
    attributes: list[CognitoUserAttribute] = field(default_factory=list)
    status: str | None = None
    enabled: bool | None = None
    created: dt.datetime | None = None
    modified: dt.datetime | None = None
    preferred_mfa: str | None = None
    mfa_methods: list[str] = field(default_factory=list)

    def attribute(self, name: str) -> str | None:
        """The value of attribute ``name``, or None."""
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute.value
        return None


class _NoDevices:
    """A service remembers no devices: sign-ins through the admin API offer none."""

    def lookup(self, username: str) -> RememberedDevice | None:
        return None

    def forget(self, username: str) -> None:
        return None


class UserPoolAdmin:
    """The admin API of the user pool ``user_pool_id`` (``"<region>_<id>"``), signed with
    IAM credentials.

    ``client_id`` (and ``client_secret`` when the app client has one) is needed for the
    sign-in methods only. ``credentials`` are an
    :class:`~cognito_identity.signing.AwsCredentials` or a botocore credentials object;
    left out, botocore's credential chain provides them (botocore must then be
    installed). ``region`` defaults to the pool id's, ``endpoint`` to AWS's regional
    endpoint (give a local pool's URL to use it). ``signer`` replaces the SigV4 signer;
    ``transport``, ``http_session``, ``timeout``, ``deadline``, ``retry`` and ``hooks``
    are as for :class:`~cognito_identity.client.CognitoClient`.

    Raises :class:`~cognito_identity.errors.CredentialsError` when no credentials can be
    found, and :class:`~cognito_identity.errors.InvalidConfigurationError` for a pool id
    that cannot be right.
    """

    def __init__(
        self,
        user_pool_id: str,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        credentials: Credentials | None = None,
        region: str | None = None,
        endpoint: str | None = None,
        signer: RequestSigner | None = None,
        transport: SyncTransport | None = None,
        http_session: requests.Session | None = None,
        timeout: float | tuple[float, float] | Timeouts = (5.0, 30.0),
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
        hooks: Iterable[CallHook] = (),
    ) -> None:
        pool_region, _, pool_name = user_pool_id.partition("_")
        if not pool_region or not pool_name.isalnum():
            raise InvalidConfigurationError(
                f"invalid user pool id {user_pool_id!r}: expected '<region>_<id>'"
            )
        if client_id is not None and not client_id:
            raise InvalidConfigurationError("client_id must not be empty")
        self.user_pool_id = user_pool_id
        self.region = region or pool_region
        self.client_id = client_id
        self._app = (
            AppClient(client_id, pool_name, client_secret, user_pool_id=user_pool_id)
            if client_id is not None
            else None
        )
        self.client = CognitoClient(
            endpoint or user_pool_endpoint(self.region),
            transport=transport,
            session=http_session,
            timeout=timeout,
            deadline=deadline,
            retry=retry,
            signer=signer if signer is not None else SigV4Signer(credentials, self.region),
            hooks=hooks,
        )

    def __repr__(self) -> str:
        return (
            f"UserPoolAdmin(user_pool_id={self.user_pool_id!r}, client_id={self.client_id!r}, "
            f"endpoint={self.client.endpoint!r})"
        )

    def close(self) -> None:
        """Release the HTTP connections."""
        self.client.close()

    def __enter__(self) -> UserPoolAdmin:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- Signing in on a user's behalf ---

    @property
    def app(self) -> AppClient:
        """The app client sign-ins go through (InvalidConfigurationError without one)."""
        if self._app is None:
            raise InvalidConfigurationError("signing users in needs the app client's client_id")
        return self._app

    def authenticate_user(
        self,
        username: str,
        password: str,
        *,
        auth_flow: str = _SRP,
        client_metadata: Mapping[str, str] | None = None,
    ) -> CognitoUserSession:
        """Sign ``username`` in with ``password`` (AdminInitiateAuth) and return the session.

        ``auth_flow`` is ``USER_SRP_AUTH`` (the default: the password never leaves this
        machine), ``ADMIN_USER_PASSWORD_AUTH`` (``USER_PASSWORD_AUTH`` is taken as it), or
        ``CUSTOM_AUTH`` (an SRP proof, then the pool's custom challenges). Raises the
        challenge exception Cognito asks for (answer it with
        :meth:`respond_to_auth_challenge` or a ``send_...`` method),
        :class:`~cognito_identity.errors.CognitoUserConfirmationNecessaryException` for a
        user who has not confirmed sign-up, or the service's error.
        """
        if not username or not password:
            raise InvalidConfigurationError("a username and a password are required")
        flow_name = _PASSWORD if auth_flow == "USER_PASSWORD_AUTH" else auth_flow
        devices = _NoDevices()
        flow: Flow[Outcome]
        if flow_name in (_SRP, _CUSTOM):
            flow = SrpSignIn(
                self.app, username, password, devices, client_metadata, custom=flow_name == _CUSTOM
            ).flow()
        elif flow_name == _PASSWORD:
            flow = PasswordSignIn(self.app, username, password, devices, client_metadata).flow()
        else:
            raise InvalidConfigurationError(
                f"unsupported auth flow {auth_flow!r}; expected one of {', '.join(_AUTH_FLOWS)}"
            )
        return self._settle(self.client.run(flow))

    def initiate_custom_auth(
        self,
        username: str,
        auth_parameters: Mapping[str, str] | None = None,
        client_metadata: Mapping[str, str] | None = None,
    ) -> CognitoUserSession:
        """Start CUSTOM_AUTH without a password: the pool's triggers decide the challenges.
        Usually raises :class:`~cognito_identity.errors.CognitoUserCustomChallengeException`,
        answered with :meth:`send_custom_challenge_answer`."""
        flow = CustomSignIn(
            self.app, username, _NoDevices(), auth_parameters, client_metadata
        ).flow()
        return self._settle(self.client.run(flow))

    def respond_to_auth_challenge(
        self,
        challenge: CognitoUserException,
        responses: Mapping[str, str],
        client_metadata: Mapping[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer ``challenge`` (raised by this object) with ``responses``
        (AdminRespondToAuthChallenge, in the challenge's Session).

        USERNAME and SECRET_HASH are added when missing. Returns the session, or raises
        the next challenge.
        """
        if challenge.session is None or challenge.username is None:
            raise InvalidConfigurationError(
                "this challenge carries no Session: answer challenges UserPoolAdmin raised"
            )
        if challenge.challenge_name is None:
            raise InvalidConfigurationError("the challenge has no name")
        flow = ChallengeAnswer(
            self.app,
            challenge.username,
            challenge.challenge_name,
            responses,
            challenge.session,
            _NoDevices(),
            client_metadata,
        ).flow()
        return self._settle(self.client.run(flow))

    def send_custom_challenge_answer(
        self,
        challenge: CognitoUserException,
        answer: str,
        client_metadata: Mapping[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer a CUSTOM_CHALLENGE with ``answer``."""
        return self.respond_to_auth_challenge(challenge, {"ANSWER": answer}, client_metadata)

    def send_mfa_code(
        self,
        challenge: CognitoUserException,
        code: str,
        client_metadata: Mapping[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP with the code the user gave."""
        name = challenge.challenge_name or ""
        if name not in _MFA_CODE_FIELDS:
            raise InvalidConfigurationError(f"{name!r} is not an MFA code challenge")
        return self.respond_to_auth_challenge(
            challenge, {_MFA_CODE_FIELDS[name]: code}, client_metadata
        )

    def send_new_password_required_answer(
        self,
        challenge: CognitoUserException,
        new_password: str,
        attributes: Mapping[str, str] | None = None,
        client_metadata: Mapping[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer NEW_PASSWORD_REQUIRED with the new password and the attributes it asked
        for (plain names, e.g. ``{"given_name": "Ann"}``)."""
        responses = {"NEW_PASSWORD": new_password}
        for name, value in (attributes or {}).items():
            responses[f"userAttributes.{name}"] = value
        return self.respond_to_auth_challenge(challenge, responses, client_metadata)

    def refresh_session(
        self, refresh_token: str | CognitoRefreshToken, *, username: str | None = None
    ) -> CognitoUserSession:
        """New tokens for ``refresh_token`` (AdminInitiateAuth REFRESH_TOKEN_AUTH); the
        session keeps the refresh token. ``username`` (the user's name in the pool) is
        needed when the app client has a secret: the SECRET_HASH is computed over it."""
        token = refresh_token if isinstance(refresh_token, CognitoRefreshToken) else None
        text = token.token if token is not None else str(refresh_token)
        if self.app.client_secret is not None and not username:
            raise InvalidConfigurationError(
                "refreshing through an app client with a secret needs the username"
            )
        tokens = self.client.run(Refresh(self.app, username or "", text).flow())
        return tokens.session(token or CognitoRefreshToken(text))

    def _settle(self, outcome: Outcome) -> CognitoUserSession:
        if isinstance(outcome, Tokens):
            return outcome.session()
        error = challenge_exception(outcome.name, outcome.parameters)
        error.session = outcome.session
        error.username = outcome.username
        raise error

    # --- Managing users ---

    def create_user(
        self,
        username: str,
        *,
        attributes: AttributesLike | None = None,
        temporary_password: str | None = None,
        message_action: str | None = None,
        delivery_mediums: Iterable[str] | None = None,
        force_alias_creation: bool | None = None,
        validation_data: AttributesLike | None = None,
        client_metadata: Mapping[str, str] | None = None,
    ) -> PoolUser:
        """Create a user (AdminCreateUser), status FORCE_CHANGE_PASSWORD.

        ``message_action`` is ``"SUPPRESS"`` (send no invitation) or ``"RESEND"``;
        ``delivery_mediums`` ``"EMAIL"`` and/or ``"SMS"``.
        """
        answer = self._call(
            "AdminCreateUser",
            Username=username,
            UserAttributes=attribute_list(attributes),
            ValidationData=attribute_list(validation_data),
            TemporaryPassword=temporary_password,
            ForceAliasCreation=force_alias_creation,
            MessageAction=message_action,
            DesiredDeliveryMediums=list(delivery_mediums) if delivery_mediums else None,
            ClientMetadata=client_metadata,
        )
        return _pool_user(dict_field(answer, "User", required=True) or {}, "Attributes")

    def get_user(self, username: str) -> PoolUser:
        """The user, its attributes and MFA settings (AdminGetUser)."""
        return _pool_user(self._call("AdminGetUser", Username=username), "UserAttributes")

    def set_user_password(self, username: str, password: str, *, permanent: bool = False) -> None:
        """Set the user's password (AdminSetUserPassword); a temporary one must be changed
        at the next sign-in (NEW_PASSWORD_REQUIRED)."""
        self._call(
            "AdminSetUserPassword", Username=username, Password=password, Permanent=permanent
        )

    def confirm_sign_up(
        self, username: str, client_metadata: Mapping[str, str] | None = None
    ) -> None:
        """Confirm a user's sign-up without a code (AdminConfirmSignUp)."""
        self._call("AdminConfirmSignUp", Username=username, ClientMetadata=client_metadata)

    def delete_user(self, username: str) -> None:
        """Delete the user (AdminDeleteUser)."""
        self._call("AdminDeleteUser", Username=username)

    def disable_user(self, username: str) -> None:
        """Disable the user (AdminDisableUser): no more sign-ins or refreshes."""
        self._call("AdminDisableUser", Username=username)

    def enable_user(self, username: str) -> None:
        """Enable a disabled user again (AdminEnableUser)."""
        self._call("AdminEnableUser", Username=username)

    def global_sign_out(self, username: str) -> None:
        """End all the user's sessions: refresh tokens stop working
        (AdminUserGlobalSignOut)."""
        self._call("AdminUserGlobalSignOut", Username=username)

    def update_user_attributes(
        self,
        username: str,
        attributes: AttributesLike,
        client_metadata: Mapping[str, str] | None = None,
    ) -> None:
        """Set the user's attributes (AdminUpdateUserAttributes)."""
        self._call(
            "AdminUpdateUserAttributes",
            Username=username,
            UserAttributes=attribute_list(attributes),
            ClientMetadata=client_metadata,
        )

    def list_users(
        self,
        *,
        filter: str | None = None,
        attributes_to_get: Iterable[str] | None = None,
        page_size: int | None = None,
    ) -> Iterator[list[PoolUser]]:
        """The pool's users, one page (ListUsers call) at a time, following
        PaginationToken; a page is fetched only when the iterator reaches it.

        ``filter`` is ListUsers' (``'email ^= "ann"'``), ``page_size`` its Limit (1-60).
        """
        to_get = list(attributes_to_get) if attributes_to_get is not None else None
        token: str | None = None
        seen: set[str] = set()
        while True:
            answer = self._call(
                "ListUsers",
                Filter=filter,
                AttributesToGet=to_get,
                Limit=page_size,
                PaginationToken=token,
            )
            users = list_field(answer, "Users") or []
            yield [_pool_user(_object(item, "Users"), "Attributes") for item in users]
            token = str_field(answer, "PaginationToken")
            if not token:
                return
            if token in seen:
                raise CognitoResponseError("ListUsers answered a PaginationToken twice")
            seen.add(token)

    def _call(self, action: str, **params: Any) -> dict[str, Any]:
        return self.client.call(action, {"UserPoolId": self.user_pool_id, **params})


def _object(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise CognitoResponseError(f"an item of {where} in Cognito's answer is not an object")
    return item


def _attributes(answer: Mapping[str, Any], name: str) -> list[CognitoUserAttribute]:
    attributes = []
    for item in list_field(answer, name) or []:
        entry = _object(item, name)
        key = str_field(entry, "Name", required=True)
        assert key is not None
        attributes.append(CognitoUserAttribute(key, str_field(entry, "Value") or ""))
    return attributes


def _pool_user(answer: Mapping[str, Any], attributes_key: str) -> PoolUser:
    username = str_field(answer, "Username", required=True)
    assert username is not None
    methods = list_field(answer, "UserMFASettingList") or []
    if not all(isinstance(method, str) for method in methods):
        raise CognitoResponseError("UserMFASettingList in Cognito's answer holds a non-string")
    return PoolUser(
        username=username,
        attributes=_attributes(answer, attributes_key),
        status=str_field(answer, "UserStatus"),
        enabled=bool_field(answer, "Enabled"),
        created=timestamp_field(answer, "UserCreateDate"),
        modified=timestamp_field(answer, "UserLastModifiedDate"),
        preferred_mfa=str_field(answer, "PreferredMfaSetting"),
        mfa_methods=list(methods),
    )
