"""On thousands of generated tokens, good and bad, the verifier agrees with PyJWT (the
signature and the time claims) plus a claims check written here by hand from the rules.

For each token, the reference lists every reason to refuse it; the verifier must accept
exactly the tokens with no reason, and refuse the others with one of their reasons.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cognito_identity import CognitoJwtVerifier
from cognito_identity.errors import (
    InvalidClaimError,
    InvalidSignatureError,
    MissingGroupError,
    TokenError,
    TokenExpiredError,
    TokenNotYetValidError,
    WrongClientError,
    WrongIssuerError,
    WrongTokenUseError,
)
from cognito_identity.jwt import RsaSigningKey

from .conftest import CLIENT, DROP, ISSUER, NOWHERE, POOL_ID

SECOND_CLIENT = "second-client"
REASON_OF: dict[type[TokenError], str] = {
    InvalidSignatureError: "signature",
    InvalidClaimError: "type",
    WrongIssuerError: "issuer",
    WrongTokenUseError: "token_use",
    WrongClientError: "client",
    TokenExpiredError: "expired",
    TokenNotYetValidError: "not yet valid",
    MissingGroupError: "group",
}
SIGNER = RsaSigningKey.generate("pool-key-1")
IMPOSTOR = RsaSigningKey.generate("pool-key-1")  # another key under the same kid
PUBLIC_KEY = serialization.load_der_private_key(SIGNER.to_pkcs8_der(), None).public_key()  # type: ignore[union-attr]
JWKS = {"keys": [SIGNER.public_jwk()]}


def now_plus(offset: float) -> int:
    """A time ``offset`` seconds from the moment a case is drawn (not from import: the
    suite may run long after collection)."""
    return int(time.time() + offset)


# Times sit at least 100 s from any boundary (leeways are 0 and 300), so the seconds the
# test takes never change a verdict.
TIMES = st.sampled_from([-1000, -400, -100, 100, 400, 1000]).map(now_plus)
NUMBERS = st.one_of(TIMES, TIMES.map(lambda t: t + 0.5))
JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
ODD = st.one_of(st.just(DROP), JSON_VALUES)


CONFIGS = st.fixed_dictionaries(
    {
        "client_id": st.sampled_from([None, CLIENT, [CLIENT, SECOND_CLIENT]]),
        "token_use": st.sampled_from([None, "id", "access"]),
        "leeway": st.sampled_from([0, 300]),
        "groups": st.sampled_from([None, ["admins", "ops"]]),
    }
)
#: For each claim, values that may break it (DROP removes the claim).
BAD: dict[str, st.SearchStrategy[Any]] = {
    "iss": st.sampled_from([ISSUER + "x", "https://evil.example/" + POOL_ID, DROP]) | ODD,
    "token_use": st.sampled_from(["refresh", "ID", "id", "access", DROP]) | ODD,
    "client_id": st.sampled_from(["other", SECOND_CLIENT, [CLIENT], DROP]) | ODD,
    "aud": st.sampled_from(["other", SECOND_CLIENT, [CLIENT], DROP]) | ODD,
    "exp": st.one_of(NUMBERS, st.sampled_from(["1900000000", True, None, DROP]), ODD),
    "iat": st.one_of(NUMBERS, st.sampled_from(["now", None, DROP])),
    "nbf": st.one_of(NUMBERS, st.sampled_from([DROP])),
    "cognito:groups": st.sampled_from([DROP, ["admins"], ["users"], "admins", [1], []]),
}


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A verifier's settings and claims that satisfy them, then 0 to 3 claims broken."""
    config = draw(CONFIGS)
    use = config["token_use"] or draw(st.sampled_from(["id", "access"]))
    clients = config["client_id"] or [CLIENT]
    client = draw(st.sampled_from([clients] if isinstance(clients, str) else clients))
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "token_use": use,
        "aud" if use == "id" else "client_id": client,
        "exp": draw(st.sampled_from([100, 400, 1000]).map(now_plus)),
        "iat": now_plus(-100),
        "sub": draw(st.text(max_size=10)),
        "extra": draw(JSON_VALUES),
    }
    if config["groups"] is not None:
        claims["cognito:groups"] = ["users", "ops"]
    for name in draw(st.lists(st.sampled_from(sorted(BAD)), max_size=3)):
        claims[name] = draw(BAD[name])
    return config, {k: v for k, v in claims.items() if v is not DROP}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def hand_check(claims: dict[str, Any], config: dict[str, Any], now: float) -> set[str]:
    """Every reason the rules give to refuse these (correctly signed) claims."""
    reasons: set[str] = set()
    iss, use = claims.get("iss"), claims.get("token_use")
    if not isinstance(iss, str):
        reasons.add("type")
    elif iss != ISSUER:
        reasons.add("issuer")
    if not isinstance(use, str):
        reasons.add("type")
    elif use not in ("id", "access") or config["token_use"] not in (None, use):
        reasons.add("token_use")
    clients = config["client_id"]
    if clients is not None and use in ("id", "access"):
        clients = [clients] if isinstance(clients, str) else clients
        client = claims.get("aud" if use == "id" else "client_id")
        if not isinstance(client, str):
            reasons.add("type")
        elif client not in clients:
            reasons.add("client")
    leeway = config["leeway"]
    exp = claims.get("exp")
    if not is_number(exp):
        reasons.add("type")
    elif exp <= now - leeway:
        reasons.add("expired")
    for name in ("iat", "nbf"):
        if name in claims:
            if not is_number(claims[name]):
                reasons.add("type")
            elif claims[name] > now + leeway:
                reasons.add("not yet valid")
    if config["groups"] is not None:
        groups = claims.get("cognito:groups")
        if groups is None:
            reasons.add("group")
        elif not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            reasons.add("type")
        elif not set(groups) & set(config["groups"]):
            reasons.add("group")
    return reasons


def pyjwt_time_verdict(token: str, leeway: float) -> str | None:
    """PyJWT's verdict on exp, iat and nbf (signature checked too)."""
    options: Any = {
        "require": ["exp"],
        "verify_aud": False,
        "verify_iss": False,
        "verify_sub": False,
        "verify_jti": False,
    }
    try:
        pyjwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], leeway=leeway, options=options)
    except pyjwt.ExpiredSignatureError:
        return "expired"
    except pyjwt.ImmatureSignatureError:
        return "not yet valid"
    return None


VERIFIERS: dict[str, CognitoJwtVerifier] = {}


def verifier_for(config: dict[str, Any]) -> CognitoJwtVerifier:
    key = json.dumps(config, sort_keys=True)
    if key not in VERIFIERS:
        VERIFIERS[key] = CognitoJwtVerifier(POOL_ID, jwks=JWKS, jwks_uri=NOWHERE, **config)
    return VERIFIERS[key]


@settings(
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=cases(), forgery=st.sampled_from(["none"] * 8 + ["tamper", "impostor"]))
def test_agrees_with_pyjwt_and_the_rules(
    case: tuple[dict[str, Any], dict[str, Any]], forgery: str
) -> None:
    config, claims = case
    token = (IMPOSTOR if forgery == "impostor" else SIGNER).sign(claims)
    if forgery == "tamper":
        header, _, signature = token.split(".")
        changed = json.dumps({**claims, "sub": "someone-else"}).encode()
        token = f"{header}.{b64(changed)}.{signature}"

    try:
        pyjwt_claims = pyjwt.decode(
            token,
            PUBLIC_KEY,
            algorithms=["RS256"],
            options={
                "verify_signature": True,
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "verify_aud": False,
                "verify_iss": False,
                "verify_sub": False,
                "verify_jti": False,
            },
        )
    except pyjwt.InvalidSignatureError:
        reasons = {"signature"}
    else:
        assert pyjwt_claims == json.loads(json.dumps(claims))
        reasons = hand_check(pyjwt_claims, config, time.time())
        time_claims_typed = all(is_number(pyjwt_claims.get(n, 0)) for n in ("exp", "iat", "nbf"))
        if time_claims_typed and "exp" in pyjwt_claims:
            verdict = pyjwt_time_verdict(token, config["leeway"])
            time_reasons = reasons & {"expired", "not yet valid"}
            # PyJWT refuses for a time reason exactly when the hand check finds one.
            assert (verdict is None) == (not time_reasons)
            assert verdict is None or verdict in time_reasons

    verifier = verifier_for(config)
    try:
        ours = verifier.verify(token)
    except TokenError as exc:
        assert reasons, f"refused a good token: {exc!r}"
        assert REASON_OF[type(exc)] in reasons, (exc, reasons)
    else:
        assert not reasons, f"accepted a token to refuse for {reasons}"
        assert ours == pyjwt_claims


def test_the_generator_makes_both_kinds() -> None:
    """The cases above are not all refusals (or all acceptances)."""
    outcomes: set[bool] = set()

    @settings(max_examples=300, deadline=None, database=None)
    @given(case=cases())
    def sample(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
        config, claims = case
        outcomes.add(not hand_check(claims, config, time.time()))

    sample()
    assert outcomes == {True, False}


@pytest.mark.parametrize("size", [1, 50])
def test_verify_many_agrees_with_verify(size: int) -> None:
    config = {"client_id": CLIENT, "token_use": None, "leeway": 0, "groups": None}
    verifier = verifier_for(config)
    tokens = [
        SIGNER.sign(
            {
                "iss": ISSUER,
                "token_use": "access",
                "client_id": CLIENT,
                "exp": now_plus(600 if i % 2 else -600),
                "n": i,
            }
        )
        for i in range(size)
    ] + ["garbage"]
    batch = verifier.verify_many(tokens)
    for token, result in zip(tokens, batch):
        try:
            assert verifier.verify(token) == result
        except TokenError as exc:
            assert type(result) is type(exc) and str(result) == str(exc)
