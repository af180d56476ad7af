"""The server half of Cognito's SRP-6a, for the local user pool (the SDK, a client, only
needs :mod:`cognito_identity.srp`). Computed in Rust with the GIL released.

* :func:`generate_verifier` turns a password into the ``(salt_hex, verifier_hex)`` pair a
  pool stores instead of the password.
* :class:`ServerSession` draws SRP_B for the ``PASSWORD_VERIFIER`` challenge and checks
  the client's signature; :func:`new_secret_block` makes SECRET_BLOCK.

Unusable input raises :class:`cognito_identity.errors.SrpError`; no secret appears in a
message or a ``repr``.
"""

from __future__ import annotations

from cognito_identity import _native

# The client module's input checks: text the Rust core can take, injected private values.
from cognito_identity.srp import _private_value_bytes, _unicode

__all__ = ["ServerSession", "generate_verifier", "new_secret_block"]


class ServerSession:
    """The server half of one SRP login, for a local Cognito-compatible user pool.

    Built from the verifier stored for the user (or device), it draws a private value
    ``b`` (32 bytes from the OS CSPRNG, 128-bit security like the group) and computes
    SRP_B = (k*v + g^b) mod N. Send :attr:`large_b_hex` as SRP_B together with the
    stored salt as SALT, USER_ID_FOR_SRP and a fresh :func:`new_secret_block`; then
    check the ``PASSWORD_VERIFIER`` answer with :meth:`verify_claim`::

        session = ServerSession(user.verifier_hex)
        # challenge: {"SRP_B": session.large_b_hex, "SALT": user.salt_hex, ...}
        ok = session.verify_claim(pool_name, user_id_for_srp, user.salt_hex,
                                  srp_a_hex, secret_block_b64, timestamp, signature_b64)

    Device SRP (DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER) uses the same class with the
    device's verifier (ConfirmDevice's PasswordVerifier, as hex) and, in
    :meth:`verify_claim`, the device group key as ``pool_name`` and the device key as
    ``user_id_for_srp``.

    A session answers one login: draw a new one for every challenge.
    ``small_b`` injects ``b`` (an int in 1..N-1) and exists for tests only.

    Raises:
        SrpError: the verifier is not hex, or is 0 mod N.
    """

    __slots__ = ("_session",)

    def __init__(self, verifier_hex: str, small_b: int | None = None) -> None:
        self._session = _native.SrpServerSession(
            verifier_hex, _private_value_bytes(small_b, "small_b")
        )

    @property
    def large_b_hex(self) -> str:
        """SRP_B for the challenge: lowercase hex without padding."""
        return self._session.large_b_hex

    def verify_claim(
        self,
        pool_name: str,
        user_id_for_srp: str,
        salt_hex: str,
        srp_a_hex: str,
        secret_block_b64: str,
        timestamp: str,
        signature_b64: str,
    ) -> bool:
        """Whether the client's PASSWORD_CLAIM_SIGNATURE proves the password.

        Args:
            pool_name: the pool name (user pool id after the underscore), or the device
                group key for device SRP.
            user_id_for_srp: the USER_ID_FOR_SRP sent in the challenge (the device key
                for device SRP).
            salt_hex: the SALT sent in the challenge. It is only checked for form: the
                stored verifier already binds the salt.
            srp_a_hex: the client's SRP_A from InitiateAuth.
            secret_block_b64: PASSWORD_CLAIM_SECRET_BLOCK from the answer (compare it
                with the SECRET_BLOCK you sent before trusting it).
            timestamp: TIMESTAMP from the answer (check its freshness yourself).
            signature_b64: PASSWORD_CLAIM_SIGNATURE from the answer.

        Returns:
            True when the signature matches (compared in constant time); False for a
            wrong signature, e.g. a wrong password or any field changed in transit.

        Raises:
            SrpError: unusable input: malformed hex or base64, SRP_A mod N == 0, u == 0.
        """
        return self._session.verify_claim(
            pool_name,
            user_id_for_srp,
            salt_hex,
            srp_a_hex,
            secret_block_b64,
            timestamp,
            signature_b64,
        )

    def __repr__(self) -> str:
        return f"ServerSession(large_b_hex='{self.large_b_hex[:16]}...')"


def generate_verifier(pool_name: str, user_id_for_srp: str, password: str) -> tuple[str, str]:
    """What a user pool stores instead of a password: ``(salt_hex, verifier_hex)``.

    The salt is 16 fresh random bytes; both values are lowercase hex without leading
    zeros, so ``salt_hex`` can be sent as SALT as is. The verifier is g^x mod N with
    x = H(pad(salt) || H(pool_name || user_id_for_srp || ":" || password)).
    """
    return _native.srp_generate_verifier(
        _unicode(pool_name, "the pool name"),
        _unicode(user_id_for_srp, "the user id"),
        _unicode(password, "the password"),
    )


def new_secret_block() -> str:
    """A fresh SECRET_BLOCK for a ``PASSWORD_VERIFIER`` challenge: random bytes, base64."""
    return _native.srp_new_secret_block()
