"""What a user does with their own account: passwords, attributes, MFA settings, deletion.

Each operation is written once, as a flow in :class:`AccountFlows`;
:class:`AccountOperations` runs them for :class:`~cognito_identity.user.CognitoUser`, and
:class:`~cognito_identity.asyncio.AsyncCognitoUser` awaits the same flows. Calls that act
on the signed-in user need a valid session in memory (sign in or call ``get_session()``
first) and raise :class:`NotAuthenticatedError` otherwise; none of them refreshes the
session by itself. Cognito's errors are raised, never turned into a ``False`` result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cognito_identity._checks import require_str
from cognito_identity._decode import list_field
from cognito_identity.attributes import AttributesLike, attribute_list
from cognito_identity.client import Call, Flow
from cognito_identity.errors import CognitoUserPhoneNumberVerificationNecessaryException

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool, PoolSettings
    from cognito_identity.session import CognitoUserSession

__all__ = ["AccountFlows", "AccountOperations", "IMfaSettings", "MfaSettings"]

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


class AccountFlows:
    """The account operations as flows (a mixin of the user classes)."""

    if TYPE_CHECKING:
        # Provided by the user classes.
        username: str
        pool: PoolSettings
        _session: CognitoUserSession | None
        _valid_session: Callable[[], CognitoUserSession]
        _clear_cached_tokens: Callable[[], None]

    def _change_password_flow(self, old_password: str, new_password: str) -> Flow[None]:
        require_str(old_password, "old_password")
        require_str(new_password, "new_password")
        yield from self._call_with_token(
            "ChangePassword", PreviousPassword=old_password, ProposedPassword=new_password
        )

    def _forgot_password_flow(self, client_metadata: dict[str, str] | None) -> Flow[dict[str, Any]]:
        answer = yield Call(
            "ForgotPassword",
            {
                "ClientId": self.pool.client_id,
                "Username": self.username,
                "SecretHash": self.pool.secret_hash(self.username),
                "ClientMetadata": client_metadata,
            },
        )
        return _code_delivery(answer.get("CodeDeliveryDetails"))

    def _confirm_password_flow(
        self, confirmation_code: str, new_password: str, client_metadata: dict[str, str] | None
    ) -> Flow[None]:
        require_str(confirmation_code, "the confirmation code")
        require_str(new_password, "new_password")
        yield Call(
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

    def _update_attributes_flow(
        self, attributes: AttributesLike, client_metadata: dict[str, str] | None
    ) -> Flow[list[dict[str, Any]]]:
        answer = yield from self._call_with_token(
            "UpdateUserAttributes",
            UserAttributes=attribute_list(attributes),
            ClientMetadata=client_metadata,
        )
        sent = list_field(answer, "CodeDeliveryDetailsList") or []
        return [item for item in sent if isinstance(item, dict)]

    def _delete_attributes_flow(self, attribute_names: Iterable[str]) -> Flow[None]:
        yield from self._call_with_token(
            "DeleteUserAttributes", UserAttributeNames=list(attribute_names)
        )

    def _get_attribute_verification_code_flow(
        self, attribute_name: str, client_metadata: dict[str, str] | None
    ) -> Flow[dict[str, Any]]:
        answer = yield from self._call_with_token(
            "GetUserAttributeVerificationCode",
            AttributeName=attribute_name,
            ClientMetadata=client_metadata,
        )
        return _code_delivery(answer.get("CodeDeliveryDetails"))

    def _verify_attribute_flow(self, attribute_name: str, confirmation_code: str) -> Flow[None]:
        require_str(confirmation_code, "the confirmation code")
        yield from self._call_with_token(
            "VerifyUserAttribute", AttributeName=attribute_name, Code=confirmation_code
        )

    def _set_user_mfa_preference_flow(
        self,
        sms: MfaSettings | None,
        software_token: MfaSettings | None,
        email: MfaSettings | None,
    ) -> Flow[None]:
        yield from self._call_with_token(
            "SetUserMFAPreference",
            SMSMfaSettings=sms.to_json() if sms else None,
            SoftwareTokenMfaSettings=software_token.to_json() if software_token else None,
            EmailMfaSettings=email.to_json() if email else None,
        )

    def _get_user_mfa_setting_list_flow(self) -> Flow[list[str]]:
        factors = list_field((yield from self._get_user()), "UserMFASettingList") or []
        return [str(factor) for factor in factors]

    def _get_preferred_mfa_flow(self) -> Flow[str | None]:
        preferred = (yield from self._get_user()).get("PreferredMfaSetting")
        return preferred if isinstance(preferred, str) else None

    def _get_mfa_options_flow(self) -> Flow[list[dict[str, str]]]:
        options = list_field((yield from self._get_user()), "MFAOptions") or []
        return [dict(option) for option in options if isinstance(option, dict)]

    def _enable_mfa_flow(self) -> Flow[None]:
        attributes = list_field((yield from self._get_user()), "UserAttributes") or []
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
        yield from self._call_with_token("SetUserSettings", MFAOptions=_LEGACY_SMS_MFA)

    def _disable_mfa_flow(self) -> Flow[None]:
        yield from self._call_with_token("SetUserSettings", MFAOptions=[])

    def _delete_user_flow(self) -> Flow[None]:
        yield from self._call_with_token("DeleteUser")
        self._session = None
        self._clear_cached_tokens()

    def _get_user(self) -> Flow[dict[str, Any]]:
        return (yield from self._call_with_token("GetUser"))

    def _call_with_token(self, action: str, **body: Any) -> Flow[dict[str, Any]]:
        """Call ``action`` with the valid session's access token added to ``body``."""
        session = self._valid_session()
        answer = yield Call(action, {**body, "AccessToken": session.access_token.jwt_token})
        return answer


class AccountOperations(AccountFlows):
    """Account methods of :class:`~cognito_identity.user.CognitoUser` (a mixin)."""

    if TYPE_CHECKING:
        pool: CognitoUserPool

    # --- Passwords ---

    def change_password(self, old_password: str, new_password: str) -> None:
        """Replace the signed-in user's password (ChangePassword).

        A wrong ``old_password`` raises NotAuthorizedException, a ``new_password`` the
        pool's policy refuses raises InvalidPasswordException. Sessions already issued
        stay valid.
        """
        self.pool.transport.run(self._change_password_flow(old_password, new_password))

    def forgot_password(self, client_metadata: dict[str, str] | None = None) -> dict[str, Any]:
        """Ask Cognito to send a password-reset code (ForgotPassword).

        Needs no session. Returns where the code went (``CodeDeliveryDetails``); confirm
        it with :meth:`confirm_password`.
        """
        return self.pool.transport.run(self._forgot_password_flow(client_metadata))

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
        self.pool.transport.run(
            self._confirm_password_flow(confirmation_code, new_password, client_metadata)
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
        return self.pool.transport.run(self._update_attributes_flow(attributes, client_metadata))

    def delete_attributes(self, attribute_names: Iterable[str]) -> None:
        """Remove the named attributes from the signed-in user (DeleteUserAttributes)."""
        self.pool.transport.run(self._delete_attributes_flow(attribute_names))

    def get_attribute_verification_code(
        self, attribute_name: str, client_metadata: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Send a code to verify ``email`` or ``phone_number``
        (GetUserAttributeVerificationCode); returns where it went."""
        return self.pool.transport.run(
            self._get_attribute_verification_code_flow(attribute_name, client_metadata)
        )

    def verify_attribute(self, attribute_name: str, confirmation_code: str) -> None:
        """Verify ``email`` or ``phone_number`` with the code Cognito sent
        (VerifyUserAttribute). A wrong, expired or used code raises CodeMismatchException
        or ExpiredCodeException."""
        self.pool.transport.run(self._verify_attribute_flow(attribute_name, confirmation_code))

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
        self.pool.transport.run(self._set_user_mfa_preference_flow(sms, software_token, email))

    def get_user_mfa_setting_list(self) -> list[str]:
        """The factors the user has enabled (GetUser's ``UserMFASettingList``), e.g.
        ``["SMS_MFA", "SOFTWARE_TOKEN_MFA"]``; empty when none."""
        return self.pool.transport.run(self._get_user_mfa_setting_list_flow())

    def get_preferred_mfa(self) -> str | None:
        """The user's preferred factor (GetUser's ``PreferredMfaSetting``), or None."""
        return self.pool.transport.run(self._get_preferred_mfa_flow())

    def get_mfa_options(self) -> list[dict[str, str]]:
        """The legacy SMS MFA settings (GetUser's ``MFAOptions``); empty when off."""
        return self.pool.transport.run(self._get_mfa_options_flow())

    def enable_mfa(self) -> None:
        """Turn on SMS MFA the legacy way (SetUserSettings).

        Raises :class:`CognitoUserPhoneNumberVerificationNecessaryException` when the
        user has no verified phone number.
        """
        self.pool.transport.run(self._enable_mfa_flow())

    def disable_mfa(self) -> None:
        """Turn off SMS MFA the legacy way (SetUserSettings with no options)."""
        self.pool.transport.run(self._disable_mfa_flow())

    # --- The account itself ---

    def delete_user(self) -> None:
        """Delete the signed-in user from the pool (DeleteUser).

        The session is forgotten here and removed from storage: its tokens no longer
        work anywhere.
        """
        self.pool.transport.run(self._delete_user_flow())


def _code_delivery(details: object) -> dict[str, Any]:
    return details if isinstance(details, dict) else {}
