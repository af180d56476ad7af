"""Choice-based sign-in (AuthFlow USER_AUTH): the first step, and the answer to
SELECT_CHALLENGE. A PASSWORD_SRP factor is proven here too; every other challenge is
returned as the outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cognito_identity.client import Flow
from cognito_identity.errors import InvalidConfigurationError
from cognito_identity.flows.app import AppClient
from cognito_identity.flows.devices import DeviceBook
from cognito_identity.flows.outcome import Challenge, Outcome, outcome_of
from cognito_identity.flows.sign_in import initiate, once, verify_password
from cognito_identity.srp import AuthenticationHelper

__all__ = ["FIRST_FACTORS", "SelectChallenge", "UserAuthSignIn", "first_factor_helper"]

#: The first factors this SDK can answer (Cognito also knows WEB_AUTHN, not supported here).
FIRST_FACTORS = ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP")
_PASSWORD_FACTORS = ("PASSWORD", "PASSWORD_SRP")


def first_factor_helper(
    app: AppClient, factor: str | None, password: str | None
) -> AuthenticationHelper | None:
    """Check the arguments for ``factor``; an SRP helper when it is PASSWORD_SRP."""
    if factor is not None and factor not in FIRST_FACTORS:
        raise InvalidConfigurationError(
            f"unknown first factor {factor!r}; expected one of {', '.join(FIRST_FACTORS)}"
        )
    if factor in _PASSWORD_FACTORS and not password:
        raise InvalidConfigurationError(f"{factor} needs a password")
    return AuthenticationHelper(app.pool_name) if factor == "PASSWORD_SRP" else None


def _factor_parameters(
    app: AppClient,
    username: str,
    devices: DeviceBook,
    factor: str | None,
    password: str | None,
    helper: AuthenticationHelper | None,
) -> dict[str, str]:
    device = devices.lookup(username)
    return app.with_secret_hash(
        username,
        PASSWORD=password if factor == "PASSWORD" else None,
        SRP_A=helper.large_a_hex if helper is not None else None,
        DEVICE_KEY=device.key if device else None,
    )


def _after_first_step(
    app: AppClient,
    outcome: Outcome,
    password: str | None,
    helper: AuthenticationHelper | None,
    devices: DeviceBook,
    client_metadata: Mapping[str, str] | None,
) -> Flow[Outcome]:
    if (
        isinstance(outcome, Challenge)
        and outcome.name == "PASSWORD_VERIFIER"
        and helper is not None
        and password is not None
    ):
        return (
            yield from verify_password(app, outcome, helper, password, devices, client_metadata)
        )
    return outcome


@dataclass(frozen=True)
class UserAuthSignIn:
    """InitiateAuth USER_AUTH, going straight to ``preferred`` when Cognito offers it.
    ``helper`` is :func:`first_factor_helper`'s for ``preferred``."""

    app: AppClient
    username: str
    devices: DeviceBook = field(repr=False)
    preferred: str | None = None
    password: str | None = field(default=None, repr=False)
    helper: AuthenticationHelper | None = field(default=None, repr=False)
    client_metadata: Mapping[str, str] | None = None

    def flow(self) -> Flow[Outcome]:
        parameters = _factor_parameters(
            self.app, self.username, self.devices, self.preferred, self.password, self.helper
        )
        if self.preferred is not None:
            parameters["PREFERRED_CHALLENGE"] = self.preferred
        call = self.app.initiate("USER_AUTH", parameters, self.client_metadata)
        answer = yield from initiate(once(call))
        return (
            yield from _after_first_step(
                self.app,
                outcome_of(answer, self.username),
                self.password,
                self.helper,
                self.devices,
                self.client_metadata,
            )
        )


@dataclass(frozen=True)
class SelectChallenge:
    """The answer to SELECT_CHALLENGE: one of the first factors offered."""

    app: AppClient
    username: str
    choice: str
    session: str | None = field(repr=False)
    devices: DeviceBook = field(repr=False)
    password: str | None = field(default=None, repr=False)
    helper: AuthenticationHelper | None = field(default=None, repr=False)
    client_metadata: Mapping[str, str] | None = None

    def flow(self) -> Flow[Outcome]:
        responses = {
            **_factor_parameters(
                self.app, self.username, self.devices, self.choice, self.password, self.helper
            ),
            "ANSWER": self.choice,
        }
        answer = yield self.app.respond(
            "SELECT_CHALLENGE", responses, self.session, self.client_metadata
        )
        return (
            yield from _after_first_step(
                self.app,
                outcome_of(answer, self.username),
                self.password,
                self.helper,
                self.devices,
                self.client_metadata,
            )
        )
