"""Remembered devices: confirming a new device after sign-in, device SRP, and managing the
user's devices (GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice).

The operations are flows in :class:`DeviceFlows`, run by :class:`DeviceOperations` for
:class:`~cognito_identity.user.CognitoUser` and awaited by the asyncio user. A
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
from typing import TYPE_CHECKING, Any

from cognito_identity._decode import dict_field
from cognito_identity.client import Call, Flow
from cognito_identity.device_cache import DeviceCache
from cognito_identity.device_list import CognitoDevice, DeviceList
from cognito_identity.errors import (
    CognitoResponseError,
    NotAuthenticatedError,
    ResourceNotFoundException,
)
from cognito_identity.flows.devices import RememberedDevice

if TYPE_CHECKING:
    from cognito_identity.pool import CognitoUserPool
    from cognito_identity.session import CognitoUserSession

__all__ = ["DeviceFlows", "DeviceOperations", "RememberedDevice", "default_device_name"]


def default_device_name() -> str:
    """The DeviceName sent to ConfirmDevice unless the user sets another: the host name."""
    return platform.node() or "python"


class DeviceFlows:
    """The device operations as flows (a mixin of the user classes)."""

    #: The DeviceName ConfirmDevice registers; set it to something the user recognises.
    device_name: str = default_device_name()

    if TYPE_CHECKING:
        # Provided by the user classes.
        username: str

        @property
        def _devices(self) -> DeviceCache: ...

        _valid_session: Callable[[], CognitoUserSession]

    def _device_key(self) -> str | None:
        device = self._cached_device()
        return device.key if device is not None else None

    def _cached_device(self) -> RememberedDevice | None:
        return self._devices.lookup(self.username)

    def _get_device_flow(self, device_key: str | None) -> Flow[CognitoDevice]:
        answer = yield from self._device_call("GetDevice", device_key)
        device = dict_field(answer, "Device")
        if device is None:
            raise CognitoResponseError("GetDevice answered without a Device")
        return CognitoDevice.from_json(device)

    def _list_devices_flow(
        self, limit: int | None, pagination_token: str | None
    ) -> Flow[DeviceList]:
        session = self._valid_session()
        answer = yield Call(
            "ListDevices",
            {
                "AccessToken": session.access_token.jwt_token,
                "Limit": limit,
                "PaginationToken": pagination_token,
            },
        )
        return DeviceList.from_json(answer)

    def _device_status_flow(self, status: str) -> Flow[None]:
        yield from self._device_call("UpdateDeviceStatus", None, DeviceRememberedStatus=status)

    def _forget_device_flow(self, device_key: str | None) -> Flow[None]:
        """ForgetDevice of ``device_key`` (this device's when None); if it is this one,
        forget it here too, even when Cognito no longer knows it."""
        device_key = device_key or self._current_device_key()
        is_this_one = device_key == self._device_key()
        try:
            yield from self._device_call("ForgetDevice", device_key)
        except ResourceNotFoundException:
            if is_this_one:
                self._devices.forget(self.username)
            raise
        if is_this_one:
            self._devices.forget(self.username)

    def _current_device_key(self) -> str:
        key = self._device_key()
        if key is None:
            raise NotAuthenticatedError(f"no device is remembered for {self.username!r}")
        return key

    def _device_call(
        self, action: str, device_key: str | None, **params: str
    ) -> Flow[dict[str, Any]]:
        session = self._valid_session()
        answer = yield Call(
            action,
            {
                "AccessToken": session.access_token.jwt_token,
                "DeviceKey": device_key or self._current_device_key(),
                **params,
            },
        )
        return answer


class DeviceOperations(DeviceFlows):
    """Device methods of :class:`~cognito_identity.user.CognitoUser` (a mixin)."""

    if TYPE_CHECKING:
        pool: CognitoUserPool

    def get_device_key(self) -> str | None:
        """The key of the device remembered for this user, if any."""
        return self._device_key()

    def get_device(self, device_key: str | None = None) -> CognitoDevice:
        """A device of the signed-in user (GetDevice), this one by default: its key,
        name, remembered status, attributes and dates."""
        return self.pool.transport.run(self._get_device_flow(device_key))

    def list_devices(
        self, limit: int | None = None, pagination_token: str | None = None
    ) -> DeviceList:
        """One page of the signed-in user's devices (ListDevices): iterate it for the
        :class:`CognitoDevice` objects; when more follow, pass its ``pagination_token``
        back for the next page."""
        return self.pool.transport.run(self._list_devices_flow(limit, pagination_token))

    def set_device_status_remembered(self) -> None:
        """Remember this device (UpdateDeviceStatus ``remembered``)."""
        self.pool.transport.run(self._device_status_flow("remembered"))

    def set_device_status_not_remembered(self) -> None:
        """Stop remembering this device (UpdateDeviceStatus ``not_remembered``); it stays
        tracked and keeps signing in with device SRP."""
        self.pool.transport.run(self._device_status_flow("not_remembered"))

    def forget_device(self) -> None:
        """Forget this device at Cognito (ForgetDevice) and here."""
        self.pool.transport.run(self._forget_device_flow(None))

    def forget_specific_device(self, device_key: str) -> None:
        """Forget one of the user's devices (ForgetDevice); if it is this one, forget it
        here too, so the next sign-in is an ordinary one. A device Cognito no longer
        knows raises ResourceNotFoundException, and is forgotten here all the same."""
        self.pool.transport.run(self._forget_device_flow(device_key))
