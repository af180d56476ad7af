"""The sign-in state machine: one transition table and one :func:`advance` that decides
what follows every event, a challenge or the tokens.

Model: h11's ``_state.py``. :data:`TRANSITIONS` lists, for each phase a sign-in can be in,
the events that may happen there and the phases they may lead to; any other move is
refused with Cognito's "Invalid session for the user." The order of phases is fixed:
first factor -> new password (a temporary password) -> device SRP (a remembered device
named in the request) -> MFA -> done, each skipped when it does not apply. A one-time
code as the first factor is a whole sign-in (no MFA follows), and so is a remembered
device in a pool whose ChallengeRequiredOnNewDevice says so.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

from cognito_identity.local import devices
from cognito_identity.local import srp_server as srp
from cognito_identity.local.actions.base import Response
from cognito_identity.local.devices import Device, DeviceTracking
from cognito_identity.local.directory import Delivery
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_code, new_opaque_token
from cognito_identity.local.mfa import (
    EMAIL_OTP,
    SMS_MFA,
    MfaStep,
    load_pool_mfa,
    load_user_mfa,
    next_step,
)
from cognito_identity.local.models import UserStatus
from cognito_identity.local.outbox import Message
from cognito_identity.local.policy import check_confirmed
from cognito_identity.local.signin import custom, hooks
from cognito_identity.local.signin.events import (
    CodeProven,
    CustomStep,
    DeviceProven,
    DeviceSrpStarted,
    Event,
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
    DevicePasswordVerifier,
    DeviceSrpAuth,
    MfaSetup,
    NewPasswordRequired,
    PasswordVerifier,
    Payload,
    SelectMfaType,
    SentCode,
    SoftwareTokenMfa,
)
from cognito_identity.local.signin.sessions import INVALID_SESSION
from cognito_identity.local.signin.state import Factor, Phase, SignIn

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "MFA_CODE_SECONDS",
    "ONE_TIME_CODES",
    "TRANSITIONS",
    "advance",
    "open_challenge",
    "password_challenge",
    "reissue",
    "send_code",
]

#: How long an SMS or e-mail code works (Cognito's codes last three minutes).
MFA_CODE_SECONDS = 180
#: A code challenge: how its code is delivered (medium, attribute).
ONE_TIME_CODES = {
    SMS_MFA: ("SMS", "phone_number"),
    EMAIL_OTP: ("EMAIL", "email"),
    "SMS_OTP": ("SMS", "phone_number"),
}
_NEW_ATTRIBUTE_PREFIX = "userAttributes."

_F, _N, _D, _M, _DONE = (
    Phase.FIRST_FACTOR,
    Phase.NEW_PASSWORD,
    Phase.DEVICE,
    Phase.MFA,
    Phase.DONE,
)

#: phase -> event -> the phases it may lead to. Anything not listed is an illegal move.
TRANSITIONS: dict[Phase, dict[type, frozenset[Phase]]] = {
    _F: {
        PasswordProven: frozenset({_F, _N, _D, _M, _DONE}),  # _F: custom auth goes on
        CodeProven: frozenset({_D, _DONE}),
        CustomStep: frozenset({_F, _D, _M, _DONE}),
        FactorChosen: frozenset({_F}),
    },
    _N: {PasswordChanged: frozenset({_M, _DONE})},
    _D: {DeviceSrpStarted: frozenset({_D}), DeviceProven: frozenset({_M, _DONE})},
    _M: {
        MfaChosen: frozenset({_M}),
        SoftwareTokenVerified: frozenset({_M}),
        CodeProven: frozenset({_DONE}),
        MfaSetUp: frozenset({_DONE}),
    },
}


def advance(ctx: ServerContext, sign_in: SignIn, event: Event) -> Response:
    """Apply ``event`` to ``sign_in`` and answer with what follows: the next challenge
    (remembered under a new session) or the tokens."""
    allowed = TRANSITIONS.get(sign_in.phase, {}).get(type(event))
    if allowed is None:
        raise ServiceError.not_authorized(INVALID_SESSION)
    phase, response = _next(ctx, sign_in, event)
    if phase not in allowed:  # the table and the decisions below disagree: a bug here
        raise AssertionError(f"{type(event).__name__} led from {sign_in.phase} to {phase}")
    return response


Step = tuple[Phase, Response]


def _next(ctx: ServerContext, s: SignIn, event: Event) -> Step:
    if isinstance(event, PasswordProven):
        s = _prove(s, Factor.PASSWORD)
        if s.custom_history is not None:
            entry = custom.history_entry(custom.PASSWORD_VERIFIER, True)
            return _custom_step(ctx, s, CustomStep(entry, event.device_key))
        return _after_first_factor(ctx, s, event.device_key)
    if isinstance(event, CodeProven):
        if s.phase is Phase.MFA:
            return _tokens(ctx, _prove(s, Factor.MFA))
        s = _prove(s, Factor.ONE_TIME_CODE)
        return _device_challenge(ctx, s, event.device_key) or _tokens(ctx, s)
    if isinstance(event, CustomStep):
        return _custom_step(ctx, s, event)
    if isinstance(event, FactorChosen):
        if event.factor == "PASSWORD_SRP":
            return password_challenge(ctx, s, event.parameters["SRP_A"])
        return send_code(ctx, s, event.factor, "sign-in")
    if isinstance(event, PasswordChanged):
        return _mfa_or_tokens(ctx, _prove(s, Factor.NEW_PASSWORD))
    if isinstance(event, DeviceSrpStarted):
        return _device_verifier(ctx, s, event.device, event.srp_a)
    if isinstance(event, DeviceProven):
        s = dataclasses.replace(_prove(s, Factor.DEVICE), device_key=event.device.key)
        remembered = (
            event.device.status == devices.REMEMBERED
            and DeviceTracking.of(s.pool).challenge_required_on_new_device
        )
        if s.has(Factor.ONE_TIME_CODE) or remembered:
            return _tokens(ctx, s)
        return _mfa_or_tokens(ctx, s)
    if isinstance(event, MfaChosen):
        return _open_mfa(ctx, s, MfaStep(event.factor))
    if isinstance(event, SoftwareTokenVerified):
        return _M, reissue(ctx, s, MfaSetup(event.options, token_verified=True))
    assert isinstance(event, MfaSetUp)
    return _tokens(ctx, _prove(s, Factor.MFA))


def _prove(s: SignIn, factor: Factor) -> SignIn:
    return dataclasses.replace(s, proven=s.proven | {factor})


# --- The first factor -------------------------------------------------------------------


def password_challenge(ctx: ServerContext, s: SignIn, srp_a: str) -> Step:
    """PASSWORD_VERIFIER: draw B for the user's verifier and remember the sign-in under
    a new SECRET_BLOCK (Cognito sends no Session with it)."""
    user = s.user
    if user.srp_verifier is None or user.srp_salt is None:
        raise ServiceError.not_authorized()
    session = srp.ServerSession(user.srp_verifier)
    secret_block = srp.new_secret_block()
    _remember(ctx, secret_block, _renewed(ctx, s, _F), PasswordVerifier(session, srp_a))
    return _F, {
        "ChallengeName": PasswordVerifier.name,
        "ChallengeParameters": {
            "SALT": user.srp_salt,
            "SECRET_BLOCK": secret_block,
            "SRP_B": session.large_b_hex,
            "USERNAME": user.username,
            "USER_ID_FOR_SRP": user.username,
        },
    }


def _custom_step(ctx: ServerContext, s: SignIn, event: CustomStep) -> Step:
    history = s.custom_history or ()
    if event.entry is not None:
        history = (*history, event.entry)
    s = dataclasses.replace(s, custom_history=history)
    decision = custom.define(ctx, s, history)
    if decision.fail:
        raise ServiceError.not_authorized()
    if decision.issue_tokens:
        return _after_first_factor(ctx, _prove(s, Factor.CUSTOM), event.device_key)
    if decision.challenge == custom.PASSWORD_VERIFIER and event.srp_a:
        return password_challenge(ctx, s, event.srp_a)
    if decision.challenge != custom.CUSTOM_CHALLENGE:
        raise ServiceError.invalid_lambda_response()
    created = custom.create(ctx, s, history)
    payload = CustomChallenge(created.private, created.metadata)
    return open_challenge(ctx, s, _F, payload, {**created.public, "USERNAME": s.user.username})


def _after_first_factor(ctx: ServerContext, s: SignIn, device_key: str | None) -> Step:
    """After the first factor: device SRP when the request named a remembered device,
    else a new password when the password is temporary, else MFA or the tokens."""
    device = _device_challenge(ctx, s, device_key)
    if device is not None:
        return device
    if s.has(Factor.PASSWORD) and not s.has(Factor.CUSTOM):
        return _password_rules(ctx, s)
    return _mfa_or_tokens(ctx, s)


def _password_rules(ctx: ServerContext, s: SignIn) -> Step:
    user, pool = s.user, s.pool
    check_confirmed(user)
    if user.status != UserStatus.FORCE_CHANGE_PASSWORD:
        return _mfa_or_tokens(ctx, s)
    days = pool.password_policy.temporary_password_validity_days
    if user.password_set is not None and ctx.clock.now() > user.password_set + days * 86400:
        raise ServiceError.not_authorized(
            "Temporary password has expired and must be reset by an administrator."
        )
    visible = {k: v for k, v in user.attributes.items() if not k.endswith("_verified")}
    required = [_NEW_ATTRIBUTE_PREFIX + name for name in missing_attributes(s)]
    parameters = {
        # Compact, as Cognito writes these JSON-in-a-string parameters.
        "requiredAttributes": json.dumps(required, separators=(",", ":")),
        "userAttributes": json.dumps(visible, separators=(",", ":")),
    }
    return open_challenge(ctx, s, _N, NewPasswordRequired(), parameters)


def missing_attributes(s: SignIn, given: dict[str, str] | None = None) -> list[str]:
    """The pool's required attributes that the user (with ``given`` added) lacks."""
    have = {**s.user.attributes, **(given or {})}
    return [name for name in s.pool.required_attributes if not have.get(name)]


# --- Devices ----------------------------------------------------------------------------


def _device_challenge(ctx: ServerContext, s: SignIn, device_key: str | None) -> Step | None:
    """DEVICE_SRP_AUTH when ``device_key`` names a confirmed device of a confirmed user
    in a pool that tracks devices; None otherwise (the sign-in goes on as usual)."""
    if not device_key or s.user.status != UserStatus.CONFIRMED:
        return None
    if not DeviceTracking.of(s.pool).enabled:
        return None
    device = devices.find_device(ctx.store.connection(), s.user, device_key)
    if device is None or not device.confirmed:
        return None
    return open_challenge(ctx, s, _D, DeviceSrpAuth(), {"USERNAME": s.user.username})


def _device_verifier(ctx: ServerContext, s: SignIn, device: Device, srp_a: str) -> Step:
    """DEVICE_PASSWORD_VERIFIER over the device's verifier; its SECRET_BLOCK is also its
    Session, and it keeps the sign-in's expiry."""
    assert device.verifier_hex is not None and device.salt_hex is not None
    server = srp.ServerSession(device.verifier_hex)
    secret_block = srp.new_secret_block()
    _remember(ctx, secret_block, s, DevicePasswordVerifier(server, srp_a))
    return _D, {
        "ChallengeName": DevicePasswordVerifier.name,
        "Session": secret_block,
        "ChallengeParameters": {
            "DEVICE_KEY": device.key,
            "SALT": device.salt_hex,
            "SECRET_BLOCK": secret_block,
            "SRP_B": server.large_b_hex,
            "USERNAME": s.user.username,
        },
    }


# --- MFA --------------------------------------------------------------------------------


def _mfa_or_tokens(ctx: ServerContext, s: SignIn) -> Step:
    conn = ctx.store.connection()
    step = next_step(load_pool_mfa(conn, s.pool), s.user, load_user_mfa(conn, s.user))
    if step is None:
        return _tokens(ctx, s)
    return _open_mfa(ctx, s, step)


def _open_mfa(ctx: ServerContext, s: SignIn, step: MfaStep) -> Step:
    if step.challenge in ONE_TIME_CODES:
        return send_code(ctx, s, step.challenge, "mfa")
    if step.challenge == SelectMfaType.name:
        payload: Payload = SelectMfaType(step.options)
        parameters = {"MFAS_CAN_CHOOSE": _compact_json(step.options)}
    elif step.challenge == MfaSetup.name:
        payload = MfaSetup(step.options)
        parameters = {"MFAS_CAN_SETUP": _compact_json(step.options)}
    else:
        payload, parameters = SoftwareTokenMfa(), {}
    return open_challenge(ctx, s, _M, payload, parameters)


def _compact_json(names: tuple[str, ...]) -> str:
    # Cognito's JSON-in-a-string parameters carry no spaces: ["SMS_MFA","EMAIL_OTP"].
    return json.dumps(list(names), separators=(",", ":"))


def send_code(ctx: ServerContext, s: SignIn, challenge: str, purpose: str) -> Step:
    """Send a one-time code for ``challenge`` (into the outbox, marked with ``purpose``)
    and open it: MFA once the first factor is proven, else the first factor itself."""
    medium, attribute = ONE_TIME_CODES[challenge]
    user = s.user
    delivery = Delivery(medium, attribute, user.attributes[attribute])
    code = new_code()
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        ctx.outbox.send(
            conn,
            Message(
                pool_id=user.pool_id,
                username=user.username,
                medium=medium,
                destination=delivery.destination,
                purpose=purpose,
                code=code,
                created=now,
            ),
        )
    shown = delivery.describe()
    phase = _F if purpose == "sign-in" else _M
    parameters = {
        "CODE_DELIVERY_DELIVERY_MEDIUM": shown["DeliveryMedium"],
        "CODE_DELIVERY_DESTINATION": shown["Destination"],
    }
    payload = SentCode(challenge, code, now + MFA_CODE_SECONDS)
    return open_challenge(ctx, s, phase, payload, parameters)


# --- Opening challenges and the end -----------------------------------------------------


def _remember(ctx: ServerContext, key: str, s: SignIn, payload: Payload) -> None:
    ctx.challenges.put(key, Challenge(s, payload), ctx.clock.now())


def _renewed(ctx: ServerContext, s: SignIn, phase: Phase) -> SignIn:
    """``s`` in ``phase``, its session valid for the client's AuthSessionValidity from now."""
    expires = ctx.clock.now() + s.client.auth_session_seconds
    return dataclasses.replace(s, phase=phase, expires=expires)


def open_challenge(
    ctx: ServerContext, s: SignIn, phase: Phase, payload: Payload, parameters: dict[str, str]
) -> Step:
    """Remember a new challenge of ``s`` under a fresh Session and answer with it."""
    session = new_opaque_token()
    _remember(ctx, session, _renewed(ctx, s, phase), payload)
    return phase, {
        "ChallengeName": payload.name,
        "Session": session,
        "ChallengeParameters": {"USER_ID_FOR_SRP": s.user.username, **parameters},
    }


def reissue(ctx: ServerContext, s: SignIn, payload: Payload) -> Response:
    """The same challenge under a new Session, keeping the sign-in's expiry (MFA_SETUP
    while the software token is set up)."""
    session = new_opaque_token()
    _remember(ctx, session, s, payload)
    return {"ChallengeName": payload.name, "Session": session, "ChallengeParameters": {}}


def _tokens(ctx: ServerContext, s: SignIn) -> Step:
    """The end: post authentication, then new tokens. In a pool that tracks devices they
    belong to the device proven by device SRP, else to a new device handed out as
    NewDeviceMetadata (for ConfirmDevice): a DEVICE_KEY merely named earns nothing."""
    pool, client, user = s.pool, s.client, s.user
    tracking = DeviceTracking.of(pool).enabled
    conn = ctx.store.connection()
    known = devices.find_device(conn, user, s.device_key) if tracking and s.device_key else None
    if known is not None and not known.confirmed:
        known = None
    hooks.post_authentication(ctx, s, new_device=tracking and known is None)
    if not tracking:
        result = ctx.tokens.issue(pool, client, user)
        return _DONE, {"ChallengeParameters": {}, "AuthenticationResult": result}
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        if known is not None:
            devices.touch(conn, known, now)
            device = known
        else:
            device = devices.create_device(conn, ctx.region, user, now)
    result = ctx.tokens.issue(pool, client, user, device=device)
    if known is None:
        result["NewDeviceMetadata"] = {"DeviceKey": device.key, "DeviceGroupKey": device.group_key}
    return _DONE, {"ChallengeParameters": {}, "AuthenticationResult": result}
