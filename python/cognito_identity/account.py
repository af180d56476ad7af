"""What a user does with their own account: passwords, attributes, MFA settings, deletion.

:class:`AccountOperations` is mixed into :class:`~cognito_identity.user.CognitoUser`.
Calls that act on the signed-in user need a valid session in memory (sign in or call
``get_session()`` first) and raise :class:`NotAuthenticatedError` otherwise; none of them
refreshes the session by itself. Cognito's errors are raised, never turned into a
``False`` result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cognito_identity.attributes import AttributesLike, attribute_list
from cognito_identity.errors import CognitoUserPhoneNumberVerificationNecessaryException

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool
    from cognito_identity.session import CognitoUserSession

__all__ = ["AccountOperations", "IMfaSettings", "MfaSettings"]

_LEGACY_SMS_MFA = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]


@dataclass(frozen=True)
class MfaSettings:
    """One factor's setting in :meth:`AccountOperations.set_user_mfa_preference`."""

    enabled: bool
    preferred_mfa: bool = False

    def to_json(self) -> dict[str, bool]:
        """Cognito's wire form (``SMSMfaSettings`` and its siblings)."""
        return {"Enabled": self.enabled, "PreferredMfa": self.preferred_mfa}


#: The original SDK's name for :class:`MfaSettings`.
IMfaSettings = MfaSettings


class AccountOperations:
    """Account methods of :class:`~cognito_identity.user.CognitoUser` (a mixin)."""

    if TYPE_CHECKING:
        # Provided by CognitoUser.
        username: str
        pool: CognitoUserPool
        _session: CognitoUserSession | None
        _valid_session: Callable[[], CognitoUserSession]
        _clear_cached_tokens: Callable[[], None]

    # --- Passwords ---

    def change_password(self, old_password: str, new_password: str) -> None:
        """Replace the signed-in user's password (ChangePassword).

        A wrong ``old_password`` raises NotAuthorizedException, a ``new_password`` the
        pool's policy refuses raises InvalidPasswordException. Sessions already issued
        stay valid.
        """
        self._call_with_token(
            "ChangePassword", PreviousPassword=old_password, ProposedPassword=new_password
        )

    def forgot_password(self, client_metadata: dict[str, str] | None = None) -> dict[str, Any]:
        """Ask Cognito to send a password-reset code (ForgotPassword).

        Needs no session. Returns where the code went (``CodeDeliveryDetails``); confirm
        it with :meth:`confirm_password`.
        """
        answer = self.pool.transport.call(
            "ForgotPassword",
            {
                "ClientId": self.pool.client_id,
                "Username": self.username,
                "SecretHash": self.pool.secret_hash(self.username),
                "ClientMetadata": client_metadata,
            },
        )
        return _code_delivery(answer.get("CodeDeliveryDetails"))

    def confirm_password(
        self,
        confirmation_code: str,
        new_password: str,
        client_metadata: dict[str, str] | None = None,
    ) -> None:
        """Set a new password with the code :meth:`forgot_password` sent
        (ConfirmForgotPassword).

        Success returns normally; a wrong, expired or already used code raises
        CodeMismatchException or ExpiredCodeException.
        """
        self.pool.transport.call(
            "ConfirmForgotPassword",
            {
                "ClientId": self.pool.client_id,
                "Username": self.username,
                "ConfirmationCode": confirmation_code,
                "Password": new_password,
                "SecretHash": self.pool.secret_hash(self.username),
                "ClientMetadata": client_metadata,
            },
        )

    # --- Attributes ---

    def update_attributes(
        self, attributes: AttributesLike, client_metadata: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """Change the signed-in user's attributes (UpdateUserAttributes).

        ``attributes`` is a mapping or a list of :class:`CognitoUserAttribute`. A new
        e-mail address or phone number must be verified: Cognito sends a code (returned
        here as the list of ``CodeDeliveryDetails``) to confirm with
        :meth:`verify_attribute`. Depending on the pool, the old value stays in place
        until then, or the new one is stored unverified.
        """
        answer = self._call_with_token(
            "UpdateUserAttributes",
            UserAttributes=attribute_list(attributes),
            ClientMetadata=client_metadata,
        )
        sent = answer.get("CodeDeliveryDetailsList") or []
        return [item for item in sent if isinstance(item, dict)]

    def delete_attributes(self, attribute_names: Iterable[str]) -> None:
        """Remove the named attributes from the signed-in user (DeleteUserAttributes)."""
        self._call_with_token("DeleteUserAttributes", UserAttributeNames=list(attribute_names))

    def get_attribute_verification_code(
        self, attribute_name: str, client_metadata: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Send a code to verify ``email`` or ``phone_number``
        (GetUserAttributeVerificationCode); returns where it went."""
        answer = self._call_with_token(
            "GetUserAttributeVerificationCode",
            AttributeName=attribute_name,
            ClientMetadata=client_metadata,
        )
        return _code_delivery(answer.get("CodeDeliveryDetails"))

    def verify_attribute(self, attribute_name: str, confirmation_code: str) -> None:
        """Verify ``email`` or ``phone_number`` with the code Cognito sent
        (VerifyUserAttribute). A wrong, expired or used code raises CodeMismatchException
        or ExpiredCodeException."""
        self._call_with_token(
            "VerifyUserAttribute", AttributeName=attribute_name, Code=confirmation_code
        )

    # --- MFA settings ---

    def set_user_mfa_preference(
        self,
        sms: MfaSettings | None = None,
        software_token: MfaSettings | None = None,
        email: MfaSettings | None = None,
    ) -> None:
        """Turn MFA factors on or off and choose the preferred one (SetUserMFAPreference).

        A factor left as None keeps its setting. Cognito's refusal is raised (e.g.
        InvalidParameterException when the user has no phone number for SMS or has not
        verified a software token); the original SDK returned False instead.
        """
        self._call_with_token(
            "SetUserMFAPreference",
            SMSMfaSettings=sms.to_json() if sms else None,
            SoftwareTokenMfaSettings=software_token.to_json() if software_token else None,
            EmailMfaSettings=email.to_json() if email else None,
        )

    def get_user_mfa_setting_list(self) -> list[str]:
        """The factors the user has enabled (GetUser's ``UserMFASettingList``), e.g.
        ``["SMS_MFA", "SOFTWARE_TOKEN_MFA"]``; empty when none."""
        factors = self._get_user().get("UserMFASettingList") or []
        return [str(factor) for factor in factors]

    def get_preferred_mfa(self) -> str | None:
        """The user's preferred factor (GetUser's ``PreferredMfaSetting``), or None."""
        preferred = self._get_user().get("PreferredMfaSetting")
        return preferred if isinstance(preferred, str) else None

    def get_mfa_options(self) -> list[dict[str, str]]:
        """The legacy SMS MFA settings (GetUser's ``MFAOptions``); empty when off."""
        options = self._get_user().get("MFAOptions") or []
        return [dict(option) for option in options if isinstance(option, dict)]

    def enable_mfa(self) -> None:
        """Turn on SMS MFA the legacy way (SetUserSettings).

        Raises :class:`CognitoUserPhoneNumberVerificationNecessaryException` when the
        user has no verified phone number.
        """
        attributes = self._get_user().get("UserAttributes") or []
        verified = any(
            isinstance(item, dict)
            and item.get("Name") == "phone_number_verified"
            and item.get("Value") == "true"
            for item in attributes
        )
        if not verified:
            raise CognitoUserPhoneNumberVerificationNecessaryException(
                sign_in_user_session=self._session
            )
        self._call_with_token("SetUserSettings", MFAOptions=_LEGACY_SMS_MFA)

    def disable_mfa(self) -> None:
        """Turn off SMS MFA the legacy way (SetUserSettings with no options)."""
        self._call_with_token("SetUserSettings", MFAOptions=[])

    # --- The account itself ---

    def delete_user(self) -> None:
        """Delete the signed-in user from the pool (DeleteUser).

        The session is forgotten here and removed from storage: its tokens no longer
        work anywhere.
        """
        self._call_with_token("DeleteUser")
        self._session = None
        self._clear_cached_tokens()

    # --- Helpers ---

    def _get_user(self) -> dict[str, Any]:
        return self._call_with_token("GetUser")

    def _call_with_token(self, action: str, **body: Any) -> dict[str, Any]:
        """Call ``action`` with the valid session's access token added to ``body``."""
        session = self._valid_session()
        return self.pool.transport.call(
            action, {**body, "AccessToken": session.access_token.jwt_token}
        )


def _code_delivery(details: object) -> dict[str, Any]:
    return details if isinstance(details, dict) else {}
