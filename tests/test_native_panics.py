"""A panic in the native code reaches Python as NativePanicError, a CognitoError.

PyO3 would otherwise raise its PanicException, a BaseException that ``except
Exception`` (and ``except CognitoError``) lets through. No input we know of makes the
native code panic, so these tests use ``_native._panic_probe``, a binding that panics
on purpose through the same guard as every other binding.
"""

from __future__ import annotations

import base64
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cognito_identity import _native
from cognito_identity.errors import CognitoError, NativePanicError

BINDINGS = Path(__file__).resolve().parent.parent / "src"


@pytest.mark.parametrize("gil_released", [False, True], ids=["gil-held", "gil-released"])
def test_a_panic_becomes_a_cognito_error_naming_where_it_happened(gil_released: bool) -> None:
    with pytest.raises(NativePanicError) as caught:
        _native._panic_probe(gil_released=gil_released)

    error = caught.value
    assert isinstance(error, CognitoError)
    assert isinstance(error, Exception)
    assert error.code == "NativePanicError"
    # The fixed text of the panic, the place it happened and the binding it crossed.
    assert "panic probe" in error.message
    assert re.search(r"panic at src/panic_probe\.rs:\d+", error.message)
    assert re.search(r"binding at src/panic_probe\.rs:\d+", error.message)


def test_a_formatted_panic_message_is_withheld_from_the_error_and_stderr(
    capfd: pytest.CaptureFixture[str],
) -> None:
    secret = "Corr3ct-Horse-Battery!"

    with pytest.raises(NativePanicError) as caught:
        _native._panic_probe(formatted=secret)

    assert secret not in str(caught.value)
    assert secret not in repr(caught.value)
    assert "details withheld" in caught.value.message
    # The default panic hook would have printed the message; ours prints nothing.
    out, err = capfd.readouterr()
    assert secret not in out + err
    assert "panicked" not in err


def test_panics_on_many_threads_at_once_each_become_an_error_and_leave_the_module_working() -> None:
    def probe(index: int) -> str:
        try:
            _native._panic_probe(gil_released=True, formatted=str(index))
        except NativePanicError as error:
            return error.message
        return "no error"

    with ThreadPoolExecutor(max_workers=8) as threads:
        messages = list(threads.map(probe, range(64)))

    assert all("panic at src/panic_probe.rs" in message for message in messages)
    # After the panics, real work still gives known answers: RFC 4226's first code, and
    # RFC 4231's test case 2 as a SECRET_HASH (key "Jefe", the message split in two).
    assert _native.otp_hotp(b"12345678901234567890", 0) == "755224"
    expected = base64.b64encode(
        bytes.fromhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    ).decode()
    assert _native.srp_secret_hash("what do ya want ", "for nothing?", "Jefe") == expected
    # And work with the GIL released: a verifier for a fresh random salt (whose hex has
    # no leading zeros, so its length varies).
    salt_hex, verifier_hex = _native.srp_generate_verifier("pool", "user", "password")
    assert int(salt_hex, 16) > 0 and int(verifier_hex, 16) > 0


def test_every_binding_releases_the_gil_only_through_the_panic_guard() -> None:
    """``py.detach`` outside errors.rs would run crate code with no guard around it."""
    unguarded = [
        f"{path.name}:{number}"
        for path in sorted(BINDINGS.glob("*.rs"))
        if path.name != "errors.rs"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ".detach(" in line
    ]

    assert list(BINDINGS.glob("*.rs")), "the binding sources were not found"
    assert unguarded == []
