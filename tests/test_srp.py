"""cognito_identity.srp against pycognito (an independent implementation) and itself.

pycognito's AWSSRP keeps its private value in ``small_a_value`` / ``large_a_value``;
giving both implementations the same ``a`` makes every output comparable.
"""

from __future__ import annotations

import base64
import datetime
import os
import random
import secrets

import pytest
from pycognito.aws_srp import AWSSRP, N_HEX, hash_sha256, hex_hash, pad_hex

from cognito_identity.errors import CognitoError, SrpError
from cognito_identity.local.srp_server import ServerSession, generate_verifier, new_secret_block
from cognito_identity.srp import (
    AuthenticationHelper,
    format_timestamp,
    generate_device_verifier,
    now_timestamp,
    secret_hash,
)

N = int(N_HEX, 16)
K_HEX = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
POOL = "AbC123xyz"
TIMESTAMP = "Thu Nov 26 02:05:07 UTC 2026"
USERS = ["alice", "bob@example.com", "+15551234567", "ünïcödé", "名前", "6f1e-sub-uuid"]
PASSWORDS = ["Password01!", "pässwörd 🔑", "", "x" * 200, "with:colon"]


def pycognito_srp(pool_name: str, user: str, password: str, small_a: int) -> AWSSRP:
    """pycognito's client for ``pool_name`` with its private value forced to ``small_a``."""
    srp = AWSSRP(
        username=user,
        password=password,
        pool_id=f"us-east-1_{pool_name}",
        client_id="client",
        client=object(),
    )
    srp.small_a_value = small_a
    srp.large_a_value = srp.calculate_a()
    return srp


def pycognito_signature(
    srp: AWSSRP, user: str, salt_hex: str, srp_b_hex: str, secret_block: str
) -> tuple[str, str]:
    """(PASSWORD_CLAIM_SIGNATURE, TIMESTAMP) of pycognito's PASSWORD_VERIFIER answer."""
    challenge = {
        "USER_ID_FOR_SRP": user,
        "SALT": salt_hex,
        "SRP_B": srp_b_hex,
        "SECRET_BLOCK": secret_block,
    }
    answer = srp.process_challenge(challenge, {"USERNAME": user})
    return answer["PASSWORD_CLAIM_SIGNATURE"], answer["TIMESTAMP"]


def random_a() -> int:
    return int.from_bytes(os.urandom(128), "big") % N


def random_salt_hex(rng: random.Random) -> str:
    # Java's BigInteger.toString(16) of 16 random bytes: no leading zeros, any length.
    return f"{rng.getrandbits(rng.choice([128, 127, 124, 120, 64])) | 1:x}"


def random_block() -> str:
    return base64.standard_b64encode(os.urandom(secrets.choice([0, 1, 48, 700]))).decode()


# --- client against pycognito -------------------------------------------------------


def test_srp_a_matches_pycognito() -> None:
    for _ in range(20):
        small_a = random_a()
        ours = AuthenticationHelper(POOL, small_a=small_a)
        theirs = pycognito_srp(POOL, "u", "p", small_a)
        assert ours.large_a_hex == f"{theirs.large_a_value:x}"


def test_claim_signature_matches_pycognito_on_random_logins() -> None:
    seed = os.urandom(8).hex()
    rng = random.Random(seed)
    for case in range(30):
        pool = rng.choice([POOL, "x", "eXaMpLe9"])
        user, password = rng.choice(USERS), rng.choice(PASSWORDS)
        small_a = random_a()
        salt_hex = random_salt_hex(rng)
        srp_b_hex = f"{rng.randrange(2, N):x}"
        block = random_block()
        theirs, timestamp = pycognito_signature(
            pycognito_srp(pool, user, password, small_a), user, salt_hex, srp_b_hex, block
        )
        ours = AuthenticationHelper(pool, small_a=small_a).password_claim_signature(
            user, password, salt_hex, srp_b_hex, block, timestamp
        )
        assert ours == theirs, f"seed {seed} case {case}"


@pytest.mark.parametrize(
    ("salt_hex", "padded"),
    [
        ("8afff8", "008afff8"),
        ("faffff", "00faffff"),
        ("7afff7", "7afff7"),
        ("123af", "0123af"),
        ("afff0", "0afff0"),
    ],
)
def test_salt_is_hashed_padded_like_the_sdks(salt_hex: str, padded: str) -> None:
    """The padHex table of the Dart SDK's tests, seen through the signature."""
    assert pad_hex(salt_hex) == padded  # pycognito agrees with the table...
    small_a, srp_b_hex, block = random_a(), f"{random.randrange(2, N):x}", random_block()
    theirs, timestamp = pycognito_signature(
        pycognito_srp(POOL, "alice", "pw", small_a), "alice", salt_hex, srp_b_hex, block
    )
    ours = AuthenticationHelper(POOL, small_a=small_a).password_claim_signature(
        "alice", "pw", salt_hex, srp_b_hex, block, timestamp
    )
    assert ours == theirs  # ...and so do we.


def test_b_above_n_is_hashed_as_sent_like_pycognito() -> None:
    small_a, block = random_a(), random_block()
    srp_b_hex = f"{N + 12345:x}"
    theirs, timestamp = pycognito_signature(
        pycognito_srp(POOL, "alice", "pw", small_a), "alice", "abc", srp_b_hex, block
    )
    ours = AuthenticationHelper(POOL, small_a=small_a).password_claim_signature(
        "alice", "pw", "abc", srp_b_hex, block, timestamp
    )
    assert ours == theirs


def test_secret_hash_matches_pycognito() -> None:
    for user in USERS:
        client_id, client_secret = secrets.token_hex(13), secrets.token_urlsafe(40)
        assert secret_hash(user, client_id, client_secret) == AWSSRP.get_secret_hash(
            user, client_id, client_secret
        )


# --- timestamps ---------------------------------------------------------------------


def test_timestamp_matches_pycognito_on_random_instants() -> None:
    rng = random.Random(os.urandom(8))
    start = datetime.datetime(1901, 1, 1, tzinfo=datetime.timezone.utc)
    for _ in range(2000):
        when = start + datetime.timedelta(seconds=rng.randrange(300 * 365 * 86400))
        assert format_timestamp(when) == AWSSRP.get_cognito_formatted_timestamp(when)
        assert format_timestamp(when.timestamp()) == format_timestamp(when)


def test_days_one_to_nine_are_not_zero_padded() -> None:
    assert format_timestamp(datetime.datetime(2026, 3, 1, 9, 5, 7)) == (
        "Sun Mar 1 09:05:07 UTC 2026"
    )
    for day in range(1, 10):
        text = format_timestamp(datetime.datetime(2026, 11, day, 2, 5, 7))
        assert text.split(" ")[2] == str(day)
        assert text.split(" ")[3] == "02:05:07"


def test_timestamp_converts_aware_datetimes_to_utc() -> None:
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    when = datetime.datetime(2026, 11, 27, 0, 30, 0, tzinfo=tokyo)
    assert format_timestamp(when) == "Thu Nov 26 15:30:00 UTC 2026"
    assert format_timestamp(0) == "Thu Jan 1 00:00:00 UTC 1970"
    assert format_timestamp(-0.5) == "Wed Dec 31 23:59:59 UTC 1969"
    with pytest.raises(TypeError):
        format_timestamp("now")  # type: ignore[arg-type]
    for bad in [float("nan"), float("inf"), 2**63]:
        with pytest.raises(SrpError):
            format_timestamp(bad)


def test_now_timestamp_is_the_current_utc_second() -> None:
    before = datetime.datetime.now(datetime.timezone.utc)
    now = now_timestamp()
    after = datetime.datetime.now(datetime.timezone.utc)
    assert now in {format_timestamp(before), format_timestamp(after)}


# --- server half --------------------------------------------------------------------


def test_k_is_cognitos_multiplier() -> None:
    """With v = 1 and b = 1, SRP_B = k + g: the Dart SDK's known k."""
    assert ServerSession("1", small_b=1).large_b_hex == f"{int(K_HEX, 16) + 2:x}"


def test_verifier_matches_pycognitos_math() -> None:
    for user, password in zip(USERS, PASSWORDS):
        salt_hex, verifier_hex = generate_verifier(POOL, user, password)
        identity = hash_sha256(f"{POOL}{user}:{password}".encode())
        x = int(hex_hash(pad_hex(salt_hex) + identity), 16)
        assert int(verifier_hex, 16) == pow(2, x, N)
        assert salt_hex == f"{int(salt_hex, 16):x}"  # SALT form: no leading zeros
        assert int(salt_hex, 16) < 2**128


def test_salts_are_fresh() -> None:
    salts = {generate_verifier(POOL, "alice", "pw")[0] for _ in range(20)}
    assert len(salts) == 20


def test_server_b_matches_the_srp_formula() -> None:
    _, verifier_hex = generate_verifier(POOL, "alice", "pw")
    small_b = int.from_bytes(os.urandom(32), "big")
    session = ServerSession(verifier_hex, small_b=small_b)
    expected = (int(K_HEX, 16) * int(verifier_hex, 16) + pow(2, small_b, N)) % N
    assert session.large_b_hex == f"{expected:x}"
    assert ServerSession(verifier_hex).large_b_hex != ServerSession(verifier_hex).large_b_hex


def test_pycognito_client_logs_in_to_our_server() -> None:
    for user, password in zip(USERS, PASSWORDS):
        salt_hex, verifier_hex = generate_verifier(POOL, user, password)
        session, block = ServerSession(verifier_hex), new_secret_block()
        client = pycognito_srp(POOL, user, password, random_a())
        signature, timestamp = pycognito_signature(
            client, user, salt_hex, session.large_b_hex, block
        )
        srp_a_hex = f"{client.large_a_value:x}"
        assert session.verify_claim(POOL, user, salt_hex, srp_a_hex, block, timestamp, signature)
        impostor = pycognito_srp(POOL, user, password + "!", random_a())
        signature, timestamp = pycognito_signature(
            impostor, user, salt_hex, session.large_b_hex, block
        )
        srp_a_hex = f"{impostor.large_a_value:x}"
        assert not session.verify_claim(
            POOL, user, salt_hex, srp_a_hex, block, timestamp, signature
        )


def test_our_client_and_server_round_trip_and_catch_tampering() -> None:
    user, password = "6f1e-sub-uuid", "Correct horse 1!"
    salt_hex, verifier_hex = generate_verifier(POOL, user, password)
    session, block = ServerSession(verifier_hex), new_secret_block()
    helper = AuthenticationHelper(POOL)
    srp_b = session.large_b_hex

    def sign(password: str = password, salt: str = salt_hex, srp_b: str = srp_b) -> str:
        return helper.password_claim_signature(user, password, salt, srp_b, block, TIMESTAMP)

    def verify(signature: str, block: str = block, timestamp: str = TIMESTAMP) -> bool:
        return session.verify_claim(
            POOL, user, salt_hex, helper.large_a_hex, block, timestamp, signature
        )

    good = sign()
    assert verify(good)
    tampered = [
        sign(password="Correct horse 2!"),
        sign(salt=f"{int(salt_hex, 16) ^ 1:x}"),
        sign(srp_b=f"{int(srp_b, 16) ^ 1:x}"),
    ]
    for signature in tampered:
        assert signature != good
        assert not verify(signature)
    assert not verify(good, block=new_secret_block())
    assert not verify(good, timestamp="Thu Nov 26 02:05:08 UTC 2026")
    flipped = base64.b64decode(good)
    flipped = bytes([flipped[0] ^ 1]) + flipped[1:]
    assert not verify(base64.b64encode(flipped).decode())
    assert not session.verify_claim(
        POOL, "other-user", salt_hex, helper.large_a_hex, block, TIMESTAMP, good
    )


# --- devices ------------------------------------------------------------------------


def test_device_verifier_matches_pycognitos_math() -> None:
    group, key = "-abcDEF12", "us-east-1_0f3a9e8b-5c1d"
    device = generate_device_verifier(group, key)
    assert len(base64.b64decode(device.device_password)) == 40
    salt = base64.b64decode(device.salt_b64)
    assert pad_hex(int.from_bytes(salt, "big")) == salt.hex()
    assert device.salt_hex == f"{int.from_bytes(salt, 'big'):x}"
    identity = hash_sha256(f"{group}{key}:{device.device_password}".encode())
    x = int(hex_hash(pad_hex(device.salt_hex) + identity), 16)
    verifier = pow(2, x, N)
    assert base64.b64decode(device.verifier_b64).hex() == pad_hex(verifier)
    assert device.confirm_device_config() == {
        "Salt": device.salt_b64,
        "PasswordVerifier": device.verifier_b64,
    }
    assert device.device_password not in repr(device)


def test_device_signature_matches_pycognito_and_verifies() -> None:
    group, key, username = "-abcDEF12", "us-east-1_0f3a9e8b-5c1d", "alice"
    device = generate_device_verifier(group, key)
    session, block = ServerSession(device.verifier_hex), new_secret_block()
    small_a = random_a()
    theirs = AWSSRP(
        username=username,
        password="unused",
        pool_id=f"us-east-1_{POOL}",
        client_id="client",
        client=object(),
        device_key=key,
        device_group_key=group,
        device_password=device.device_password,
    )
    theirs.small_a_value = small_a
    theirs.large_a_value = theirs.calculate_a()
    answer = theirs.process_device_challenge(
        {
            "USERNAME": username,
            "SALT": device.salt_hex,
            "SRP_B": session.large_b_hex,
            "SECRET_BLOCK": block,
        }
    )
    helper = AuthenticationHelper(group, small_a=small_a)
    ours = helper.device_password_claim_signature(
        key,
        device.device_password,
        device.salt_hex,
        session.large_b_hex,
        block,
        answer["TIMESTAMP"],
    )
    assert ours == answer["PASSWORD_CLAIM_SIGNATURE"]
    assert session.verify_claim(
        group, key, device.salt_hex, helper.large_a_hex, block, answer["TIMESTAMP"], ours
    )
    wrong = helper.device_password_claim_signature(
        key, "guess", device.salt_hex, session.large_b_hex, block, answer["TIMESTAMP"]
    )
    assert not session.verify_claim(
        group, key, device.salt_hex, helper.large_a_hex, block, answer["TIMESTAMP"], wrong
    )


# --- refusals -----------------------------------------------------------------------


@pytest.mark.parametrize("srp_b_hex", ["0", "00", N_HEX, N_HEX.lower()])
def test_b_zero_mod_n_is_refused(srp_b_hex: str) -> None:
    with pytest.raises(SrpError, match="SRP_B mod N is zero"):
        AuthenticationHelper(POOL).password_claim_signature(
            "alice", "pw", "abc", srp_b_hex, "", TIMESTAMP
        )


@pytest.mark.parametrize("srp_a_hex", ["0", N_HEX])
def test_a_zero_mod_n_is_refused_by_the_server(srp_a_hex: str) -> None:
    _, verifier_hex = generate_verifier(POOL, "alice", "pw")
    with pytest.raises(SrpError, match="SRP_A mod N is zero"):
        ServerSession(verifier_hex).verify_claim(
            POOL, "alice", "abc", srp_a_hex, "", TIMESTAMP, "AAAA"
        )


@pytest.mark.parametrize(
    ("salt_hex", "srp_b_hex", "block", "field"),
    [
        ("xyz", "abc", "", "SALT"),
        ("", "abc", "", "SALT"),
        ("abc", "-abc", "", "SRP_B"),
        ("abc", "0xabc", "", "SRP_B"),
        ("abc", "ab cd", "", "SRP_B"),
        ("abc", "abc", "not base64!", "SECRET_BLOCK"),
        ("abc", "f" * 769, "", "SRP_B"),
    ],
)
def test_malformed_client_input_is_refused(
    salt_hex: str, srp_b_hex: str, block: str, field: str
) -> None:
    with pytest.raises(SrpError, match=field) as caught:
        AuthenticationHelper(POOL).password_claim_signature(
            "alice", "secret-pw", salt_hex, srp_b_hex, block, TIMESTAMP
        )
    assert isinstance(caught.value, CognitoError)
    assert isinstance(caught.value, ValueError)
    assert "secret-pw" not in str(caught.value)


def test_malformed_server_input_is_refused() -> None:
    salt_hex, verifier_hex = generate_verifier(POOL, "alice", "pw")
    session = ServerSession(verifier_hex)
    srp_a_hex = AuthenticationHelper(POOL).large_a_hex
    cases = [
        ("zz", srp_a_hex, "", "AAAA", "SALT"),
        (salt_hex, "nothex", "", "AAAA", "SRP_A"),
        (salt_hex, srp_a_hex, "%%", "AAAA", "SECRET_BLOCK"),
        (salt_hex, srp_a_hex, "", "***", "PASSWORD_CLAIM_SIGNATURE"),
    ]
    for salt, srp_a, block, signature, field in cases:
        with pytest.raises(SrpError, match=field):
            session.verify_claim(POOL, "alice", salt, srp_a, block, TIMESTAMP, signature)
    for verifier in ["", "xyz", "0", N_HEX]:
        with pytest.raises(SrpError):
            ServerSession(verifier)


def test_injected_private_values_must_be_in_the_group() -> None:
    for bad in [0, -5, N, N + 1]:
        with pytest.raises(SrpError):
            AuthenticationHelper(POOL, small_a=bad)
        with pytest.raises(SrpError):
            ServerSession("1", small_b=bad)
    assert AuthenticationHelper(POOL, small_a=1).large_a_hex == "2"


def test_reprs_show_no_secret() -> None:
    small_a = random_a()
    helper = AuthenticationHelper(POOL, small_a=small_a)
    text = repr(helper)
    assert POOL in text
    assert f"{small_a:x}"[:12] not in text
    assert "small_a" not in text
    session = ServerSession("1", small_b=123456789)
    assert "123456789" not in repr(session) and f"{123456789:x}" not in repr(session)


def test_text_that_is_not_unicode_is_an_srp_error() -> None:
    """A lone surrogate (what undecodable input bytes become) is refused as SrpError,
    naming the field but never echoing the value."""
    bad = "pass\udcffword"
    helper = AuthenticationHelper("pool")
    salt_hex, verifier_hex = generate_verifier("pool", "user", "password")
    srp_b_hex = ServerSession(verifier_hex).large_b_hex
    attempts = [
        lambda: helper.password_claim_signature(
            "user", bad, salt_hex, srp_b_hex, new_secret_block(), now_timestamp()
        ),
        lambda: generate_verifier("pool", "user", bad),
        lambda: secret_hash("user", "client", bad),
    ]
    for attempt in attempts:
        with pytest.raises(SrpError) as caught:
            attempt()
        assert "lone surrogate" in str(caught.value)
        assert bad not in str(caught.value)


def test_the_server_half_lives_in_the_local_pool() -> None:
    from cognito_identity import srp

    for name in ("ServerSession", "generate_verifier", "new_secret_block"):
        assert not hasattr(srp, name)
        assert name not in srp.__all__
