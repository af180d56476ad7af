"""SRP login math: cognito_identity.srp against pycognito and a gmpy2 implementation.

    python benches/bench_srp.py

Cases, all measured in this run:

* client login math (SRP_A + PASSWORD_CLAIM_SIGNATURE, a fresh ``a`` each time), in
  process CPU time: against pycognito's AWSSRP (pure-Python ``pow``) and against the
  same math written here on gmpy2 (GMP), checked to give our signature first;
* two threads against one: logins per second of wall time (the GIL is released);
* the server half per login (SRP_B, then verifying the claim), for scale, against the
  same math on gmpy2.

Ratios are peer time / our time, so above 1 means we are faster.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time

import gmpy2
from _timing import Row, one_and_two_threads, per_call, print_table
from pycognito.aws_srp import AWSSRP, N_HEX

from cognito_identity.local.srp_server import ServerSession, generate_verifier, new_secret_block
from cognito_identity.srp import AuthenticationHelper, now_timestamp

POOL, USER, PASSWORD = "AbC123xyz", "6f1e0b7c-8d9a-4e3f-b2a1-0c9d8e7f6a5b", "Correct horse 1!"

# --- the same math on gmpy2 ---------------------------------------------------------

N = gmpy2.mpz(int(N_HEX, 16))
G = gmpy2.mpz(2)


def _pad(value: int) -> bytes:
    """Cognito's padHex as bytes."""
    digits = f"{value:x}"
    if len(digits) % 2:
        digits = "0" + digits
    elif digits[0] in "89abcdef":
        digits = "00" + digits
    return bytes.fromhex(digits)


def _h(*parts: bytes) -> int:
    return int.from_bytes(hashlib.sha256(b"".join(parts)).digest(), "big")


K = gmpy2.mpz(_h(_pad(int(N)), _pad(2)))


def _key(u: int, secret: int) -> bytes:
    prk = hmac.new(_pad(u), _pad(secret), hashlib.sha256).digest()
    return hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]


def gmpy2_login(
    salt_hex: str, srp_b_hex: str, block: str, timestamp: str, small_a: int | None = None
) -> tuple[str, str]:
    """(SRP_A hex, PASSWORD_CLAIM_SIGNATURE) computed with GMP."""
    a = gmpy2.mpz(small_a if small_a is not None else int.from_bytes(os.urandom(128), "big"))
    big_a = gmpy2.powmod(G, a, N)
    big_b = gmpy2.mpz(int(srp_b_hex, 16))
    u = _h(_pad(int(big_a)), _pad(int(big_b)))
    identity = hashlib.sha256(f"{POOL}{USER}:{PASSWORD}".encode()).digest()
    x = gmpy2.mpz(_h(_pad(int(salt_hex, 16)), identity))
    base = (big_b - K * gmpy2.powmod(G, x, N)) % N
    secret = gmpy2.powmod(base, a + u * x, N)
    message = POOL.encode() + USER.encode() + base64.b64decode(block) + timestamp.encode()
    mac = hmac.new(_key(u, int(secret)), message, hashlib.sha256).digest()
    return f"{int(big_a):x}", base64.b64encode(mac).decode()


def gmpy2_server(verifier_hex: str, srp_a_hex: str) -> bytes:
    """SRP_B and the server's session key, computed with GMP (b of 256 bits, as ours)."""
    v = gmpy2.mpz(int(verifier_hex, 16))
    b = gmpy2.mpz(int.from_bytes(os.urandom(32), "big"))
    big_b = (K * v + gmpy2.powmod(G, b, N)) % N
    big_a = gmpy2.mpz(int(srp_a_hex, 16))
    u = _h(_pad(int(big_a)), _pad(int(big_b)))
    return _key(u, int(gmpy2.powmod(big_a * gmpy2.powmod(v, u, N) % N, b, N)))


# --- measurement --------------------------------------------------------------------


def main() -> None:
    salt_hex, verifier_hex = generate_verifier(POOL, USER, PASSWORD)
    server = ServerSession(verifier_hex)
    srp_b_hex, block, timestamp = server.large_b_hex, new_secret_block(), now_timestamp()

    def ours() -> str:
        helper = AuthenticationHelper(POOL)
        return helper.password_claim_signature(
            USER, PASSWORD, salt_hex, srp_b_hex, block, timestamp
        )

    challenge = {
        "USER_ID_FOR_SRP": USER,
        "SALT": salt_hex,
        "SRP_B": srp_b_hex,
        "SECRET_BLOCK": block,
    }

    def pycognito() -> object:
        srp = AWSSRP(USER, PASSWORD, f"us-east-1_{POOL}", "client", client=object())
        return srp.process_challenge(challenge, {"USERNAME": USER})

    def gmp() -> object:
        return gmpy2_login(salt_hex, srp_b_hex, block, timestamp)

    # Fairness check: every implementation computes the same, verifiable, answer.
    small_a = int.from_bytes(os.urandom(128), "big")
    helper = AuthenticationHelper(POOL, small_a=small_a)
    signature = helper.password_claim_signature(
        USER, PASSWORD, salt_hex, srp_b_hex, block, timestamp
    )
    assert gmpy2_login(salt_hex, srp_b_hex, block, timestamp, small_a) == (
        helper.large_a_hex,
        signature,
    )
    assert server.verify_claim(
        POOL, USER, salt_hex, helper.large_a_hex, block, timestamp, signature
    )

    rows: list[Row] = []
    client = per_call(
        {"ours": (ours, 60), "pycognito": (pycognito, 8), "gmpy2": (gmp, 60)}, time.process_time
    )
    rows.append(
        (
            "client login math (A + claim), CPU",
            "pycognito",
            client["pycognito"],
            client["ours"],
            12.0,
            ">= 12x",
        )
    )
    rows.append(
        (
            "client login math (A + claim), CPU",
            "gmpy2 (GMP)",
            client["gmpy2"],
            client["ours"],
            0.77,
            ">= 0.77x",
        )
    )

    load_before_threads = os.getloadavg()[0]
    one, two = one_and_two_threads({"ours": (ours, 60)})["ours"]
    rows.append(("SRP logins/s, 2 threads vs 1 (wall)", "ours, 1 thread", one, two, 1.8, ">= 1.8x"))

    srp_a_hex = helper.large_a_hex

    def ours_server() -> bool:
        session = ServerSession(verifier_hex)
        return session.verify_claim(POOL, USER, salt_hex, srp_a_hex, block, timestamp, signature)

    server_side = per_call(
        {
            "ours": (ours_server, 60),
            "gmpy2": (lambda: gmpy2_server(verifier_hex, srp_a_hex), 60),
        },
        time.process_time,
    )
    rows.append(
        (
            "server half per login (B + verify), CPU",
            "gmpy2 (GMP)",
            server_side["gmpy2"],
            server_side["ours"],
            0.0,
            "(info)",
        )
    )

    print_table(rows)

    print(
        f"\nLoad average before the thread case: {load_before_threads:.2f} "
        f"(on {os.cpu_count()} CPUs); two threads can only scale on two idle cores."
    )


if __name__ == "__main__":
    main()
