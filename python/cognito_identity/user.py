"""A user of a pool: confirming sign-up, signing in, keeping and ending the session.

Each sign-in is a *flow*: a generator that yields the Cognito calls it needs and receives
their answers (see :mod:`cognito_identity.transport`). The flows hold no IO, so they read
as the protocol does; :class:`CognitoUser` runs them on the pool's transport.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cognito_identity._decode import dict_field, list_field, str_field
from cognito_identity.account import AccountOperations
from cognito_identity.attributes import AuthenticationDetails, CognitoUserAttribute
from cognito_identity.device_cache import DeviceCache
from cognito_identity.devices import DeviceOperations
from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserDeviceConfirmationNecessaryException,
    CognitoUserSelectChallengeException,
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
    CognitoAccessToken,
    CognitoIdToken,
    CognitoRefreshToken,
    CognitoUserSession,
)
from cognito_identity.session_cache import SessionCache
from cognito_identity.storage import CognitoStorage
from cognito_identity.transport import Flow
from cognito_identity.user_auth import UserAuthOperations

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool

__all__ = ["CognitoUser"]

USER_SRP_AUTH = "USER_SRP_AUTH"
USER_PASSWORD_AUTH = "USER_PASSWORD_AUTH"
CUSTOM_AUTH = "CUSTOM_AUTH"
_FLOWS = (USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_AUTH)


class CognitoUser(AccountOperations, DeviceOperations, UserAuthOperations):
    """One user of a :class:`~cognito_identity.pool.CognitoUserPool`.

    ``storage`` defaults to the pool's. After an SRP sign-in, :attr:`username` becomes
    the ``USER_ID_FOR_SRP`` Cognito answers with (the user's name in the pool, which
    differs from what was typed when the pool signs users in by e-mail or phone): stored
    sessions are kept under that name, as AWS's JavaScript SDK keeps them.

    The sign-in flows themselves are values (:mod:`cognito_identity.flows`); this object
    runs them on the pool's client and applies what they return: it stores the session
    (one record, in one write) and the device, and keeps the challenge Cognito waits on.
    """

    def __init__(
        self, username: str, pool: CognitoUserPool, storage: CognitoStorage | None = None
    ) -> None:
        if not username:
            raise InvalidConfigurationError("username must not be empty")
        self.username = username
        self.pool = pool
        self.storage = storage if storage is not None else pool.storage
        self.authentication_flow_type = USER_SRP_AUTH
        self._session: CognitoUserSession | None = None
        # The challenge Cognito is waiting on, if any: its name and Session string.
        self._challenge_name: str | None = None
        self._challenge_session: str | None = None

    @classmethod
    def from_session(
        cls,
        pool: CognitoUserPool,
        session: CognitoUserSession,
        storage: CognitoStorage | None = None,
    ) -> CognitoUser:
        """The user that ``session`` belongs to, signed in with it and its tokens stored.

        For tokens obtained elsewhere, e.g. from the hosted UI's code exchange: the
        username is the access token's ``username`` claim, so refreshing and the stored
        session work as after any sign-in.
        """
        username = session.access_token.username
        if not username:
            raise InvalidConfigurationError("the access token carries no username claim")
        user = cls(username, pool, storage)
        user._session = session
        user._cache_tokens(session)
        return user

    def __repr__(self) -> str:
        return f"CognitoUser(username={self.username!r}, pool={self.pool.user_pool_id!r})"

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

    def confirm_registration(
        self,
        code: str,
        *,
        force_alias_creation: bool = False,
        client_metadata: dict[str, str] | None = None,
    ) -> None:
        """Confirm sign-up with the code Cognito sent (ConfirmSignUp)."""
        self.pool.transport.call(
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

    def resend_confirmation_code(
        self, client_metadata: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Send the confirmation code again; returns where it went (CodeDeliveryDetails)."""
        answer = self.pool.transport.call(
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

    def authenticate_user(self, details: AuthenticationDetails) -> CognitoUserSession:
        """Sign in with a password and return the new session.

        Uses SRP (the password never leaves this machine) unless
        :attr:`authentication_flow_type` is ``"USER_PASSWORD_AUTH"``; with ``"CUSTOM_AUTH"``
        the SRP proof opens a custom auth flow (``CHALLENGE_NAME: SRP_A``), whose
        challenges are answered with :meth:`send_custom_challenge_answer`. Raises
        :class:`CognitoUserConfirmationNecessaryException` for a user who has not
        confirmed sign-up, a :class:`CognitoUserException` subclass when Cognito asks
        for another challenge, and a service error (e.g. NotAuthorizedException for a
        wrong password) otherwise.
        """
        if details.password is None:
            raise InvalidConfigurationError("a password is required to sign in")
        flow_type = self.authentication_flow_type
        metadata = details.validation_data
        if flow_type in (USER_SRP_AUTH, CUSTOM_AUTH):
            flow = SrpSignIn(
                self._app,
                self.username,
                details.password,
                self._devices,
                metadata,
                custom=flow_type == CUSTOM_AUTH,
            ).flow()
        elif flow_type == USER_PASSWORD_AUTH:
            flow = PasswordSignIn(
                self._app, self.username, details.password, self._devices, metadata
            ).flow()
        else:
            raise InvalidConfigurationError(
                f"unsupported authentication flow {flow_type!r}; "
                f"expected one of {', '.join(_FLOWS)}"
            )
        return self.pool.transport.run(self._signed_in(flow))

    def initiate_auth(self, details: AuthenticationDetails) -> CognitoUserSession:
        """Start a CUSTOM_AUTH sign-in without a password (the pool's triggers decide).

        ``details.auth_parameters`` are sent as extra ``AuthParameters`` and
        ``details.validation_data`` as ``ClientMetadata``. Usually raises
        :class:`~cognito_identity.errors.CognitoUserCustomChallengeException`, answered
        with :meth:`send_custom_challenge_answer`; any other challenge is raised as its
        own exception too.
        """
        flow = CustomSignIn(
            self._app,
            self.username,
            self._devices,
            details.auth_parameters,
            details.validation_data,
        ).flow()
        return self.pool.transport.run(self._signed_in(flow))

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
        session = _session_of(tokens)
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

    def respond_to_auth_challenge(
        self,
        challenge_name: str,
        challenge_responses: dict[str, str],
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer the challenge the last sign-in step stopped at (RespondToAuthChallenge).

        ``USERNAME`` and ``SECRET_HASH`` are added to ``challenge_responses`` when
        missing. Returns the session, or raises the next challenge. When Cognito refuses
        the answer (a wrong or replayed code), the challenge session is kept: Cognito
        decides whether it may be answered again.
        """
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
        return self.pool.transport.run(self._signed_in(flow))

    def send_new_password_required_answer(
        self,
        new_password: str,
        attributes: dict[str, str] | None = None,
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer NEW_PASSWORD_REQUIRED with the new password and the attributes it asked for.

        ``attributes`` use plain names (``{"given_name": "Ann"}``), as
        :attr:`CognitoUserNewPasswordRequiredException.required_attributes` lists them.
        Returns the session, or raises the next challenge (e.g. MFA_SETUP).
        """
        responses = {"NEW_PASSWORD": new_password}
        for name, value in (attributes or {}).items():
            responses[f"userAttributes.{name}"] = value
        return self.respond_to_auth_challenge("NEW_PASSWORD_REQUIRED", responses, client_metadata)

    def send_mfa_code(
        self,
        code: str,
        mfa_type: str = "SMS_MFA",
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer an MFA challenge: ``SMS_MFA``, ``SOFTWARE_TOKEN_MFA`` or ``EMAIL_OTP``.

        Only the response field of ``mfa_type`` is sent (the original SDK always added
        ``SMS_MFA_CODE``). A wrong code raises CodeMismatchException and the challenge
        stays open for another try.
        """
        field = _MFA_CODE_FIELDS.get(mfa_type)
        if field is None:
            raise InvalidConfigurationError(
                f"unknown MFA type {mfa_type!r}; expected one of {', '.join(_MFA_CODE_FIELDS)}"
            )
        return self.respond_to_auth_challenge(mfa_type, {field: code}, client_metadata)

    def send_mfa_selection_answer(
        self, mfa_type: str, client_metadata: dict[str, str] | None = None
    ) -> CognitoUserSession:
        """Answer SELECT_MFA_TYPE with the factor to use (one of ``mfas_can_choose``).

        Cognito then sends that factor's challenge, which this raises.
        """
        return self.respond_to_auth_challenge(
            "SELECT_MFA_TYPE", {"ANSWER": mfa_type}, client_metadata
        )

    def send_custom_challenge_answer(
        self, answer: str, client_metadata: dict[str, str] | None = None
    ) -> CognitoUserSession:
        """Answer CUSTOM_CHALLENGE; ``client_metadata`` reaches the verify trigger.

        Returns the session, or raises the next challenge (another custom one, MFA, ...).
        """
        return self.respond_to_auth_challenge(
            "CUSTOM_CHALLENGE", {"ANSWER": answer}, client_metadata
        )

    def associate_software_token(self) -> str:
        """Start setting up a TOTP authenticator; returns the base32 ``SecretCode`` to
        show the user (as text or an ``otpauth://`` QR code).

        In the middle of a sign-in stopped at MFA_SETUP this uses the challenge session;
        otherwise it needs a signed-in user (NotAuthenticatedError when there is none).
        Continue with :meth:`verify_software_token`.
        """
        if self._setting_up_mfa():
            answer = self.pool.transport.call(
                "AssociateSoftwareToken", {"Session": self._challenge_session}
            )
            self._keep_challenge_session(answer)
        else:
            answer = self.pool.transport.call(
                "AssociateSoftwareToken",
                {"AccessToken": self._valid_session().access_token.jwt_token},
            )
        secret = answer.get("SecretCode")
        if not isinstance(secret, str) or not secret:
            raise CognitoResponseError("AssociateSoftwareToken answered without a SecretCode")
        return secret

    def verify_software_token(
        self, totp_code: str, friendly_device_name: str | None = None
    ) -> CognitoUserSession | None:
        """Prove the authenticator works with one of its codes (VerifySoftwareToken).

        During MFA_SETUP this also finishes the sign-in in the same session
        (RespondToAuthChallenge MFA_SETUP, which the original SDK never sent, so its users
        had to sign in again) and returns the new session, or raises the next challenge.
        For a signed-in user it returns None; turn TOTP on with the MFA preference then.
        A wrong code raises EnableSoftwareTokenMFAException and may be retried.
        """
        setting_up = self._setting_up_mfa()
        params: dict[str, Any] = {"UserCode": totp_code, "FriendlyDeviceName": friendly_device_name}
        if setting_up:
            params["Session"] = self._challenge_session
        else:
            params["AccessToken"] = self._valid_session().access_token.jwt_token
        answer = self.pool.transport.call("VerifySoftwareToken", params)
        if answer.get("Status") != "SUCCESS":
            raise CognitoResponseError("VerifySoftwareToken did not answer SUCCESS")
        if not setting_up:
            return None
        self._keep_challenge_session(answer)
        return self.respond_to_auth_challenge("MFA_SETUP", {})

    def _setting_up_mfa(self) -> bool:
        return self._challenge_name == "MFA_SETUP" and self._challenge_session is not None

    def _keep_challenge_session(self, answer: dict[str, Any]) -> None:
        session = answer.get("Session")
        if not isinstance(session, str) or not session:
            raise CognitoResponseError("the MFA set-up answer carries no Session")
        self._challenge_session = session

    # --- The session: storage, refresh, sign-out ---

    def get_session(self) -> CognitoUserSession:
        """A valid session: the one in memory, the one in storage, or a refreshed one.

        Raises :class:`NotAuthenticatedError` when there is none and nothing to refresh
        with; a refresh refused by Cognito raises its error (e.g. a revoked refresh
        token gives NotAuthorizedException) and clears the stored tokens. However many
        threads ask at once, one refresh per user and storage reaches Cognito; the others
        get the session it stored.
        """
        if self._session is not None and self._session.is_valid():
            return self._session
        sessions = self._sessions
        cached = sessions.load(self.username)
        if cached is not None and cached.is_valid():
            self._session = cached
            return cached
        gate = sessions.refresh_gate(self.username)
        with gate.lock:
            # Another thread may have refreshed while this one waited.
            cached = sessions.load(self.username)
            if cached is not None and cached.is_valid():
                self._session = cached
                return cached
            refresh_token = sessions.refresh_token(self.username)
            if not refresh_token:
                raise NotAuthenticatedError(
                    f"no session stored for {self.username!r}; sign in first"
                )
            return self.refresh_session(CognitoRefreshToken(refresh_token))

    def refresh_session(
        self, refresh_token: CognitoRefreshToken, *, rotate: bool | None = None
    ) -> CognitoUserSession:
        """New id and access tokens for ``refresh_token`` (REFRESH_TOKEN_AUTH).

        With ``rotate`` (by default the pool's ``refresh_token_rotation``) the refresh goes
        through GetTokensFromRefreshToken, and a rotating client's new refresh token
        replaces the old one. A refused refresh (revoked, expired, reused after the grace
        period, or a deleted user) clears the stored tokens, unless another refresh has
        stored newer ones meanwhile, and raises Cognito's error.
        """
        rotating = self.pool.refresh_token_rotation if rotate is None else rotate
        flow = Refresh(
            self._app, self.username, refresh_token.token, self.get_device_key(), rotating
        ).flow()
        try:
            tokens = self.pool.transport.run(flow)
        except (NotAuthorizedException, RefreshTokenReuseException):
            self._sessions.clear(self.username, if_refresh_token=refresh_token.token)
            raise
        session = _session_of(tokens, refresh_token)
        self._session = session
        self._cache_tokens(session)
        return session

    def sign_out(self, *, revoke_refresh_token: bool = False) -> None:
        """Forget the session here; with ``revoke_refresh_token`` also revoke it at Cognito.

        Revoking (RevokeToken) ends the refresh token and the access tokens issued from
        it; without it, tokens already issued stay valid until they expire.
        """
        session = self._session or self._sessions.load(self.username)
        if revoke_refresh_token and session is not None and session.refresh_token is not None:
            self.pool.transport.call(
                "RevokeToken",
                {
                    "Token": session.refresh_token.token,
                    "ClientId": self.pool.client_id,
                    "ClientSecret": self.pool.client_secret,
                },
            )
        self._session = None
        self._clear_cached_tokens()

    def global_sign_out(self) -> None:
        """Sign the user out of every device (GlobalSignOut) and forget the session here."""
        session = self._valid_session()
        self.pool.transport.call("GlobalSignOut", {"AccessToken": session.access_token.jwt_token})
        self._session = None
        self._clear_cached_tokens()

    def get_user_attributes(self) -> list[CognitoUserAttribute]:
        """The signed-in user's attributes (GetUser)."""
        session = self._valid_session()
        answer = self.pool.transport.call(
            "GetUser", {"AccessToken": session.access_token.jwt_token}
        )
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


_MFA_CODE_FIELDS = {
    "SMS_MFA": "SMS_MFA_CODE",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
    "EMAIL_OTP": "EMAIL_OTP_CODE",
}


def _session_of(
    tokens: Tokens, previous_refresh_token: CognitoRefreshToken | None = None
) -> CognitoUserSession:
    """The session of new tokens; a refresh that returns no refresh token keeps the old."""
    return CognitoUserSession(
        CognitoIdToken(tokens.id_token),
        CognitoAccessToken(tokens.access_token),
        CognitoRefreshToken(tokens.refresh_token)
        if tokens.refresh_token is not None
        else previous_refresh_token,
    )
