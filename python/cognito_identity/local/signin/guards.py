"""Checks a sign-in step makes before it changes anything: the request's parameters and
secret hash, the user who may sign in, and the device a request names."""

from __future__ import annotations

import re
import sqlite3

from cognito_identity.errors import SrpError
from cognito_identity.local import devices
from cognito_identity.local.actions.base import check_secret_hash
from cognito_identity.local.devices import Device, DeviceTracking
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient, Pool, User, find_user
from cognito_identity.local.passwords import verify_password_hash
from cognito_identity.local.policy import check_may_sign_in

__all__ = [
    "answer_username",
    "claim_proven",
    "confirmed_device",
    "param",
    "password_matches",
    "refuse_unknown_device",
    "sign_in_user",
    "srp_a_param",
]

_HEX = re.compile(r"[0-9a-fA-F]+")


def param(params: dict[str, str], name: str) -> str:
    """A required AuthParameters / ChallengeResponses entry."""
    value = params.get(name)
    if not value:
        raise ServiceError.invalid_parameter(f"Missing required parameter {name}")
    return value


def srp_a_param(client: AppClient, params: dict[str, str]) -> tuple[str, str]:
    """USERNAME and SRP_A, after the SECRET_HASH check; SRP_A must be hexadecimal."""
    username = param(params, "USERNAME")
    srp_a = param(params, "SRP_A")
    check_secret_hash(client, username, params.get("SECRET_HASH"))
    if not _HEX.fullmatch(srp_a):
        raise ServiceError.invalid_parameter("SRP_A must be a hexadecimal string")
    return username, srp_a


def answer_username(client: AppClient, responses: dict[str, str]) -> str:
    """The answer's USERNAME, after checking its SECRET_HASH for a client with a secret."""
    username = param(responses, "USERNAME")
    check_secret_hash(client, username, responses.get("SECRET_HASH"))
    return username


def sign_in_user(conn: sqlite3.Connection, pool: Pool, client: AppClient, name: str) -> User:
    """The user starting a sign-in as ``name``; an unknown, disabled or reset user is
    refused as Cognito refuses them."""
    user = find_user(conn, pool, name)
    if user is None:
        if client.prevent_user_existence_errors:
            raise ServiceError.not_authorized()
        raise ServiceError.user_not_found()
    check_may_sign_in(user)
    return user


def password_matches(user: User, password: str) -> bool:
    """Whether ``password`` is the user's."""
    return user.password_hash is not None and verify_password_hash(user.password_hash, password)


def refuse_unknown_device(
    conn: sqlite3.Connection, pool: Pool, username: str, device_key: str | None
) -> None:
    """In a password step: ResourceNotFoundException when a tracking pool's user has no
    device ``device_key``, before anything is consumed (the client may resend the same
    step without it)."""
    if not device_key or not DeviceTracking.of(pool).enabled:
        return
    user = find_user(conn, pool, username)
    if user is not None and devices.find_device(conn, user, device_key) is None:
        raise ServiceError.resource_not_found(devices.DEVICE_NOT_FOUND)


def confirmed_device(conn: sqlite3.Connection, user: User, device_key: str) -> Device:
    """The user's device ``device_key``, which ConfirmDevice must have registered."""
    device = devices.require_device(conn, user, device_key)
    if not device.confirmed:
        raise ServiceError.not_authorized("Device is not confirmed.")
    return device


def claim_proven(
    server: object,
    srp_a: str,
    pool_name: str,
    user_id: str,
    salt_hex: str,
    secret_block: str,
    timestamp: str,
    signature: str,
) -> bool:
    """Whether a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) signature proves the
    password behind the verifier of the SRP ``server`` session; unusable input is no proof."""
    try:
        return bool(
            server.verify_claim(  # type: ignore[attr-defined]
                pool_name, user_id, salt_hex, srp_a, secret_block, timestamp, signature
            )
        )
    except SrpError:
        return False
