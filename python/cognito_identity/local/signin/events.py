"""What a checked answer (or a flow's start) tells the machine: one small event per kind
of progress. Challenge handlers only verify and emit these; :func:`.machine.advance`
decides what follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from cognito_identity.local.devices import Device

__all__ = [
    "CodeProven",
    "CustomStep",
    "DeviceProven",
    "DeviceSrpStarted",
    "Event",
    "FactorChosen",
    "MfaChosen",
    "MfaSetUp",
    "PasswordChanged",
    "PasswordProven",
    "SoftwareTokenVerified",
]


@dataclass(frozen=True)
class PasswordProven:
    """The password is proven (plainly or by SRP); ``device_key`` is the DEVICE_KEY the
    request named, if any."""

    device_key: str | None = None


@dataclass(frozen=True)
class CodeProven:
    """A one-time code was right: an SMS, e-mail or TOTP code for MFA, or a code sent as
    the first factor (USER_AUTH), whose answer may name a device (``device_key``)."""

    device_key: str | None = None


@dataclass(frozen=True)
class CustomStep:
    """A CUSTOM_AUTH step: ``entry`` is what the define trigger's session gains (None at
    the start without SRP); ``srp_a`` is set when the client sent SRP_A at the start, so
    the trigger may ask for the password."""

    entry: dict[str, Any] | None
    device_key: str | None = None
    srp_a: str = field(default="", repr=False)


@dataclass(frozen=True)
class FactorChosen:
    """SELECT_CHALLENGE answered with ``factor``; ``parameters`` are the answer's (PASSWORD
    or SRP_A for the password factors)."""

    factor: str
    parameters: dict[str, str] = field(repr=False)


@dataclass(frozen=True)
class PasswordChanged:
    """NEW_PASSWORD_REQUIRED answered: the new password and attributes are stored."""


@dataclass(frozen=True)
class DeviceSrpStarted:
    """DEVICE_SRP_AUTH answered with the device's SRP_A."""

    device: Device
    srp_a: str = field(repr=False)


@dataclass(frozen=True)
class DeviceProven:
    """DEVICE_PASSWORD_VERIFIER: the device's secret is proven."""

    device: Device


@dataclass(frozen=True)
class MfaChosen:
    """SELECT_MFA_TYPE answered with ``factor``."""

    factor: str


@dataclass(frozen=True)
class SoftwareTokenVerified:
    """VerifySoftwareToken succeeded in an MFA_SETUP session offering ``options``."""

    options: tuple[str, ...]


@dataclass(frozen=True)
class MfaSetUp:
    """MFA_SETUP answered after a verified software token: TOTP is now the user's factor."""


Event = Union[
    PasswordProven,
    CodeProven,
    CustomStep,
    FactorChosen,
    PasswordChanged,
    DeviceSrpStarted,
    DeviceProven,
    MfaChosen,
    SoftwareTokenVerified,
    MfaSetUp,
]
