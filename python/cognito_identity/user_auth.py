"""Choice-based sign-in (AuthFlow USER_AUTH): a first factor chosen by the user.

The operations are flows in :class:`UserAuthFlows`, run by :class:`UserAuthOperations`
for :class:`~cognito_identity.user.CognitoUser` and awaited by the asyncio user.
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
from typing import TYPE_CHECKING

from cognito_identity._checks import require_str
from cognito_identity.client import Flow
from cognito_identity.errors import InvalidConfigurationError, NotAuthenticatedError
from cognito_identity.flows import AppClient, SelectChallenge, UserAuthSignIn
from cognito_identity.flows.outcome import Outcome
from cognito_identity.flows.user_auth import FIRST_FACTORS, first_factor_helper
from cognito_identity.srp import AuthenticationHelper

if TYPE_CHECKING:
    from cognito_identity.device_cache import DeviceCache
    from cognito_identity.pool import CognitoUserPool
    from cognito_identity.session import CognitoUserSession

__all__ = ["FIRST_FACTORS", "UserAuthFlows", "UserAuthOperations"]

SELECT_CHALLENGE = "SELECT_CHALLENGE"
_OTP_CODE_FIELDS = {"EMAIL_OTP": "EMAIL_OTP_CODE", "SMS_OTP": "SMS_OTP_CODE"}


class UserAuthFlows:
    """The USER_AUTH operations as flows (a mixin of the user classes)."""

    if TYPE_CHECKING:
        # Provided by the user classes.
        username: str

        @property
        def _app(self) -> AppClient: ...

        @property
        def _devices(self) -> DeviceCache: ...

        _challenge_name: str | None
        _challenge_session: str | None
        _signed_in: Callable[[Flow[Outcome]], Flow[CognitoUserSession]]
        _respond_to_auth_challenge_flow: Callable[..., Flow[CognitoUserSession]]

    def _sign_in_flow(
        self,
        preferred: str | None,
        password: str | None,
        client_metadata: dict[str, str] | None,
    ) -> Flow[CognitoUserSession]:
        helper = self._first_factor_helper(preferred, password)
        return (yield from self._user_auth_flow(preferred, password, helper, client_metadata))

    def _first_factor_helper(
        self, factor: str | None, password: str | None
    ) -> AuthenticationHelper | None:
        return first_factor_helper(self._app, factor, password)

    def _user_auth_flow(
        self,
        preferred: str | None,
        password: str | None,
        helper: AuthenticationHelper | None,
        client_metadata: dict[str, str] | None,
    ) -> Flow[CognitoUserSession]:
        flow = UserAuthSignIn(
            self._app, self.username, self._devices, preferred, password, helper, client_metadata
        ).flow()
        return self._signed_in(flow)

    def _send_challenge_selection_flow(
        self, choice: str, password: str | None, client_metadata: dict[str, str] | None
    ) -> Flow[CognitoUserSession]:
        if self._challenge_name != SELECT_CHALLENGE or self._challenge_session is None:
            raise NotAuthenticatedError("there is no SELECT_CHALLENGE waiting for an answer")
        if choice not in FIRST_FACTORS:
            raise InvalidConfigurationError(
                f"unknown first factor {choice!r}; expected one of {', '.join(FIRST_FACTORS)}"
            )
        helper = self._first_factor_helper(choice, password)
        flow = SelectChallenge(
            self._app,
            self.username,
            choice,
            self._challenge_session,
            self._devices,
            password,
            helper,
            client_metadata,
        ).flow()
        return (yield from self._signed_in(flow))

    def _send_otp_code_flow(
        self, code: str, client_metadata: dict[str, str] | None
    ) -> Flow[CognitoUserSession]:
        require_str(code, "the one-time code")
        field = _OTP_CODE_FIELDS.get(self._challenge_name or "")
        if field is None or self._challenge_session is None:
            raise NotAuthenticatedError("there is no one-time code challenge waiting for an answer")
        assert self._challenge_name is not None
        return (
            yield from self._respond_to_auth_challenge_flow(
                self._challenge_name, {field: code}, client_metadata
            )
        )


class UserAuthOperations(UserAuthFlows):
    """USER_AUTH methods of :class:`~cognito_identity.user.CognitoUser` (a mixin)."""

    if TYPE_CHECKING:
        pool: CognitoUserPool

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
        return self.pool.transport.run(
            self._sign_in_flow(preferred_challenge, password, client_metadata)
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
        return self.pool.transport.run(
            self._send_challenge_selection_flow(choice, password, client_metadata)
        )

    def send_otp_code(
        self, code: str, client_metadata: dict[str, str] | None = None
    ) -> CognitoUserSession:
        """Answer the EMAIL_OTP or SMS_OTP challenge waiting now with the code Cognito sent.

        A wrong code raises CodeMismatchException and may be retried in the same session
        (Cognito closes it after a few); an expired one raises ExpiredCodeException.
        """
        return self.pool.transport.run(self._send_otp_code_flow(code, client_metadata))
