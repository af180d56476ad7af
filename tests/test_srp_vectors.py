"""The SRP known-answer file that `cargo test -p cognito-srp` reads, checked against pycognito.

tests/vectors/srp_pycognito.json holds client logins (fixed private value a, pool, user,
password, SALT, SRP_B, SECRET_BLOCK, TIMESTAMP) with the SRP_A and
PASSWORD_CLAIM_SIGNATURE that pycognito's AWSSRP computes for them. The Rust tests
compare the crate against these values; this test recomputes every expected value with
pycognito, so the file cannot drift from the independent implementation.

Regenerate with ``python tests/test_srp_vectors.py --write`` (random inputs).
"""

from __future__ import annotations

import base64
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

from pycognito.aws_srp import AWSSRP, N_HEX

VECTORS = Path(__file__).parent / "vectors" / "srp_pycognito.json"
N = int(N_HEX, 16)


def pycognito_login(case: dict[str, Any]) -> dict[str, str]:
    """SRP_A and PASSWORD_CLAIM_SIGNATURE of ``case`` as pycognito's AWSSRP computes them."""
    srp = AWSSRP(
        username=case["user_id_for_srp"],
        password=case["password"],
        pool_id=f"us-east-1_{case['pool_name']}",
        client_id="client",
        client=object(),
    )
    srp.small_a_value = int(case["small_a_hex"], 16)
    srp.large_a_value = srp.calculate_a()
    # process_challenge stamps the current time; pin it to the case's timestamp.
    srp.get_cognito_formatted_timestamp = lambda _now: case["timestamp"]  # type: ignore[method-assign]
    challenge = {
        "USER_ID_FOR_SRP": case["user_id_for_srp"],
        "SALT": case["salt_hex"],
        "SRP_B": case["srp_b_hex"],
        "SECRET_BLOCK": case["secret_block_b64"],
    }
    answer = srp.process_challenge(challenge, {"USERNAME": case["user_id_for_srp"]})
    assert answer["TIMESTAMP"] == case["timestamp"]
    return {
        "srp_a_hex": f"{srp.large_a_value:x}",
        "signature_b64": answer["PASSWORD_CLAIM_SIGNATURE"],
    }


def test_vector_file_holds_pycognito_results() -> None:
    cases = json.loads(VECTORS.read_text())
    assert len(cases) >= 20
    for case in cases:
        expected = pycognito_login(case)
        assert case["srp_a_hex"] == expected["srp_a_hex"]
        assert case["signature_b64"] == expected["signature_b64"]


def _random_case(rng: random.Random, index: int) -> dict[str, Any]:
    words = ["alice", "bob@example.com", "+15551234567", "ünïcödé", "名前", "a" * 64]
    salt = rng.getrandbits(128)
    if index % 4 == 0:
        salt |= 1 << 127  # top bit set: hashed with a leading 00 byte
    if index % 5 == 0:
        salt >>= 4  # odd number of hex digits
    srp_b = rng.randrange(2, N)
    if index == 7:
        srp_b = N + 5  # above N: u hashes B as sent, S uses B mod N
    return {
        "pool_name": rng.choice(["AbC123xyz", "eXaMpLe9", "x"]),
        "user_id_for_srp": rng.choice(words) + str(rng.randrange(1000)),
        "password": rng.choice(["Password01!", "pässwörd 🔑", "", "x" * 200]),
        "small_a_hex": f"{int.from_bytes(os.urandom(128), 'big') % N:x}",
        "salt_hex": f"{salt:x}",
        "srp_b_hex": f"{srp_b:x}",
        "secret_block_b64": base64.standard_b64encode(os.urandom(rng.choice([0, 1, 300]))).decode(),
        "timestamp": "Sun Mar 1 09:05:07 UTC 2026",
    }


def _write() -> None:
    rng = random.Random(os.urandom(16))
    cases = [_random_case(rng, i) for i in range(24)]
    for case in cases:
        case.update(pycognito_login(case))
    VECTORS.write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        _write()
