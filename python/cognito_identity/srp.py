"""Cognito's SRP-6a, the client half, computed in Rust with the GIL released.

Client side (what a login sends to Cognito):

* :class:`AuthenticationHelper` makes SRP_A for ``InitiateAuth`` (USER_SRP_AUTH) and the
  PASSWORD_CLAIM_SIGNATURE of the ``PASSWORD_VERIFIER`` answer.
* :func:`now_timestamp` / :func:`format_timestamp` make the TIMESTAMP that is signed.
* :func:`secret_hash` makes SECRET_HASH for app clients that have a secret.
* :func:`generate_device_verifier` makes what ``ConfirmDevice`` registers, and
  :meth:`AuthenticationHelper.device_password_claim_signature` answers
  ``DEVICE_PASSWORD_VERIFIER`` with it later.

The server half (verifiers, SRP_B, checking a claim) belongs to the local user pool:
:mod:`cognito_identity.local.srp_server`.

Every input that cannot be used (bad hex or base64, SRP_B or SRP_A equal to 0 mod N,
u == 0) raises :class:`cognito_identity.errors.SrpError`. No secret (password, private
value, key) appears in an error message or a ``repr``.
"""

from __future__ import annotations

import base64
import datetime
import math
from dataclasses import dataclass, field
from typing import Union

from cognito_identity import _native
from cognito_identity.errors import SrpError

__all__ = [
    "AuthenticationHelper",
    "DeviceVerifier",
    "format_timestamp",
    "generate_device_verifier",
    "now_timestamp",
    "secret_hash",
]

Instant = Union[datetime.datetime, int, float]
"""A moment: an aware :class:`~datetime.datetime`, a naive one taken as UTC, or Unix seconds."""


def _unicode(value: str, what: str) -> str:
    """``value`` as it is, if it can be encoded as UTF-8 (as the Rust core needs it).

    A str holding a lone surrogate (from undecodable bytes, e.g. ``os.fsdecode``) cannot;
    that becomes an SrpError naming only the field, never its value.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SrpError(f"{what} is not valid Unicode text (it holds a lone surrogate)") from None
    return value


def _private_value_bytes(value: int | None, name: str) -> bytes | None:
    """Big-endian bytes of an injected private value (the range is checked in Rust)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise SrpError(f"{name} must be an int")
    if value <= 0:
        raise SrpError(f"{name} must be positive")
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


class AuthenticationHelper:
    """The client half of one SRP login: a private value ``a`` and SRP_A = g^a mod N.

    Use one helper per login attempt::

        helper = AuthenticationHelper(user_pool_id.split("_")[1])
        # InitiateAuth(AuthFlow="USER_SRP_AUTH", AuthParameters={..., "SRP_A": helper.large_a_hex})
        signature = helper.password_claim_signature(
            params["USER_ID_FOR_SRP"], password, params["SALT"], params["SRP_B"],
            params["SECRET_BLOCK"], timestamp,
        )

    ``pool_name`` is the part of the user pool id after the underscore. For device SRP
    (DEVICE_SRP_AUTH) it is the device group key instead.

    ``small_a`` injects the private value (an int in 1..N-1) and exists for tests only;
    by default ``a`` is 128 bytes from the operating system's CSPRNG.
    """

    __slots__ = ("_client",)

    def __init__(self, pool_name: str, small_a: int | None = None) -> None:
        self._client = _native.SrpClient(pool_name, _private_value_bytes(small_a, "small_a"))

    @property
    def pool_name(self) -> str:
        """The pool name (or device group key) this helper signs for."""
        return self._client.pool_name

    @property
    def large_a_hex(self) -> str:
        """SRP_A as Cognito expects it: lowercase hex without padding."""
        return self._client.large_a_hex

    def password_claim_signature(
        self,
        user_id_for_srp: str,
        password: str,
        salt_hex: str,
        srp_b_hex: str,
        secret_block_b64: str,
        timestamp: str,
    ) -> str:
        """PASSWORD_CLAIM_SIGNATURE for a ``PASSWORD_VERIFIER`` challenge.

        Args:
            user_id_for_srp: the challenge's USER_ID_FOR_SRP (often the user's ``sub``,
                not the alias typed at login).
            password: the user's password.
            salt_hex: the challenge's SALT (hex; a leading ``-`` is read as Java's
                two's complement, like AWS's JavaScript SDK does).
            srp_b_hex: the challenge's SRP_B (hex).
            secret_block_b64: the challenge's SECRET_BLOCK (standard base64).
            timestamp: the TIMESTAMP sent with the answer, from :func:`now_timestamp`.

        Returns:
            base64(HMAC-SHA256(key, pool_name || user_id || SECRET_BLOCK || timestamp)),
            where key is Cognito's HKDF of the SRP premaster secret.

        Raises:
            SrpError: malformed hex or base64, SRP_B mod N == 0, or u == 0.
        """
        return self._client.password_claim_signature(
            _unicode(user_id_for_srp, "the user id"),
            _unicode(password, "the password"),
            salt_hex,
            srp_b_hex,
            secret_block_b64,
            timestamp,
        )

    def device_password_claim_signature(
        self,
        device_key: str,
        device_password: str,
        salt_hex: str,
        srp_b_hex: str,
        secret_block_b64: str,
        timestamp: str,
    ) -> str:
        """PASSWORD_CLAIM_SIGNATURE for a ``DEVICE_PASSWORD_VERIFIER`` challenge.

        The helper must have been made with the device group key as ``pool_name``; the
        device key plays the user id and the device password (from
        :func:`generate_device_verifier`) the password. Arguments and errors are as in
        :meth:`password_claim_signature`.
        """
        return self._client.password_claim_signature(
            device_key, device_password, salt_hex, srp_b_hex, secret_block_b64, timestamp
        )

    def __repr__(self) -> str:
        return (
            f"AuthenticationHelper(pool_name={self.pool_name!r}, "
            f"large_a_hex='{self.large_a_hex[:16]}...')"
        )


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """SECRET_HASH = base64(HMAC-SHA256(client_secret, username || client_id)).

    Needed on every call when the app client has a secret. After an SRP challenge,
    compute it with USER_ID_FOR_SRP as ``username``.
    """
    return _native.srp_secret_hash(
        _unicode(username, "the username"),
        _unicode(client_id, "the client id"),
        _unicode(client_secret, "the client secret"),
    )


def format_timestamp(when: Instant) -> str:
    """``when`` in Cognito's TIMESTAMP format, e.g. ``"Sun Mar 1 09:05:07 UTC 2026"``.

    English names, the day not zero-padded, the time zero-padded, always UTC. ``when``
    is an aware datetime, a naive datetime taken as UTC, or Unix seconds (fractions
    are dropped).
    """
    if isinstance(when, datetime.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        when = when.timestamp()
    elif not isinstance(when, (int, float)) or isinstance(when, bool):
        raise TypeError("when must be a datetime or Unix seconds")
    if not math.isfinite(when) or not -(2**63) <= when < 2**63:
        raise SrpError("the time is not a finite Unix time in the 64-bit range")
    return _native.srp_format_timestamp(math.floor(when))


def now_timestamp() -> str:
    """The current time in Cognito's TIMESTAMP format."""
    return _native.srp_now_timestamp()


@dataclass(frozen=True)
class DeviceVerifier:
    """A new device's secret and the DeviceSecretVerifierConfig ConfirmDevice registers.

    Keep :attr:`device_password` with the device key and group key (it proves the
    device in DEVICE_SRP_AUTH); send :meth:`confirm_device_config` to ConfirmDevice.
    """

    device_password: str = field(repr=False)
    """56 characters: base64 of 40 random bytes."""
    salt_b64: str
    """DeviceSecretVerifierConfig.Salt: base64 of the 16-byte salt's padHex bytes."""
    verifier_b64: str
    """DeviceSecretVerifierConfig.PasswordVerifier: base64 of the verifier's padHex bytes."""

    @property
    def salt_hex(self) -> str:
        """The salt as SALT carries it (lowercase hex, no leading zeros)."""
        return f"{int.from_bytes(base64.b64decode(self.salt_b64), 'big'):x}"

    @property
    def verifier_hex(self) -> str:
        """The verifier as hex, as the server half of SRP takes it."""
        return f"{int.from_bytes(base64.b64decode(self.verifier_b64), 'big'):x}"

    def confirm_device_config(self) -> dict[str, str]:
        """``{"Salt": ..., "PasswordVerifier": ...}`` for ConfirmDevice."""
        return {"Salt": self.salt_b64, "PasswordVerifier": self.verifier_b64}


def generate_device_verifier(device_group_key: str, device_key: str) -> DeviceVerifier:
    """A random device password, a 16-byte salt and the matching verifier.

    Use the NewDeviceMetadata's DeviceGroupKey and DeviceKey from a successful sign-in.
    The verifier is g^x mod N with x = H(pad(salt) || H(device_group_key || device_key
    || ":" || device_password)).
    """
    password, salt_b64, verifier_b64 = _native.srp_generate_device_verifier(
        device_group_key, device_key
    )
    return DeviceVerifier(password, salt_b64, verifier_b64)
