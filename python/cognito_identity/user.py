"""A user of a pool: confirming sign-up, signing in, keeping and ending the session.

Each sign-in is a *flow*: a generator that yields the Cognito calls it needs and receives
their answers (see :mod:`cognito_identity.transport`). The flows hold no IO, so they read
as the protocol does; :class:`CognitoUser` runs them on the pool's transport.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cognito_identity.account import AccountOperations
from cognito_identity.attributes import AuthenticationDetails, CognitoUserAttribute
from cognito_identity.devices import DeviceOperations
from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserConfirmationNecessaryException,
    InvalidConfigurationError,
    NotAuthenticatedError,
    NotAuthorizedException,
    UserNotConfirmedException,
    challenge_exception,
)
from cognito_identity.session import (
    CognitoAccessToken,
    CognitoIdToken,
    CognitoRefreshToken,
    CognitoUserSession,
)
from cognito_identity.srp import AuthenticationHelper, now_timestamp
from cognito_identity.storage import CognitoStorage, key_prefix, last_user_key
from cognito_identity.token_refresh import TokenRefreshOperations
from cognito_identity.transport import Call, Flow
from cognito_identity.user_auth import UserAuthOperations

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool

__all__ = ["CognitoUser"]

USER_SRP_AUTH = "USER_SRP_AUTH"
USER_PASSWORD_AUTH = "USER_PASSWORD_AUTH"
CUSTOM_AUTH = "CUSTOM_AUTH"
_FLOWS = (USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_AUTH)
_TOKEN_KEYS = ("idToken", "accessToken", "refreshToken", "clockDrift")


class CognitoUser(AccountOperations, DeviceOperations, UserAuthOperations, TokenRefreshOperations):
    """One user of a :class:`~cognito_identity.pool.CognitoUserPool`.

    ``storage`` defaults to the pool's. After an SRP sign-in, :attr:`username` becomes
    the ``USER_ID_FOR_SRP`` Cognito answers with (the user's name in the pool, which
    differs from what was typed when the pool signs users in by e-mail or phone): stored
    sessions are kept under that name, as AWS's JavaScript SDK keeps them.
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
        details = answer.get("CodeDeliveryDetails")
        return details if isinstance(details, dict) else {}

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
        if self.authentication_flow_type in (USER_SRP_AUTH, CUSTOM_AUTH):
            flow = self._srp_flow(
                details.password, details.validation_data, self.authentication_flow_type
            )
        elif self.authentication_flow_type == USER_PASSWORD_AUTH:
            flow = self._password_flow(details.password, details.validation_data)
        else:
            raise InvalidConfigurationError(
                f"unsupported authentication flow {self.authentication_flow_type!r}; "
                f"expected one of {', '.join(_FLOWS)}"
            )
        return self.pool.transport.run(flow)

    def _srp_flow(
        self, password: str, client_metadata: dict[str, str] | None, auth_flow: str
    ) -> Flow[CognitoUserSession]:
        helper = AuthenticationHelper(self.pool.pool_name)
        try:
            answer = yield Call(
                "InitiateAuth",
                {
                    "AuthFlow": auth_flow,
                    "ClientId": self.pool.client_id,
                    "AuthParameters": _without_none(
                        USERNAME=self.username,
                        SRP_A=helper.large_a_hex,
                        CHALLENGE_NAME="SRP_A" if auth_flow == CUSTOM_AUTH else None,
                        SECRET_HASH=self.pool.secret_hash(self.username),
                        DEVICE_KEY=self.get_device_key(),
                    ),
                    "ClientMetadata": client_metadata,
                },
            )
        except UserNotConfirmedException as error:
            raise CognitoUserConfirmationNecessaryException() from error
        if answer.get("ChallengeName") != "PASSWORD_VERIFIER":
            return (yield from self._finish(answer))
        parameters = _challenge_parameters(answer)
        user_id = _required(parameters, "USER_ID_FOR_SRP")
        timestamp = now_timestamp()
        signature = helper.password_claim_signature(
            user_id,
            password,
            _required(parameters, "SALT"),
            _required(parameters, "SRP_B"),
            _required(parameters, "SECRET_BLOCK"),
            timestamp,
        )
        self.username = user_id
        answer = yield from self._unless_device_unknown(
            Call(
                "RespondToAuthChallenge",
                {
                    "ChallengeName": "PASSWORD_VERIFIER",
                    "ClientId": self.pool.client_id,
                    "ChallengeResponses": _without_none(
                        USERNAME=user_id,
                        PASSWORD_CLAIM_SECRET_BLOCK=parameters["SECRET_BLOCK"],
                        TIMESTAMP=timestamp,
                        PASSWORD_CLAIM_SIGNATURE=signature,
                        SECRET_HASH=self.pool.secret_hash(user_id),
                        DEVICE_KEY=self.get_device_key(),
                    ),
                    "Session": answer.get("Session"),
                    "ClientMetadata": client_metadata,
                },
            )
        )
        return (yield from self._finish(answer))

    def _password_flow(
        self, password: str, client_metadata: dict[str, str] | None
    ) -> Flow[CognitoUserSession]:
        try:
            answer = yield from self._unless_device_unknown(
                Call(
                    "InitiateAuth",
                    {
                        "AuthFlow": USER_PASSWORD_AUTH,
                        "ClientId": self.pool.client_id,
                        "AuthParameters": _without_none(
                            USERNAME=self.username,
                            PASSWORD=password,
                            SECRET_HASH=self.pool.secret_hash(self.username),
                            DEVICE_KEY=self.get_device_key(),
                        ),
                        "ClientMetadata": client_metadata,
                    },
                )
            )
        except UserNotConfirmedException as error:
            raise CognitoUserConfirmationNecessaryException() from error
        return (yield from self._finish(answer))

    def initiate_auth(self, details: AuthenticationDetails) -> CognitoUserSession:
        """Start a CUSTOM_AUTH sign-in without a password (the pool's triggers decide).

        ``details.auth_parameters`` are sent as extra ``AuthParameters`` and
        ``details.validation_data`` as ``ClientMetadata``. Usually raises
        :class:`~cognito_identity.errors.CognitoUserCustomChallengeException`, answered
        with :meth:`send_custom_challenge_answer`; any other challenge is raised as its
        own exception too.
        """
        return self.pool.transport.run(self._custom_auth_flow(details))

    def _custom_auth_flow(self, details: AuthenticationDetails) -> Flow[CognitoUserSession]:
        try:
            answer = yield Call(
                "InitiateAuth",
                {
                    "AuthFlow": CUSTOM_AUTH,
                    "ClientId": self.pool.client_id,
                    "AuthParameters": {
                        **(details.auth_parameters or {}),
                        **_without_none(
                            USERNAME=self.username,
                            SECRET_HASH=self.pool.secret_hash(self.username),
                            DEVICE_KEY=self.get_device_key(),
                        ),
                    },
                    "ClientMetadata": details.validation_data,
                },
            )
        except UserNotConfirmedException as error:
            raise CognitoUserConfirmationNecessaryException() from error
        return (yield from self._finish(answer))

    def _finish(self, answer: dict[str, Any]) -> Flow[CognitoUserSession]:
        """The last step of every sign-in: cache the session (confirming a new device
        first), sign in with the remembered device when Cognito asks, or raise the
        challenge Cognito asks for."""
        result = answer.get("AuthenticationResult")
        if isinstance(result, dict):
            self._session = CognitoUserSession.from_authentication_result(result)
            self._cache_tokens(self._session)
            return (yield from self._confirm_new_device(result, self._session))
        challenge = answer.get("ChallengeName")
        if not isinstance(challenge, str):
            raise CognitoResponseError("Cognito answered with neither tokens nor a challenge")
        if challenge == "DEVICE_SRP_AUTH":
            return (yield from self._device_srp_flow(answer.get("Session")))
        session = answer.get("Session")
        self._challenge_name = challenge
        self._challenge_session = session if isinstance(session, str) else None
        raise challenge_exception(challenge, _challenge_parameters(answer))

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
        responses = {"USERNAME": self.username, **challenge_responses}
        secret = self.pool.secret_hash(responses["USERNAME"])
        if secret is not None:
            responses.setdefault("SECRET_HASH", secret)
        if (device_key := self.get_device_key()) is not None:
            responses.setdefault("DEVICE_KEY", device_key)
        call = Call(
            "RespondToAuthChallenge",
            {
                "ChallengeName": challenge_name,
                "ClientId": self.pool.client_id,
                "ChallengeResponses": responses,
                "Session": self._challenge_session,
                "ClientMetadata": client_metadata,
            },
        )
        return self.pool.transport.run(self._answer_flow(call))

    def _answer_flow(self, call: Call) -> Flow[CognitoUserSession]:
        """Send one challenge answer; once Cognito accepts it, the challenge is used up."""
        answer = yield call
        self._challenge_name = self._challenge_session = None
        return (yield from self._finish(answer))

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
        token gives NotAuthorizedException) and clears the stored tokens.
        """
        if self._session is not None and self._session.is_valid():
            return self._session
        cached = self._cached_session()
        if cached is not None and cached.is_valid():
            self._session = cached
            return cached
        refresh_token = self.storage.get_item(f"{self._prefix}.refreshToken")
        if refresh_token:
            return self.refresh_session(CognitoRefreshToken(refresh_token))
        raise NotAuthenticatedError(f"no session stored for {self.username!r}; sign in first")

    def refresh_session(
        self, refresh_token: CognitoRefreshToken, *, rotate: bool | None = None
    ) -> CognitoUserSession:
        """New id and access tokens for ``refresh_token`` (REFRESH_TOKEN_AUTH).

        With ``rotate`` (by default the pool's ``refresh_token_rotation``) the refresh goes
        through GetTokensFromRefreshToken, and a rotating client's new refresh token
        replaces the old one.
        """
        if self.pool.refresh_token_rotation if rotate is None else rotate:
            return self._refresh_with_rotation(refresh_token)
        try:
            answer = self.pool.transport.call(
                "InitiateAuth",
                {
                    "AuthFlow": "REFRESH_TOKEN_AUTH",
                    "ClientId": self.pool.client_id,
                    "AuthParameters": _without_none(
                        REFRESH_TOKEN=refresh_token.token,
                        SECRET_HASH=self.pool.secret_hash(self.username),
                        DEVICE_KEY=self.get_device_key(),
                    ),
                },
            )
        except NotAuthorizedException:
            self._clear_cached_tokens()
            raise
        result = answer.get("AuthenticationResult")
        if not isinstance(result, dict):
            raise CognitoResponseError("the refresh answer carries no AuthenticationResult")
        self._session = CognitoUserSession.from_authentication_result(result, refresh_token)
        self._cache_tokens(self._session)
        return self._session

    def sign_out(self, *, revoke_refresh_token: bool = False) -> None:
        """Forget the session here; with ``revoke_refresh_token`` also revoke it at Cognito.

        Revoking (RevokeToken) ends the refresh token and the access tokens issued from
        it; without it, tokens already issued stay valid until they expire.
        """
        session = self._session or self._cached_session()
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
        return [
            CognitoUserAttribute(str(item.get("Name", "")), str(item.get("Value", "")))
            for item in answer.get("UserAttributes") or []
            if isinstance(item, dict)
        ]

    def _valid_session(self) -> CognitoUserSession:
        if self._session is None or not self._session.is_valid():
            raise NotAuthenticatedError(f"{self.username!r} is not signed in")
        return self._session

    @property
    def _prefix(self) -> str:
        return key_prefix(self.pool.client_id, self.username)

    def _cache_tokens(self, session: CognitoUserSession) -> None:
        prefix = self._prefix
        self.storage.set_item(f"{prefix}.idToken", session.id_token.jwt_token)
        self.storage.set_item(f"{prefix}.accessToken", session.access_token.jwt_token)
        if session.refresh_token is not None:
            self.storage.set_item(f"{prefix}.refreshToken", session.refresh_token.token)
        self.storage.set_item(f"{prefix}.clockDrift", str(session.clock_drift))
        self.storage.set_item(last_user_key(self.pool.client_id), self.username)

    def _cached_session(self) -> CognitoUserSession | None:
        prefix = self._prefix
        id_token = self.storage.get_item(f"{prefix}.idToken")
        access_token = self.storage.get_item(f"{prefix}.accessToken")
        if not id_token or not access_token:
            return None
        refresh_token = self.storage.get_item(f"{prefix}.refreshToken")
        drift = self.storage.get_item(f"{prefix}.clockDrift")
        return CognitoUserSession(
            CognitoIdToken(id_token),
            CognitoAccessToken(access_token),
            CognitoRefreshToken(refresh_token) if refresh_token else None,
            clock_drift=int(drift) if drift and drift.lstrip("-").isdigit() else 0,
        )

    def _clear_cached_tokens(self) -> None:
        prefix = self._prefix
        for key in _TOKEN_KEYS:
            self.storage.remove_item(f"{prefix}.{key}")
        last = last_user_key(self.pool.client_id)
        if self.storage.get_item(last) == self.username:
            self.storage.remove_item(last)


_MFA_CODE_FIELDS = {
    "SMS_MFA": "SMS_MFA_CODE",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
    "EMAIL_OTP": "EMAIL_OTP_CODE",
}


def _without_none(**values: str | None) -> dict[str, str]:
    return {name: value for name, value in values.items() if value is not None}


def _challenge_parameters(answer: dict[str, Any]) -> dict[str, str]:
    parameters = answer.get("ChallengeParameters") or {}
    if not isinstance(parameters, dict):
        raise CognitoResponseError("ChallengeParameters is not an object")
    return {str(k): str(v) for k, v in parameters.items()}


def _required(parameters: dict[str, str], name: str) -> str:
    value = parameters.get(name)
    if not value:
        raise CognitoResponseError(f"the challenge lacks its {name} parameter")
    return value
