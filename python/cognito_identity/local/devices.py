"""Tracked devices of the local pool: the pool's DeviceConfiguration and the devices table.

A device is created, unconfirmed, when a sign-in hands out NewDeviceMetadata; ConfirmDevice
gives it the SRP verifier of its secret (the device then signs in with DEVICE_SRP_AUTH)
and, unless the pool asks the user first, marks it remembered. The verifier and salt are
stored as hex, as the SRP server half takes them. Each sign-in in a tracking pool is bound
to its device, so its refresh token works only with that device's key, and not at all
once the device is forgotten.
"""

from __future__ import annotations

import secrets
import sqlite3
import string
from dataclasses import dataclass, field
from typing import Any

from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_uuid
from cognito_identity.local.models import Pool, User

__all__ = [
    "DEVICE_NOT_FOUND",
    "NOT_REMEMBERED",
    "REMEMBERED",
    "Device",
    "DeviceTracking",
    "bind_session",
    "bound_device",
    "confirm_device",
    "create_device",
    "delete_device",
    "find_device",
    "list_devices",
    "require_device",
    "set_status",
    "touch",
]

REMEMBERED = "remembered"
NOT_REMEMBERED = "not_remembered"
DEVICE_NOT_FOUND = "Device does not exist."

_GROUP_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class DeviceTracking:
    """A pool's DeviceConfiguration; ``enabled`` is False when the pool has none."""

    enabled: bool
    challenge_required_on_new_device: bool = False
    only_remembered_on_user_prompt: bool = False

    @classmethod
    def of(cls, pool: Pool) -> DeviceTracking:
        """The device tracking of ``pool`` (any DeviceConfiguration turns it on)."""
        config = pool.description.get("DeviceConfiguration")
        if not isinstance(config, dict):
            return cls(enabled=False)
        return cls(
            enabled=True,
            challenge_required_on_new_device=bool(config.get("ChallengeRequiredOnNewDevice")),
            only_remembered_on_user_prompt=bool(config.get("DeviceOnlyRememberedOnUserPrompt")),
        )


@dataclass(frozen=True)
class Device:
    """One row of the devices table. ``verifier_hex`` is None until ConfirmDevice."""

    pool_id: str
    username_key: str
    key: str
    group_key: str
    name: str | None
    salt_hex: str | None = field(repr=False)
    verifier_hex: str | None = field(repr=False)
    status: str | None
    created: float
    modified: float
    last_authenticated: float | None

    @property
    def confirmed(self) -> bool:
        """Whether ConfirmDevice has registered the device's verifier."""
        return self.verifier_hex is not None and self.salt_hex is not None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Device:
        """The device stored in ``row``."""
        return cls(
            pool_id=row["pool_id"],
            username_key=row["username_key"],
            key=row["device_key"],
            group_key=row["group_key"],
            name=row["name"],
            salt_hex=row["salt"],
            verifier_hex=row["verifier"],
            status=row["status"],
            created=row["created"],
            modified=row["modified"],
            last_authenticated=row["last_authenticated"],
        )

    def describe(self) -> dict[str, Any]:
        """The device as a DeviceType (GetDevice, ListDevices)."""
        attributes = [{"Name": "device_status", "Value": "valid"}]
        if self.name is not None:
            attributes.append({"Name": "device_name", "Value": self.name})
        if self.status is not None:
            attributes.append({"Name": "dev:device_remembered_status", "Value": self.status})
        described: dict[str, Any] = {
            "DeviceKey": self.key,
            "DeviceAttributes": attributes,
            "DeviceCreateDate": self.created,
            "DeviceLastModifiedDate": self.modified,
        }
        if self.last_authenticated is not None:
            described["DeviceLastAuthenticatedDate"] = self.last_authenticated
        return described


def create_device(conn: sqlite3.Connection, region: str, user: User, now: float) -> Device:
    """A new, unconfirmed device of ``user`` with a fresh key ``<region>_<uuid>`` and group key."""
    device = Device(
        pool_id=user.pool_id,
        username_key=user.username_key,
        key=f"{region}_{new_uuid()}",
        group_key="-" + "".join(secrets.choice(_GROUP_ALPHABET) for _ in range(9)),
        name=None,
        salt_hex=None,
        verifier_hex=None,
        status=None,
        created=now,
        modified=now,
        last_authenticated=now,
    )
    conn.execute(
        "INSERT INTO devices (device_key, pool_id, username_key, group_key, created, modified,"
        " last_authenticated) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (device.key, device.pool_id, device.username_key, device.group_key, now, now, now),
    )
    return device


def find_device(conn: sqlite3.Connection, user: User, device_key: str) -> Device | None:
    """The device ``device_key`` of ``user``, if it is one of theirs."""
    row = conn.execute(
        "SELECT * FROM devices WHERE device_key = ? AND pool_id = ? AND username_key = ?",
        (device_key, user.pool_id, user.username_key),
    ).fetchone()
    return None if row is None else Device.from_row(row)


def require_device(conn: sqlite3.Connection, user: User, device_key: str) -> Device:
    """The device ``device_key`` of ``user``, or Cognito's ResourceNotFoundException."""
    device = find_device(conn, user, device_key)
    if device is None:
        raise ServiceError.resource_not_found(DEVICE_NOT_FOUND)
    return device


def list_devices(
    conn: sqlite3.Connection, user: User, after: str, limit: int
) -> tuple[list[Device], bool]:
    """Up to ``limit`` of the user's devices with keys after ``after``, in key order, and
    whether more follow."""
    rows = conn.execute(
        "SELECT * FROM devices WHERE pool_id = ? AND username_key = ? AND device_key > ?"
        " ORDER BY device_key LIMIT ?",
        (user.pool_id, user.username_key, after, limit + 1),
    ).fetchall()
    return [Device.from_row(row) for row in rows[:limit]], len(rows) > limit


def confirm_device(
    conn: sqlite3.Connection,
    device: Device,
    *,
    salt_hex: str,
    verifier_hex: str,
    name: str | None,
    status: str,
    now: float,
) -> None:
    """Register the device's verifier (ConfirmDevice) and its remembered status."""
    conn.execute(
        "UPDATE devices SET salt = ?, verifier = ?, name = ?, status = ?, modified = ?"
        " WHERE device_key = ?",
        (salt_hex, verifier_hex, name, status, now, device.key),
    )


def set_status(conn: sqlite3.Connection, device: Device, status: str, now: float) -> None:
    """Mark the device remembered or not remembered (UpdateDeviceStatus)."""
    conn.execute(
        "UPDATE devices SET status = ?, modified = ? WHERE device_key = ?",
        (status, now, device.key),
    )


def touch(conn: sqlite3.Connection, device: Device, now: float) -> None:
    """Record a sign-in made with the device."""
    conn.execute(
        "UPDATE devices SET last_authenticated = ? WHERE device_key = ?", (now, device.key)
    )


def delete_device(conn: sqlite3.Connection, device: Device) -> None:
    """Forget the device (ForgetDevice): its key no longer signs in."""
    conn.execute("DELETE FROM devices WHERE device_key = ?", (device.key,))


def bind_session(conn: sqlite3.Connection, origin_jti: str, device: Device) -> None:
    """Bind the sign-in ``origin_jti`` (its refresh token) to ``device``."""
    conn.execute(
        "INSERT OR REPLACE INTO device_sessions (origin_jti, device_key) VALUES (?, ?)",
        (origin_jti, device.key),
    )


def bound_device(conn: sqlite3.Connection, origin_jti: str) -> str | None:
    """The key of the device the sign-in ``origin_jti`` is bound to, if any."""
    row = conn.execute(
        "SELECT device_key FROM device_sessions WHERE origin_jti = ?", (origin_jti,)
    ).fetchone()
    return None if row is None else str(row["device_key"])
