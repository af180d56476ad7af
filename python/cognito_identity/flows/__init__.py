"""Sign-in flows as values: each kind of sign-in is a small object whose ``flow()`` is a
generator that yields Cognito calls, receives their answers and returns tokens or the
next challenge (:mod:`cognito_identity.flows.outcome`). Flows do no IO and keep no state
beyond their own run, so the sync and the asyncio clients run the same ones, and tests
drive them with a :class:`~cognito_identity.transports.MockTransport` or by hand.
"""

from cognito_identity.flows.app import AppClient
from cognito_identity.flows.devices import (
    ConfirmedDevice,
    DeviceBook,
    DeviceSrpSignIn,
    RememberedDevice,
    confirm_device,
)
from cognito_identity.flows.outcome import Challenge, NewDevice, Outcome, Tokens, outcome_of
from cognito_identity.flows.refresh import Refresh
from cognito_identity.flows.sign_in import ChallengeAnswer, CustomSignIn, PasswordSignIn, SrpSignIn
from cognito_identity.flows.user_auth import (
    FIRST_FACTORS,
    SelectChallenge,
    UserAuthSignIn,
    first_factor_helper,
)

__all__ = [
    "FIRST_FACTORS",
    "AppClient",
    "Challenge",
    "ChallengeAnswer",
    "ConfirmedDevice",
    "CustomSignIn",
    "DeviceBook",
    "DeviceSrpSignIn",
    "NewDevice",
    "Outcome",
    "PasswordSignIn",
    "Refresh",
    "RememberedDevice",
    "SelectChallenge",
    "SrpSignIn",
    "Tokens",
    "UserAuthSignIn",
    "confirm_device",
    "first_factor_helper",
    "outcome_of",
]
