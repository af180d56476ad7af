"""The asyncio API: :class:`AsyncCognitoUserPool` and :class:`AsyncCognitoUser`, and
identity-pool credentials (:class:`AsyncCognitoCredentials`, from
:mod:`cognito_identity.credentials_async`).

The pool and the user offer the methods of
:class:`~cognito_identity.pool.CognitoUserPool` and :class:`~cognito_identity.user.CognitoUser`,
awaitable, and run the very same flows (see :mod:`cognito_identity.user_core`) over an
:class:`~cognito_identity.client.AsyncCognitoClient` (httpx). Needs the extra
``cognito-identity[async]``::

    async with AsyncCognitoUserPool(pool_id, client_id) as pool:
        user = AsyncCognitoUser("alice", pool)
        session = await user.authenticate_user(AuthenticationDetails(password="..."))

Flows are advanced in worker threads, so the SRP math (in Rust, without the GIL) and the
storage reads and writes they do never hold up the event loop. Sessions, storage keys,
challenges and exceptions are those of the sync API, and the two may share a storage.
Concurrent ``get_session()`` calls on an expired session send one refresh per user and
storage: tasks of one event loop wait on an asyncio lock, and the one refreshing also
holds the process-wide gate the sync API's threads use, so threads and tasks never
refresh the same session twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

try:
    import httpx
except ImportError as error:  # pragma: no cover - depends on the install
    raise ImportError(
        "the asyncio API needs httpx: pip install 'cognito-identity[async]'"
    ) from error

from cognito_identity._task_gates import LoopLocks, holding, off_loop
from cognito_identity.account import MfaSettings
from cognito_identity.attributes import (
    AttributesLike,
    AuthenticationDetails,
    CognitoUserAttribute,
)
from cognito_identity.client import (
    AsyncCognitoClient,
    CallHook,
    RetryPolicy,
    user_pool_endpoint,
)
from cognito_identity.credentials_async import AsyncCognitoCredentials, AsyncCognitoIdentityId
from cognito_identity.device_list import CognitoDevice, DeviceList
from cognito_identity.oauth_async import AsyncCognitoOAuthClient
from cognito_identity.pool import PoolSettings
from cognito_identity.session import CognitoRefreshToken, CognitoUserSession
from cognito_identity.storage import CognitoStorage
from cognito_identity.transports import AsyncTransport, HttpxAsyncTransport
from cognito_identity.user_core import UserCore

__all__ = [
    "AsyncCognitoCredentials",
    "AsyncCognitoIdentityId",
    "AsyncCognitoOAuthClient",
    "AsyncCognitoUser",
    "AsyncCognitoUserPool",
    "AsyncSignUpResult",
]


@dataclass(frozen=True)
class AsyncSignUpResult:
    """What :meth:`AsyncCognitoUserPool.sign_up` returns (as
    :class:`~cognito_identity.pool.SignUpResult`, with an :class:`AsyncCognitoUser`)."""

    user: AsyncCognitoUser
    user_confirmed: bool
    user_sub: str | None
    code_delivery_details: dict[str, Any] | None


class AsyncCognitoUserPool(PoolSettings):
    """A user pool seen through one app client, for asyncio.

    The arguments are those of :class:`~cognito_identity.pool.CognitoUserPool`, except
    that ``http_client`` is your own :class:`httpx.AsyncClient` (left open when the pool
    closes) and ``transport`` an asyncio transport (e.g. a
    :class:`~cognito_identity.transports.MockTransport`). Use it as ``async with`` or
    call :meth:`aclose` to close the HTTP client it made.
    """

    def __init__(
        self,
        user_pool_id: str,
        client_id: str,
        client_secret: str | None = None,
        endpoint: str | None = None,
        storage: CognitoStorage | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        timeout: float | tuple[float, float] = (5.0, 30.0),
        retry: RetryPolicy | None = None,
        refresh_token_rotation: bool = False,
        deadline: float | None = None,
        transport: AsyncTransport | None = None,
        hooks: Iterable[CallHook] = (),
    ) -> None:
        super().__init__(user_pool_id, client_id, client_secret, storage, refresh_token_rotation)
        if transport is None:
            transport = HttpxAsyncTransport(http_client)
        #: The client every call of this pool's users goes through.
        self.client = AsyncCognitoClient(
            endpoint or user_pool_endpoint(self.region),
            transport=transport,
            timeout=timeout,
            deadline=deadline,
            retry=retry,
            hooks=hooks,
        )

    def __repr__(self) -> str:
        return (
            f"AsyncCognitoUserPool(user_pool_id={self.user_pool_id!r}, "
            f"client_id={self.client_id!r}, endpoint={self.client.endpoint!r})"
        )

    @property
    def transport(self) -> AsyncCognitoClient:
        """The same as :attr:`client` (the sync pool's name for it)."""
        return self.client

    async def sign_up(
        self,
        username: str,
        password: str,
        user_attributes: AttributesLike | None = None,
        validation_data: AttributesLike | None = None,
        client_metadata: dict[str, str] | None = None,
    ) -> AsyncSignUpResult:
        """Register a new user (Cognito's SignUp) and return the :class:`AsyncSignUpResult`."""
        answer = await self.client.run(
            self._sign_up_flow(
                username, password, user_attributes, validation_data, client_metadata
            )
        )
        return AsyncSignUpResult(
            AsyncCognitoUser(username, self),
            answer.user_confirmed,
            answer.user_sub,
            answer.code_delivery_details,
        )

    async def get_current_user(self) -> AsyncCognitoUser | None:
        """The user who last signed in through this client (from storage), or None."""
        username = await off_loop(self._current_username)
        return AsyncCognitoUser(username, self) if username else None

    async def aclose(self) -> None:
        """Close the HTTP client this pool made (your own ``http_client`` stays open)."""
        await self.client.aclose()

    async def close(self) -> None:
        """The same as :meth:`aclose`, under the sync pool's name."""
        await self.aclose()

    async def __aenter__(self) -> AsyncCognitoUserPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class AsyncCognitoUser(UserCore):
    """One user of an :class:`AsyncCognitoUserPool`: the methods of
    :class:`~cognito_identity.user.CognitoUser`, awaitable, with the same behaviour,
    exceptions and storage keys. ``async with`` closes the pool's HTTP client."""

    pool: AsyncCognitoUserPool

    def __init__(
        self, username: str, pool: AsyncCognitoUserPool, storage: CognitoStorage | None = None
    ) -> None:
        super().__init__(username, pool, storage)

    async def __aenter__(self) -> AsyncCognitoUser:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.pool.aclose()

    # --- Sign-up confirmation ---

    async def confirm_registration(
        self,
        code: str,
        *,
        force_alias_creation: bool = False,
        client_metadata: dict[str, str] | None = None,
    ) -> None:
        """Confirm sign-up with the code Cognito sent (ConfirmSignUp)."""
        await self.pool.client.run(
            self._confirm_registration_flow(code, force_alias_creation, client_metadata)
        )

    async def resend_confirmation_code(
        self, client_metadata: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Send the confirmation code again; returns where it went (CodeDeliveryDetails)."""
        return await self.pool.client.run(self._resend_confirmation_code_flow(client_metadata))

    # --- Signing in ---

    async def authenticate_user(self, details: AuthenticationDetails) -> CognitoUserSession:
        """Sign in with a password (SRP unless :attr:`authentication_flow_type` says
        otherwise) and return the new session, as the sync ``authenticate_user``."""
        return await self.pool.client.run(self._authenticate_user_flow(details))

    async def initiate_auth(self, details: AuthenticationDetails) -> CognitoUserSession:
        """Start a CUSTOM_AUTH sign-in without a password (the pool's triggers decide)."""
        return await self.pool.client.run(self._initiate_auth_flow(details))

    # --- Answering challenges ---

    async def respond_to_auth_challenge(
        self,
        challenge_name: str,
        challenge_responses: dict[str, str],
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer the challenge the last sign-in step stopped at (RespondToAuthChallenge);
        returns the session or raises the next challenge."""
        return await self.pool.client.run(
            self._respond_to_auth_challenge_flow(
                challenge_name, challenge_responses, client_metadata
            )
        )

    async def send_new_password_required_answer(
        self,
        new_password: str,
        attributes: dict[str, str] | None = None,
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer NEW_PASSWORD_REQUIRED with the new password and the attributes it asked
        for (plain names, e.g. ``{"given_name": "Ann"}``)."""
        return await self.pool.client.run(
            self._new_password_flow(new_password, attributes, client_metadata)
        )

    async def send_mfa_code(
        self,
        code: str,
        mfa_type: str = "SMS_MFA",
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer an MFA challenge: ``SMS_MFA``, ``SOFTWARE_TOKEN_MFA`` or ``EMAIL_OTP``."""
        return await self.pool.client.run(self._mfa_code_flow(code, mfa_type, client_metadata))

    async def send_mfa_selection_answer(
        self, mfa_type: str, client_metadata: dict[str, str] | None = None
    ) -> CognitoUserSession:
        """Answer SELECT_MFA_TYPE with the factor to use; raises that factor's challenge."""
        return await self.respond_to_auth_challenge(
            "SELECT_MFA_TYPE", {"ANSWER": mfa_type}, client_metadata
        )

    async def send_custom_challenge_answer(
        self, answer: str, client_metadata: dict[str, str] | None = None
    ) -> CognitoUserSession:
        """Answer CUSTOM_CHALLENGE; ``client_metadata`` reaches the verify trigger."""
        return await self.respond_to_auth_challenge(
            "CUSTOM_CHALLENGE", {"ANSWER": answer}, client_metadata
        )

    async def associate_software_token(self) -> str:
        """Start setting up a TOTP authenticator; returns the base32 ``SecretCode``."""
        return await self.pool.client.run(self._associate_software_token_flow())

    async def verify_software_token(
        self, totp_code: str, friendly_device_name: str | None = None
    ) -> CognitoUserSession | None:
        """Prove the authenticator works (VerifySoftwareToken); during MFA_SETUP this also
        finishes the sign-in and returns the session."""
        return await self.pool.client.run(
            self._verify_software_token_flow(totp_code, friendly_device_name)
        )

    # --- USER_AUTH ---

    async def sign_in(
        self,
        preferred_challenge: str | None = None,
        password: str | None = None,
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Start a choice-based sign-in (InitiateAuth USER_AUTH) and return the session,
        or raise the challenge it stops at (e.g. SELECT_CHALLENGE)."""
        return await self.pool.client.run(
            self._sign_in_flow(preferred_challenge, password, client_metadata)
        )

    async def send_challenge_selection(
        self,
        choice: str,
        password: str | None = None,
        client_metadata: dict[str, str] | None = None,
    ) -> CognitoUserSession:
        """Answer SELECT_CHALLENGE with one of ``available_challenges``."""
        return await self.pool.client.run(
            self._send_challenge_selection_flow(choice, password, client_metadata)
        )

    async def send_otp_code(
        self, code: str, client_metadata: dict[str, str] | None = None
    ) -> CognitoUserSession:
        """Answer the EMAIL_OTP or SMS_OTP challenge waiting now."""
        return await self.pool.client.run(self._send_otp_code_flow(code, client_metadata))

    # --- The session: storage, refresh, sign-out ---

    async def get_session(self) -> CognitoUserSession:
        """A valid session: the one in memory, the one in storage, or a refreshed one.

        However many tasks (and threads of the sync API) ask at once, one refresh per
        user and storage reaches Cognito; the others get the session it stored.
        """
        if self._session is not None and self._session.is_valid():
            return self._session
        session = await off_loop(self._session_at_hand)
        if session is not None:
            return session
        sessions = self._sessions
        # Both gates are held in locals: their maps keep them only weakly.
        task_gate = _TASK_GATES.gate(sessions.refresh_key(self.username))
        thread_gate = sessions.refresh_gate(self.username)
        async with task_gate.lock, holding(thread_gate.lock):
            return await self.pool.client.run(self._refresh_stored_flow())

    async def refresh_session(
        self, refresh_token: CognitoRefreshToken, *, rotate: bool | None = None
    ) -> CognitoUserSession:
        """New id and access tokens for ``refresh_token``, as the sync
        ``refresh_session`` (GetTokensFromRefreshToken with ``rotate``)."""
        return await self.pool.client.run(self._refresh_session_flow(refresh_token, rotate))

    async def sign_out(self, *, revoke_refresh_token: bool = False) -> None:
        """Forget the session here; with ``revoke_refresh_token`` also revoke it at Cognito."""
        await self.pool.client.run(self._sign_out_flow(revoke_refresh_token))

    async def global_sign_out(self) -> None:
        """Sign the user out of every device (GlobalSignOut) and forget the session here."""
        await self.pool.client.run(self._global_sign_out_flow())

    async def get_user_attributes(self) -> list[CognitoUserAttribute]:
        """The signed-in user's attributes (GetUser)."""
        return await self.pool.client.run(self._get_user_attributes_flow())

    # --- The account ---

    async def change_password(self, old_password: str, new_password: str) -> None:
        """Replace the signed-in user's password (ChangePassword)."""
        await self.pool.client.run(self._change_password_flow(old_password, new_password))

    async def forgot_password(
        self, client_metadata: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Ask Cognito to send a password-reset code; returns where it went."""
        return await self.pool.client.run(self._forgot_password_flow(client_metadata))

    async def confirm_password(
        self,
        confirmation_code: str,
        new_password: str,
        client_metadata: dict[str, str] | None = None,
    ) -> None:
        """Set a new password with the code :meth:`forgot_password` sent."""
        await self.pool.client.run(
            self._confirm_password_flow(confirmation_code, new_password, client_metadata)
        )

    async def update_attributes(
        self, attributes: AttributesLike, client_metadata: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """Change the signed-in user's attributes; returns where verification codes went."""
        return await self.pool.client.run(self._update_attributes_flow(attributes, client_metadata))

    async def delete_attributes(self, attribute_names: Iterable[str]) -> None:
        """Remove the named attributes from the signed-in user (DeleteUserAttributes)."""
        await self.pool.client.run(self._delete_attributes_flow(attribute_names))

    async def get_attribute_verification_code(
        self, attribute_name: str, client_metadata: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Send a code to verify ``email`` or ``phone_number``; returns where it went."""
        return await self.pool.client.run(
            self._get_attribute_verification_code_flow(attribute_name, client_metadata)
        )

    async def verify_attribute(self, attribute_name: str, confirmation_code: str) -> None:
        """Verify ``email`` or ``phone_number`` with the code Cognito sent."""
        await self.pool.client.run(self._verify_attribute_flow(attribute_name, confirmation_code))

    async def set_user_mfa_preference(
        self,
        sms: MfaSettings | None = None,
        software_token: MfaSettings | None = None,
        email: MfaSettings | None = None,
    ) -> None:
        """Turn MFA factors on or off and choose the preferred one (SetUserMFAPreference)."""
        await self.pool.client.run(self._set_user_mfa_preference_flow(sms, software_token, email))

    async def get_user_mfa_setting_list(self) -> list[str]:
        """The factors the user has enabled; empty when none."""
        return await self.pool.client.run(self._get_user_mfa_setting_list_flow())

    async def get_preferred_mfa(self) -> str | None:
        """The user's preferred factor, or None."""
        return await self.pool.client.run(self._get_preferred_mfa_flow())

    async def get_mfa_options(self) -> list[dict[str, str]]:
        """The legacy SMS MFA settings (GetUser's ``MFAOptions``); empty when off."""
        return await self.pool.client.run(self._get_mfa_options_flow())

    async def enable_mfa(self) -> None:
        """Turn on SMS MFA the legacy way (SetUserSettings)."""
        await self.pool.client.run(self._enable_mfa_flow())

    async def disable_mfa(self) -> None:
        """Turn off SMS MFA the legacy way (SetUserSettings with no options)."""
        await self.pool.client.run(self._disable_mfa_flow())

    async def delete_user(self) -> None:
        """Delete the signed-in user from the pool and forget the session here."""
        await self.pool.client.run(self._delete_user_flow())

    # --- Devices ---

    async def get_device_key(self) -> str | None:
        """The key of the device remembered for this user, if any."""
        return await off_loop(self._device_key)

    async def get_device(self, device_key: str | None = None) -> CognitoDevice:
        """A device of the signed-in user (GetDevice), this one by default."""
        return await self.pool.client.run(self._get_device_flow(device_key))

    async def list_devices(
        self, limit: int | None = None, pagination_token: str | None = None
    ) -> DeviceList:
        """One page of the signed-in user's devices (ListDevices)."""
        return await self.pool.client.run(self._list_devices_flow(limit, pagination_token))

    async def set_device_status_remembered(self) -> None:
        """Remember this device (UpdateDeviceStatus ``remembered``)."""
        await self.pool.client.run(self._device_status_flow("remembered"))

    async def set_device_status_not_remembered(self) -> None:
        """Stop remembering this device (UpdateDeviceStatus ``not_remembered``)."""
        await self.pool.client.run(self._device_status_flow("not_remembered"))

    async def forget_device(self) -> None:
        """Forget this device at Cognito (ForgetDevice) and here."""
        await self.pool.client.run(self._forget_device_flow(None))

    async def forget_specific_device(self, device_key: str) -> None:
        """Forget one of the user's devices (ForgetDevice), and here if it is this one."""
        await self.pool.client.run(self._forget_device_flow(device_key))


#: Refresh locks of the tasks of each event loop, keyed as the sync refresh gates.
_TASK_GATES = LoopLocks()
