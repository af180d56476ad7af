"""Verifying Cognito tokens in a service: CognitoJwtVerifier against PyJWT and joserfc,
each doing the same checks, and verify_many on 2 threads against 1.

    python benches/bench_verify.py

Every contender verifies the same Cognito access token (RSA-2048, kid in the header)
against the same two-key JWKS, picks the key by kid, checks the RS256 signature and then
``iss``, ``token_use``, ``client_id`` (one of two accepted clients), ``exp`` and
``iat``, and returns the claims as a dict:

* ours: ``CognitoJwtVerifier.verify`` (the JWKS loaded from a dict, no network);
* PyJWT: ``get_unverified_header`` for the kid, ``jwt.decode`` with the issuer and the
  required claims, then ``token_use`` and ``client_id`` compared in Python;
* joserfc: ``jwt.decode`` with the KeySet, then a ``JWTClaimsRegistry`` holding the
  same rules.

Then threads: ``verify_many`` on batches of 64 tokens and ``verify`` one token at a time,
each with one thread and with two, next to hashlib.sha256 of 1 MiB (C code that releases
the GIL): when that reference does not scale, the machine has no second core free.
Times are medians over interleaved rounds; ratio = peer time / our time.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any, Callable

import jwt as pyjwt
from _timing import Row, one_and_two_threads, per_call, print_table
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from cognito_identity import CognitoJwtVerifier
from cognito_identity.jwt import RsaSigningKey

POOL_ID = "ap-southeast-1_K8gTNb6fO"
ISSUER = f"https://cognito-idp.ap-southeast-1.amazonaws.com/{POOL_ID}"
CLIENTS = ["3svb8fq38sciiatp48sm2v6s7a", "7k2m4tbq1i8bqv5k9qk4f0ab1c"]
BATCH = 64


def access_claims() -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": "1c421f0c-7fce-4401-95ec-ec05a0c77449",
        "event_id": "9974989b-4c50-11e8-8e70-d3510df6469b",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": now,
        "iss": ISSUER,
        "exp": now + 3600,
        "iat": now,
        "jti": "72171ac7-14b1-48d0-ac3c-1f6fa5686325",
        "client_id": CLIENTS[0],
        "username": "1c421f0c-7fce-4401-95ec-ec05a0c77449",
    }


def main() -> None:
    signer = RsaSigningKey.generate("bench-key")
    other = RsaSigningKey.generate("other-key")
    jwks = {"keys": [other.public_jwk(), signer.public_jwk()]}
    claims = access_claims()
    token = signer.sign(claims)

    verifier = CognitoJwtVerifier(POOL_ID, CLIENTS, "access", jwks=jwks)
    pyjwt_keys = {k.key_id: k.key for k in pyjwt.PyJWKSet.from_dict(jwks).keys}
    jose_keys = KeySet.import_key_set(jwks)
    jose_rules = JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        exp={"essential": True},
        iat={"essential": True},
        token_use={"essential": True, "value": "access"},
        client_id={"essential": True, "values": CLIENTS},
    )

    def ours() -> dict[str, Any]:
        return verifier.verify(token)

    def with_pyjwt() -> dict[str, Any]:
        key = pyjwt_keys[pyjwt.get_unverified_header(token)["kid"]]
        found: dict[str, Any] = pyjwt.decode(
            token,
            key,
            algorithms=["RS256"],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "iss", "token_use", "client_id"]},
        )
        if found["token_use"] != "access" or found["client_id"] not in CLIENTS:
            raise ValueError("refused")
        return found

    def with_joserfc() -> dict[str, Any]:
        found = jose_jwt.decode(token, jose_keys, algorithms=["RS256"]).claims
        jose_rules.validate(found)
        return found

    # Fairness check: every contender accepts the token, reads the same claims, and
    # refuses an expired one and one for another client.
    expired = signer.sign({**claims, "exp": claims["exp"] - 7200})
    foreign = signer.sign({**claims, "client_id": "someone-else"})
    for name, fn in (("ours", ours), ("pyjwt", with_pyjwt), ("joserfc", with_joserfc)):
        assert fn() == claims, name
        for bad in (expired, foreign):
            good = token
            token = bad
            try:
                fn()
            except Exception:
                pass
            else:
                raise AssertionError(f"{name} accepted a token it must refuse")
            finally:
                token = good

    contenders: dict[str, tuple[Callable[[], object], int]] = {
        "ours": (ours, 3000),
        "pyjwt": (with_pyjwt, 1000),
        "joserfc": (with_joserfc, 1000),
    }
    times = per_call(contenders)
    case = "verify + every claim check, access token"
    rows: list[Row] = [
        (case, "PyJWT", times["pyjwt"], times["ours"], 3.0, ">= 3x"),
        (case, "joserfc", times["joserfc"], times["ours"], 2.0, ">= 2x"),
    ]

    batch = [token] * BATCH
    assert all(result == claims for result in verifier.verify_many(batch))
    mebibyte = os.urandom(1 << 20)
    threaded = one_and_two_threads(
        {
            "many": (lambda: verifier.verify_many(batch), 40),
            "one": (ours, 2000),
            "sha256": (lambda: hashlib.sha256(mebibyte).digest(), 40),
        }
    )
    one, two = threaded["many"]
    rows.append(
        (f"verify_many ({BATCH} tokens), 2 threads vs 1", "1 thread", one, two, 1.6, ">= 1.6x")
    )
    one, two = threaded["one"]
    rows.append(("verify one at a time, 2 threads vs 1", "1 thread", one, two, 0.0, "(info)"))
    one, two = threaded["sha256"]
    rows.append(
        ("reference: sha256 of 1 MiB, 2 threads vs 1", "hashlib, 1 thread", one, two, 0.0, "(info)")
    )
    per_token = threaded["many"][0] / BATCH
    print(f"ours: {times['ours'] * 1e6:.1f} us per token; in verify_many: {per_token * 1e6:.1f} us")
    print_table(rows)


if __name__ == "__main__":
    main()
