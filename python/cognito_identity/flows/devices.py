"""Remembered devices in sign-in flows: the device book a flow reads, device SRP, the
confirmation of a new device, and the fallback when Cognito no longer knows a device."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from cognito_identity._decode import bool_field, str_field, str_map
from cognito_identity.client import Call, Flow
from cognito_identity.errors import ResourceNotFoundException
from cognito_identity.flows.app import AppClient
from cognito_identity.flows.outcome import NewDevice, Outcome, outcome_of
from cognito_identity.flows.password_verifier import device_verifier_responses
from cognito_identity.srp import AuthenticationHelper, generate_device_verifier

__all__ = [
    "ConfirmedDevice",
    "DeviceBook",
    "DeviceSrpSignIn",
    "RememberedDevice",
    "confirm_device",
    "unless_device_unknown",
]


@dataclass(frozen=True)
class RememberedDevice:
    """A device this user has confirmed: its key, group key and secret password."""

    key: str
    group_key: str
    password: str = field(repr=False)


class DeviceBook(Protocol):
    """Where a flow finds the device remembered for a user, and forgets one Cognito no
    longer knows (the user's device cache, or a plain dict in tests)."""

    def lookup(self, username: str) -> RememberedDevice | None:
        """The device remembered for ``username``."""

    def forget(self, username: str) -> None:
        """Forget the device remembered for ``username``."""


def unless_device_unknown(call: Call, devices: DeviceBook, username: str) -> Flow[dict[str, Any]]:
    """Send ``call``; if Cognito no longer knows its DEVICE_KEY, forget the device and send
    a copy without DEVICE_KEY, once (a new request: ``call`` is left as it was)."""
    try:
        answer: dict[str, Any] = yield call
    except ResourceNotFoundException as error:
        if "DEVICE_KEY" not in _auth_values(call) or "device" not in error.message.lower():
            raise
        devices.forget(username)
        answer = yield _without_device_key(call)
    return answer


def _auth_values(call: Call) -> dict[str, Any]:
    for name in ("AuthParameters", "ChallengeResponses"):
        value = call.params.get(name)
        if isinstance(value, dict):
            return value
    return {}


def _without_device_key(call: Call) -> Call:
    params = dict(call.params)
    for name in ("AuthParameters", "ChallengeResponses"):
        value = params.get(name)
        if isinstance(value, dict):
            params[name] = {k: v for k, v in value.items() if k != "DEVICE_KEY"}
    return Call(call.action, params, call.service)


@dataclass(frozen=True)
class DeviceSrpSignIn:
    """Answer DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER, with a remembered device.

    ``session`` is the Session of the step that asked for it (Q10: the original SDK
    dropped it).
    """

    app: AppClient
    username: str
    device: RememberedDevice
    session: str | None

    def flow(self) -> Flow[Outcome]:
        helper = AuthenticationHelper(self.device.group_key)
        answer = yield self.app.respond(
            "DEVICE_SRP_AUTH",
            self.app.with_secret_hash(
                self.username, DEVICE_KEY=self.device.key, SRP_A=helper.large_a_hex
            ),
            self.session,
        )
        responses = device_verifier_responses(
            self.app,
            helper,
            self.username,
            self.device.key,
            self.device.password,
            str_map(answer, "ChallengeParameters"),
        )
        answer = yield self.app.respond(
            "DEVICE_PASSWORD_VERIFIER", responses, str_field(answer, "Session")
        )
        return outcome_of(answer, self.username)


@dataclass(frozen=True)
class ConfirmedDevice:
    """What ConfirmDevice gave: the device to remember, and whether the pool wants the
    user to choose to remember it."""

    device: RememberedDevice
    user_confirmation_necessary: bool


def confirm_device(
    access_token: str, new_device: NewDevice, device_name: str
) -> Flow[ConfirmedDevice]:
    """Register a device Cognito has just tracked (ConfirmDevice) with a fresh secret."""
    verifier = generate_device_verifier(new_device.group_key, new_device.key)
    answer = yield Call(
        "ConfirmDevice",
        {
            "AccessToken": access_token,
            "DeviceKey": new_device.key,
            "DeviceSecretVerifierConfig": verifier.confirm_device_config(),
            "DeviceName": device_name,
        },
    )
    return ConfirmedDevice(
        RememberedDevice(new_device.key, new_device.group_key, verifier.device_password),
        bool_field(answer, "UserConfirmationNecessary") is True,
    )
