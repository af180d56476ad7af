"""A user of a pool: confirming sign-up, signing in, keeping and ending the session.

Every operation is a *flow* written once in :mod:`cognito_identity.user_core` (and the
account, device and USER_AUTH mixins): a generator that yields the Cognito calls it needs
and receives their answers. :class:`CognitoUser` runs them on the pool's sync client;
:class:`~cognito_identity.asyncio.AsyncCognitoUser` awaits the same flows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cognito_identity.account import AccountOperations
from cognito_identity.attributes import AuthenticationDetails, CognitoUserAttribute
from cognito_identity.devices import DeviceOperations
from cognito_identity.session import CognitoRefreshToken, CognitoUserSession
from cognito_identity.storage import CognitoStorage
from cognito_identity.user_auth import UserAuthOperations
from cognito_identity.user_core import UserCore

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool

__all__ = ["CognitoUser"]


class CognitoUser(UserCore, AccountOperations, DeviceOperations, UserAuthOperations):
    """One user of a :class:`~cognito_identity.pool.CognitoUserPool`.

    ``storage`` defaults to the pool's. After an SRP sign-in, :attr:`username` becomes
    the ``USER_ID_FOR_SRP`` Cognito answers with (the user's name in the pool, which
    differs from what was typed when the pool signs users in by e-mail or phone): stored
    sessions are kept under that name, as AWS's JavaScript SDK keeps them.

    The sign-in flows themselves are values (:mod:`cognito_identity.flows`); this object
    runs them on the pool's client and applies what they return: it stores the session
    (one record, in one write) and the device, and keeps the challenge Cognito waits on.
    """

    pool: CognitoUserPool

    def __init__(
        self, username: str, pool: CognitoUserPool, storage: CognitoStorage | None = None
    ) -> None:
        super().__init__(username, pool, storage)

    # --- Sign-up confirmation ---

    def confirm_registration(
        self,
        code: str,
        *,
        force_alias_creation: bool = False,
        client_metadata: dict[str, str] | None = None,
    ) -> None:
        """Confirm sign-up with the code Cognito sent (ConfirmSignUp)."""
        self.pool.transport.run(
            self._confirm_registration_flow(code, force_alias_creation, client_metadata)
        )

    def resend_confirmation_code(
        self, client_metadata: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Send the confirmation code again; returns where it went (CodeDeliveryDetails)."""
        return self.pool.transport.run(self._resend_confirmation_code_flow(client_metadata))

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
        return self.pool.transport.run(self._authenticate_user_flow(details))

    def initiate_auth(self, details: AuthenticationDetails) -> CognitoUserSession:
        """Start a CUSTOM_AUTH sign-in without a password (the pool's triggers decide).

        ``details.auth_parameters`` are sent as extra ``AuthParameters`` and
        ``details.validation_data`` as ``ClientMetadata``. Usually raises
        :class:`~cognito_identity.errors.CognitoUserCustomChallengeException`, answered
        with :meth:`send_custom_challenge_answer`; any other challenge is raised as its
        own exception too.
        """
        return self.pool.transport.run(self._initiate_auth_flow(details))

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
        return self.pool.transport.run(
            self._respond_to_auth_challenge_flow(
                challenge_name, challenge_responses, client_metadata
            )
        )

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
        return self.pool.transport.run(
            self._new_password_flow(new_password, attributes, client_metadata)
        )

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
        return self.pool.transport.run(self._mfa_code_flow(code, mfa_type, client_metadata))

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
        return self.pool.transport.run(self._associate_software_token_flow())

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
        return self.pool.transport.run(
            self._verify_software_token_flow(totp_code, friendly_device_name)
        )

    # --- The session: storage, refresh, sign-out ---

    def get_session(self) -> CognitoUserSession:
        """A valid session: the one in memory, the one in storage, or a refreshed one.

        Raises :class:`NotAuthenticatedError` when there is none and nothing to refresh
        with; a refresh refused by Cognito raises its error (e.g. a revoked refresh
        token gives NotAuthorizedException) and clears the stored tokens. However many
        threads ask at once, one refresh per user and storage reaches Cognito; the others
        get the session it stored.
        """
        session = self._session_at_hand()
        if session is not None:
            return session
        gate = self._sessions.refresh_gate(self.username)  # held: the map keeps it weakly
        with gate.lock:
            return self.pool.transport.run(self._refresh_stored_flow())

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
        return self.pool.transport.run(self._refresh_session_flow(refresh_token, rotate))

    def sign_out(self, *, revoke_refresh_token: bool = False) -> None:
        """Forget the session here; with ``revoke_refresh_token`` also revoke it at Cognito.

        Revoking (RevokeToken) ends the refresh token and the access tokens issued from
        it; without it, tokens already issued stay valid until they expire.
        """
        self.pool.transport.run(self._sign_out_flow(revoke_refresh_token))

    def global_sign_out(self) -> None:
        """Sign the user out of every device (GlobalSignOut) and forget the session here."""
        self.pool.transport.run(self._global_sign_out_flow())

    def get_user_attributes(self) -> list[CognitoUserAttribute]:
        """The signed-in user's attributes (GetUser)."""
        return self.pool.transport.run(self._get_user_attributes_flow())
