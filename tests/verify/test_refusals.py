"""Every way a token is refused, each with its own typed error."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from cognito_identity import CognitoJwtVerifier
from cognito_identity.errors import (
    CustomCheckError,
    ForbiddenTokenHeaderError,
    InvalidClaimError,
    InvalidSignatureError,
    MalformedTokenError,
    MissingGroupError,
    MissingTokenError,
    TokenError,
    TokenExpiredError,
    TokenKeyNotFoundError,
    TokenNotYetValidError,
    UnsupportedAlgorithmError,
    WrongClientError,
    WrongIssuerError,
    WrongTokenUseError,
)
from cognito_identity.jwt import RsaSigningKey

from .conftest import CLIENT, DROP, NOWHERE, POOL_ID, Later, access_claims, id_claims


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(header: Any, claims: Any, signature: bytes = b"sig") -> str:
    """A token with any header and claims, signed with nothing that verifies."""
    encode = lambda part: b64(part if isinstance(part, bytes) else json.dumps(part).encode())  # noqa: E731
    return f"{encode(header)}.{encode(claims)}.{b64(signature)}"


@pytest.fixture
def verifier(jwks: dict[str, Any]) -> CognitoJwtVerifier:
    # Nothing listens on port 9: a refetch for an unknown kid fails at once.
    return CognitoJwtVerifier(POOL_ID, CLIENT, jwks=jwks, jwks_uri=NOWHERE)


def test_a_good_token_is_accepted(verifier: CognitoJwtVerifier, signer: RsaSigningKey) -> None:
    claims = access_claims()
    assert verifier.verify(signer.sign(claims)) == claims
    assert verifier.verify(signer.sign(id_claims())) == id_claims()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"}, WrongIssuerError),
        ({"iss": DROP}, InvalidClaimError),
        ({"token_use": "refresh"}, WrongTokenUseError),
        ({"token_use": DROP}, InvalidClaimError),
        ({"client_id": "another-client"}, WrongClientError),
        ({"client_id": [CLIENT]}, InvalidClaimError),
        ({"exp": Later(-10)}, TokenExpiredError),
        ({"exp": str(int(time.time()) + 3600)}, InvalidClaimError),
        ({"exp": DROP}, InvalidClaimError),
        ({"exp": None}, InvalidClaimError),
        ({"exp": True}, InvalidClaimError),
        ({"iat": Later(600)}, TokenNotYetValidError),
        ({"nbf": Later(600)}, TokenNotYetValidError),
        ({"iat": "yesterday"}, InvalidClaimError),
    ],
)
def test_each_claim_failure_has_its_error(
    verifier: CognitoJwtVerifier, signer: RsaSigningKey, changes: dict[str, Any], error: type
) -> None:
    with pytest.raises(error) as info:
        verifier.verify(signer.sign(access_claims(**changes)))
    assert isinstance(info.value, TokenError)


def test_id_tokens_name_their_client_in_aud(
    verifier: CognitoJwtVerifier, signer: RsaSigningKey
) -> None:
    with pytest.raises(WrongClientError):
        verifier.verify(signer.sign(id_claims(aud="another-client")))
    # An ID token's client_id claim does not stand in for aud.
    with pytest.raises(InvalidClaimError):
        verifier.verify(signer.sign(id_claims(aud=DROP, client_id=CLIENT)))


def test_token_use_is_enforced_when_asked(jwks: dict[str, Any], signer: RsaSigningKey) -> None:
    only_access = CognitoJwtVerifier(POOL_ID, CLIENT, "access", jwks=jwks)
    only_access.verify(signer.sign(access_claims()))
    with pytest.raises(WrongTokenUseError):
        only_access.verify(signer.sign(id_claims()))


def test_leeway_allows_clock_skew(jwks: dict[str, Any], signer: RsaSigningKey) -> None:
    now = int(time.time())
    token = signer.sign(access_claims(exp=now - 30, iat=now + 30))
    CognitoJwtVerifier(POOL_ID, CLIENT, jwks=jwks, leeway=120).verify(token)
    with pytest.raises(TokenExpiredError):
        CognitoJwtVerifier(POOL_ID, CLIENT, jwks=jwks, leeway=10).verify(token)


def test_groups_need_one_of_them(jwks: dict[str, Any], signer: RsaSigningKey) -> None:
    verifier = CognitoJwtVerifier(POOL_ID, CLIENT, jwks=jwks, groups=["admins", "ops"])
    verifier.verify(signer.sign(id_claims(**{"cognito:groups": ["users", "ops"]})))
    with pytest.raises(MissingGroupError):
        verifier.verify(signer.sign(id_claims(**{"cognito:groups": ["users"]})))
    with pytest.raises(MissingGroupError):
        verifier.verify(signer.sign(id_claims()))
    with pytest.raises(InvalidClaimError):
        verifier.verify(signer.sign(id_claims(**{"cognito:groups": "admins"})))


def test_custom_check_refuses_by_false_or_by_raising(
    jwks: dict[str, Any], signer: RsaSigningKey
) -> None:
    def only_ann(claims: dict[str, Any]) -> bool:
        return bool(claims["username"] == "ann")

    verifier = CognitoJwtVerifier(POOL_ID, CLIENT, jwks=jwks, custom_check=only_ann)
    verifier.verify(signer.sign(access_claims()))
    with pytest.raises(CustomCheckError):
        verifier.verify(signer.sign(access_claims(username="bob")))

    def needs_scope(claims: dict[str, Any]) -> None:
        if "orders/read" not in claims["scope"].split():
            raise PermissionError("scope orders/read is missing")

    verifier = CognitoJwtVerifier(POOL_ID, CLIENT, jwks=jwks, custom_check=needs_scope)
    with pytest.raises(CustomCheckError) as info:
        verifier.verify(signer.sign(access_claims()))
    assert isinstance(info.value.__cause__, PermissionError)


def test_signature_refusals(verifier: CognitoJwtVerifier, signer: RsaSigningKey) -> None:
    token = signer.sign(access_claims())
    header, claims, signature = token.split(".")
    impostor = RsaSigningKey.generate(signer.kid)  # another key under the same kid
    with pytest.raises(InvalidSignatureError):
        verifier.verify(impostor.sign(access_claims()))
    changed = b64(json.dumps(access_claims(username="root")).encode())
    with pytest.raises(InvalidSignatureError):
        verifier.verify(f"{header}.{changed}.{signature}")
    with pytest.raises((InvalidSignatureError, MalformedTokenError)):
        verifier.verify(f"{header}.{claims}.{signature[:-8]}")
    with pytest.raises(TokenKeyNotFoundError):
        verifier.verify(RsaSigningKey.generate("unknown-kid").sign(access_claims()))


def test_truncated_signature_is_refused(
    verifier: CognitoJwtVerifier, signer: RsaSigningKey
) -> None:
    header, claims, signature = signer.sign(access_claims()).split(".")
    raw = base64.urlsafe_b64decode(signature + "==")
    for cut in (1, 3, 128, 255):
        with pytest.raises(InvalidSignatureError):
            verifier.verify(f"{header}.{claims}.{b64(raw[:-cut])}")


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ({"alg": "none", "kid": "pool-key-1"}, UnsupportedAlgorithmError),
        ({"alg": "HS256", "kid": "pool-key-1"}, UnsupportedAlgorithmError),
        ({"alg": "RS512", "kid": "pool-key-1"}, UnsupportedAlgorithmError),
        (
            {"alg": "RS256", "kid": "pool-key-1", "jku": "https://evil/jwks"},
            ForbiddenTokenHeaderError,
        ),
        ({"alg": "RS256", "kid": "pool-key-1", "x5u": "https://evil/x"}, ForbiddenTokenHeaderError),
        ({"alg": "RS256", "kid": "pool-key-1", "jwk": {"kty": "RSA"}}, ForbiddenTokenHeaderError),
        ({"alg": "RS256", "kid": "pool-key-1", "x5c": ["MII"]}, ForbiddenTokenHeaderError),
        ({"alg": "RS256"}, MalformedTokenError),
        ({"alg": "RS256", "kid": {"nested": ["pool-key-1"]}}, MalformedTokenError),
        ({"alg": ["RS256"], "kid": "pool-key-1"}, MalformedTokenError),
        ({"alg": "RS256", "kid": "pool-key-1", "crit": ["exp"]}, MalformedTokenError),
        ({"alg": "RS256", "kid": "pool-key-1", "pad": "x" * 9000}, MalformedTokenError),
    ],
)
def test_header_refusals(verifier: CognitoJwtVerifier, header: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        verifier.verify(raw_token(header, access_claims()))


def test_hs256_signed_with_the_public_key_is_refused(
    verifier: CognitoJwtVerifier, signer: RsaSigningKey
) -> None:
    import hashlib
    import hmac

    header = b64(json.dumps({"alg": "HS256", "kid": signer.kid}).encode())
    claims = b64(json.dumps(access_claims()).encode())
    secret = json.dumps(signer.public_jwk()).encode()
    mac = hmac.new(secret, f"{header}.{claims}".encode(), hashlib.sha256).digest()
    with pytest.raises(UnsupportedAlgorithmError):
        verifier.verify(f"{header}.{claims}.{b64(mac)}")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "a.b",
        "a.b.c.d",
        "not a token at all",
        "eyJ@.eyJ!.c2ln",
        "eyJhbGciOiJSUzI1NiJ9=.e30.c2ln",
        "\udcff.e30.c2ln",
        "x" * (300 * 1024),
    ],
)
def test_malformed_tokens(verifier: CognitoJwtVerifier, token: str) -> None:
    with pytest.raises(MalformedTokenError):
        verifier.verify(token)


@pytest.mark.parametrize(
    "claims",
    [
        b"[1, 2, 3]",
        b'"just text"',
        b'{"exp": {"exp": {"exp": 1}}}',
        b"{" + b'"a":[' * 200 + b"]" * 200 + b"}",
        b'{"iss": {"$ne": null}}',
    ],
)
def test_odd_json_in_the_claims(verifier: CognitoJwtVerifier, claims: bytes) -> None:
    with pytest.raises((MalformedTokenError, InvalidSignatureError, InvalidClaimError)):
        verifier.verify(raw_token({"alg": "RS256", "kid": "pool-key-1"}, claims))


def test_odd_json_in_signed_claims(verifier: CognitoJwtVerifier, signer: RsaSigningKey) -> None:
    # Signed, so only the claim checks can refuse them.
    for changes, error in [
        ({"iss": {"value": "x"}}, InvalidClaimError),
        ({"client_id": {"id": CLIENT}}, InvalidClaimError),
        ({"exp": [int(time.time()) + 60]}, InvalidClaimError),
        ({"token_use": ["access"]}, InvalidClaimError),
    ]:
        with pytest.raises(error):
            verifier.verify(signer.sign(access_claims(**changes)))


def test_a_token_that_is_not_text(verifier: CognitoJwtVerifier) -> None:
    for token in (None, b"a.b.c", 3):
        with pytest.raises(MalformedTokenError):
            verifier.verify(token)  # type: ignore[arg-type]


def test_authorization_header(verifier: CognitoJwtVerifier, signer: RsaSigningKey) -> None:
    token = signer.sign(access_claims())
    assert verifier.verify_authorization_header(f"Bearer {token}")["username"] == "ann"
    assert verifier.verify_authorization_header(f"bearer  {token} ")["username"] == "ann"
    for header in (None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", token):
        with pytest.raises(MissingTokenError):
            verifier.verify_authorization_header(header)


def test_errors_never_quote_the_token(verifier: CognitoJwtVerifier, signer: RsaSigningKey) -> None:
    token = signer.sign(access_claims(exp=int(time.time()) - 5))
    with pytest.raises(TokenExpiredError) as info:
        verifier.verify(token)
    for part in token.split("."):
        assert part not in str(info.value) and part not in repr(info.value)
