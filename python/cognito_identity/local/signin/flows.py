"""How each AuthFlow starts (InitiateAuth and AdminInitiateAuth), and which flows each
of the two takes.

A flow's start checks its parameters and the user, runs the pre authentication trigger,
and then either proves the first factor at once (a password sent in the request) or opens
the first challenge (PASSWORD_VERIFIER, CUSTOM_CHALLENGE, SELECT_CHALLENGE, a one-time
code); :func:`.machine.advance` decides the rest.

USER_AUTH (choice-based sign-in): the pool's ``Policies.SignInPolicy.AllowedFirstAuthFactors``
(default ``["PASSWORD"]``) and the user decide which first factors are offered: PASSWORD and
PASSWORD_SRP when the pool allows passwords and the user has one, EMAIL_OTP / SMS_OTP when
the pool allows them and the user's e-mail / phone number is verified. ``PREFERRED_CHALLENGE``
starts an offered factor at once; otherwise Cognito answers SELECT_CHALLENGE with
``AvailableChallenges``.

The admin calls take the same flows, with the password sent plainly only as
ADMIN_USER_PASSWORD_AUTH (or its legacy name ADMIN_NO_SRP_AUTH) and never as
USER_PASSWORD_AUTH; each flow still needs the client's ExplicitAuthFlows to allow it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cognito_identity.local import srp_server as srp
from cognito_identity.local.actions.base import Response, check_secret_hash
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_opaque_token
from cognito_identity.local.mfa import load_pool_mfa
from cognito_identity.local.models import AppClient, Pool, User, find_user
from cognito_identity.local.policy import check_confirmed
from cognito_identity.local.signin import guards, hooks, machine, refresh
from cognito_identity.local.signin.custom import history_entry
from cognito_identity.local.signin.events import CustomStep, FactorChosen, PasswordProven
from cognito_identity.local.signin.payloads import Decoy, SelectChallenge
from cognito_identity.local.signin.state import Phase, SignIn

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "ADMIN_FLOWS",
    "FLOWS",
    "Begin",
    "Flow",
    "allowed_first_factors",
    "available_challenges",
    "choose_factor",
    "initiate",
    "password_sign_in",
]

PASSWORD = "PASSWORD"
PASSWORD_SRP = "PASSWORD_SRP"
#: The one-time code first factors and the attribute that must be verified for each.
_OTP_ATTRIBUTES = {"EMAIL_OTP": "email", "SMS_OTP": "phone_number"}


@dataclass(frozen=True)
class Begin:
    """An InitiateAuth or AdminInitiateAuth request, its pool and client found."""

    pool: Pool
    client: AppClient
    params: dict[str, str] = field(repr=False)
    client_metadata: dict[str, str] = field(repr=False)


Start = Callable[["ServerContext", sqlite3.Connection, Begin], Response]


@dataclass(frozen=True)
class Flow:
    """An AuthFlow: the ExplicitAuthFlows entry that enables it, the error when the
    client does not, and how it starts."""

    allow: str
    disabled_message: str
    start: Start


def initiate(ctx: ServerContext, flows: dict[str, Flow], flow_name: str, begin: Begin) -> Response:
    """Start the sign-in ``flow_name``, one of ``flows`` (:data:`FLOWS` or :data:`ADMIN_FLOWS`)."""
    flow = flows.get(flow_name)
    if flow is None:
        raise ServiceError.invalid_parameter("Initiate Auth method not supported.")
    if flow.allow not in begin.client.auth_flows:
        raise ServiceError.invalid_parameter(flow.disabled_message)
    return flow.start(ctx, ctx.store.connection(), begin)


def _sign_in(ctx: ServerContext, begin: Begin, user: User, *, custom: bool = False) -> SignIn:
    """A new sign-in of ``user``, once the pre authentication trigger lets it start."""
    sign_in = SignIn(
        pool=begin.pool,
        client=begin.client,
        user=user,
        expires=ctx.clock.now() + begin.client.auth_session_seconds,
        custom_history=() if custom else None,
        client_metadata=dict(begin.client_metadata),
    )
    hooks.pre_authentication(ctx, sign_in)
    return sign_in


def _user(ctx: ServerContext, conn: sqlite3.Connection, begin: Begin, username: str) -> User:
    """The user a sign-in starts for; an unknown one is refused (after the pre
    authentication trigger, in a client that hides which users exist)."""
    pool, client = begin.pool, begin.client
    if client.prevent_user_existence_errors and find_user(conn, pool, username) is None:
        hooks.pre_authentication_unknown(ctx, pool, client, username, begin.client_metadata)
    return guards.sign_in_user(conn, pool, client, username)


def _start_srp(ctx: ServerContext, conn: sqlite3.Connection, begin: Begin) -> Response:
    pool, client = begin.pool, begin.client
    username, srp_a = guards.srp_a_param(client, begin.params)
    if client.prevent_user_existence_errors and find_user(conn, pool, username) is None:
        hooks.pre_authentication_unknown(ctx, pool, client, username, begin.client_metadata)
        return _decoy(ctx, pool, client, username)
    user = guards.sign_in_user(conn, pool, client, username)
    check_confirmed(user)
    return machine.password_challenge(ctx, _sign_in(ctx, begin, user), srp_a)[1]


def _decoy(ctx: ServerContext, pool: Pool, client: AppClient, username: str) -> Response:
    """As Cognito does for an unknown user when the client hides which users exist:
    a challenge nobody can meet (its verifier belongs to a random password), so the
    failure comes only after the client's proof."""
    salt, verifier = srp.generate_verifier(pool.srp_pool_name, username, new_opaque_token())
    server = srp.ServerSession(verifier)
    secret_block = srp.new_secret_block()
    now = ctx.clock.now()
    ctx.challenges.put(secret_block, Decoy(client.id, now + client.auth_session_seconds), now)
    return {
        "ChallengeName": Decoy.name,
        "ChallengeParameters": {
            "SALT": salt,
            "SECRET_BLOCK": secret_block,
            "SRP_B": server.large_b_hex,
            "USERNAME": username,
            "USER_ID_FOR_SRP": username,
        },
    }


def _password(refuse_unknown_device: bool) -> Start:
    """A flow whose request carries the password (USER_PASSWORD_AUTH,
    ADMIN_USER_PASSWORD_AUTH); these refuse an unknown DEVICE_KEY before anything else."""

    def start(ctx: ServerContext, conn: sqlite3.Connection, begin: Begin) -> Response:
        params = begin.params
        username = guards.param(params, "USERNAME")
        password = guards.param(params, "PASSWORD")
        check_secret_hash(begin.client, username, params.get("SECRET_HASH"))
        if refuse_unknown_device:
            guards.refuse_unknown_device(conn, begin.pool, username, params.get("DEVICE_KEY"))
        return password_sign_in(ctx, begin, username, password, params.get("DEVICE_KEY"))

    return start


def password_sign_in(
    ctx: ServerContext,
    begin: Begin,
    username: str,
    password: str,
    device_key: str | None = None,
) -> Response:
    """Sign ``username`` in with ``password``, once the request's own checks passed (the
    password flows and the hosted UI's sign-in page): the challenge that follows, or the
    tokens."""
    user = _user(ctx, ctx.store.connection(), begin, username)
    sign_in = _sign_in(ctx, begin, user)
    if not guards.password_matches(user, password):
        raise ServiceError.not_authorized()
    return machine.advance(ctx, sign_in, PasswordProven(device_key))


def _start_custom(ctx: ServerContext, conn: sqlite3.Connection, begin: Begin) -> Response:
    """CUSTOM_AUTH: the define trigger leads. With ``CHALLENGE_NAME: SRP_A`` (and SRP_A)
    it may ask for the password first, proven by SRP as in USER_SRP_AUTH."""
    params = begin.params
    username = guards.param(params, "USERNAME")
    check_secret_hash(begin.client, username, params.get("SECRET_HASH"))
    with_srp = params.get("CHALLENGE_NAME") == "SRP_A"
    srp_a = guards.srp_a_param(begin.client, params)[1] if with_srp else ""
    user = _user(ctx, conn, begin, username)
    check_confirmed(user)
    sign_in = _sign_in(ctx, begin, user, custom=True)
    entry = history_entry("SRP_A", True) if with_srp else None
    return machine.advance(ctx, sign_in, CustomStep(entry, params.get("DEVICE_KEY"), srp_a))


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
    for factor, attribute in _OTP_ATTRIBUTES.items():
        if factor in allowed and user.attributes.get(f"{attribute}_verified") == "true":
            offered.append(factor)
    return offered


def _start_user_auth(ctx: ServerContext, conn: sqlite3.Connection, begin: Begin) -> Response:
    params = begin.params
    username = guards.param(params, "USERNAME")
    check_secret_hash(begin.client, username, params.get("SECRET_HASH"))
    user = _user(ctx, conn, begin, username)
    check_confirmed(user)
    required = load_pool_mfa(conn, begin.pool).mode == "ON"
    offered = available_challenges(begin.pool, user, mfa_required=required)
    if not offered:
        raise ServiceError.not_authorized()
    sign_in = _sign_in(ctx, begin, user)
    preferred = params.get("PREFERRED_CHALLENGE")
    if preferred in offered:
        return choose_factor(ctx, conn, sign_in, preferred, params)
    _, response = machine.open_challenge(
        ctx, sign_in, Phase.FIRST_FACTOR, SelectChallenge(tuple(offered)), {}
    )
    response["AvailableChallenges"] = offered
    return response


def choose_factor(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    sign_in: SignIn,
    factor: str,
    params: dict[str, str],
) -> Response:
    """Go on with the first factor ``factor`` (offered to the user); ``params`` carry
    PASSWORD or SRP_A when it needs one."""
    pool, client = sign_in.pool, sign_in.client
    if factor == PASSWORD:
        username = guards.param(params, "USERNAME")
        password = guards.param(params, "PASSWORD")
        check_secret_hash(client, username, params.get("SECRET_HASH"))
        user = guards.sign_in_user(conn, pool, client, username)
        if not guards.password_matches(user, password):
            raise ServiceError.not_authorized()
        return machine.advance(ctx, sign_in, PasswordProven(params.get("DEVICE_KEY")))
    if factor == PASSWORD_SRP:
        srp_a = guards.srp_a_param(client, params)[1]
        return machine.advance(ctx, sign_in, FactorChosen(factor, {"SRP_A": srp_a}))
    return machine.advance(ctx, sign_in, FactorChosen(factor, {}))


def _flows(password: Flow, *password_names: str) -> dict[str, Flow]:
    refresh_flow = Flow(
        "ALLOW_REFRESH_TOKEN_AUTH", "Auth flow not enabled for this client", refresh.start
    )
    return {
        "USER_SRP_AUTH": Flow(
            "ALLOW_USER_SRP_AUTH", "USER_SRP_AUTH is not enabled for the client.", _start_srp
        ),
        **{name: password for name in password_names},
        "REFRESH_TOKEN_AUTH": refresh_flow,
        "REFRESH_TOKEN": refresh_flow,
        "CUSTOM_AUTH": Flow(
            "ALLOW_CUSTOM_AUTH", "Custom auth flow not enabled for this client", _start_custom
        ),
        "USER_AUTH": Flow(
            "ALLOW_USER_AUTH", "USER_AUTH flow not enabled for this client", _start_user_auth
        ),
    }


#: The flows InitiateAuth takes.
FLOWS = _flows(
    Flow(
        "ALLOW_USER_PASSWORD_AUTH",
        "USER_PASSWORD_AUTH flow not enabled for this client",
        _password(refuse_unknown_device=True),
    ),
    "USER_PASSWORD_AUTH",
)
#: The flows AdminInitiateAuth takes.
ADMIN_FLOWS = _flows(
    Flow(
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "Auth flow not enabled for this client",
        _password(refuse_unknown_device=True),
    ),
    "ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH",
)
