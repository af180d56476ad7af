"""MFA at sign-in: after the password, the challenge the pool's and the user's settings call
for (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP), and the answers.
(MFA_SETUP's software token is associated and verified by the actions in ``actions/mfa.py``.)

SMS and e-mail codes go to the outbox and live in the challenge (in memory) for
:data:`MFA_CODE_SECONDS`. A wrong code may be retried in the same session up to
:data:`MAX_FAILURES` wrong answers in all; a right one ends the session.
"""

from __future__ import annotations

import hmac
import json
import sqlite3
from typing import TYPE_CHECKING

from cognito_identity.local.actions.sign_in import (
    ChallengeAnswer,
    check_answer_secret,
    claim_challenge,
    device_challenge,
    open_challenge,
    param,
    tokens_response,
)
from cognito_identity.local.directory import Delivery
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_code
from cognito_identity.local.mfa import (
    EMAIL_OTP,
    SMS_MFA,
    SOFTWARE_TOKEN_MFA,
    MfaStep,
    load_pool_mfa,
    load_user_mfa,
    next_step,
    set_factor,
)
from cognito_identity.local.models import AppClient, Pool, User
from cognito_identity.local.outbox import Message
from cognito_identity.local.totp import accept_code

if TYPE_CHECKING:
    from cognito_identity.local.actions.base import Response
    from cognito_identity.local.challenges import PendingChallenge
    from cognito_identity.local.context import ServerContext

__all__ = [
    "ANSWERS",
    "MAX_FAILURES",
    "MFA_CODE_SECONDS",
    "code_accepted",
    "finish_sign_in",
    "send_code_challenge",
]

#: How long an SMS or e-mail MFA code works (Cognito's codes last three minutes).
MFA_CODE_SECONDS = 180
#: Wrong answers a challenge session takes before it closes.
MAX_FAILURES = 3

_CODE_FIELDS = {SMS_MFA: "SMS_MFA_CODE", EMAIL_OTP: "EMAIL_OTP_CODE"}
_DELIVERY = {SMS_MFA: ("SMS", "phone_number"), EMAIL_OTP: ("EMAIL", "email")}


def finish_sign_in(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    user: User,
    proven_device: str | None,
) -> Response:
    """After the first factor (and any new password, and device SRP, which proved
    ``proven_device``): MFA, or the tokens (see :func:`tokens_response`)."""
    step = next_step(load_pool_mfa(conn, pool), user, load_user_mfa(conn, user))
    if step is None:
        return tokens_response(ctx, pool, client, user, proven_device)
    return _open_step(ctx, pool, client, user, step, proven_device)


def _open_step(
    ctx: ServerContext,
    pool: Pool,
    client: AppClient,
    user: User,
    step: MfaStep,
    proven_device: str | None,
) -> Response:
    if step.challenge in _DELIVERY:
        medium, attribute = _DELIVERY[step.challenge]
        return send_code_challenge(
            ctx,
            pool,
            client,
            user,
            step.challenge,
            medium,
            attribute,
            "mfa",
            proven_device=proven_device,
        )
    if step.challenge == "SELECT_MFA_TYPE":
        parameters = {"MFAS_CAN_CHOOSE": _compact_json(step.options)}
    elif step.challenge == "MFA_SETUP":
        parameters = {"MFAS_CAN_SETUP": _compact_json(step.options)}
    else:
        parameters = {}
    return open_challenge(
        ctx,
        pool,
        client,
        user,
        parameters,
        name=step.challenge,
        options=step.options,
        proven_device=proven_device,
    )


def _compact_json(names: tuple[str, ...]) -> str:
    # Cognito's JSON-in-a-string parameters carry no spaces: ["SMS_MFA","EMAIL_OTP"].
    return json.dumps(list(names), separators=(",", ":"))


def send_code_challenge(
    ctx: ServerContext,
    pool: Pool,
    client: AppClient,
    user: User,
    challenge: str,
    medium: str,
    attribute: str,
    purpose: str,
    *,
    passwordless: bool = False,
    proven_device: str | None = None,
) -> Response:
    """Send a one-time code by ``medium`` to the user's ``attribute`` (into the outbox,
    marked with ``purpose``) and open ``challenge``, waiting for that code;
    ``passwordless`` when the code is the sign-in's first factor, ``proven_device`` when
    it is MFA after device SRP."""
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
    return open_challenge(
        ctx,
        pool,
        client,
        user,
        {
            "CODE_DELIVERY_DELIVERY_MEDIUM": shown["DeliveryMedium"],
            "CODE_DELIVERY_DESTINATION": shown["Destination"],
        },
        name=challenge,
        code=code,
        code_expires=now + MFA_CODE_SECONDS,
        passwordless=passwordless,
        proven_device=proven_device,
    )


def _code_mismatch() -> ServiceError:
    return ServiceError("CodeMismatchException", "Invalid code or auth state for the user.")


def _sent_code_answer(factor: str) -> ChallengeAnswer:
    field = _CODE_FIELDS[factor]

    def answer(
        ctx: ServerContext,
        conn: sqlite3.Connection,
        pool: Pool,
        client: AppClient,
        session: str | None,
        responses: dict[str, str],
    ) -> Response:
        username = check_answer_secret(client, responses)
        given = param(responses, field)
        pending, user = claim_challenge(ctx, conn, client, session, factor, username)
        assert session is not None
        if pending.code_expires <= ctx.clock.now():
            raise ServiceError.expired_code()
        if not hmac.compare_digest(pending.code.encode(), given.encode()):
            if pending.failures + 1 < MAX_FAILURES:
                ctx.challenges.reopen(session, pending)
            raise _code_mismatch()
        return code_accepted(ctx, conn, pool, client, user, pending, responses)

    return answer


def code_accepted(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    user: User,
    pending: PendingChallenge,
    responses: dict[str, str],
) -> Response:
    """After a right SMS or e-mail code: the tokens; when the code was the first factor,
    device SRP first if the answer names a confirmed device."""
    if pending.passwordless:
        device = device_challenge(
            ctx, conn, pool, client, user, responses.get("DEVICE_KEY"), passwordless=True
        )
        if device is not None:
            return device
    return tokens_response(ctx, pool, client, user, pending.proven_device)


def _software_token_answer(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    session: str | None,
    responses: dict[str, str],
) -> Response:
    username = check_answer_secret(client, responses)
    given = param(responses, "SOFTWARE_TOKEN_MFA_CODE")
    pending, user = claim_challenge(ctx, conn, client, session, SOFTWARE_TOKEN_MFA, username)
    assert session is not None
    try:
        with ctx.store.write() as conn:
            right = accept_code(conn, user, given, ctx.clock.now())
    except ServiceError:
        ctx.challenges.reopen(session, pending)  # a replayed code: wait for the next one
        raise
    if not right:
        if pending.failures + 1 < MAX_FAILURES:
            ctx.challenges.reopen(session, pending)
        raise _code_mismatch()
    return tokens_response(ctx, pool, client, user, pending.proven_device)


def _mfa_setup(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    session: str | None,
    responses: dict[str, str],
) -> Response:
    """The end of MFA_SETUP: the Session VerifySoftwareToken returned finishes the
    sign-in, with TOTP now the user's preferred factor (no second sign-in needed)."""
    username = check_answer_secret(client, responses)
    pending, user = claim_challenge(ctx, conn, client, session, "MFA_SETUP", username)
    if not pending.token_verified:
        raise ServiceError.invalid_parameter(
            "MFA_SETUP needs a software token verified with this session first"
        )
    with ctx.store.write() as conn:
        set_factor(conn, user, SOFTWARE_TOKEN_MFA, enabled=True, preferred=True)
    return tokens_response(ctx, pool, client, user, pending.proven_device)


def _select_mfa_type(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    session: str | None,
    responses: dict[str, str],
) -> Response:
    username = check_answer_secret(client, responses)
    choice = param(responses, "ANSWER")
    pending, user = claim_challenge(ctx, conn, client, session, "SELECT_MFA_TYPE", username)
    assert session is not None
    if choice not in pending.options:
        ctx.challenges.reopen(session, pending)
        raise ServiceError.invalid_parameter(
            f"{choice} is not one of the MFA types offered: {', '.join(pending.options)}"
        )
    return _open_step(ctx, pool, client, user, MfaStep(choice), pending.proven_device)


#: ChallengeName -> how its answer is checked; merged into the auth challenge table.
ANSWERS: dict[str, ChallengeAnswer] = {
    SMS_MFA: _sent_code_answer(SMS_MFA),
    EMAIL_OTP: _sent_code_answer(EMAIL_OTP),
    SOFTWARE_TOKEN_MFA: _software_token_answer,
    "SELECT_MFA_TYPE": _select_mfa_type,
    "MFA_SETUP": _mfa_setup,
}
