"""Sign-in flows with a password or custom challenges, and the answer to any challenge.

Each is a small immutable object whose ``flow()`` yields Cognito calls and returns an
:data:`~cognito_identity.flows.outcome.Outcome`; none touches storage or a user object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cognito_identity.client import Call, Flow
from cognito_identity.errors import (
    CognitoUserConfirmationNecessaryException,
    UserNotConfirmedException,
)
from cognito_identity.flows.app import AppClient
from cognito_identity.flows.devices import DeviceBook, unless_device_unknown
from cognito_identity.flows.outcome import Challenge, Outcome, outcome_of
from cognito_identity.flows.password_verifier import password_verifier_responses
from cognito_identity.srp import AuthenticationHelper

__all__ = [
    "ChallengeAnswer",
    "CustomSignIn",
    "PasswordSignIn",
    "SrpSignIn",
    "initiate",
    "once",
    "verify_password",
]


def initiate(call_flow: Flow[dict[str, Any]]) -> Flow[dict[str, Any]]:
    """Run the first step of a sign-in; a user who has not confirmed sign-up raises
    :class:`CognitoUserConfirmationNecessaryException`, as the original SDK's callback."""
    try:
        return (yield from call_flow)
    except UserNotConfirmedException as error:
        raise CognitoUserConfirmationNecessaryException() from error


def once(call: Call) -> Flow[dict[str, Any]]:
    """Send ``call`` and return its answer."""
    answer: dict[str, Any] = yield call
    return answer


def verify_password(
    app: AppClient,
    challenge: Challenge,
    helper: AuthenticationHelper,
    password: str,
    devices: DeviceBook,
    client_metadata: Mapping[str, str] | None,
) -> Flow[Outcome]:
    """Answer PASSWORD_VERIFIER; from here on the user is USER_ID_FOR_SRP, the user's name
    in the pool, whose remembered device is the one offered."""
    user_id = challenge.parameters.get("USER_ID_FOR_SRP") or challenge.username
    device = devices.lookup(user_id)
    responses = password_verifier_responses(
        app, helper, password, challenge.parameters, device.key if device else None
    )
    call = app.respond("PASSWORD_VERIFIER", responses, challenge.session, client_metadata)
    answer = yield from unless_device_unknown(call, devices, user_id)
    return outcome_of(answer, user_id)


@dataclass(frozen=True)
class SrpSignIn:
    """USER_SRP_AUTH (the password never leaves this machine); with ``custom`` the SRP
    proof opens a CUSTOM_AUTH flow (``CHALLENGE_NAME: SRP_A``)."""

    app: AppClient
    username: str
    password: str = field(repr=False)
    devices: DeviceBook = field(repr=False)
    client_metadata: Mapping[str, str] | None = None
    custom: bool = False

    def flow(self) -> Flow[Outcome]:
        helper = AuthenticationHelper(self.app.pool_name)
        device = self.devices.lookup(self.username)
        parameters = self.app.with_secret_hash(
            self.username,
            SRP_A=helper.large_a_hex,
            CHALLENGE_NAME="SRP_A" if self.custom else None,
            DEVICE_KEY=device.key if device else None,
        )
        call = self.app.initiate(
            "CUSTOM_AUTH" if self.custom else "USER_SRP_AUTH", parameters, self.client_metadata
        )
        answer = yield from initiate(once(call))
        outcome = outcome_of(answer, self.username)
        if isinstance(outcome, Challenge) and outcome.name == "PASSWORD_VERIFIER":
            outcome = yield from verify_password(
                self.app, outcome, helper, self.password, self.devices, self.client_metadata
            )
        return outcome


@dataclass(frozen=True)
class PasswordSignIn:
    """USER_PASSWORD_AUTH (ADMIN_USER_PASSWORD_AUTH on the admin API): the password is
    sent to Cognito over TLS."""

    app: AppClient
    username: str
    password: str = field(repr=False)
    devices: DeviceBook = field(repr=False)
    client_metadata: Mapping[str, str] | None = None

    def flow(self) -> Flow[Outcome]:
        device = self.devices.lookup(self.username)
        parameters = self.app.with_secret_hash(
            self.username, PASSWORD=self.password, DEVICE_KEY=device.key if device else None
        )
        call = self.app.initiate("USER_PASSWORD_AUTH", parameters, self.client_metadata)
        answer = yield from initiate(unless_device_unknown(call, self.devices, self.username))
        return outcome_of(answer, self.username)


@dataclass(frozen=True)
class CustomSignIn:
    """CUSTOM_AUTH without a password: the pool's triggers decide the challenges.
    ``auth_parameters`` are sent beside USERNAME, SECRET_HASH and DEVICE_KEY."""

    app: AppClient
    username: str
    devices: DeviceBook = field(repr=False)
    auth_parameters: Mapping[str, str] | None = None
    client_metadata: Mapping[str, str] | None = None

    def flow(self) -> Flow[Outcome]:
        device = self.devices.lookup(self.username)
        parameters = {
            **(self.auth_parameters or {}),
            **self.app.with_secret_hash(self.username, DEVICE_KEY=device.key if device else None),
        }
        call = self.app.initiate("CUSTOM_AUTH", parameters, self.client_metadata)
        answer = yield from initiate(once(call))
        return outcome_of(answer, self.username)


@dataclass(frozen=True)
class ChallengeAnswer:
    """One answer to the challenge a sign-in stopped at. USERNAME, SECRET_HASH and the
    remembered DEVICE_KEY are added to ``responses`` when missing."""

    app: AppClient
    username: str
    challenge_name: str
    responses: Mapping[str, str] = field(repr=False)
    session: str | None = field(repr=False)
    devices: DeviceBook = field(repr=False)
    client_metadata: Mapping[str, str] | None = None

    def flow(self) -> Flow[Outcome]:
        responses = {"USERNAME": self.username, **self.responses}
        username = responses["USERNAME"]
        secret = self.app.secret_hash(username)
        if secret is not None:
            responses.setdefault("SECRET_HASH", secret)
        device = self.devices.lookup(self.username)
        if device is not None:
            responses.setdefault("DEVICE_KEY", device.key)
        answer = yield self.app.respond(
            self.challenge_name, responses, self.session, self.client_metadata
        )
        return outcome_of(answer, self.username)
