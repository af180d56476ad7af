"""The local pool's protocol layer, fed generated bodies (hypothesis) for every action of
both services: each is answered with a 2xx or Cognito's own 4xx error, never a 500.

Bodies follow the action's input shape, with values of the wrong JSON type slipped in at
any depth, real pool, client and identity-pool ids in some places so that requests get
past the lookups, and raw bytes (truncated JSON, binary, deep nesting) besides. The
protocol handler is called directly: no sockets, so many bodies fit in a few seconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cognito_identity.local import LocalCognito
from cognito_identity.local.context import ServerContext
from cognito_identity.local.protocol import IDENTITY_TARGET_PREFIX, TARGET_PREFIX, handle_action
from cognito_identity.local.shapes import IDENTITY_INPUTS, INPUTS
from cognito_identity.local.validation import Shape

_JUNK: list[Any] = [None, True, 0, -1, 2**70, 1.5, "", [], {}, ["x"], {"Name": 1}]
_WORDS = [
    "",
    "x",
    "alice",
    "alice@example.com",
    "+15555550100",
    "Passw0rd!x",
    "123456",
    "USER_SRP_AUTH",
    "a" * 300,
    "\u0000",
    "é☃🙂",
    "email",
    "custom:x",
]
_AUTH_KEYS = ["USERNAME", "PASSWORD", "SRP_A", "SECRET_HASH", "REFRESH_TOKEN", "NEW_PASSWORD"]


def _target(action: str) -> str:
    return (TARGET_PREFIX if action in INPUTS else IDENTITY_TARGET_PREFIX) + action


def _call(ctx: ServerContext, action: str, document: dict[str, Any]) -> dict[str, Any]:
    reply = handle_action(ctx, _target(action), json.dumps(document).encode())
    assert reply.status == 200, reply.body
    answer: dict[str, Any] = json.loads(reply.body)
    return answer


class Ids:
    """Real ids of one pool, app client and identity pool, and a user with a password."""

    def __init__(self, ctx: ServerContext) -> None:
        self.pool = _call(ctx, "CreateUserPool", {"PoolName": "props"})["UserPool"]["Id"]
        self.client = _call(
            ctx,
            "CreateUserPoolClient",
            {
                "UserPoolId": self.pool,
                "ClientName": "c",
                "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
            },
        )["UserPoolClient"]["ClientId"]
        user = {"UserPoolId": self.pool, "Username": "alice", "Password": "Passw0rd!x"}
        _call(ctx, "AdminCreateUser", user)
        _call(ctx, "AdminSetUserPassword", {**user, "Permanent": True})
        self.identity_pool = _call(
            ctx,
            "CreateIdentityPool",
            {"IdentityPoolName": "props", "AllowUnauthenticatedIdentities": True},
        )["IdentityPoolId"]

    def strings(self) -> list[str]:
        return [*_WORDS, self.pool, self.client, self.identity_pool]


def _value(shape: Shape, words: list[str], depth: int = 0) -> st.SearchStrategy[Any]:
    """A value of ``shape``; at every level, sometimes one of the wrong JSON type."""
    good: st.SearchStrategy[Any]
    if shape.kind == "string":
        choices = list(shape.enum or ()) + words
        good = st.one_of(st.sampled_from(choices), st.text(max_size=40))
    elif shape.kind == "integer":
        good = st.one_of(st.sampled_from([0, 1, 60, 3600, -3, 10**12]), st.integers())
    elif shape.kind == "boolean":
        good = st.booleans()
    elif depth > 4:
        good = st.just({} if shape.kind in ("map", "structure") else [])
    elif shape.kind == "list":
        assert shape.item is not None
        good = st.lists(_value(shape.item, words, depth + 1), max_size=3)
    elif shape.kind == "map":
        assert shape.item is not None
        keys = st.one_of(st.sampled_from(_AUTH_KEYS), st.text(max_size=10))
        good = st.dictionaries(keys, _value(shape.item, words, depth + 1), max_size=4)
    else:
        required = {
            n: _value(m.shape, words, depth + 1) for n, m in shape.members.items() if m.required
        }
        optional = {
            n: _value(m.shape, words, depth + 1) for n, m in shape.members.items() if not m.required
        }
        good = st.fixed_dictionaries(required, optional=optional)
    # Three in four values are of the right type, so most bodies reach the handler.
    return st.one_of(good, good, good, st.sampled_from(_JUNK))


def _bodies(shape: Shape, words: list[str]) -> st.SearchStrategy[bytes]:
    documents = _value(shape, words).map(lambda document: json.dumps(document).encode())
    raw = st.one_of(
        st.binary(max_size=64),
        documents.flatmap(lambda body: st.integers(0, len(body)).map(lambda cut: body[:cut])),
        st.sampled_from([b"[" * 100_000, b'{"a":' * 50_000, b"null", b"[]", b'"x"', b"1e999"]),
    )
    return st.one_of(documents, documents, documents, raw)


@pytest.fixture(scope="module")
def local() -> Iterator[tuple[ServerContext, Ids]]:
    with LocalCognito() as server:
        ctx = server._context
        yield ctx, Ids(ctx)


@pytest.mark.parametrize("action", sorted({*INPUTS, *IDENTITY_INPUTS}))
def test_generated_bodies_never_get_a_500(local: tuple[ServerContext, Ids], action: str) -> None:
    ctx, ids = local
    shape = INPUTS.get(action) or IDENTITY_INPUTS[action]

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_bodies(shape, ids.strings()))
    def check(body: bytes) -> None:
        reply = handle_action(ctx, _target(action), body)
        assert reply.status < 500, (action, body[:300], reply.body)
        if reply.status >= 400:
            error = json.loads(reply.body)
            assert error["__type"] and "Traceback" not in error.get("message", "")

    check()
