"""JWT work: cognito_identity.jwt against PyJWT and joserfc.

    python benches/bench_jwt.py

Cases, all measured in this run on the same tokens (RSA-2048, kid in the header):

* RS256 verification returning the claims as a dict, for a Cognito access token: our
  JsonWebKeySet (key picked by kid) against PyJWT's ``jwt.decode`` with the public key
  already loaded and every claim check turned off (ours checks none), and against
  joserfc's ``jwt.decode`` with a KeySet (key picked by kid, no claim checks either);
* the same for a large ID token (30 custom attributes and 20 groups);
* decoding without verification, against PyJWT;
* two threads verifying against one (the GIL is released during the RSA work), also
  without building the claims dict (the native call alone, which holds the GIL for
  under 1 us instead of about 3.5), next to the same measure for hashlib.sha256 of
  1 MiB (C code that releases the GIL for 600 us at a time): when that reference does
  not scale, the machine has no second core free;
* RS256 signing, against PyJWT with a cryptography key (what the local pool does
  twice per login).

Each contender is first checked to give the same result. Times are medians over
interleaved rounds; ratios are peer time / our time, so above 1 means we are faster.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Callable

import jwt as pyjwt
from _timing import Row, one_and_two_threads, per_call, print_table
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from cognito_identity import _native
from cognito_identity.jwt import JsonWebKeySet, RsaSigningKey, decode

ACCESS_CLAIMS: dict[str, Any] = {
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
ID_CLAIMS: dict[str, Any] = {
    **ACCESS_CLAIMS,
    "token_use": "id",
    "email": "zoë@example.com",
    "email_verified": True,
    "cognito:groups": [f"group-{i}" for i in range(20)],
    **{f"custom:attribute_{i}": f"value {i} " + "x" * 40 for i in range(30)},
}
# Ours checks no claim: neither may PyJWT (it still parses and type-checks them).
PYJWT_OPTIONS: Any = {
    "verify_exp": False,
    "verify_iat": False,
    "verify_nbf": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
}


def main() -> None:
    signer = RsaSigningKey.generate("bench-key")
    other = RsaSigningKey.generate("other-key")
    jwks = {"keys": [other.public_jwk(), signer.public_jwk()]}
    ours_set = JsonWebKeySet.from_dict(jwks)
    private_key = serialization.load_der_private_key(signer.to_pkcs8_der(), password=None)
    assert isinstance(private_key, rsa.RSAPrivateKey)
    public_key = private_key.public_key()
    native_set = _native.JwtKeySet.from_json(json.dumps(jwks))
    jose_set = KeySet.import_key_set(json.loads(json.dumps(jwks)))

    access, id_token = signer.sign(ACCESS_CLAIMS), signer.sign(ID_CLAIMS)

    # Fairness check: every contender accepts the tokens and reads the same claims.
    for token, claims in ((access, ACCESS_CLAIMS), (id_token, ID_CLAIMS)):
        assert ours_set.verify(token) == claims
        assert pyjwt.decode(token, public_key, ["RS256"], options=PYJWT_OPTIONS) == claims
        assert jose_jwt.decode(token, jose_set, algorithms=["RS256"]).claims == claims
        assert decode(token)[1] == pyjwt.decode(token, options={"verify_signature": False})

    def verifiers(token: str) -> dict[str, tuple[Callable[[], object], int]]:
        def ours() -> object:
            return ours_set.verify(token)

        def with_pyjwt() -> object:
            return pyjwt.decode(token, public_key, algorithms=["RS256"], options=PYJWT_OPTIONS)

        def with_joserfc() -> object:
            return jose_jwt.decode(token, jose_set, algorithms=["RS256"]).claims

        return {"ours": (ours, 3000), "pyjwt": (with_pyjwt, 1500), "joserfc": (with_joserfc, 1500)}

    rows: list[Row] = []
    for name, token in (("access token", access), ("large ID token", id_token)):
        times = per_call(verifiers(token))
        is_main = name == "access token"
        rows.append(
            (
                f"RS256 verify + claims dict, {name}",
                "PyJWT",
                times["pyjwt"],
                times["ours"],
                3.0 if is_main else 0.0,
                ">= 3x" if is_main else "(info)",
            )
        )
        rows.append(
            (
                f"RS256 verify + claims dict, {name}",
                "joserfc",
                times["joserfc"],
                times["ours"],
                0.0,
                "(info)",
            )
        )

    unverified = per_call(
        {
            "ours": (lambda: decode(access), 20000),
            "pyjwt": (lambda: pyjwt.decode(access, options={"verify_signature": False}), 3000),
        }
    )
    rows.append(
        (
            "decode without verification, access token",
            "PyJWT",
            unverified["pyjwt"],
            unverified["ours"],
            0.0,
            "(info)",
        )
    )

    mebibyte = os.urandom(1 << 20)
    threaded = one_and_two_threads(
        {
            "ours": (lambda: ours_set.verify(access), 2000),
            "native": (lambda: native_set.verify(access), 2000),
            "sha256": (lambda: hashlib.sha256(mebibyte).digest(), 40),
        }
    )
    one, two = threaded["ours"]
    rows.append(("verifications/s, 2 threads vs 1", "ours, 1 thread", one, two, 1.5, ">= 1.5x"))
    one, two = threaded["native"]
    rows.append(
        ("same, claims left as JSON text, 2 threads vs 1", "1 thread", one, two, 0.0, "(info)")
    )
    one, two = threaded["sha256"]
    rows.append(
        ("reference: sha256 of 1 MiB, 2 threads vs 1", "hashlib, 1 thread", one, two, 0.0, "(info)")
    )

    signing = per_call(
        {
            "ours": (lambda: signer.sign(ACCESS_CLAIMS), 150),
            "pyjwt": (
                lambda: pyjwt.encode(
                    ACCESS_CLAIMS, private_key, algorithm="RS256", headers={"kid": "bench-key"}
                ),
                150,
            ),
        }
    )
    rows.append(
        (
            "RS256 sign, access token",
            "PyJWT + cryptography",
            signing["pyjwt"],
            signing["ours"],
            0.0,
            "(info)",
        )
    )

    print_table(rows)


if __name__ == "__main__":
    main()
