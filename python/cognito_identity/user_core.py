"""What :class:`~cognito_identity.user.CognitoUser` and
:class:`~cognito_identity.asyncio.AsyncCognitoUser` share: a user's state (name, pool,
storage, session in memory, the challenge Cognito waits on) and every operation that
talks to Cognito, each written once as a flow.

A flow yields the calls it needs and receives their answers (see
:mod:`cognito_identity.client`); the sync user runs it on the pool's
:class:`~cognito_identity.client.CognitoClient`, the asyncio user on its
:class:`~cognito_identity.client.AsyncCognitoClient`. Storage is read and written inside
the flows, so on the asyncio side it happens in the worker thread that advances them, off
the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from cognito_identity._checks import require_str
from cognito_identity._decode import dict_field, list_field, str_field
from cognito_identity.account import AccountFlows
from cognito_identity.attributes import AuthenticationDetails, CognitoUserAttribute
from cognito_identity.auth_flow import AuthFlow, parse_auth_flow
from cognito_identity.client import Call, Flow
from cognito_identity.device_cache import DeviceCache
from cognito_identity.devices import DeviceFlows
from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserDeviceConfirmationNecessaryException,
    CognitoUserSelectChallengeException,
    InvalidArgumentTypeError,
    InvalidConfigurationError,
    NotAuthenticatedError,
    NotAuthorizedException,
    RefreshTokenReuseException,
    challenge_exception,
)
from cognito_identity.flows import (
    AppClient,
    Challenge,
    ChallengeAnswer,
    CustomSignIn,
    DeviceSrpSignIn,
    Outcome,
    PasswordSignIn,
    Refresh,
    SrpSignIn,
    Tokens,
    confirm_device,
)
from cognito_identity.session import (
    CognitoRefreshToken,
    CognitoUserSession,
)
from cognito_identity.session_cache import SessionCache
from cognito_identity.storage import CognitoStorage
from cognito_identity.user_auth import UserAuthFlows

if TYPE_CHECKING:
    from cognito_identity.pool import PoolSettings

__all__ = ["UserCore"]

_MFA_CODE_FIELDS = {
    "SMS_MFA": "SMS_MFA_CODE",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
    "EMAIL_OTP": "EMAIL_OTP_CODE",
}

U = TypeVar("U", bound="UserCore")


class UserCore(AccountFlows, DeviceFlows, UserAuthFlows):
    """A user's state and the flows of everything a user does; the front ends add the
    public methods that run them."""

    pool: PoolSettings

    def __init__(
        self, username: str, pool: PoolSettings, storage: CognitoStorage | None = None
    ) -> None:
        require_str(username, "username")
        if not username:
            raise InvalidConfigurationError("username must not be empty")
        from cognito_identity.pool import PoolSettings  # the pool module imports users

        if not isinstance(pool, PoolSettings):
            raise InvalidArgumentTypeError(
                f"pool must be a CognitoUserPool, not {type(pool).__name__}"
            )
        self.username = username
        # The name this object was made with: after an SRP sign-in ``username`` becomes
        # the pool's own name for the user, and AuthenticationDetails may still use this.
        self._given_username = username
        self.pool = pool
        self.storage = storage if storage is not None else pool.storage
        self._flow_type = AuthFlow.USER_SRP_AUTH
        self._session: CognitoUserSession | None = None
        # The challenge Cognito is waiting on, if any: its name and Session string.
        self._challenge_name: str | None = None
        self._challenge_session: str | None = None

    @classmethod
    def from_session(
        cls: type[U],
        pool: PoolSettings,
        session: CognitoUserSession,
        storage: CognitoStorage | None = None,
    ) -> U:
        """The user that ``session`` belongs to, signed in with it and its tokens stored.

        For tokens obtained elsewhere, e.g. from the hosted UI's code exchange: the
        username is the access token's ``username`` claim, so refreshing and the stored
        session work as after any sign-in.
        """
        username = session.access_token.username
        if not username:
            raise InvalidConfigurationError("the access token carries no username claim")
        user = cls(username, pool, storage)
        user._check_issuer(session)
        user._session = session
        user._cache_tokens(session)
        return user

    def __repr__(self) -> str:
        return f"{type(self).__name__}(username={self.username!r}, pool={self.pool.user_pool_id!r})"

    @property
    def authentication_flow_type(self) -> AuthFlow:
        """How :meth:`authenticate_user` signs in: an :class:`AuthFlow`, set with one or its
        name (``"USER_SRP_AUTH"``, ``"USER_PASSWORD_AUTH"``, ``"CUSTOM_AUTH"``); any other
        value raises :class:`InvalidConfigurationError` (a ValueError) at once."""
        return self._flow_type

    @authentication_flow_type.setter
    def authentication_flow_type(self, value: AuthFlow | str) -> None:
        self._flow_type = parse_auth_flow(value)

    @property
    def sign_in_user_session(self) -> CognitoUserSession | None:
        """The session of the last sign-in or refresh in this object, if any."""
        return self._session

    @property
    def _app(self) -> AppClient:
        return self.pool.app_client

    @property
    def _sessions(self) -> SessionCache:
        return SessionCache(self.storage, self.pool.client_id)

    @property
    def _devices(self) -> DeviceCache:
        return DeviceCache(self.storage, self.pool.client_id)

    # --- Sign-up confirmation ---

    def _confirm_registration_flow(
        self, code: str, force_alias_creation: bool, client_metadata: dict[str, str] | None
    ) -> Flow[None]:
        require_str(code, "the confirmation code")
        yield Call(
            "ConfirmSignUp",
            {
                "ClientId": self.pool.client_id,
                "Username": self.username,
                "ConfirmationCode": code,
                "ForceAliasCreation": force_alias_creation,
                "ClientMetadata": client_metadata,
                "SecretHash": self.pool.secret_hash(self.username),
            },
        )

    def _resend_confirmation_code_flow(
        self, client_metadata: dict[str, str] | None
    ) -> Flow[dict[str, Any]]:
        answer = yield Call(
            "ResendConfirmationCode",
            {
                "ClientId": self.pool.client_id,
                "Username": self.username,
                "ClientMetadata": client_metadata,
                "SecretHash": self.pool.secret_hash(self.username),
            },
        )
        return dict_field(answer, "CodeDeliveryDetails") or {}

    # --- Signing in ---

    def _authenticate_user_flow(self, details: AuthenticationDetails) -> Flow[CognitoUserSession]:
        self._check_details(details, "authenticate_user")
        if details.password is None:
            raise InvalidConfigurationError("a password is required to sign in")
        flow_type = self._flow_type
        metadata = details.validation_data
        if flow_type is AuthFlow.USER_PASSWORD_AUTH:
            flow = PasswordSignIn(
                self._app, self.username, details.password, self._devices, metadata
            ).flow()
        else:
            flow = SrpSignIn(
                self._app,
                self.username,
                details.password,
                self._devices,
                metadata,
                custom=flow_type is AuthFlow.CUSTOM_AUTH,
            ).flow()
        return (yield from self._signed_in(flow))

    def _check_details(self, details: object, method: str) -> None:
        """``details`` must be AuthenticationDetails naming this user, or no one."""
        if not isinstance(details, AuthenticationDetails):
            raise InvalidArgumentTypeError(
                f"{method} takes AuthenticationDetails(password=...), not {type(details).__name__}"
            )
        if details.username is not None and details.username not in (
            self.username,
            self._given_username,
        ):
            raise InvalidConfigurationError(
                f"AuthenticationDetails names {details.username!r} but this CognitoUser is "
                f"{self.username!r}; make a CognitoUser for that name"
            )

    def _initiate_auth_flow(self, details: AuthenticationDetails) -> Flow[CognitoUserSession]:
        self._check_details(details, "initiate_auth")
        flow = CustomSignIn(
            self._app,
            self.username,
            self._devices,
            details.auth_parameters,
            details.validation_data,
        ).flow()
        return (yield from self._signed_in(flow))

    def _signed_in(self, flow: Flow[Outcome]) -> Flow[CognitoUserSession]:
        """Run a sign-in flow, then apply its outcome: the challenge it answered is used
        up, and the user is now known by the name the flow learnt."""
        outcome = yield from flow
        self._challenge_name = self._challenge_session = None
        self.username = outcome.username
        return (yield from self._settle(outcome))

    def _settle(self, outcome: Outcome) -> Flow[CognitoUserSession]:
        """Store the session of new tokens (confirming a new device first), sign in with
        the remembered device when Cognito asks, or raise the challenge it asks for."""
        if isinstance(outcome, Tokens):
            return (yield from self._store_sign_in(outcome))
        if outcome.name == "DEVICE_SRP_AUTH":
            return (yield from self._device_srp_flow(outcome.session))
        if outcome.name == "SELECT_CHALLENGE":
            raise self._select_challenge(outcome)
        self._challenge_name = outcome.name
        self._challenge_session = outcome.session
        raise challenge_exception(outcome.name, outcome.parameters)

    def _store_sign_in(self, tokens: Tokens) -> Flow[CognitoUserSession]:
        session = tokens.session()
        self._check_issuer(session)
        self._session = session
        self._cache_tokens(session)
        if tokens.new_device is None:
            return session
        confirmed = yield from confirm_device(
            session.access_token.jwt_token, tokens.new_device, self.device_name
        )
        self._devices.save(self.username, confirmed.device)
        if confirmed.user_confirmation_necessary:
            raise CognitoUserDeviceConfirmationNecessaryException(sign_in_user_session=session)
        return session

    def _check_issuer(self, session: CognitoUserSession) -> None:
        """Refuse tokens that another user pool issued: the app client belongs to that
        pool, not to the one this object names (USER_PASSWORD_AUTH sends only the client
        id, so Cognito cannot tell). Tokens without ``iss`` are let through."""
        issuer = session.id_token.issuer
        if issuer is None:
            return
        issuing_pool = issuer.rstrip("/").rsplit("/", 1)[-1]
        if issuing_pool != self.pool.user_pool_id:
            raise InvalidConfigurationError(
                f"app client {self.pool.client_id!r} belongs to user pool {issuing_pool!r}, "
                f"not {self.pool.user_pool_id!r}: the tokens are not stored; check the pool id"
            )

    def _device_srp_flow(self, session: str | None) -> Flow[CognitoUserSession]:
        """Answer DEVICE_SRP_AUTH with the remembered device, then apply the outcome."""
        device = self._devices.lookup(self.username)
        if device is None:
            raise CognitoResponseError(
                "Cognito asked for device authentication but no device is remembered"
            )
        return (
            yield from self._signed_in(
                DeviceSrpSignIn(self._app, self.username, device, session).flow()
            )
        )

    def _select_challenge(self, challenge: Challenge) -> CognitoUserSelectChallengeException:
        """Keep SELECT_CHALLENGE's session and build its exception with the choices."""
        if challenge.session is None or challenge.available is None:
            raise CognitoResponseError("SELECT_CHALLENGE came without Session or choices")
        self._challenge_name = challenge.name
        self._challenge_session = challenge.session
        return CognitoUserSelectChallengeException(
            available_challenges=list(challenge.available),
            challenge_name=challenge.name,
            challenge_parameters=dict(challenge.parameters),
        )

    # --- Answering challenges ---

    def _respond_to_auth_challenge_flow(
        self,
        challenge_name: str,
        challenge_responses: dict[str, str],
        client_metadata: dict[str, str] | None = None,
    ) -> Flow[CognitoUserSession]:
        if self._challenge_session is None:
            raise NotAuthenticatedError("there is no challenge waiting for an answer")
        flow = ChallengeAnswer(
            self._app,
            self.username,
            challenge_name,
            challenge_responses,
            self._challenge_session,
            self._devices,
            client_metadata,
        ).flow()
        return (yield from self._signed_in(flow))

    def _new_password_flow(
        self,
        new_password: str,
        attributes: dict[str, str] | None,
        client_metadata: dict[str, str] | None,
    ) -> Flow[CognitoUserSession]:
        require_str(new_password, "new_password")
        responses = {"NEW_PASSWORD": new_password}
        for name, value in (attributes or {}).items():
            responses[f"userAttributes.{name}"] = value
        return (
            yield from self._respond_to_auth_challenge_flow(
                "NEW_PASSWORD_REQUIRED", responses, client_metadata
            )
        )

    def _mfa_code_flow(
        self, code: str, mfa_type: str, client_metadata: dict[str, str] | None
    ) -> Flow[CognitoUserSession]:
        require_str(code, "the MFA code")
        field = _MFA_CODE_FIELDS.get(mfa_type)
        if field is None:
            raise InvalidConfigurationError(
                f"unknown MFA type {mfa_type!r}; expected one of {', '.join(_MFA_CODE_FIELDS)}"
            )
        return (
            yield from self._respond_to_auth_challenge_flow(
                mfa_type, {field: code}, client_metadata
            )
        )

    def _associate_software_token_flow(self) -> Flow[str]:
        if self._setting_up_mfa():
            answer = yield Call("AssociateSoftwareToken", {"Session": self._challenge_session})
            self._keep_challenge_session(answer)
        else:
            answer = yield Call(
                "AssociateSoftwareToken",
                {"AccessToken": self._valid_session().access_token.jwt_token},
            )
        secret = answer.get("SecretCode")
        if not isinstance(secret, str) or not secret:
            raise CognitoResponseError("AssociateSoftwareToken answered without a SecretCode")
        return secret

    def _verify_software_token_flow(
        self, totp_code: str, friendly_device_name: str | None
    ) -> Flow[CognitoUserSession | None]:
        require_str(totp_code, "the TOTP code")
        setting_up = self._setting_up_mfa()
        params: dict[str, Any] = {"UserCode": totp_code, "FriendlyDeviceName": friendly_device_name}
        if setting_up:
            params["Session"] = self._challenge_session
        else:
            params["AccessToken"] = self._valid_session().access_token.jwt_token
        answer = yield Call("VerifySoftwareToken", params)
        if answer.get("Status") != "SUCCESS":
            raise CognitoResponseError("VerifySoftwareToken did not answer SUCCESS")
        if not setting_up:
            return None
        self._keep_challenge_session(answer)
        return (yield from self._respond_to_auth_challenge_flow("MFA_SETUP", {}))

    def _setting_up_mfa(self) -> bool:
        return self._challenge_name == "MFA_SETUP" and self._challenge_session is not None

    def _keep_challenge_session(self, answer: dict[str, Any]) -> None:
        session = answer.get("Session")
        if not isinstance(session, str) or not session:
            raise CognitoResponseError("the MFA set-up answer carries no Session")
        self._challenge_session = session

    # --- The session: storage, refresh, sign-out ---

    def _session_at_hand(self) -> CognitoUserSession | None:
        """A valid session without asking Cognito: the one in memory, or the stored one."""
        if self._session is not None and self._session.is_valid():
            return self._session
        cached = self._sessions.load(self.username)
        if cached is not None and cached.is_valid():
            self._session = cached
            return cached
        return None

    def _refresh_stored_flow(self) -> Flow[CognitoUserSession]:
        """Refresh with the stored refresh token; run under the refresh gate, so it first
        looks again for a session another refresh may have stored meanwhile."""
        cached = self._session_at_hand()
        if cached is not None:
            return cached
        refresh_token = self._sessions.refresh_token(self.username)
        if not refresh_token:
            raise NotAuthenticatedError(f"no session stored for {self.username!r}; sign in first")
        return (yield from self._refresh_session_flow(CognitoRefreshToken(refresh_token), None))

    def _refresh_session_flow(
        self, refresh_token: CognitoRefreshToken, rotate: bool | None
    ) -> Flow[CognitoUserSession]:
        rotating = self.pool.refresh_token_rotation if rotate is None else rotate
        flow = Refresh(
            self._app, self.username, refresh_token.token, self._device_key(), rotating
        ).flow()
        try:
            tokens = yield from flow
        except (NotAuthorizedException, RefreshTokenReuseException):
            self._sessions.clear(self.username, if_refresh_token=refresh_token.token)
            raise
        session = tokens.session(refresh_token)
        self._session = session
        self._cache_tokens(session)
        return session

    def _sign_out_flow(self, revoke_refresh_token: bool) -> Flow[None]:
        session = self._session or self._sessions.load(self.username)
        if revoke_refresh_token and session is not None and session.refresh_token is not None:
            yield Call(
                "RevokeToken",
                {
                    "Token": session.refresh_token.token,
                    "ClientId": self.pool.client_id,
                    "ClientSecret": self.pool.client_secret,
                },
            )
        self._session = None
        self._clear_cached_tokens()

    def _global_sign_out_flow(self) -> Flow[None]:
        session = self._valid_session()
        yield Call("GlobalSignOut", {"AccessToken": session.access_token.jwt_token})
        self._session = None
        self._clear_cached_tokens()

    def _get_user_attributes_flow(self) -> Flow[list[CognitoUserAttribute]]:
        session = self._valid_session()
        answer = yield Call("GetUser", {"AccessToken": session.access_token.jwt_token})
        attributes = []
        for item in list_field(answer, "UserAttributes") or []:
            if not isinstance(item, dict):
                raise CognitoResponseError("an item of UserAttributes is not an object")
            name = str_field(item, "Name", required=True)
            value = str_field(item, "Value") or ""
            assert name is not None
            attributes.append(CognitoUserAttribute(name, value))
        return attributes

    def _valid_session(self) -> CognitoUserSession:
        if self._session is None or not self._session.is_valid():
            raise NotAuthenticatedError(f"{self.username!r} is not signed in")
        return self._session

    def _cache_tokens(self, session: CognitoUserSession) -> None:
        self._sessions.save(self.username, session)

    def _clear_cached_tokens(self) -> None:
        self._sessions.clear(self.username)
