"""What the server keeps about each challenge it has sent: one small payload per kind,
and the :class:`Challenge` that pairs it with its sign-in.

Payloads hold the secrets a challenge needs to check its answer (an SRP server session,
a one-time code, a custom challenge's private parameters); none of them appears in a
repr. They live only in memory (:mod:`.sessions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Union

from cognito_identity.local.signin.state import SignIn

__all__ = [
    "Challenge",
    "CustomChallenge",
    "Decoy",
    "DevicePasswordVerifier",
    "DeviceSrpAuth",
    "MfaSetup",
    "NewPasswordRequired",
    "PasswordVerifier",
    "Payload",
    "SelectChallenge",
    "SelectMfaType",
    "SentCode",
    "SoftwareTokenMfa",
]


@dataclass(frozen=True)
class PasswordVerifier:
    """PASSWORD_VERIFIER: the SRP server session (a ``ServerSession``) and the client's A."""

    name: ClassVar[str] = "PASSWORD_VERIFIER"
    srp: Any = field(repr=False)
    srp_a: str = field(repr=False)


@dataclass(frozen=True)
class NewPasswordRequired:
    """NEW_PASSWORD_REQUIRED: nothing to remember but the sign-in."""

    name: ClassVar[str] = "NEW_PASSWORD_REQUIRED"


@dataclass(frozen=True)
class SentCode:
    """A code sent by SMS or e-mail: SMS_MFA, EMAIL_OTP (MFA or first factor), SMS_OTP."""

    challenge: str
    code: str = field(repr=False)
    code_expires: float

    @property
    def name(self) -> str:
        """The challenge name."""
        return self.challenge


@dataclass(frozen=True)
class SoftwareTokenMfa:
    """SOFTWARE_TOKEN_MFA: the code is checked against the user's stored secret."""

    name: ClassVar[str] = "SOFTWARE_TOKEN_MFA"


@dataclass(frozen=True)
class SelectMfaType:
    """SELECT_MFA_TYPE: the factors offered."""

    name: ClassVar[str] = "SELECT_MFA_TYPE"
    options: tuple[str, ...]


@dataclass(frozen=True)
class MfaSetup:
    """MFA_SETUP: the factors that may be set up, and whether VerifySoftwareToken has
    succeeded in this session."""

    name: ClassVar[str] = "MFA_SETUP"
    options: tuple[str, ...]
    token_verified: bool = False


@dataclass(frozen=True)
class CustomChallenge:
    """CUSTOM_CHALLENGE: what the create trigger kept private, and its metadata."""

    name: ClassVar[str] = "CUSTOM_CHALLENGE"
    private_parameters: dict[str, str] = field(repr=False)
    metadata: str | None = None


@dataclass(frozen=True)
class SelectChallenge:
    """SELECT_CHALLENGE (USER_AUTH): the first factors offered."""

    name: ClassVar[str] = "SELECT_CHALLENGE"
    options: tuple[str, ...]


@dataclass(frozen=True)
class DeviceSrpAuth:
    """DEVICE_SRP_AUTH: the device is named in the answer."""

    name: ClassVar[str] = "DEVICE_SRP_AUTH"


@dataclass(frozen=True)
class DevicePasswordVerifier:
    """DEVICE_PASSWORD_VERIFIER: the SRP server session over the device's verifier."""

    name: ClassVar[str] = "DEVICE_PASSWORD_VERIFIER"
    srp: Any = field(repr=False)
    srp_a: str = field(repr=False)


Payload = Union[
    PasswordVerifier,
    NewPasswordRequired,
    SentCode,
    SoftwareTokenMfa,
    SelectMfaType,
    MfaSetup,
    CustomChallenge,
    SelectChallenge,
    DeviceSrpAuth,
    DevicePasswordVerifier,
]


@dataclass(frozen=True)
class Challenge:
    """An open challenge: its sign-in, its payload, and the wrong answers so far."""

    sign_in: SignIn
    payload: Payload
    failures: int = 0

    @property
    def name(self) -> str:
        """The ChallengeName this challenge was sent as."""
        return self.payload.name

    @property
    def client_id(self) -> str:
        """The app client the sign-in started with."""
        return self.sign_in.client.id

    @property
    def expires(self) -> float:
        """When the challenge's session stops working."""
        return self.sign_in.expires


@dataclass(frozen=True)
class Decoy:
    """A PASSWORD_VERIFIER sent for a user that does not exist, in a client that hides
    which users exist: no answer can meet it, and it fails only after the client's proof,
    as a wrong password would."""

    name: ClassVar[str] = "PASSWORD_VERIFIER"
    client_id: str
    expires: float
