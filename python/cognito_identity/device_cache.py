"""The device remembered for each user, kept in storage under AWS's JavaScript SDK's keys
(``<prefix>.deviceKey``, ``.deviceGroupKey``, ``.randomPasswordKey``)."""

from __future__ import annotations

from cognito_identity.flows.devices import RememberedDevice
from cognito_identity.storage import CognitoStorage, key_prefix

__all__ = ["DeviceCache"]

_FIELDS = ("deviceKey", "deviceGroupKey", "randomPasswordKey")


class DeviceCache:
    """The remembered devices of one app client's users in ``storage`` (a
    :class:`~cognito_identity.flows.DeviceBook`)."""

    def __init__(self, storage: CognitoStorage, client_id: str) -> None:
        self.storage = storage
        self.client_id = client_id

    def __repr__(self) -> str:
        return f"DeviceCache({self.storage!r}, client_id={self.client_id!r})"

    def _keys(self, username: str) -> list[str]:
        prefix = key_prefix(self.client_id, username)
        return [f"{prefix}.{field}" for field in _FIELDS]

    def lookup(self, username: str) -> RememberedDevice | None:
        """The device remembered for ``username``, or None."""
        values = self.storage.get_items(self._keys(username))
        key, group_key, password = (values[name] for name in self._keys(username))
        if not key or not group_key or not password:
            return None
        return RememberedDevice(key, group_key, password)

    def save(self, username: str, device: RememberedDevice) -> None:
        """Remember ``device`` for ``username`` (one write)."""
        values = (device.key, device.group_key, device.password)
        self.storage.set_items(dict(zip(self._keys(username), values)))

    def forget(self, username: str) -> None:
        """Forget the device remembered for ``username``."""
        self.storage.set_items(dict.fromkeys(self._keys(username)))
