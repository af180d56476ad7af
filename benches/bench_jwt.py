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
import statistics
import threading
import time
from typing import Any, Callable

import jwt as pyjwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from cognito_identity import _native
from cognito_identity.jwt import JsonWebKeySet, RsaSigningKey, decode

REPEATS = 7

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


def per_call(contenders: dict[str, tuple[Callable[[], object], int]]) -> dict[str, float]:
    """Wall seconds per call of each contender: median over REPEATS interleaved rounds.

    Each contender maps to (function, calls per round). Interleaving makes a slow spell
    of the machine hit every contender alike.
    """
    for fn, calls in contenders.values():
        for _ in range(max(2, calls // 10)):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(REPEATS):
        for name, (fn, calls) in contenders.items():
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            samples[name].append((time.perf_counter() - start) / calls)
    return {name: statistics.median(values) for name, values in samples.items()}


def threaded_per_call(
    contenders: dict[str, tuple[Callable[[], object], int]],
) -> dict[str, tuple[float, float]]:
    """Wall seconds per call with one thread, then two, for each contender.

    Each contender maps to (function, calls per thread). Medians of REPEATS rounds,
    each round running every contender with one thread and then two, so a core taken
    by another process for a while hits all of them alike.
    """

    def run(fn: Callable[[], object], calls: int, threads: int) -> float:
        def worker() -> None:
            for _ in range(calls):
                fn()

        pool = [threading.Thread(target=worker) for _ in range(threads)]
        start = time.perf_counter()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        return (time.perf_counter() - start) / (threads * calls)

    samples: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in contenders}
    for _ in range(REPEATS):
        for name, (fn, calls) in contenders.items():
            samples[name][0].append(run(fn, calls, 1))
            samples[name][1].append(run(fn, calls, 2))
    return {
        name: (statistics.median(one), statistics.median(two))
        for name, (one, two) in samples.items()
    }


def fmt(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} us"


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

    rows: list[tuple[str, str, float, float, float, str]] = []
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
    threaded = threaded_per_call(
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

    print("| case | peer | peer time | ours | ratio (peer/ours) | target | met |")
    print("|---|---|---|---|---|---|---|")
    for case, peer, peer_time, our_time, target, target_text in rows:
        ratio = peer_time / our_time
        met = "-" if target == 0.0 else ("yes" if ratio >= target else "NO")
        print(
            f"| {case} | {peer} | {fmt(peer_time)} | {fmt(our_time)} | {ratio:.2f}x | "
            f"{target_text} | {met} |"
        )


if __name__ == "__main__":
    main()
