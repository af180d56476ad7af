"""Choice-based sign-in (AuthFlow USER_AUTH): a first factor chosen by the user.

:class:`UserAuthOperations` is mixed into :class:`~cognito_identity.user.CognitoUser`.
``sign_in()`` asks Cognito which first factors the user may use and raises
:class:`~cognito_identity.errors.CognitoUserSelectChallengeException` listing them;
``send_challenge_selection()`` picks one. ``sign_in(preferred_challenge=...)`` goes
straight to a factor when Cognito offers it. The factors:

* ``PASSWORD``: the password is sent to Cognito (over TLS), as in USER_PASSWORD_AUTH;
* ``PASSWORD_SRP``: the password is proven by SRP and never leaves this machine;
* ``EMAIL_OTP`` / ``SMS_OTP``: a passwordless sign-in with a one-time code Cognito sends,
  answered with ``send_otp_code()``.

Whatever comes next (MFA after a password, a new device) is raised or handled as in the
other sign-in flows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserConfirmationNecessaryException,
    CognitoUserSelectChallengeException,
    InvalidConfigurationError,
    NotAuthenticatedError,
    UserNotConfirmedException,
)
from cognito_identity.srp import AuthenticationHelper, now_timestamp
from cognito_identity.transport import Call, Flow

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool
    from cognito_identity.session import CognitoUserSession

__all__ = ["FIRST_FACTORS", "UserAuthOperations"]

USER_AUTH = "USER_AUTH"
SELECT_CHALLENGE = "SELECT_CHALLENGE"
#: The first factors this SDK can answer (Cognito also knows WEB_AUTHN, not supported here).
FIRST_FACTORS = ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP")
_PASSWORD_FACTORS = ("PASSWORD", "PASSWORD_SRP")
_OTP_CODE_FIELDS = {"EMAIL_OTP": "EMAIL_OTP_CODE", "SMS_OTP": "SMS_OTP_CODE"}


class UserAuthOperations:
    """USER_AUTH methods of :class:`~cognito_identity.user.CognitoUser` (a mixin)."""

    if TYPE_CHECKING:
        # Provided by CognitoUser.
        username: str
        pool: CognitoUserPool
        _challenge_name: str | None
        _challenge_session: str | None
        _finish: Callable[[dict[str, Any]], Flow[CognitoUserSession]]
        get_device_key: Callable[[], str | None]
        respond_to_auth_challenge: Callable[..., CognitoUserSession]

    def sign_in(
        self,
        preferred_challenge: str | None = None,
        password: str | None = None,
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Start a choice-based sign-in (InitiateAuth USER_AUTH) and return the session.

        Without ``preferred_challenge``, or when Cognito does not offer it to this user,
        raises :class:`CognitoUserSelectChallengeException`. ``PASSWORD`` and
        ``PASSWORD_SRP`` need ``password``; ``EMAIL_OTP`` / ``SMS_OTP`` raise the code's
        challenge, answered with :meth:`send_otp_code`.
        """
        helper = self._first_factor_helper(preferred_challenge, password)
        return self.pool.transport.run(
            self._user_auth_flow(preferred_challenge, password, helper, client_metadata)
        )

    def send_challenge_selection(
        self,
        choice: str,
        password: str | None = None,
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer SELECT_CHALLENGE with one of ``available_challenges``.

        ``PASSWORD`` and ``PASSWORD_SRP`` need ``password``. Returns the session or raises
        the next challenge, as :meth:`sign_in` does.
        """
        if self._challenge_name != SELECT_CHALLENGE or self._challenge_session is None:
            raise NotAuthenticatedError("there is no SELECT_CHALLENGE waiting for an answer")
        if choice not in FIRST_FACTORS:
            raise InvalidConfigurationError(
                f"unknown first factor {choice!r}; expected one of {', '.join(FIRST_FACTORS)}"
            )
        helper = self._first_factor_helper(choice, password)
        return self.pool.transport.run(
            self._selection_flow(choice, password, helper, client_metadata)
        )

    def send_otp_code(
        self, code: str, client_metadata: dict[str, str] | None = None
    ) -> CognitoUserSession:
        """Answer the EMAIL_OTP or SMS_OTP challenge waiting now with the code Cognito sent.

        A wrong code raises CodeMismatchException and may be retried in the same session
        (Cognito closes it after a few); an expired one raises ExpiredCodeException.
        """
        field = _OTP_CODE_FIELDS.get(self._challenge_name or "")
        if field is None or self._challenge_session is None:
            raise NotAuthenticatedError("there is no one-time code challenge waiting for an answer")
        assert self._challenge_name is not None
        return self.respond_to_auth_challenge(self._challenge_name, {field: code}, client_metadata)

    def _first_factor_helper(
        self, factor: str | None, password: str | None
    ) -> AuthenticationHelper | None:
        """Check the arguments for ``factor``; an SRP helper when it is PASSWORD_SRP."""
        if factor is not None and factor not in FIRST_FACTORS:
            raise InvalidConfigurationError(
                f"unknown first factor {factor!r}; expected one of {', '.join(FIRST_FACTORS)}"
            )
        if factor in _PASSWORD_FACTORS and not password:
            raise InvalidConfigurationError(f"{factor} needs a password")
        return AuthenticationHelper(self.pool.pool_name) if factor == "PASSWORD_SRP" else None

    def _factor_parameters(
        self, factor: str | None, password: str | None, helper: AuthenticationHelper | None
    ) -> dict[str, str]:
        values = {
            "USERNAME": self.username,
            "PASSWORD": password if factor == "PASSWORD" else None,
            "SRP_A": helper.large_a_hex if helper is not None else None,
            "SECRET_HASH": self.pool.secret_hash(self.username),
            "DEVICE_KEY": self.get_device_key(),
        }
        return {name: value for name, value in values.items() if value is not None}

    def _user_auth_flow(
        self,
        preferred: str | None,
        password: str | None,
        helper: AuthenticationHelper | None,
        client_metadata: dict[str, str] | None,
    ) -> Flow[CognitoUserSession]:
        parameters = self._factor_parameters(preferred, password, helper)
        if preferred is not None:
            parameters["PREFERRED_CHALLENGE"] = preferred
        try:
            answer = yield Call(
                "InitiateAuth",
                {
                    "AuthFlow": USER_AUTH,
                    "ClientId": self.pool.client_id,
                    "AuthParameters": parameters,
                    "ClientMetadata": client_metadata,
                },
            )
        except UserNotConfirmedException as error:
            raise CognitoUserConfirmationNecessaryException() from error
        return (yield from self._after_first_step(answer, password, helper, client_metadata))

    def _selection_flow(
        self,
        choice: str,
        password: str | None,
        helper: AuthenticationHelper | None,
        client_metadata: dict[str, str] | None,
    ) -> Flow[CognitoUserSession]:
        session = self._challenge_session
        responses = {**self._factor_parameters(choice, password, helper), "ANSWER": choice}
        answer = yield Call(
            "RespondToAuthChallenge",
            {
                "ChallengeName": SELECT_CHALLENGE,
                "ClientId": self.pool.client_id,
                "ChallengeResponses": responses,
                "Session": session,
                "ClientMetadata": client_metadata,
            },
        )
        self._challenge_name = self._challenge_session = None
        return (yield from self._after_first_step(answer, password, helper, client_metadata))

    def _after_first_step(
        self,
        answer: dict[str, Any],
        password: str | None,
        helper: AuthenticationHelper | None,
        client_metadata: dict[str, str] | None,
    ) -> Flow[CognitoUserSession]:
        """Prove the password if Cognito asks for SRP's PASSWORD_VERIFIER; raise
        SELECT_CHALLENGE with its choices; anything else as every sign-in does."""
        challenge = answer.get("ChallengeName")
        if challenge == "PASSWORD_VERIFIER" and helper is not None and password is not None:
            answer = yield self._password_verifier_call(answer, password, helper, client_metadata)
        elif challenge == SELECT_CHALLENGE:
            raise self._select_challenge(answer)
        return (yield from self._finish(answer))

    def _password_verifier_call(
        self,
        answer: dict[str, Any],
        password: str,
        helper: AuthenticationHelper,
        client_metadata: dict[str, str] | None,
    ) -> Call:
        parameters = answer.get("ChallengeParameters")
        if not isinstance(parameters, dict):
            raise CognitoResponseError("PASSWORD_VERIFIER came without ChallengeParameters")
        needed = ("USER_ID_FOR_SRP", "SALT", "SRP_B", "SECRET_BLOCK")
        missing = [name for name in needed if not isinstance(parameters.get(name), str)]
        if missing:
            raise CognitoResponseError(f"the challenge lacks its {missing[0]} parameter")
        user_id = parameters["USER_ID_FOR_SRP"]
        timestamp = now_timestamp()
        signature = helper.password_claim_signature(
            user_id,
            password,
            parameters["SALT"],
            parameters["SRP_B"],
            parameters["SECRET_BLOCK"],
            timestamp,
        )
        self.username = user_id
        responses = {
            "USERNAME": user_id,
            "PASSWORD_CLAIM_SECRET_BLOCK": parameters["SECRET_BLOCK"],
            "TIMESTAMP": timestamp,
            "PASSWORD_CLAIM_SIGNATURE": signature,
        }
        for name, value in (
            ("SECRET_HASH", self.pool.secret_hash(user_id)),
            ("DEVICE_KEY", self.get_device_key()),
        ):
            if value is not None:
                responses[name] = value
        return Call(
            "RespondToAuthChallenge",
            {
                "ChallengeName": "PASSWORD_VERIFIER",
                "ClientId": self.pool.client_id,
                "ChallengeResponses": responses,
                "Session": answer.get("Session"),
                "ClientMetadata": client_metadata,
            },
        )

    def _select_challenge(self, answer: dict[str, Any]) -> CognitoUserSelectChallengeException:
        """Keep SELECT_CHALLENGE's session and build its exception with the choices."""
        session = answer.get("Session")
        available = answer.get("AvailableChallenges")
        if not isinstance(session, str) or not isinstance(available, list):
            raise CognitoResponseError("SELECT_CHALLENGE came without Session or choices")
        parameters = answer.get("ChallengeParameters") or {}
        if not isinstance(parameters, dict):
            raise CognitoResponseError("ChallengeParameters is not an object")
        self._challenge_name = SELECT_CHALLENGE
        self._challenge_session = session
        return CognitoUserSelectChallengeException(
            available_challenges=[str(item) for item in available],
            challenge_name=SELECT_CHALLENGE,
            challenge_parameters={str(k): str(v) for k, v in parameters.items()},
        )
