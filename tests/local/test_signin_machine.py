"""The sign-in state machine without a server: its transition table refuses every move it
does not list, and its state and payloads keep their secrets out of reprs."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_identity.local.devices import Device
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient, Pool, User
from cognito_identity.local.signin import TRANSITIONS, Phase, SignIn, advance
from cognito_identity.local.signin.events import (
    CodeProven,
    CustomStep,
    DeviceProven,
    DeviceSrpStarted,
    FactorChosen,
    MfaChosen,
    MfaSetUp,
    PasswordChanged,
    PasswordProven,
    SoftwareTokenVerified,
)
from cognito_identity.local.signin.payloads import (
    Challenge,
    CustomChallenge,
    PasswordVerifier,
    SentCode,
)

SECRET = "s3cret-value-never-shown"

_DEVICE = Device(
    pool_id="us-east-1_Pool",
    username_key="ann",
    key="us-east-1_device",
    group_key="-group",
    name=None,
    salt_hex=SECRET,
    verifier_hex=SECRET,
    status=None,
    created=0.0,
    modified=0.0,
    last_authenticated=None,
)
EVERY_EVENT: list[Any] = [
    PasswordProven(),
    CodeProven(),
    CustomStep(None, srp_a=SECRET),
    FactorChosen("PASSWORD_SRP", {"SRP_A": SECRET}),
    PasswordChanged(),
    DeviceSrpStarted(_DEVICE, SECRET),
    DeviceProven(_DEVICE),
    MfaChosen("SMS_MFA"),
    SoftwareTokenVerified(("SOFTWARE_TOKEN_MFA",)),
    MfaSetUp(),
]


def _sign_in(phase: Phase) -> SignIn:
    user = User(
        pool_id="us-east-1_Pool",
        username="ann",
        username_key="ann",
        sub="0000",
        status="CONFIRMED",
        enabled=True,
        attributes={},
        password_hash=SECRET,
        srp_salt=SECRET,
        srp_verifier=SECRET,
        password_set=0.0,
        created=0.0,
        modified=0.0,
    )
    pool = Pool("us-east-1_Pool", {})
    client = AppClient("client", pool.id, SECRET, {})
    return SignIn(pool, client, user, expires=1.0, phase=phase, client_metadata={"k": SECRET})


def test_the_table_moves_only_forward() -> None:
    order = list(Phase)
    assert Phase.DONE not in TRANSITIONS
    for phase, moves in TRANSITIONS.items():
        for event, targets in moves.items():
            assert all(order.index(t) >= order.index(phase) for t in targets), (phase, event)


@pytest.mark.parametrize("phase", list(Phase))
def test_every_unlisted_move_is_refused(phase: Phase) -> None:
    allowed = TRANSITIONS.get(phase, {})
    illegal = [event for event in EVERY_EVENT if type(event) not in allowed]
    assert illegal  # no phase accepts every event
    for event in illegal:
        with pytest.raises(ServiceError) as caught:
            advance(None, _sign_in(phase), event)  # type: ignore[arg-type]
        assert (caught.value.code, caught.value.message) == (
            "NotAuthorizedException",
            "Invalid session for the user.",
        )


def test_secrets_stay_out_of_reprs() -> None:
    shown = " ".join(
        repr(value)
        for value in (
            _sign_in(Phase.MFA),
            Challenge(_sign_in(Phase.FIRST_FACTOR), PasswordVerifier(object(), SECRET)),
            SentCode("SMS_MFA", SECRET, 1.0),
            CustomChallenge({"code": SECRET}, "metadata"),
            *EVERY_EVENT,
        )
    )
    assert SECRET not in shown
