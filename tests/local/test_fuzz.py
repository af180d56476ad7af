"""Malformed input to every action gets a 4xx, never an internal error (seeded, repeatable)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from cognito_identity.local import LocalCognito
from cognito_identity.local.protocol import TARGET_PREFIX, handle_action
from cognito_identity.local.shapes import INPUTS
from cognito_identity.local.validation import Shape

_SCALARS: list[Any] = [None, True, 0, -1, 2**70, 1.5, "", [], {}, ["x"], {"Name": 1}]
_STRINGS = [
    "",
    " ",
    "x",
    "0",
    "alice",
    "alice@example.com",
    "+15555550100",
    "Passw0rd!x",
    "123456",
    "ab12",
    "us-east-1_abc",
    "a" * 300,
    "\u0000",
    "é☃🙂",
    "email",
    "custom:x",
    "USER_SRP_AUTH",
]


def _value(rng: random.Random, shape: Shape, corrupt: float, depth: int = 0) -> Any:
    """A value of ``shape`` with random content; with probability ``corrupt`` at each
    level, a value of the wrong JSON type instead."""
    if rng.random() < corrupt:
        return rng.choice(_SCALARS)
    if shape.kind == "string":
        if shape.enum and rng.random() < 0.7:
            return rng.choice(shape.enum)
        return rng.choice(_STRINGS)
    if shape.kind == "integer":
        return rng.choice([0, 1, 5, 60, 3600, -3, 10**12])
    if shape.kind == "boolean":
        return rng.random() < 0.5
    if shape.kind in ("list", "map"):
        assert shape.item is not None
        if shape.kind == "list":
            return [_value(rng, shape.item, corrupt, depth + 1) for _ in range(rng.randrange(3))]
        keys = ["USERNAME", "PASSWORD", "SRP_A", "SECRET_HASH", "REFRESH_TOKEN", "NEW_PASSWORD"]
        return {rng.choice(keys): _value(rng, shape.item, corrupt, depth + 1) for _ in range(3)}
    return {
        name: _value(rng, member.shape, corrupt, depth + 1)
        for name, member in shape.members.items()
        if member.required or rng.random() < 0.6
    }


@pytest.fixture(scope="module")
def local() -> Iterator[LocalCognito]:
    with LocalCognito() as server:
        yield server


@pytest.mark.parametrize("action", sorted(INPUTS))
def test_random_requests_never_fault(local: LocalCognito, action: str) -> None:
    rng = random.Random(f"fuzz-{action}")
    ctx = local._context
    # A real pool and client, so some requests get past the lookups.
    pool = json.loads(
        handle_action(ctx, TARGET_PREFIX + "CreateUserPool", b'{"PoolName": "fuzz"}').body
    )["UserPool"]["Id"]
    client = json.loads(
        handle_action(
            ctx,
            TARGET_PREFIX + "CreateUserPoolClient",
            json.dumps(
                {
                    "UserPoolId": pool,
                    "ClientName": "c",
                    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
                }
            ).encode(),
        ).body
    )["UserPoolClient"]["ClientId"]
    password = {"UserPoolId": pool, "Username": "alice", "Password": "Passw0rd!x"}
    handle_action(ctx, TARGET_PREFIX + "AdminCreateUser", json.dumps(password).encode())
    handle_action(
        ctx,
        TARGET_PREFIX + "AdminSetUserPassword",
        json.dumps({**password, "Permanent": True}).encode(),
    )
    for n in range(60):
        # Two requests in three are well-typed, to reach the handlers.
        document = _value(rng, INPUTS[action], 0.0 if n % 3 else 0.05)
        if isinstance(document, dict):
            if "UserPoolId" in document and rng.random() < 0.6:
                document["UserPoolId"] = pool
            if "ClientId" in document and rng.random() < 0.6:
                document["ClientId"] = client
        reply = handle_action(ctx, TARGET_PREFIX + action, json.dumps(document).encode())
        assert reply.status in (200, 400), (action, document, reply.body)
        body = json.loads(reply.body)
        if reply.status == 400:
            assert body["__type"] and "Traceback" not in body["message"]
