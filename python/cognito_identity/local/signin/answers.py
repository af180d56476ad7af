"""RespondToAuthChallenge and AdminRespondToAuthChallenge: one handler per challenge.

A handler takes the challenge its session names (once: :mod:`.sessions`), checks that it
is the challenge answered, for the same client and still the same user, verifies the
answer and emits an event; :func:`.machine.advance` decides what follows. A wrong
one-time code may be retried in the same session up to :data:`MAX_FAILURES` wrong answers
in all; a wrong choice (SELECT_MFA_TYPE, SELECT_CHALLENGE) may be corrected.
"""

from __future__ import annotations

import dataclasses
import hmac
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from cognito_identity.local.actions.base import Response
from cognito_identity.local.directory import (
    attributes_from_request,
    set_credentials,
    set_status,
)
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.mfa import SOFTWARE_TOKEN_MFA, set_factor
from cognito_identity.local.models import AppClient, UserStatus, find_user
from cognito_identity.local.passwords import check_policy, make_credentials
from cognito_identity.local.policy import check_enabled
from cognito_identity.local.signin import custom, guards, machine
from cognito_identity.local.signin.events import (
    CodeProven,
    CustomStep,
    DeviceProven,
    DeviceSrpStarted,
    MfaChosen,
    MfaSetUp,
    PasswordChanged,
    PasswordProven,
    SoftwareTokenVerified,
)
from cognito_identity.local.signin.flows import choose_factor
from cognito_identity.local.signin.payloads import (
    Challenge,
    CustomChallenge,
    Decoy,
    DevicePasswordVerifier,
    DeviceSrpAuth,
    MfaSetup,
    NewPasswordRequired,
    PasswordVerifier,
    Payload,
    SelectChallenge,
    SelectMfaType,
    SentCode,
    SoftwareTokenMfa,
)
from cognito_identity.local.signin.sessions import INVALID_SESSION
from cognito_identity.local.signin.state import SignIn
from cognito_identity.local.totp import accept_code
from cognito_identity.local.user_records import load_user

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ANSWERS", "MAX_FAILURES", "Answer", "claim", "continue_setup", "respond"]

#: Wrong answers a challenge session takes before it closes.
MAX_FAILURES = 3
_NEW_ATTRIBUTE_PREFIX = "userAttributes."
_CODE_FIELDS = {"SMS_MFA": "SMS_MFA_CODE", "EMAIL_OTP": "EMAIL_OTP_CODE", "SMS_OTP": "SMS_OTP_CODE"}

P = TypeVar("P", bound=Payload)


@dataclass(frozen=True)
class Answer:
    """A RespondToAuthChallenge request: the client, the Session, the ChallengeResponses
    and the ClientMetadata (None when the request has none)."""

    client: AppClient
    session: str | None
    responses: dict[str, str] = field(repr=False)
    client_metadata: dict[str, str] | None = field(default=None, repr=False)

    @property
    def device_key(self) -> str | None:
        """The DEVICE_KEY the answer names, if any."""
        return self.responses.get("DEVICE_KEY")


def respond(ctx: ServerContext, name: str, answer: Answer) -> Response:
    """Check the answer to the challenge ``name`` and go on with the sign-in."""
    handler = ANSWERS.get(name)
    if handler is None:
        raise ServiceError.invalid_parameter(f"Challenge {name} is not supported by this server")
    return handler(ctx, ctx.store.connection(), answer)


def claim(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    key: str | None,
    kind: type[P],
    *,
    name: str | None = None,
    client: AppClient | None = None,
    username: str | None = None,
) -> tuple[Challenge, P, SignIn]:
    """Take the challenge under ``key`` (once), checking it is a ``kind`` (and named
    ``name``), for ``client`` (None: calls that name no client), and still the user named
    ``username`` (None: skip that check). Returns it, its payload, and its sign-in with
    the pool, client and user as they are now."""
    if key is None:
        raise ServiceError.invalid_parameter("Missing required parameter Session")
    taken = ctx.challenges.take(key, ctx.clock.now())
    if client is not None and taken.client_id != client.id:
        raise ServiceError.not_authorized(INVALID_SESSION)
    if isinstance(taken, Decoy):
        if kind is not PasswordVerifier:
            raise ServiceError.not_authorized(INVALID_SESSION)
        raise ServiceError.not_authorized()  # the decoy's user does not exist
    payload = taken.payload
    if not isinstance(payload, kind) or (name is not None and payload.name != name):
        raise ServiceError.not_authorized(INVALID_SESSION)
    s = taken.sign_in
    pool = ctx.catalog.pool(conn, s.pool.id)
    user = load_user(conn, pool.id, s.user.username_key)
    if user is None:
        raise ServiceError.not_authorized("User does not exist.")
    if username is not None and find_user(conn, pool, username) != user:
        raise ServiceError.not_authorized()
    check_enabled(user)
    s = dataclasses.replace(s, pool=pool, client=client or s.client, user=user)
    return taken, payload, s


# --- The first factor -------------------------------------------------------------------


def _password_verifier(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
    # The SECRET_BLOCK, not a Session, identifies an SRP login (Cognito sends no Session).
    responses = a.responses
    username = guards.param(responses, "USERNAME")
    secret_block = guards.param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
    timestamp = guards.param(responses, "TIMESTAMP")
    signature = guards.param(responses, "PASSWORD_CLAIM_SIGNATURE")
    guards.answer_username(a.client, responses)
    pool = ctx.catalog.pool(conn, a.client.pool_id)
    guards.refuse_unknown_device(conn, pool, username, a.device_key)
    _, payload, s = claim(
        ctx, conn, secret_block, PasswordVerifier, client=a.client, username=username
    )
    user = s.user
    if user.srp_salt is None or not guards.claim_proven(
        payload.srp,
        payload.srp_a,
        s.pool.srp_pool_name,
        user.username,
        user.srp_salt,
        secret_block,
        timestamp,
        signature,
    ):
        raise ServiceError.not_authorized()
    return machine.advance(ctx, s, PasswordProven(a.device_key))


def _custom_challenge(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
    """The verify trigger judges ``ANSWER`` (with this request's ClientMetadata, else the
    sign-in's), then the define trigger decides."""
    username = guards.answer_username(a.client, a.responses)
    given = guards.param(a.responses, "ANSWER")
    _, payload, s = claim(ctx, conn, a.session, CustomChallenge, client=a.client, username=username)
    metadata = s.client_metadata if a.client_metadata is None else a.client_metadata
    s = dataclasses.replace(s, client_metadata=metadata)
    correct = custom.verify(ctx, s, payload.private_parameters, given, metadata)
    entry = custom.history_entry(custom.CUSTOM_CHALLENGE, correct, payload.metadata)
    return machine.advance(ctx, s, CustomStep(entry, a.device_key))


def _select_challenge(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
    username = guards.answer_username(a.client, a.responses)
    choice = guards.param(a.responses, "ANSWER")
    taken, payload, s = claim(
        ctx, conn, a.session, SelectChallenge, client=a.client, username=username
    )
    if choice not in payload.options:
        assert a.session is not None
        ctx.challenges.reopen(a.session, taken)
        raise ServiceError.invalid_parameter(
            f"{choice} is not one of the available challenges: {', '.join(payload.options)}"
        )
    return choose_factor(ctx, conn, s, choice, a.responses)


def _new_password(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
    responses = a.responses
    username = guards.answer_username(a.client, responses)
    password = guards.param(responses, "NEW_PASSWORD")
    _, _, s = claim(ctx, conn, a.session, NewPasswordRequired, client=a.client, username=username)
    pool, user = s.pool, s.user
    check_policy(pool.password_policy, password)
    given = attributes_from_request(
        pool,
        [
            {"Name": key[len(_NEW_ATTRIBUTE_PREFIX) :], "Value": value}
            for key, value in responses.items()
            if key.startswith(_NEW_ATTRIBUTE_PREFIX)
        ],
    )
    missing = machine.missing_attributes(s, given)
    if missing:
        raise ServiceError.invalid_parameter(f"Invalid attributes given, {missing[0]} is missing")
    credentials = make_credentials(pool.srp_pool_name, user.username, password)
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        set_credentials(conn, user, credentials, UserStatus.CONFIRMED, now)
        set_status(conn, user, UserStatus.CONFIRMED, now, {**user.attributes, **given})
    confirmed = load_user(conn, pool.id, user.username_key)
    assert confirmed is not None
    return machine.advance(ctx, dataclasses.replace(s, user=confirmed), PasswordChanged())


# --- Codes (first factor or MFA) --------------------------------------------------------


def _sent_code(factor: str) -> Handler:
    field_name = _CODE_FIELDS[factor]

    def answer(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
        username = guards.answer_username(a.client, a.responses)
        given = guards.param(a.responses, field_name)
        taken, payload, s = claim(
            ctx, conn, a.session, SentCode, name=factor, client=a.client, username=username
        )
        if payload.code_expires <= ctx.clock.now():
            raise ServiceError.expired_code()
        if not hmac.compare_digest(payload.code.encode(), given.encode()):
            if taken.failures + 1 < MAX_FAILURES:
                assert a.session is not None
                ctx.challenges.reopen(a.session, taken)
            raise ServiceError.invalid_auth_state()
        return machine.advance(ctx, s, CodeProven(a.device_key))

    return answer


def _software_token(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
    username = guards.answer_username(a.client, a.responses)
    given = guards.param(a.responses, "SOFTWARE_TOKEN_MFA_CODE")
    taken, _, s = claim(ctx, conn, a.session, SoftwareTokenMfa, client=a.client, username=username)
    assert a.session is not None
    try:
        with ctx.store.write() as conn:
            right = accept_code(conn, s.user, given, ctx.clock.now())
    except ServiceError:
        ctx.challenges.reopen(a.session, taken)  # a replayed code: wait for the next one
        raise
    if not right:
        if taken.failures + 1 < MAX_FAILURES:
            ctx.challenges.reopen(a.session, taken)
        raise ServiceError.invalid_auth_state()
    return machine.advance(ctx, s, CodeProven())


def _select_mfa_type(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
    username = guards.answer_username(a.client, a.responses)
    choice = guards.param(a.responses, "ANSWER")
    taken, payload, s = claim(
        ctx, conn, a.session, SelectMfaType, client=a.client, username=username
    )
    if choice not in payload.options:
        assert a.session is not None
        ctx.challenges.reopen(a.session, taken)
        raise ServiceError.invalid_parameter(
            f"{choice} is not one of the MFA types offered: {', '.join(payload.options)}"
        )
    return machine.advance(ctx, s, MfaChosen(choice))


def _mfa_setup(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
    """The end of MFA_SETUP: the Session VerifySoftwareToken returned finishes the
    sign-in, with TOTP now the user's preferred factor (no second sign-in needed)."""
    username = guards.answer_username(a.client, a.responses)
    _, payload, s = claim(ctx, conn, a.session, MfaSetup, client=a.client, username=username)
    if not payload.token_verified:
        raise ServiceError.invalid_parameter(
            "MFA_SETUP needs a software token verified with this session first"
        )
    with ctx.store.write() as conn:
        set_factor(conn, s.user, SOFTWARE_TOKEN_MFA, enabled=True, preferred=True)
    return machine.advance(ctx, s, MfaSetUp())


def continue_setup(ctx: ServerContext, challenge: Challenge, *, verified: bool) -> str:
    """The next Session of an MFA_SETUP sign-in whose software token was just associated
    (``verified`` False) or verified (True)."""
    payload = challenge.payload
    assert isinstance(payload, MfaSetup)
    s = challenge.sign_in
    if verified:
        response = machine.advance(ctx, s, SoftwareTokenVerified(payload.options))
    else:
        response = machine.reissue(ctx, s, payload)
    return str(response["Session"])


# --- Devices ----------------------------------------------------------------------------


def _device_srp_auth(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
    username = guards.answer_username(a.client, a.responses)
    device_key = guards.param(a.responses, "DEVICE_KEY")
    srp_a = guards.param(a.responses, "SRP_A")
    _, _, s = claim(ctx, conn, a.session, DeviceSrpAuth, client=a.client, username=username)
    device = guards.confirmed_device(conn, s.user, device_key)
    return machine.advance(ctx, s, DeviceSrpStarted(device, srp_a))


def _device_password_verifier(ctx: ServerContext, conn: sqlite3.Connection, a: Answer) -> Response:
    responses = a.responses
    username = guards.answer_username(a.client, responses)
    device_key = guards.param(responses, "DEVICE_KEY")
    secret_block = guards.param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
    timestamp = guards.param(responses, "TIMESTAMP")
    signature = guards.param(responses, "PASSWORD_CLAIM_SIGNATURE")
    # The SECRET_BLOCK identifies the login, as for PASSWORD_VERIFIER; a Session, when
    # sent, is the same string.
    if a.session is not None and not hmac.compare_digest(a.session.encode(), secret_block.encode()):
        raise ServiceError.not_authorized(INVALID_SESSION)
    _, payload, s = claim(
        ctx, conn, secret_block, DevicePasswordVerifier, client=a.client, username=username
    )
    device = guards.confirmed_device(conn, s.user, device_key)
    assert device.salt_hex is not None
    if not guards.claim_proven(
        payload.srp,
        payload.srp_a,
        device.group_key,
        device.key,
        device.salt_hex,
        secret_block,
        timestamp,
        signature,
    ):
        raise ServiceError.not_authorized("Incorrect username or password.")
    return machine.advance(ctx, s, DeviceProven(device))


Handler = Callable[["ServerContext", sqlite3.Connection, Answer], Response]

#: ChallengeName -> how its answer is checked.
ANSWERS: dict[str, Handler] = {
    "PASSWORD_VERIFIER": _password_verifier,
    "CUSTOM_CHALLENGE": _custom_challenge,
    "SELECT_CHALLENGE": _select_challenge,
    "NEW_PASSWORD_REQUIRED": _new_password,
    "SMS_MFA": _sent_code("SMS_MFA"),
    "EMAIL_OTP": _sent_code("EMAIL_OTP"),
    "SMS_OTP": _sent_code("SMS_OTP"),
    "SOFTWARE_TOKEN_MFA": _software_token,
    "SELECT_MFA_TYPE": _select_mfa_type,
    "MFA_SETUP": _mfa_setup,
    "DEVICE_SRP_AUTH": _device_srp_auth,
    "DEVICE_PASSWORD_VERIFIER": _device_password_verifier,
}
