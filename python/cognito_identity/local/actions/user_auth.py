"""Choice-based sign-in: InitiateAuth with AuthFlow USER_AUTH, and its SELECT_CHALLENGE.

The pool's ``Policies.SignInPolicy.AllowedFirstAuthFactors`` (default ``["PASSWORD"]``)
and the user decide which first factors are offered: PASSWORD and PASSWORD_SRP when the
pool allows passwords and the user has one, EMAIL_OTP / SMS_OTP when the pool allows
them and the user's e-mail / phone number is verified. ``PREFERRED_CHALLENGE`` starts an
offered factor at once; otherwise (or when it is not offered) Cognito answers
SELECT_CHALLENGE with ``AvailableChallenges``, answered with ``ANSWER`` (plus PASSWORD or
SRP_A for the password factors).

A one-time code (EMAIL_OTP, SMS_OTP) is a whole sign-in: a right code gives the tokens,
with no MFA after it (device SRP comes first when the answer names a confirmed device).
The password factors reuse the USER_PASSWORD_AUTH and USER_SRP_AUTH steps of ``auth.py``,
handed in as :class:`PasswordSteps` so this module does not import ``auth.py`` (which
imports it).
"""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cognito_identity.local.actions.base import check_secret_hash
from cognito_identity.local.actions.mfa_sign_in import (
    MAX_FAILURES,
    code_accepted,
    send_code_challenge,
)
from cognito_identity.local.actions.sign_in import (
    ChallengeAnswer,
    check_answer_secret,
    claim_challenge,
    open_challenge,
    param,
)
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.mfa import load_pool_mfa
from cognito_identity.local.models import AppClient, Pool, User, UserStatus

if TYPE_CHECKING:
    from cognito_identity.local.actions.base import Response
    from cognito_identity.local.context import ServerContext

__all__ = [
    "EMAIL_OTP",
    "PASSWORD",
    "PASSWORD_SRP",
    "SELECT_CHALLENGE",
    "SMS_OTP",
    "PasswordSteps",
    "allowed_first_factors",
    "answers",
    "available_challenges",
    "flow",
]

PASSWORD = "PASSWORD"
PASSWORD_SRP = "PASSWORD_SRP"
EMAIL_OTP = "EMAIL_OTP"
SMS_OTP = "SMS_OTP"
SELECT_CHALLENGE = "SELECT_CHALLENGE"

# A one-time code factor: how it is delivered and the answer field that carries it.
_OTP = {
    EMAIL_OTP: ("EMAIL", "email", "EMAIL_OTP_CODE"),
    SMS_OTP: ("SMS", "phone_number", "SMS_OTP_CODE"),
}

FlowStart = Callable[
    ["ServerContext", sqlite3.Connection, Pool, AppClient, dict[str, str]], "Response"
]


@dataclass(frozen=True)
class PasswordSteps:
    """What USER_AUTH borrows from ``auth.py``: the sign-in user lookup (unknown and
    disabled users refused as every flow refuses them) and the two password flows, each
    started with the request's parameters (USERNAME with PASSWORD, or with SRP_A)."""

    sign_in_user: Callable[[sqlite3.Connection, Pool, AppClient, str], User]
    password: FlowStart
    srp: FlowStart


def allowed_first_factors(pool: Pool) -> tuple[str, ...]:
    """The pool's ``AllowedFirstAuthFactors`` (``("PASSWORD",)`` when it sets none)."""
    policy = pool.description["Policies"].get("SignInPolicy") or {}
    return tuple(policy.get("AllowedFirstAuthFactors") or (PASSWORD,))


def available_challenges(pool: Pool, user: User, *, mfa_required: bool = False) -> list[str]:
    """The first factors ``user`` may choose from in ``pool``, in a stable order.

    A pool that requires MFA offers no one-time code factor: a code alone would skip the
    second factor (Cognito does not allow passwordless sign-in with required MFA).
    """
    allowed = allowed_first_factors(pool)
    offered = []
    if PASSWORD in allowed and user.srp_verifier is not None:
        offered += [PASSWORD, PASSWORD_SRP]
    if mfa_required:
        return offered
    for factor, (_, attribute, _) in _OTP.items():
        if factor in allowed and user.attributes.get(f"{attribute}_verified") == "true":
            offered.append(factor)
    return offered


def flow(steps: PasswordSteps) -> FlowStart:
    """The USER_AUTH flow start (InitiateAuth), using ``steps`` for the password factors."""

    def start(
        ctx: ServerContext,
        conn: sqlite3.Connection,
        pool: Pool,
        client: AppClient,
        params: dict[str, str],
    ) -> Response:
        username = param(params, "USERNAME")
        check_secret_hash(client, username, params.get("SECRET_HASH"))
        user = steps.sign_in_user(conn, pool, client, username)
        if user.status == UserStatus.UNCONFIRMED:
            raise ServiceError.user_not_confirmed()
        required = load_pool_mfa(conn, pool).mode == "ON"
        offered = available_challenges(pool, user, mfa_required=required)
        if not offered:
            raise ServiceError.not_authorized()
        preferred = params.get("PREFERRED_CHALLENGE")
        if preferred in offered:
            return _begin(steps, ctx, conn, pool, client, user, preferred, params)
        response = open_challenge(
            ctx, pool, client, user, {}, name=SELECT_CHALLENGE, options=tuple(offered)
        )
        response["AvailableChallenges"] = offered
        return response

    return start


def _begin(
    steps: PasswordSteps,
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    user: User,
    factor: str,
    params: dict[str, str],
) -> Response:
    """Start the chosen first factor; ``params`` carry PASSWORD or SRP_A when it needs one."""
    if factor == PASSWORD:
        return steps.password(ctx, conn, pool, client, params)
    if factor == PASSWORD_SRP:
        return steps.srp(ctx, conn, pool, client, params)
    return _send_code(ctx, pool, client, user, factor)


def _send_code(
    ctx: ServerContext, pool: Pool, client: AppClient, user: User, factor: str
) -> Response:
    medium, attribute, _ = _OTP[factor]
    return send_code_challenge(
        ctx, pool, client, user, factor, medium, attribute, "sign-in", passwordless=True
    )


def _select_challenge(steps: PasswordSteps) -> ChallengeAnswer:
    def answer(
        ctx: ServerContext,
        conn: sqlite3.Connection,
        pool: Pool,
        client: AppClient,
        session: str | None,
        responses: dict[str, str],
    ) -> Response:
        username = check_answer_secret(client, responses)
        choice = param(responses, "ANSWER")
        pending, user = claim_challenge(ctx, conn, client, session, SELECT_CHALLENGE, username)
        assert session is not None
        if choice not in pending.options:
            ctx.challenges.reopen(session, pending)
            raise ServiceError.invalid_parameter(
                f"{choice} is not one of the available challenges: {', '.join(pending.options)}"
            )
        return _begin(steps, ctx, conn, pool, client, user, choice, responses)

    return answer


def _sms_otp_answer(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    session: str | None,
    responses: dict[str, str],
) -> Response:
    """SMS_OTP_CODE: the code texted for a passwordless sign-in. (EMAIL_OTP is answered
    as the e-mail MFA challenge is: same name, same field, same end.)"""
    username = check_answer_secret(client, responses)
    given = param(responses, _OTP[SMS_OTP][2])
    pending, user = claim_challenge(ctx, conn, client, session, SMS_OTP, username)
    assert session is not None
    if pending.code_expires <= ctx.clock.now():
        raise ServiceError.expired_code()
    if not hmac.compare_digest(pending.code.encode(), given.encode()):
        if pending.failures + 1 < MAX_FAILURES:
            ctx.challenges.reopen(session, pending)
        raise ServiceError("CodeMismatchException", "Invalid code or auth state for the user.")
    return code_accepted(ctx, conn, pool, client, user, pending, responses)


def answers(steps: PasswordSteps) -> dict[str, ChallengeAnswer]:
    """ChallengeName -> answer check for the challenges only USER_AUTH opens."""
    return {SELECT_CHALLENGE: _select_challenge(steps), SMS_OTP: _sms_otp_answer}
