"""A dict or list body is sent as the same bytes as json.dumps writes, native encoder or not.

``SigV4Request`` encodes mapping and list bodies as
``json.dumps(body, separators=(",", ":"), ensure_ascii=False)`` in UTF-8. Plain documents
are written by the Rust encoder (``_native.compact_json``), which must produce exactly
those bytes; anything it does not handle goes to ``json.dumps`` itself.
"""

from __future__ import annotations

import collections
import enum
import json
import math
import types
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_identity._native import compact_json
from cognito_identity.errors import SigV4Error
from cognito_identity.sigv4 import AwsSigV4Client, SigV4Request

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
# Any code point but the lone surrogates, which have no UTF-8 form (tested below).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
FLOATS = st.floats(allow_nan=True, allow_infinity=True)


def python_bytes(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def body_of(document: Any) -> bytes:
    client = AwsSigV4Client("AKIDEXAMPLE", "secret", "https://api.example.com/dev")
    return SigV4Request(client, "POST", "/items", body=document).body


# Documents the native encoder writes itself: str keys, 64-bit ints, shallow nesting.
plain_scalars = st.none() | st.booleans() | INT64 | FLOATS | TEXT
plain_documents = st.recursive(
    plain_scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.lists(children, max_size=5).map(tuple)
        | st.dictionaries(TEXT, children, max_size=5)
    ),
    max_leaves=30,
)
# Anything json.dumps accepts, including what the native encoder hands back to it.
any_scalars = plain_scalars | st.integers() | st.integers(min_value=2**63, max_value=2**200)
any_keys = TEXT | st.integers() | FLOATS | st.booleans() | st.none()
any_documents = st.recursive(
    any_scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.lists(children, max_size=5).map(tuple)
        | st.dictionaries(any_keys, children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=100, deadline=None, database=None)
@given(st.dictionaries(TEXT, plain_documents, max_size=6) | st.lists(plain_documents, max_size=6))
def test_plain_documents_are_written_natively_with_json_dumps_bytes(document: Any) -> None:
    native = compact_json(document)
    assert native is not None
    assert native == python_bytes(document)
    assert body_of(document) == native


@settings(max_examples=100, deadline=None, database=None)
@given(st.dictionaries(any_keys, any_documents, max_size=6) | st.lists(any_documents, max_size=6))
def test_any_document_is_sent_as_json_dumps_bytes(document: Any) -> None:
    native = compact_json(document)
    assert native is None or native == python_bytes(document)
    assert body_of(document) == python_bytes(document)


@settings(max_examples=500, deadline=None, database=None)
@given(FLOATS)
def test_floats_are_written_as_python_repr(value: float) -> None:
    assert compact_json([value]) == python_bytes([value])


@pytest.mark.parametrize(
    "value",
    [
        0.0,
        -0.0,
        0.1,
        1e-4,
        9.999999999999999e-5,
        1e-5,
        1e15,
        9999999999999998.0,
        1e16,
        1.7976931348623157e308,
        5e-324,
        2.2250738585072014e-308,
        math.pi,
        math.nan,
        math.inf,
        -math.inf,
    ],
)
def test_float_boundaries(value: float) -> None:
    assert compact_json({"v": value}) == python_bytes({"v": value})


def test_strings_escape_only_what_json_dumps_escapes() -> None:
    every_control = "".join(map(chr, range(0x20)))
    text = every_control + '"\\/ \x7f é \u2028 \u2029 \ufeff 😀 \U0010ffff'
    assert compact_json([text]) == python_bytes([text])
    assert compact_json({text: text}) == python_bytes({text: text})


def test_ints_beyond_64_bits_are_left_to_json_dumps() -> None:
    for big in (2**63, -(2**63) - 1, 10**40):
        assert compact_json([big]) is None
        assert body_of([big]) == python_bytes([big])
    assert compact_json([2**63 - 1, -(2**63)]) == b"[9223372036854775807,-9223372036854775808]"


def test_an_int_too_long_for_python_to_print_is_a_sigv4_error() -> None:
    with pytest.raises(SigV4Error, match="cannot be encoded as JSON"):
        body_of({"n": 10**5000})


def test_a_body_nested_too_deep_for_json_dumps_is_a_sigv4_error() -> None:
    # The native encoder leaves documents over 64 deep to json.dumps, which recurses.
    document: list[Any] = []
    for _ in range(5_000):
        document = [document]
    with pytest.raises(SigV4Error, match="cannot be encoded as JSON"):
        body_of(document)


def test_non_str_keys_are_converted_as_json_dumps_converts_them() -> None:
    document = {7: "int", 2.5: "float", True: "bool", None: "none", "7": "str"}
    assert compact_json(document) is None
    assert body_of(document) == b'{"7":"int","2.5":"float","true":"bool","null":"none","7":"str"}'


class Colour(enum.IntEnum):
    BLUE = 3


class Text(str):
    def __str__(self) -> str:
        return "overridden"


class Number(float):
    def __repr__(self) -> str:
        return "overridden"


@pytest.mark.parametrize(
    "document",
    [
        {"colour": Colour.BLUE},
        {"name": Text("plain")},
        {Text("key"): 1},
        [Number(1.5)],
        collections.OrderedDict(b=1, a=2),
        {"nested": collections.OrderedDict(b=1)},
        {"items": [[1], (2,), ()]},
    ],
    ids=[
        "IntEnum",
        "str subclass",
        "str subclass key",
        "float subclass",
        "OrderedDict",
        "nested OrderedDict",
        "tuples",
    ],
)
def test_subclasses_get_json_dumps_bytes(document: Any) -> None:
    assert body_of(document) == python_bytes(document)


def test_other_mappings_are_encoded_as_dicts() -> None:
    proxy = types.MappingProxyType({"a": [1, None]})
    assert body_of(proxy) == b'{"a":[1,null]}'


def test_deep_documents_are_left_to_json_dumps() -> None:
    document: Any = "leaf"
    for _ in range(300):
        document = {"d": [document]}
    assert compact_json(document) is None
    assert body_of(document) == python_bytes(document)


def test_a_lone_surrogate_is_a_sigv4_error() -> None:
    assert compact_json({"k": "\ud800"}) is None
    with pytest.raises(SigV4Error, match="cannot be encoded as JSON"):
        body_of({"k": "\ud800"})


def test_a_circular_document_is_a_sigv4_error() -> None:
    loop: list[Any] = []
    loop.append(loop)
    assert compact_json(loop) is None
    with pytest.raises(SigV4Error, match="cannot be encoded as JSON"):
        body_of({"loop": loop})


def test_values_json_cannot_encode_are_a_sigv4_error() -> None:
    for document in ({"s": {1, 2}}, [object()], {"b": b"bytes"}):
        assert compact_json(document) is None
        with pytest.raises(SigV4Error, match="cannot be encoded as JSON"):
            body_of(document)


def test_the_signature_covers_the_bytes_sent() -> None:
    client = AwsSigV4Client("AKIDEXAMPLE", "secret", "https://api.example.com/dev")
    document = {"query": "{ me }", "variables": {"n": 1.5, "ok": True, "ids": [1, 2]}}
    from_dict = SigV4Request(client, "POST", "/", body=document, datetime="20260101T000000Z")
    from_text = SigV4Request(
        client, "POST", "/", body=python_bytes(document), datetime="20260101T000000Z"
    )
    assert from_dict.body == from_text.body
    assert from_dict.headers["Authorization"] == from_text.headers["Authorization"]
