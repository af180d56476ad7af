"""Remembered devices: confirming a new device after sign-in, device SRP, and managing the
user's devices (GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice).

:class:`DeviceOperations` is mixed into :class:`~cognito_identity.user.CognitoUser`. A
device's key, group key and random password are kept in the user's storage under the
same keys as AWS's JavaScript SDK (``<prefix>.deviceKey``, ``.deviceGroupKey``,
``.randomPasswordKey``), always under the user's name in the pool (USER_ID_FOR_SRP after
an SRP sign-in), which is also where they are looked up.

What differs from the original SDK, on purpose:

* DEVICE_SRP_AUTH carries the Session of the step before it (Q10).
* When Cognito no longer knows the device (ResourceNotFoundException about a device), the
  device is forgotten here and the same step is sent once more without DEVICE_KEY, as a
  new request: no loop, no mutated request (Q11).
* A device that needs the user's confirmation raises
  :class:`CognitoUserDeviceConfirmationNecessaryException` on every path, after the
  session is stored (Q7).
* The device name defaults to this machine's host name (Q14).
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserDeviceConfirmationNecessaryException,
    NotAuthenticatedError,
    ResourceNotFoundException,
)
from cognito_identity.srp import AuthenticationHelper, generate_device_verifier, now_timestamp
from cognito_identity.storage import key_prefix
from cognito_identity.transport import Call, Flow

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool
    from cognito_identity.session import CognitoUserSession
    from cognito_identity.storage import CognitoStorage

__all__ = ["DeviceOperations", "RememberedDevice", "default_device_name"]

_DEVICE_FIELDS = ("deviceKey", "deviceGroupKey", "randomPasswordKey")


def default_device_name() -> str:
    """The DeviceName sent to ConfirmDevice unless the user sets another: the host name."""
    return platform.node() or "python"


@dataclass(frozen=True)
class RememberedDevice:
    """A device this user has confirmed: its key, group key and secret password."""

    key: str
    group_key: str
    password: str = field(repr=False)


class DeviceOperations:
    """Device methods of :class:`~cognito_identity.user.CognitoUser` (a mixin)."""

    #: The DeviceName ConfirmDevice registers; set it to something the user recognises.
    device_name: str = default_device_name()

    if TYPE_CHECKING:
        # Provided by CognitoUser.
        username: str
        pool: CognitoUserPool
        storage: CognitoStorage
        _session: CognitoUserSession | None
        _valid_session: Callable[[], CognitoUserSession]
        _finish: Callable[[dict[str, Any]], Flow[CognitoUserSession]]

    # --- The device kept in storage ---

    def get_device_key(self) -> str | None:
        """The key of the device remembered for this user, if any."""
        device = self._cached_device()
        return device.key if device is not None else None

    def _cached_device(self) -> RememberedDevice | None:
        prefix = key_prefix(self.pool.client_id, self.username)
        key, group_key, password = (self.storage.get_item(f"{prefix}.{f}") for f in _DEVICE_FIELDS)
        if not key or not group_key or not password:
            return None
        return RememberedDevice(key, group_key, password)

    def _cache_device(self, device: RememberedDevice) -> None:
        prefix = key_prefix(self.pool.client_id, self.username)
        for name, value in zip(_DEVICE_FIELDS, (device.key, device.group_key, device.password)):
            self.storage.set_item(f"{prefix}.{name}", value)

    def _clear_cached_device(self) -> None:
        prefix = key_prefix(self.pool.client_id, self.username)
        for name in _DEVICE_FIELDS:
            self.storage.remove_item(f"{prefix}.{name}")

    # --- Device sign-in ---

    def _unless_device_unknown(self, call: Call) -> Flow[dict[str, Any]]:
        """Send ``call``; if Cognito no longer knows its DEVICE_KEY, forget the device here
        and send a copy without DEVICE_KEY, once."""
        try:
            answer: dict[str, Any] = yield call
        except ResourceNotFoundException as error:
            if not _names_device(call) or "device" not in error.message.lower():
                raise
            self._clear_cached_device()
            answer = yield _without_device_key(call)
        return answer

    def _device_srp_flow(self, session: str | None) -> Flow[CognitoUserSession]:
        """Answer DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER, with the stored device."""
        device = self._cached_device()
        if device is None:
            raise CognitoResponseError(
                "Cognito asked for device authentication but no device is remembered"
            )
        helper = AuthenticationHelper(device.group_key)
        answer = yield Call(
            "RespondToAuthChallenge",
            {
                "ChallengeName": "DEVICE_SRP_AUTH",
                "ClientId": self.pool.client_id,
                "ChallengeResponses": self._with_secret_hash(
                    USERNAME=self.username, DEVICE_KEY=device.key, SRP_A=helper.large_a_hex
                ),
                "Session": session,
            },
        )
        parameters = answer.get("ChallengeParameters") or {}
        try:
            salt, srp_b, secret_block = (
                str(parameters[name]) for name in ("SALT", "SRP_B", "SECRET_BLOCK")
            )
        except (KeyError, TypeError):
            raise CognitoResponseError(
                "the DEVICE_PASSWORD_VERIFIER challenge lacks SALT, SRP_B or SECRET_BLOCK"
            ) from None
        timestamp = now_timestamp()
        signature = helper.device_password_claim_signature(
            device.key, device.password, salt, srp_b, secret_block, timestamp
        )
        answer = yield Call(
            "RespondToAuthChallenge",
            {
                "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
                "ClientId": self.pool.client_id,
                "ChallengeResponses": self._with_secret_hash(
                    USERNAME=self.username,
                    PASSWORD_CLAIM_SECRET_BLOCK=secret_block,
                    TIMESTAMP=timestamp,
                    PASSWORD_CLAIM_SIGNATURE=signature,
                    DEVICE_KEY=device.key,
                ),
                "Session": answer.get("Session"),
            },
        )
        return (yield from self._finish(answer))

    def _with_secret_hash(self, **responses: str) -> dict[str, str]:
        secret = self.pool.secret_hash(responses["USERNAME"])
        return responses if secret is None else {**responses, "SECRET_HASH": secret}

    def _confirm_new_device(
        self, result: dict[str, Any], session: CognitoUserSession
    ) -> Flow[CognitoUserSession]:
        """After tokens that came with NewDeviceMetadata: register the device (ConfirmDevice)
        and keep its secret. Raises CognitoUserDeviceConfirmationNecessaryException, carrying
        the stored session, when the pool wants the user to choose to remember it."""
        metadata = result.get("NewDeviceMetadata")
        if not isinstance(metadata, dict):
            return session
        key, group_key = metadata.get("DeviceKey"), metadata.get("DeviceGroupKey")
        if not isinstance(key, str) or not isinstance(group_key, str):
            raise CognitoResponseError("NewDeviceMetadata lacks DeviceKey or DeviceGroupKey")
        verifier = generate_device_verifier(group_key, key)
        answer = yield Call(
            "ConfirmDevice",
            {
                "AccessToken": session.access_token.jwt_token,
                "DeviceKey": key,
                "DeviceSecretVerifierConfig": verifier.confirm_device_config(),
                "DeviceName": self.device_name,
            },
        )
        self._cache_device(RememberedDevice(key, group_key, verifier.device_password))
        if answer.get("UserConfirmationNecessary") is True:
            raise CognitoUserDeviceConfirmationNecessaryException(sign_in_user_session=session)
        return session

    # --- Managing devices ---

    def get_device(self, device_key: str | None = None) -> dict[str, Any]:
        """A device of the signed-in user (GetDevice), this one by default: its
        ``DeviceKey``, ``DeviceAttributes`` and dates, as Cognito describes it."""
        answer = self._device_call("GetDevice", device_key)
        device = answer.get("Device")
        if not isinstance(device, dict):
            raise CognitoResponseError("GetDevice answered without a Device")
        return device

    def list_devices(
        self, limit: int | None = None, pagination_token: str | None = None
    ) -> dict[str, Any]:
        """One page of the signed-in user's devices (ListDevices): ``Devices`` and, when
        more follow, the ``PaginationToken`` to pass back."""
        session = self._valid_session()
        return self.pool.transport.call(
            "ListDevices",
            {
                "AccessToken": session.access_token.jwt_token,
                "Limit": limit,
                "PaginationToken": pagination_token,
            },
        )

    def set_device_status_remembered(self) -> None:
        """Remember this device (UpdateDeviceStatus ``remembered``)."""
        self._device_call("UpdateDeviceStatus", None, DeviceRememberedStatus="remembered")

    def set_device_status_not_remembered(self) -> None:
        """Stop remembering this device (UpdateDeviceStatus ``not_remembered``); it stays
        tracked and keeps signing in with device SRP."""
        self._device_call("UpdateDeviceStatus", None, DeviceRememberedStatus="not_remembered")

    def forget_device(self) -> None:
        """Forget this device at Cognito (ForgetDevice) and here."""
        self.forget_specific_device(self._current_device_key())

    def forget_specific_device(self, device_key: str) -> None:
        """Forget one of the user's devices (ForgetDevice); if it is this one, forget it
        here too, so the next sign-in is an ordinary one. A device Cognito no longer
        knows raises ResourceNotFoundException, and is forgotten here all the same."""
        is_this_one = device_key == self.get_device_key()
        try:
            self._device_call("ForgetDevice", device_key)
        except ResourceNotFoundException:
            if is_this_one:
                self._clear_cached_device()
            raise
        if is_this_one:
            self._clear_cached_device()

    def _current_device_key(self) -> str:
        key = self.get_device_key()
        if key is None:
            raise NotAuthenticatedError(f"no device is remembered for {self.username!r}")
        return key

    def _device_call(self, action: str, device_key: str | None, **params: str) -> dict[str, Any]:
        session = self._valid_session()
        return self.pool.transport.call(
            action,
            {
                "AccessToken": session.access_token.jwt_token,
                "DeviceKey": device_key or self._current_device_key(),
                **params,
            },
        )


def _request_parameters(call: Call) -> dict[str, Any]:
    for name in ("AuthParameters", "ChallengeResponses"):
        value = call.params.get(name)
        if isinstance(value, dict):
            return value
    return {}


def _names_device(call: Call) -> bool:
    return "DEVICE_KEY" in _request_parameters(call)


def _without_device_key(call: Call) -> Call:
    params = dict(call.params)
    for name in ("AuthParameters", "ChallengeResponses"):
        value = params.get(name)
        if isinstance(value, dict):
            params[name] = {k: v for k, v in value.items() if k != "DEVICE_KEY"}
    return Call(call.action, params, call.service)
