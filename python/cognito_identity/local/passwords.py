"""Passwords: the pool's policy, and what is stored instead of the password.

A password is never stored. Setting one stores an scrypt hash (for USER_PASSWORD_AUTH;
scrypt is deliberately slow) and an SRP salt and verifier (for USER_SRP_AUTH), made by
the Rust SRP engine.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass, field

from cognito_identity.local import srp_server as srp
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import PasswordPolicy

__all__ = [
    "Credentials",
    "check_policy",
    "make_credentials",
    "temporary_password",
    "verify_password_hash",
]

# The characters Cognito counts as symbols in a password policy.
SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
_UPPER = frozenset(string.ascii_uppercase)
_LOWER = frozenset(string.ascii_lowercase)
_DIGITS = frozenset(string.digits)

# scrypt cost: about 16 MiB and tens of milliseconds per hash on this class of machine.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def check_policy(policy: PasswordPolicy, password: str) -> None:
    """Raise InvalidPasswordException, worded as Cognito does, if ``password`` breaks ``policy``."""
    problem = None
    chars = set(password)
    if len(password) < policy.minimum_length:
        problem = "Password not long enough"
    elif policy.require_lowercase and not chars & _LOWER:
        problem = "Password must have lowercase characters"
    elif policy.require_uppercase and not chars & _UPPER:
        problem = "Password must have uppercase characters"
    elif policy.require_numbers and not chars & _DIGITS:
        problem = "Password must have numeric characters"
    elif policy.require_symbols and not chars & SYMBOLS:
        problem = "Password must have symbol characters"
    if problem is not None:
        raise ServiceError.invalid_password(f"Password did not conform with policy: {problem}")


def temporary_password(policy: PasswordPolicy) -> str:
    """A random password that satisfies ``policy`` (for AdminCreateUser without one)."""
    required = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
        secrets.choice("^$*.!@#%&"),
    ]
    alphabet = string.ascii_letters + string.digits
    rest = [secrets.choice(alphabet) for _ in range(max(policy.minimum_length, 12) - 4)]
    chars = required + rest
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@dataclass(frozen=True)
class Credentials:
    """What a user row stores for a password."""

    password_hash: str = field(repr=False)
    srp_salt: str = field(repr=False)
    srp_verifier: str = field(repr=False)


def make_credentials(srp_pool_name: str, user_id_for_srp: str, password: str) -> Credentials:
    """Hash ``password`` for both sign-in flows."""
    salt_hex, verifier_hex = srp.generate_verifier(srp_pool_name, user_id_for_srp, password)
    return Credentials(_scrypt_hash(password), salt_hex, verifier_hex)


def _scrypt_hash(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return "$".join(
        [
            "scrypt",
            str(_SCRYPT_N),
            str(_SCRYPT_R),
            str(_SCRYPT_P),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        ]
    )


def verify_password_hash(stored: str, password: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`make_credentials`."""
    scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest_b64)
    actual = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt_b64),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(expected),
    )
    return hmac.compare_digest(actual, expected)
