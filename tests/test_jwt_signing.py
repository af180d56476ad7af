"""cognito_identity.jwt.RsaSigningKey, checked with PyJWT and cryptography: what we sign
they verify, the keys we export they load, the keys they make we import."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from jwt.algorithms import RSAAlgorithm

from cognito_identity.errors import TokenError, TokenSigningError
from cognito_identity.jwt import JsonWebKeySet, RsaSigningKey, decode

CLAIMS: dict[str, Any] = {
    "sub": "5f1c0a9e-7b7e-4d4c-9a62-6a7f2f7d1e11",
    "name": "Zoë 名前 🔑",
    "nested": {"groups": ["a", "b"], "deep": {"x": [1, {"y": None}]}},
    "big": 2**64 + 1,
    "negative": -(2**63),
    "float": 0.1,
    "tiny": 5e-324,
    "flag": True,
    "off": False,
    "none": None,
    "token_use": "id",
}


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def private_der(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@pytest.fixture(scope="module")
def signer() -> RsaSigningKey:
    return RsaSigningKey.generate("pool-key-1")


def pyjwt_key(signer: RsaSigningKey) -> Any:
    return RSAAlgorithm.from_jwk(json.dumps(signer.public_jwk()))


def test_pyjwt_verifies_what_we_sign(signer: RsaSigningKey) -> None:
    token = signer.sign(CLAIMS)
    assert pyjwt.decode(token, pyjwt_key(signer), algorithms=["RS256"]) == CLAIMS
    assert pyjwt.get_unverified_header(token) == {"alg": "RS256", "kid": "pool-key-1"}
    # And our own key set, built from the published JWK, agrees.
    assert JsonWebKeySet.from_dict({"keys": [signer.public_jwk()]}).verify(token) == CLAIMS


def test_extra_headers_are_signed(signer: RsaSigningKey) -> None:
    token = signer.sign({"sub": "x"}, {"typ": "JWT", "alg": "RS256", "kid": "pool-key-1"})
    pyjwt.decode(token, pyjwt_key(signer), algorithms=["RS256"])
    assert pyjwt.get_unverified_header(token) == {"alg": "RS256", "kid": "pool-key-1", "typ": "JWT"}


def test_the_signature_is_exactly_cryptographys(signer: RsaSigningKey) -> None:
    # RSASSA-PKCS1-v1_5 is deterministic, so the exported key must sign the same bytes.
    token = signer.sign(CLAIMS)
    signing_input, signature = token.rsplit(".", 1)
    theirs = serialization.load_der_private_key(signer.to_pkcs8_der(), password=None)
    assert isinstance(theirs, rsa.RSAPrivateKey)
    expected = theirs.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    assert unb64(signature) == expected


def test_public_jwk_matches_the_private_key(signer: RsaSigningKey) -> None:
    jwk = signer.public_jwk()
    assert set(jwk) == {"kty", "n", "e", "alg", "use", "kid"}
    assert (jwk["kty"], jwk["alg"], jwk["use"], jwk["kid"]) == ("RSA", "RS256", "sig", "pool-key-1")
    theirs = serialization.load_der_private_key(signer.to_pkcs8_der(), password=None)
    assert isinstance(theirs, rsa.RSAPrivateKey)
    numbers = theirs.public_key().public_numbers()
    assert int.from_bytes(unb64(jwk["n"]), "big") == numbers.n
    assert int.from_bytes(unb64(jwk["e"]), "big") == numbers.e == 65537
    assert numbers.n.bit_length() == 2048
    assert not unb64(jwk["n"]).startswith(b"\x00")
    assert "=" not in jwk["n"] + jwk["e"]


def test_generated_kids_are_random_and_cognito_shaped() -> None:
    a, b = RsaSigningKey.generate(), RsaSigningKey.generate()
    assert a.kid != b.kid
    for kid in (a.kid, b.kid):
        assert len(base64.b64decode(kid, validate=True)) == 32
    assert a.public_jwk()["n"] != b.public_jwk()["n"]


def test_pkcs8_round_trip(signer: RsaSigningKey) -> None:
    der = signer.to_pkcs8_der()
    again = RsaSigningKey.from_pkcs8_der(der, "pool-key-1")
    assert again.to_pkcs8_der() == der
    assert again.public_jwk() == signer.public_jwk()
    assert again.sign(CLAIMS) == signer.sign(CLAIMS)


@pytest.mark.parametrize("bits", [2048, 3072, 4096])
def test_keys_made_by_cryptography_are_imported(bits: int) -> None:
    theirs = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    ours = RsaSigningKey.from_pkcs8_der(private_der(theirs), "imported")
    token = ours.sign({"sub": "x"})
    assert pyjwt.decode(token, theirs.public_key(), algorithms=["RS256"]) == {"sub": "x"}
    assert decode(token)[0]["kid"] == "imported"


@pytest.mark.parametrize(
    "der",
    [
        b"",
        b"\x30\x00",
        b"not a key at all",
        "truncated",
        "pkcs1",
        "rsa-1024",
        "ec",
    ],
)
def test_unusable_private_keys_are_refused(signer: RsaSigningKey, der: bytes | str) -> None:
    if der == "truncated":
        der = signer.to_pkcs8_der()[:-10]
    elif der == "pkcs1":
        theirs = serialization.load_der_private_key(signer.to_pkcs8_der(), password=None)
        der = theirs.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    elif der == "rsa-1024":
        der = private_der(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    elif der == "ec":
        der = private_der(ec.generate_private_key(ec.SECP256R1()))
    assert isinstance(der, bytes)
    with pytest.raises(TokenSigningError):
        RsaSigningKey.from_pkcs8_der(der, "k")


@pytest.mark.parametrize(
    ("claims", "headers"),
    [
        (["not", "a", "mapping"], None),
        ({"when": {1, 2}}, None),
        ({"raw": b"bytes"}, None),
        ({"x": float("nan")}, None),
        ({"x": float("inf")}, None),
        ({"lone": "\ud800"}, None),
        ({(1, 2): "tuple key"}, None),
        ({"sub": "x"}, {"alg": "HS256"}),
        ({"sub": "x"}, {"alg": "none"}),
        ({"sub": "x"}, {"kid": "someone-else"}),
        ({"sub": "x"}, {"x": object()}),
        ({"sub": "x"}, ["typ", "JWT"]),
    ],
)
def test_unsignable_input_is_refused(signer: RsaSigningKey, claims: Any, headers: Any) -> None:
    with pytest.raises(TokenSigningError) as info:
        signer.sign(claims, headers)
    assert isinstance(info.value, TokenError)
    assert isinstance(info.value, ValueError)


def test_repr_and_errors_show_only_the_kid(signer: RsaSigningKey) -> None:
    assert repr(signer) == "RsaSigningKey(kid='pool-key-1')"
    der = signer.to_pkcs8_der()
    with pytest.raises(TokenSigningError) as info:
        RsaSigningKey.from_pkcs8_der(der[:-1], "k")
    assert der[-40:].hex() not in str(info.value)
    assert base64.b64encode(der[-40:]).decode() not in str(info.value)
