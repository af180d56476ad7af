"""JSON Web Tokens: read Cognito's tokens, verify their RS256 signatures, sign new ones.

Everything heavy (base64url, JSON checks, RSA) runs in Rust with the GIL released; the
header and claims become dicts through one :func:`json.loads` each, so numbers come out
exactly as Python reads them (integers of any size, correctly rounded floats).

Decoding is strict where the original SDK was lenient: a token must be three unpadded
base64url parts (RFC 7515) whose header and claims are JSON objects, and any other
input raises :class:`~cognito_identity.errors.MalformedTokenError` instead of giving
``{}``. Cognito's own tokens always have this form.

Only signature checks live here: nothing in this module looks at ``exp``, ``iss``,
``aud``/``client_id`` or ``token_use``. To accept tokens in a service, use
:class:`cognito_identity.verify.CognitoJwtVerifier`, which checks all of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Union

from cognito_identity import _native
from cognito_identity.errors import InvalidJwkError, TokenSigningError

__all__ = [
    "JsonWebKey",
    "JsonWebKeySet",
    "RsaSigningKey",
    "decode",
    "verify_rs256",
]

#: A JWK or JWKS as JSON text (``str`` or UTF-8 ``bytes``) or as a parsed mapping.
JsonInput = Union[str, bytes, Mapping[str, Any]]

# The Rust side has already checked that each text is a JSON object.
_loads: Callable[[str], dict[str, Any]] = json.loads


def decode(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return a token's ``(header, claims)`` WITHOUT checking its signature.

    For reading claims of a token you already trust (one Cognito just issued to you),
    as the original SDK's ``CognitoJwtToken`` does. Never use it to authorize anything.

    Raises:
        MalformedTokenError: the token is not three base64url parts holding JSON
            objects, or is longer than 256 KiB.
    """
    header, claims = _native.jwt_decode(token)
    return _loads(header), _loads(claims)


def _json_text(value: JsonInput, what: str) -> str:
    """JSON text of a JWK or JWKS given as text, UTF-8 bytes or a mapping."""
    if isinstance(value, str):
        return value
    try:
        if isinstance(value, bytes):
            return value.decode("utf-8")
        if isinstance(value, Mapping):
            return json.dumps(dict(value), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidJwkError(f"{what} cannot be read as JSON") from exc
    raise InvalidJwkError(f"{what} must be JSON text, UTF-8 bytes or a mapping")


class JsonWebKeySet:
    """The RSA keys of a JWKS (a user pool's ``/.well-known/jwks.json``), parsed once.

    Every key must be an RSA signing key of at least 2048 bits with a distinct
    ``kid``; a set that cannot be used as given is refused whole. Safe to share
    between threads; verification runs in parallel.
    """

    __slots__ = ("_keys", "_kids")

    def __init__(self, keys: _native.JwtKeySet) -> None:
        """Wrap parsed keys; use :meth:`from_json` or :meth:`from_dict` instead."""
        self._keys = keys
        self._kids = tuple(keys.kids)

    @classmethod
    def from_json(cls, jwks: JsonInput) -> JsonWebKeySet:
        """Parse a JWKS given as JSON text, UTF-8 bytes or a mapping.

        Raises:
            InvalidJwkError: not a ``{"keys": [...]}`` object, an empty set, a key
                that is not RSA (``kty``), meant for another use or algorithm
                (``use``, ``alg``), shorter than 2048 bits, or a repeated ``kid``.
        """
        return cls(_native.JwtKeySet.from_json(_json_text(jwks, "JWKS")))

    @classmethod
    def from_dict(cls, jwks: Mapping[str, Any]) -> JsonWebKeySet:
        """Parse a JWKS already decoded from JSON (see :meth:`from_json`)."""
        return cls.from_json(jwks)

    @property
    def kids(self) -> tuple[str, ...]:
        """The keys' ``kid`` values, in JWKS order."""
        return self._kids

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, kid: object) -> bool:
        return kid in self._kids

    def __repr__(self) -> str:
        return f"JsonWebKeySet(kids={list(self._kids)!r})"

    def verify(self, token: str) -> dict[str, Any]:
        """Check ONLY the token's RS256 signature, with the key its ``kid`` names, and
        return its claims. A token without ``kid`` is accepted only by a one-key set.

        No claim is checked: a token that expired long ago, from another pool or for
        another app client passes. To accept tokens in a service, use
        :class:`cognito_identity.verify.CognitoJwtVerifier`, which checks the claims too.

        Raises:
            MalformedTokenError: not a well-formed token, or a ``crit`` header.
            UnsupportedAlgorithmError: ``alg`` is not ``RS256`` (``none``, ``HS256``...).
            TokenKeyNotFoundError: no key has the token's ``kid``.
            InvalidSignatureError: the signature does not match.
        """
        return _loads(self._keys.verify(token)[1])

    def verify_with_header(self, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Like :meth:`verify`, returning ``(header, claims)``."""
        header, claims = self._keys.verify(token)
        return _loads(header), _loads(claims)


class JsonWebKey:
    """One RSA public key from a JWK, parsed once, that verifies RS256 tokens."""

    __slots__ = ("_key",)

    def __init__(self, key: _native.JwtRsaKey) -> None:
        """Wrap a parsed key; use :meth:`from_json` or :meth:`from_dict` instead."""
        self._key = key

    @classmethod
    def from_json(cls, jwk: JsonInput) -> JsonWebKey:
        """Parse a JWK given as JSON text, UTF-8 bytes or a mapping.

        Raises:
            InvalidJwkError: ``kty`` is not ``RSA``, ``use`` is not ``sig``, ``alg``
                is not ``RS256``, ``n``/``e`` are not unpadded base64url, or the
                modulus is under 2048 bits.
        """
        return cls(_native.JwtRsaKey.from_json(_json_text(jwk, "JWK")))

    @classmethod
    def from_dict(cls, jwk: Mapping[str, Any]) -> JsonWebKey:
        """Parse a JWK already decoded from JSON (see :meth:`from_json`)."""
        return cls.from_json(jwk)

    @property
    def kid(self) -> str | None:
        """The JWK's ``kid``, if it has one."""
        return self._key.kid

    @property
    def bits(self) -> int:
        """The modulus size in bits."""
        return self._key.bits

    def __repr__(self) -> str:
        return f"JsonWebKey(kid={self.kid!r}, bits={self.bits})"

    def verify(self, token: str) -> dict[str, Any]:
        """Check the token's RS256 signature with this key; return its claims.

        A token whose ``kid`` differs from this key's ``kid`` raises
        :class:`~cognito_identity.errors.TokenKeyNotFoundError`; otherwise the
        errors are those of :meth:`JsonWebKeySet.verify`.
        """
        return _loads(self._key.verify(token)[1])

    def verify_with_header(self, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Like :meth:`verify`, returning ``(header, claims)``."""
        header, claims = self._key.verify(token)
        return _loads(header), _loads(claims)


def verify_rs256(token: str, jwk: JsonWebKey | JsonInput) -> dict[str, Any]:
    """Check a token's RS256 signature with one JWK and return its claims.

    Pass a :class:`JsonWebKey` to verify many tokens without parsing the JWK again.
    Errors are those of :meth:`JsonWebKey.from_json` and :meth:`JsonWebKey.verify`.
    """
    key = jwk if isinstance(jwk, JsonWebKey) else JsonWebKey.from_json(jwk)
    return key.verify(token)


class RsaSigningKey:
    """An RSA private key that signs RS256 tokens under a fixed ``kid``.

    For issuing tokens (the local user pool): publish :meth:`public_jwk` in a JWKS
    and :class:`JsonWebKeySet` verifies what :meth:`sign` produces. The key material
    never appears in ``repr`` or error messages.
    """

    __slots__ = ("_key",)

    def __init__(self, key: _native.JwtSigningKey) -> None:
        """Wrap a native key; use :meth:`generate` or :meth:`from_pkcs8_der`."""
        self._key = key

    @classmethod
    def generate(cls, kid: str | None = None) -> RsaSigningKey:
        """Generate a new RSA-2048 key (e = 65537).

        Without ``kid``, a random one is made in the shape of Cognito's: standard
        base64 of 32 random bytes.
        """
        return cls(_native.JwtSigningKey.generate(kid))

    @classmethod
    def from_pkcs8_der(cls, der: bytes, kid: str) -> RsaSigningKey:
        """Import an unencrypted PKCS#8 DER RSA private key of 2048 to 8192 bits.

        Raises:
            TokenSigningError: not such a key.
        """
        return cls(_native.JwtSigningKey.from_pkcs8_der(der, kid))

    def to_pkcs8_der(self) -> bytes:
        """The private key as unencrypted PKCS#8 DER. Store it as a secret."""
        return self._key.to_pkcs8_der()

    @property
    def kid(self) -> str:
        """The ``kid`` in every token header and in the public JWK."""
        return self._key.kid

    def public_jwk(self) -> dict[str, str]:
        """The public key as a JWK: ``kty``, ``n``, ``e``, ``alg``, ``use``, ``kid``."""
        return dict(self._key.public_jwk())

    def sign(self, claims: Mapping[str, Any], headers: Mapping[str, Any] | None = None) -> str:
        """Sign ``claims`` as a compact RS256 JWS.

        The header holds ``alg: RS256``, this key's ``kid`` and the members of
        ``headers`` (which may repeat ``alg`` and ``kid`` only with those values).

        Raises:
            TokenSigningError: claims or headers that are not JSON-serializable
                mappings, or a conflicting ``alg``/``kid``.
        """
        claims_json = _dumps(claims, "claims")
        headers_json = None if headers is None else _dumps(headers, "headers")
        return self._key.sign(claims_json, headers_json)

    def __repr__(self) -> str:
        return f"RsaSigningKey(kid={self.kid!r})"


def _dumps(value: Mapping[str, Any], what: str) -> str:
    """Compact JSON text of a mapping to sign (UTF-8 kept, NaN refused)."""
    if not isinstance(value, Mapping):
        raise TokenSigningError(f"{what} must be a mapping")
    plain = value if isinstance(value, dict) else dict(value)
    try:
        return json.dumps(plain, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise TokenSigningError(f"{what} are not JSON-serializable") from exc
