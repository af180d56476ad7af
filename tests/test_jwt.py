"""cognito_identity.jwt decoding and RS256 verification, against tokens and keys made by
PyJWT and cryptography (independent implementations), the Dart SDK's token vector and
RFC 7515's RS256 example."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import threading
from typing import Any

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from jwt.algorithms import ECAlgorithm, HMACAlgorithm, RSAAlgorithm

from cognito_identity.errors import (
    CognitoError,
    InvalidJwkError,
    InvalidSignatureError,
    MalformedTokenError,
    TokenError,
    TokenKeyNotFoundError,
    UnsupportedAlgorithmError,
)
from cognito_identity.jwt import JsonWebKey, JsonWebKeySet, decode, verify_rs256

# The Dart SDK's test/cognito_jwt_token_test.dart token, and the claims its payload
# holds as listed in the SDK's feature inventory (section 10).
DART_ACCESS_TOKEN = (
    "eyJraWQiOiJ3dzdRQWdvcmhGaXVqK09qcUdtXC9taWhITkFhMHRyRThcL1wvSnNtWU94VG1ZPSIsImFsZyI6"
    "IlJTMjU2In0.eyJzdWIiOiIxYzQyMWYwYy03ZmNlLTQ0MDEtOTVlYy1lYzA1YTBjNzc0NDkiLCJldmVudF9p"
    "ZCI6Ijk5NzQ5ODliLTRjNTAtMTFlOC04ZTcwLWQzNTEwZGY2NDY5YiIsInRva2VuX3VzZSI6ImFjY2VzcyIs"
    "InNjb3BlIjoiYXdzLmNvZ25pdG8uc2lnbmluLnVzZXIuYWRtaW4iLCJhdXRoX3RpbWUiOjE1MjUwNzY5Njks"
    "ImlzcyI6Imh0dHBzOlwvXC9jb2duaXRvLWlkcC5hcC1zb3V0aGVhc3QtMS5hbWF6b25hd3MuY29tXC9hcC1z"
    "b3V0aGVhc3QtMV9LOGdUTmI2Zk8iLCJleHAiOjE1MjUwODA1NjksImlhdCI6MTUyNTA3Njk2OSwianRpIjoi"
    "NzIxNzFhYzctMTRiMS00OGQwLWFjM2MtMWY2ZmE1Njg2MzI1IiwiY2xpZW50X2lkIjoiM3N2YjhmcTM4c2Np"
    "aWF0cDQ4c20ydjZzN2EiLCJ1c2VybmFtZSI6IjFjNDIxZjBjLTdmY2UtNDQwMS05NWVjLWVjMDVhMGM3NzQ0"
    "OSJ9.UWDi4PDVxIkOSRW5ZqLnBNKoqhyBPCxIcVKzvuBZqTRKkLw4HxpW92GH-ADYJWD2X-KFs2vc0HLK-CtQ"
    "u9IjFwyHR57JQ0OPf_cq9DL8O610eoF2Kcaa6ot1Xoc0YmP3ZYPTZ0UcP_ZXUDZ2Qa1lEeRnfEOFAOeq2uT_Eh"
    "UOfasb7ufsxglb_UY2qy6T9ZfsiSX_ZSWp5LhE7wQym-l_R3eiDuX6DHxnSmsJyNyw6NCi6JLIF8_rQRCOyqzg"
    "LwdwfMfxs7uuIx-ZkpiX1wTBopJpFyGslNkuImYt8O15lGjucGxEoGd3gE_bcbcvRHlqKPETpgJobzqUa7eE-Q27Mw"
)
DART_ACCESS_CLAIMS = {
    "sub": "1c421f0c-7fce-4401-95ec-ec05a0c77449",
    "event_id": "9974989b-4c50-11e8-8e70-d3510df6469b",
    "token_use": "access",
    "scope": "aws.cognito.signin.user.admin",
    "auth_time": 1525076969,
    "iss": "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_K8gTNb6fO",
    "exp": 1525080569,
    "iat": 1525076969,
    "jti": "72171ac7-14b1-48d0-ac3c-1f6fa5686325",
    "client_id": "3svb8fq38sciiatp48sm2v6s7a",
    "username": "1c421f0c-7fce-4401-95ec-ec05a0c77449",
}

# RFC 7515 appendix A.2: an RS256 JWS and the modulus of the key that signed it.
RFC7515_N = (
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt"
    "0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSX"
    "ndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5"
    "IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
)
RFC7515_TOKEN = (
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOi"
    "Zj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZ"
    "LgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-e"
    "OkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB"
    "p0igcN_IoypGlUPQGe77Rw"
)

CLAIM_SETS: list[dict[str, Any]] = [
    DART_ACCESS_CLAIMS,
    {"name": "Zoë Ångström", "nick": "名前", "emoji": "🔑🚀", "quote": 'say "hi"\\\n\t\u2028'},
    {"nested": {"a": {"b": {"c": [1, [2, [3, {"d": None}]]]}}}, "empty": {}, "list": []},
    {
        "big": 2**53 + 1,
        "huge": 2**64 + 5,
        "negative_huge": -(2**70),
        "max_i64": 2**63 - 1,
        "min_i64": -(2**63),
    },
    {"pi": 3.141592653589793, "tiny": 5e-324, "max": 1.7976931348623157e308, "tenth": 0.1},
    {"yes": True, "no": False, "nothing": None, "zero": 0, "empty": ""},
    {"cognito:groups": ["admins", "users"], "custom:tier": "gold", "email_verified": True},
]


def b64url(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def with_part(token: str, index: int, part: str) -> str:
    parts = token.split(".")
    parts[index] = part
    return ".".join(parts)


def rs256_sign(private_key: rsa.RSAPrivateKey, header: str, claims: str | bytes) -> str:
    """A compact JWS of exactly these header and claims bytes, signed by cryptography."""
    signing_input = f"{b64url(header)}.{b64url(claims)}"
    signature = private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


@pytest.fixture(scope="module")
def keys() -> dict[str, rsa.RSAPrivateKey]:
    return {
        "kid-a": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "kid-b": rsa.generate_private_key(public_exponent=65537, key_size=3072),
    }


def pyjwt_jwk(kid: str, key: rsa.RSAPrivateKey) -> dict[str, Any]:
    """The public JWK as PyJWT exports it."""
    jwk: dict[str, Any] = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


def numbers_jwk(kid: str, key: rsa.RSAPrivateKey) -> dict[str, Any]:
    """The public JWK built by hand from cryptography's public numbers."""
    numbers = key.public_key().public_numbers()
    return {"kty": "RSA", "kid": kid, "n": b64url_uint(numbers.n), "e": b64url_uint(numbers.e)}


@pytest.fixture(scope="module")
def jwks(keys: dict[str, rsa.RSAPrivateKey]) -> dict[str, Any]:
    return {"keys": [pyjwt_jwk("kid-a", keys["kid-a"]), numbers_jwk("kid-b", keys["kid-b"])]}


@pytest.fixture(scope="module")
def key_set(jwks: dict[str, Any]) -> JsonWebKeySet:
    return JsonWebKeySet.from_dict(jwks)


def pyjwt_token(keys: dict[str, rsa.RSAPrivateKey], kid: str, claims: dict[str, Any]) -> str:
    return pyjwt.encode(claims, keys[kid], algorithm="RS256", headers={"kid": kid})


# --- tokens made by PyJWT verify, with claims intact ---


@pytest.mark.parametrize("kid", ["kid-a", "kid-b"])
@pytest.mark.parametrize("claims", CLAIM_SETS)
def test_pyjwt_tokens_verify_with_claims_intact(
    keys: dict[str, rsa.RSAPrivateKey],
    key_set: JsonWebKeySet,
    kid: str,
    claims: dict[str, Any],
) -> None:
    token = pyjwt_token(keys, kid, claims)
    verified = key_set.verify(token)
    assert verified == claims
    # Same values AND types as PyJWT's own reading (an int must not become a float).
    theirs = pyjwt.decode(token, options={"verify_signature": False})
    assert [(k, type(v)) for k, v in verified.items()] == [(k, type(v)) for k, v in theirs.items()]
    assert decode(token) == (pyjwt.get_unverified_header(token), theirs)


def test_verify_with_header_returns_the_signed_header(
    keys: dict[str, rsa.RSAPrivateKey], key_set: JsonWebKeySet
) -> None:
    token = pyjwt.encode(
        {"sub": "x"}, keys["kid-b"], algorithm="RS256", headers={"kid": "kid-b", "cty": "x"}
    )
    header, claims = key_set.verify_with_header(token)
    assert header == {"alg": "RS256", "kid": "kid-b", "typ": "JWT", "cty": "x"}
    assert claims == {"sub": "x"}


@pytest.mark.parametrize("export", [pyjwt_jwk, numbers_jwk])
def test_single_key_forms(keys: dict[str, rsa.RSAPrivateKey], export: Any) -> None:
    jwk = export("kid-a", keys["kid-a"])
    token = pyjwt_token(keys, "kid-a", {"sub": "alice"})
    assert verify_rs256(token, jwk) == {"sub": "alice"}
    assert verify_rs256(token, json.dumps(jwk)) == {"sub": "alice"}
    assert verify_rs256(token, json.dumps(jwk).encode()) == {"sub": "alice"}
    key = JsonWebKey.from_dict(jwk)
    assert (key.kid, key.bits) == ("kid-a", 2048)
    assert verify_rs256(token, key) == key.verify(token) == {"sub": "alice"}
    assert key.verify_with_header(token)[0]["kid"] == "kid-a"


def test_a_single_key_set_accepts_a_token_without_kid(
    keys: dict[str, rsa.RSAPrivateKey],
) -> None:
    only = JsonWebKeySet.from_json({"keys": [numbers_jwk("kid-a", keys["kid-a"])]})
    token = pyjwt.encode({"sub": "x"}, keys["kid-a"], algorithm="RS256")
    assert only.verify(token) == {"sub": "x"}


def test_rfc7515_example_verifies() -> None:
    key = JsonWebKey.from_json({"kty": "RSA", "n": RFC7515_N, "e": "AQAB"})
    assert key.verify(RFC7515_TOKEN) == {
        "iss": "joe",
        "exp": 1300819380,
        "http://example.com/is_root": True,
    }


def test_key_set_introspection(key_set: JsonWebKeySet) -> None:
    assert key_set.kids == ("kid-a", "kid-b")
    assert len(key_set) == 2
    assert "kid-a" in key_set
    assert "kid-z" not in key_set
    assert repr(key_set) == "JsonWebKeySet(kids=['kid-a', 'kid-b'])"


def test_verification_is_correct_from_many_threads(
    keys: dict[str, rsa.RSAPrivateKey], key_set: JsonWebKeySet
) -> None:
    tokens = [(pyjwt_token(keys, kid, {"i": i}), i) for i in range(40) for kid in keys]
    failures: list[object] = []

    def work() -> None:
        for token, i in tokens:
            if key_set.verify(token) != {"i": i}:
                failures.append(i)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# --- the Dart SDK's vector ---


def test_dart_sdk_access_token_decodes_to_the_listed_claims() -> None:
    header, claims = decode(DART_ACCESS_TOKEN)
    assert header == {"kid": "ww7QAgorhFiuj+OjqGm/mihHNAa0trE8//JsmYOxTmY=", "alg": "RS256"}
    assert claims == DART_ACCESS_CLAIMS
    assert claims["sub"] == "1c421f0c-7fce-4401-95ec-ec05a0c77449"
    assert claims["token_use"] == "access"
    assert claims["auth_time"] == 1525076969
    assert claims["exp"] > 0
    assert claims["iat"] > 0


def test_dart_id_token_with_a_fake_header_is_refused() -> None:
    # The Dart SDK ignores the header, so '0.<payload>.2' decodes there. We require a
    # real JWS: a typed error instead of trusting a token that cannot be one.
    payload = DART_ACCESS_TOKEN.split(".")[1]
    with pytest.raises(MalformedTokenError):
        decode(f"0.{payload}.2")


# --- refusals, each with its own error class ---


def test_tampered_header_claims_and_signature_are_refused(
    keys: dict[str, rsa.RSAPrivateKey], key_set: JsonWebKeySet
) -> None:
    token = pyjwt_token(keys, "kid-a", {"sub": "alice", "admin": False})
    header, claims, signature = token.split(".")
    raw_signature = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw_signature[17] ^= 0x01
    tampered = [
        with_part(token, 0, b64url('{"alg":"RS256","kid":"kid-a","typ":"JWT","x":1}')),
        with_part(token, 1, b64url('{"sub":"alice","admin":true}')),
        with_part(token, 2, b64url(bytes(raw_signature))),
        with_part(token, 2, b64url(bytes(raw_signature[:-1]))),
        # A valid signature by another key of the set, under this key's kid.
        with_part(pyjwt_token(keys, "kid-b", {"sub": "alice", "admin": False}), 0, header),
    ]
    for bad in tampered:
        with pytest.raises(InvalidSignatureError) as info:
            key_set.verify(bad)
        assert signature[:20] not in str(info.value)
        assert claims not in str(info.value)
    assert key_set.verify(token) == {"sub": "alice", "admin": False}  # control


def test_alg_none_is_refused(keys: dict[str, rsa.RSAPrivateKey], key_set: JsonWebKeySet) -> None:
    unsecured = pyjwt.encode({"sub": "alice"}, "", algorithm="none")
    assert unsecured.endswith(".")
    # PyJWT's unsecured token has an empty signature: not a JWS we accept at all.
    with pytest.raises(MalformedTokenError):
        key_set.verify(unsecured)
    # With a signature kept from a real token, the algorithm itself is refused.
    real = pyjwt_token(keys, "kid-a", {"sub": "alice"})
    for header in ['{"alg":"none","kid":"kid-a"}', '{"alg":"None"}', '{"alg":"NONE"}']:
        with pytest.raises(UnsupportedAlgorithmError):
            key_set.verify(with_part(real, 0, b64url(header)))


@pytest.mark.parametrize("secret_form", ["pem", "jwk"])
def test_hs256_signed_with_the_public_key_is_refused(
    keys: dict[str, rsa.RSAPrivateKey], jwks: dict[str, Any], secret_form: str
) -> None:
    public = keys["kid-a"].public_key()
    secret = (
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        if secret_form == "pem"
        else json.dumps(jwks["keys"][0]).encode()
    )
    header = b64url('{"alg":"HS256","kid":"kid-a"}')
    claims = b64url('{"sub":"x"}')
    signing_input = f"{header}.{claims}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{b64url(mac)}"
    # The forgery is a genuine HS256 token under that secret (PyJWT's HMAC agrees; its
    # decode() would refuse such a key as a secret, so its algorithm is called directly)...
    assert HMACAlgorithm(HMACAlgorithm.SHA256).sign(signing_input.encode(), secret) == mac
    # ...and is refused by both forms before any key is used.
    with pytest.raises(UnsupportedAlgorithmError):
        JsonWebKeySet.from_dict(jwks).verify(forged)
    with pytest.raises(UnsupportedAlgorithmError):
        verify_rs256(forged, jwks["keys"][0])


def test_unknown_or_missing_kid_is_refused(
    keys: dict[str, rsa.RSAPrivateKey], key_set: JsonWebKeySet, jwks: dict[str, Any]
) -> None:
    wrong_kid = pyjwt.encode({"sub": "x"}, keys["kid-a"], algorithm="RS256", headers={"kid": "z"})
    no_kid = pyjwt.encode({"sub": "x"}, keys["kid-a"], algorithm="RS256")
    for token in (wrong_kid, no_kid):
        with pytest.raises(TokenKeyNotFoundError):
            key_set.verify(token)
    # One key whose kid differs from the token's.
    with pytest.raises(TokenKeyNotFoundError):
        verify_rs256(pyjwt_token(keys, "kid-b", {}), jwks["keys"][0])


def test_truncated_tokens_are_refused(
    keys: dict[str, rsa.RSAPrivateKey], key_set: JsonWebKeySet
) -> None:
    token = pyjwt_token(keys, "kid-a", {"sub": "alice", "n": 1})
    second_dot = token.rindex(".")
    for cut in range(len(token)):
        prefix = token[:cut]
        with pytest.raises(TokenError) as info:
            key_set.verify(prefix)
        if cut <= second_dot:
            assert isinstance(info.value, MalformedTokenError), cut
        else:
            assert isinstance(info.value, (MalformedTokenError, InvalidSignatureError)), cut
        if cut <= second_dot + 1:
            with pytest.raises(MalformedTokenError):
                decode(prefix)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "..",
        "!!!.@@@.###",
        "eyJhbGciOiJSUzI1NiJ9.e30.c2ln=",  # padding
        "eyJhbGciOiJSUzI1NiJ9=.e30.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.e30.c2+/",  # standard alphabet
        "eyJhbGciOiJSUzI1NiJ9.e3 0.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.e30.c2lué",
        "eyJhbGciOiJSUzI1NiJ9.e30.c2l\ud800",  # lone surrogate: cannot even be UTF-8
        "x" * (256 * 1024 + 1),
    ],
)
def test_non_base64_and_misshapen_input_is_refused(key_set: JsonWebKeySet, token: str) -> None:
    with pytest.raises(MalformedTokenError):
        decode(token)
    with pytest.raises(MalformedTokenError):
        key_set.verify(token)


@pytest.mark.parametrize(
    ("header", "claims"),
    [
        ("not json", '{"sub":"x"}'),
        ('{"alg":"RS256","kid":"kid-a"', '{"sub":"x"}'),
        ('{"alg":"RS256","kid":"kid-a"}', "{sub: x}"),
        ('{"alg":"RS256","kid":"kid-a"}', '{"sub":"x"} trailing'),
        ('{"alg":"RS256","kid":"kid-a"}', '{"a":NaN}'),
        ('{"alg":"RS256","kid":"kid-a"}', '{"a":"\\ud800"}'),
        ('{"alg":"RS256","kid":"kid-a"}', b'{"a":"\xff"}'),  # not UTF-8
        # JSON that is not an object.
        ('["alg","RS256"]', '{"sub":"x"}'),
        ('{"alg":"RS256","kid":"kid-a"}', '["sub","x"]'),
        ('{"alg":"RS256","kid":"kid-a"}', '"sub"'),
        ('{"alg":"RS256","kid":"kid-a"}', "42"),
        ('{"alg":"RS256","kid":"kid-a"}', "null"),
        # Header members of the wrong type.
        ('{"alg":256,"kid":"kid-a"}', '{"sub":"x"}'),
        ('{"alg":"RS256","kid":7}', '{"sub":"x"}'),
        ('{"kid":"kid-a"}', '{"sub":"x"}'),
    ],
)
def test_parts_that_are_not_json_objects_are_refused_even_when_signed(
    keys: dict[str, rsa.RSAPrivateKey],
    key_set: JsonWebKeySet,
    header: str,
    claims: str | bytes,
) -> None:
    token = rs256_sign(keys["kid-a"], header, claims)
    with pytest.raises(MalformedTokenError):
        key_set.verify(token)


def test_crit_headers_are_refused(
    keys: dict[str, rsa.RSAPrivateKey], key_set: JsonWebKeySet
) -> None:
    token = rs256_sign(
        keys["kid-a"], '{"alg":"RS256","kid":"kid-a","crit":["b64"],"b64":false}', "{}"
    )
    with pytest.raises(MalformedTokenError):
        key_set.verify(token)


@pytest.mark.filterwarnings("ignore:The RSA key is 1024 bits")
def test_a_1024_bit_key_is_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    jwk = pyjwt_jwk("small", small)
    with pytest.raises(InvalidJwkError, match="2048"):
        JsonWebKey.from_dict(jwk)
    with pytest.raises(InvalidJwkError):
        JsonWebKeySet.from_dict({"keys": [jwk]})
    token = pyjwt.encode({"sub": "x"}, small, algorithm="RS256", headers={"kid": "small"})
    with pytest.raises(InvalidJwkError):
        verify_rs256(token, jwk)


def test_ec_and_other_unusable_jwks_are_refused(keys: dict[str, rsa.RSAPrivateKey]) -> None:
    ec_jwk = ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key(), as_dict=True)
    good = pyjwt_jwk("kid-a", keys["kid-a"])
    unusable = [
        ec_jwk,
        {**good, "kty": "EC"},
        {**good, "kty": "oct"},
        {**good, "use": "enc"},
        {**good, "alg": "RS512"},
        {**good, "alg": "HS256"},
        {**good, "n": good["n"] + "="},
        {**good, "e": "AQ"},
        {k: v for k, v in good.items() if k != "n"},
        {k: v for k, v in good.items() if k != "kty"},
    ]
    for jwk in unusable:
        with pytest.raises(InvalidJwkError):
            JsonWebKey.from_dict(jwk)
        with pytest.raises(InvalidJwkError):
            JsonWebKeySet.from_dict({"keys": [good, jwk]})


@pytest.mark.parametrize(
    "jwks",
    [
        "not json",
        b"\xff\xfe",
        "[]",
        "{}",
        {"keys": []},
        {"keys": "x"},
        {"keys": [1]},
        {"keys": [{"kty": "RSA"}]},
        {"keys": [{"x": {1, 2}}]},
        {"keys": [{"x": float("nan")}]},
        42,
    ],
)
def test_unusable_key_sets_are_refused(jwks: Any) -> None:
    with pytest.raises(InvalidJwkError):
        JsonWebKeySet.from_json(jwks)


def test_repeated_kid_is_refused(jwks: dict[str, Any]) -> None:
    with pytest.raises(InvalidJwkError, match="index 1"):
        JsonWebKeySet.from_dict({"keys": [jwks["keys"][0], jwks["keys"][0]]})


def test_every_error_is_a_cognito_error() -> None:
    for cls in (
        MalformedTokenError,
        InvalidJwkError,
        UnsupportedAlgorithmError,
        TokenKeyNotFoundError,
        InvalidSignatureError,
    ):
        assert issubclass(cls, TokenError)
        assert issubclass(cls, CognitoError)


# --- no panic, nothing but typed errors, whatever the input ---


def test_random_input_only_ever_raises_token_errors(
    keys: dict[str, rsa.RSAPrivateKey], key_set: JsonWebKeySet
) -> None:
    rng = random.Random(20261126)
    token = pyjwt_token(keys, "kid-a", {"sub": "alice", "list": [1, 2.5, None]})
    alphabet = 'AZaz09-_.=+/ \x00é\ud800😀{}[]":,'
    inputs: list[str] = []
    for _ in range(1500):
        chars = list(token)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(chars))
            chars[at : at + rng.randint(0, 2)] = rng.choice(alphabet)
        inputs.append("".join(chars))
        inputs.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(80))))
        json_ish = "".join(
            rng.choice(["{", "}", '"alg"', ":", '"RS256"', ",", "1e999", "[", "null"])
            for _ in range(rng.randrange(10))
        )
        inputs.append(
            f"{b64url(json_ish)}.{b64url(rng.randbytes(rng.randrange(40)))}.{b64url(rng.randbytes(256))}"
        )
    for text in inputs:
        for call in (decode, key_set.verify):
            try:
                call(text)
            except BaseException as exc:  # a Rust panic would surface as BaseException
                assert isinstance(exc, TokenError), (text, exc)


def test_wrong_argument_types_raise_type_error(key_set: JsonWebKeySet) -> None:
    for bad in (None, 42, b"a.b.c"):
        with pytest.raises(TypeError):
            decode(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            key_set.verify(bad)  # type: ignore[arg-type]
