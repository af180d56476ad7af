"""Multi-factor authentication settings: what a pool offers, what a user has turned on, and
which challenge a sign-in gets from them.

The pool's choice (``MfaConfiguration`` OFF / OPTIONAL / ON and the factors set by
SetUserPoolMfaConfig) and the user's (SetUserMFAPreference and its admin twin) are stored
in the ``pool_mfa`` and ``user_mfa`` tables; TOTP secrets are in ``software_tokens``
(see :mod:`cognito_identity.local.totp`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from cognito_identity.local.models import Pool, User
from cognito_identity.local.totp import has_verified_token

__all__ = [
    "EMAIL_OTP",
    "FACTORS",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "MfaStep",
    "PoolMfa",
    "UserMfa",
    "load_pool_mfa",
    "load_user_mfa",
    "next_step",
    "save_pool_mfa",
    "set_factor",
]

SMS_MFA = "SMS_MFA"
SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA"
EMAIL_OTP = "EMAIL_OTP"
#: Every factor, in the order Cognito lists them.
FACTORS = (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP)


@dataclass(frozen=True)
class PoolMfa:
    """A pool's MFA setting: ``mode`` (OFF, OPTIONAL, ON) and the factors it offers.

    ``config`` is the GetUserPoolMfaConfig answer. A pool never given a config offers SMS
    when MFA is on, as a pool created with ``MfaConfiguration`` and an SMS role does.
    """

    mode: str
    factors: frozenset[str]
    config: dict[str, Any]


def load_pool_mfa(conn: sqlite3.Connection, pool: Pool) -> PoolMfa:
    """The pool's MFA setting."""
    mode = str(pool.description.get("MfaConfiguration", "OFF"))
    row = conn.execute("SELECT config FROM pool_mfa WHERE pool_id = ?", (pool.id,)).fetchone()
    if row is None:
        factors = frozenset() if mode == "OFF" else frozenset({SMS_MFA})
        return PoolMfa(mode, factors, {"MfaConfiguration": mode})
    config: dict[str, Any] = json.loads(row["config"])
    offered = set()
    if "SmsMfaConfiguration" in config:
        offered.add(SMS_MFA)
    if config.get("SoftwareTokenMfaConfiguration", {}).get("Enabled"):
        offered.add(SOFTWARE_TOKEN_MFA)
    if "EmailMfaConfiguration" in config:
        offered.add(EMAIL_OTP)
    return PoolMfa(mode, frozenset(offered), {**config, "MfaConfiguration": mode})


def save_pool_mfa(conn: sqlite3.Connection, pool_id: str, config: dict[str, Any]) -> None:
    """Store the factor configurations of a SetUserPoolMfaConfig request."""
    conn.execute(
        "INSERT OR REPLACE INTO pool_mfa (pool_id, config) VALUES (?, ?)",
        (pool_id, json.dumps(config)),
    )


@dataclass(frozen=True)
class UserMfa:
    """The factors a user has enabled, the preferred one if any, and whether the user's
    software token is verified (a re-associated, unverified one cannot sign in)."""

    enabled: frozenset[str]
    preferred: str | None
    software_token_verified: bool = False


def load_user_mfa(conn: sqlite3.Connection, user: User) -> UserMfa:
    """The user's MFA settings."""
    rows = conn.execute(
        "SELECT factor, enabled, preferred FROM user_mfa WHERE pool_id = ? AND username_key = ?",
        (user.pool_id, user.username_key),
    ).fetchall()
    enabled = frozenset(row["factor"] for row in rows if row["enabled"])
    preferred = next((row["factor"] for row in rows if row["enabled"] and row["preferred"]), None)
    return UserMfa(enabled, preferred, has_verified_token(conn, user))


def set_factor(
    conn: sqlite3.Connection, user: User, factor: str, *, enabled: bool, preferred: bool
) -> None:
    """Turn one factor on or off for the user; a preferred factor is the only preferred one."""
    if preferred:
        conn.execute(
            "UPDATE user_mfa SET preferred = 0 WHERE pool_id = ? AND username_key = ?",
            (user.pool_id, user.username_key),
        )
    conn.execute(
        "INSERT OR REPLACE INTO user_mfa (pool_id, username_key, factor, enabled, preferred)"
        " VALUES (?, ?, ?, ?, ?)",
        (user.pool_id, user.username_key, factor, int(enabled), int(enabled and preferred)),
    )


@dataclass(frozen=True)
class MfaStep:
    """The MFA challenge a sign-in gets: ``challenge`` is a factor, ``SELECT_MFA_TYPE``
    (``options`` to choose from) or ``MFA_SETUP`` (``options`` that may be set up)."""

    challenge: str
    options: tuple[str, ...] = ()


def next_step(pool_mfa: PoolMfa, user: User, user_mfa: UserMfa) -> MfaStep | None:
    """Which MFA challenge follows a proven password, or None for none.

    A factor counts only if the pool offers it and the user can receive it. OPTIONAL asks
    only users who enabled a factor; ON asks everyone, falling back to SMS or e-mail when
    the user has an address for it, and to MFA_SETUP otherwise.
    """
    if pool_mfa.mode == "OFF":
        return None
    usable = [
        f
        for f in FACTORS
        if f in user_mfa.enabled
        and _reachable(f, user, pool_mfa.factors)
        and (f != SOFTWARE_TOKEN_MFA or user_mfa.software_token_verified)
    ]
    if usable:
        if user_mfa.preferred in usable:
            return MfaStep(user_mfa.preferred)
        if len(usable) == 1:
            return MfaStep(usable[0])
        return MfaStep("SELECT_MFA_TYPE", tuple(usable))
    if pool_mfa.mode != "ON":
        return None
    for factor in (SMS_MFA, EMAIL_OTP):
        if _reachable(factor, user, pool_mfa.factors):
            return MfaStep(factor)
    return MfaStep("MFA_SETUP", tuple(f for f in FACTORS if f in pool_mfa.factors))


def _reachable(factor: str, user: User, offered: frozenset[str]) -> bool:
    if factor not in offered:
        return False
    if factor == SMS_MFA:
        return bool(user.attributes.get("phone_number"))
    if factor == EMAIL_OTP:
        return bool(user.attributes.get("email"))
    return True
