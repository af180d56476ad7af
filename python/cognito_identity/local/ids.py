"""Identifiers in the formats real Cognito uses, from the OS's secure random source."""

from __future__ import annotations

import secrets
import string
import uuid

__all__ = [
    "new_client_id",
    "new_client_secret",
    "new_code",
    "new_opaque_token",
    "new_pool_id",
    "new_uuid",
]

_ALNUM = string.ascii_letters + string.digits
_LOWER_ALNUM = string.ascii_lowercase + string.digits


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_pool_id(region: str) -> str:
    """A pool id such as ``us-east-1_Ab3dE5gH9``."""
    return f"{region}_{_random(_ALNUM, 9)}"


def new_client_id() -> str:
    """A 26-character app client id."""
    return _random(_LOWER_ALNUM, 26)


def new_client_secret() -> str:
    """A 51-character app client secret."""
    return _random(_LOWER_ALNUM, 51)


def new_uuid() -> str:
    """A random UUID: user ``sub``, token ``jti``, event and request ids."""
    return str(uuid.uuid4())


def new_code() -> str:
    """A six-digit confirmation code."""
    return f"{secrets.randbelow(1_000_000):06d}"


def new_opaque_token() -> str:
    """An unguessable opaque token (refresh tokens, auth sessions)."""
    return secrets.token_urlsafe(48)
