"""The user's devices as Cognito describes them (GetDevice, ListDevices), as objects.

Each object also answers the wire form's keys (``device["DeviceKey"]``,
``page["Devices"]``, ``page["PaginationToken"]``), as the dicts that earlier versions
returned did, so code written against those keeps working.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from cognito_identity.errors import CognitoResponseError

__all__ = ["CognitoDevice", "DeviceList"]


def _date(described: Mapping[str, Any], key: str) -> datetime | None:
    value = described.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # NaN, infinities and instants past what a datetime holds count as no date.
        with contextlib.suppress(OverflowError, OSError, ValueError):
            return datetime.fromtimestamp(value, timezone.utc)
    return None


@dataclass(frozen=True)
class CognitoDevice:
    """One device of a user: its ``key``, the ``name`` it was confirmed with, whether it is
    ``remembered`` (None when Cognito does not say), every attribute by name, and its
    dates (timezone-aware, None when absent)."""

    key: str
    name: str | None
    remembered: bool | None
    attributes: dict[str, str]
    created: datetime | None
    last_modified: datetime | None
    last_authenticated: datetime | None
    _described: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, described: Mapping[str, Any]) -> CognitoDevice:
        """A device from Cognito's DeviceType (``DeviceKey``, ``DeviceAttributes``, ...)."""
        key = described.get("DeviceKey")
        if not isinstance(key, str):
            raise CognitoResponseError("a device came without its DeviceKey")
        pairs = described.get("DeviceAttributes") or []
        if not isinstance(pairs, list):
            raise CognitoResponseError("a device's DeviceAttributes is not a list")
        attributes = {
            str(pair.get("Name")): str(pair.get("Value"))
            for pair in pairs
            if isinstance(pair, Mapping)
        }
        status = attributes.get("dev:device_remembered_status")
        return cls(
            key=key,
            name=attributes.get("device_name"),
            remembered=None if status is None else status == "remembered",
            attributes=attributes,
            created=_date(described, "DeviceCreateDate"),
            last_modified=_date(described, "DeviceLastModifiedDate"),
            last_authenticated=_date(described, "DeviceLastAuthenticatedDate"),
            _described=dict(described),
        )

    def to_json(self) -> dict[str, Any]:
        """The device in Cognito's wire form, as it was received."""
        return dict(self._described)

    def __getitem__(self, key: str) -> Any:
        """The wire form's field ``key`` (``"DeviceKey"``, ...), as earlier versions gave."""
        return self._described[key]


@dataclass(frozen=True)
class DeviceList:
    """One page of ListDevices: the ``devices`` and, when more follow, the
    ``pagination_token`` to pass back. Iterating it gives the devices."""

    devices: list[CognitoDevice]
    pagination_token: str | None

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> DeviceList:
        """The page from ListDevices' answer."""
        devices = answer.get("Devices") or []
        if not isinstance(devices, list):
            raise CognitoResponseError("ListDevices answered with Devices that is not a list")
        token = answer.get("PaginationToken")
        return cls(
            [CognitoDevice.from_json(device) for device in devices if isinstance(device, Mapping)],
            token if isinstance(token, str) else None,
        )

    def __iter__(self) -> Iterator[CognitoDevice]:
        return iter(self.devices)

    def __len__(self) -> int:
        return len(self.devices)

    def __getitem__(self, key: str) -> Any:
        """``"Devices"`` (their wire form) or ``"PaginationToken"``, as earlier versions
        gave; KeyError for the token when there is none, as with the answer's dict."""
        if key == "Devices":
            return [device.to_json() for device in self.devices]
        if key == "PaginationToken" and self.pagination_token is not None:
            return self.pagination_token
        raise KeyError(key)
