"""Fixtures for the verifier's tests: a pool's signing key and tokens made with it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from cognito_identity.jwt import RsaSigningKey
from cognito_identity.local import LocalCognito

POOL_ID = "eu-west-1_TestPool1"
ISSUER = f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"
CLIENT = "app-client-1"
#: A loopback JWKS URI where nothing listens.
NOWHERE = "http://127.0.0.1:9/.well-known/jwks.json"


@pytest.fixture(scope="session")
def signer() -> RsaSigningKey:
    return RsaSigningKey.generate("pool-key-1")


@pytest.fixture(scope="session")
def jwks(signer: RsaSigningKey) -> dict[str, Any]:
    return {"keys": [signer.public_jwk()]}


def access_claims(**changes: Any) -> dict[str, Any]:
    """The claims of a Cognito access token, issued now to CLIENT, with ``changes``."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "5f1c8e2a-0000-4000-8000-00000000beef",
        "iss": ISSUER,
        "client_id": CLIENT,
        "origin_jti": "c7d2",
        "event_id": "e1",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": now,
        "exp": now + 3600,
        "iat": now,
        "jti": "j1",
        "username": "ann",
    }
    claims.update(changes)
    return {k: v.at() if isinstance(v, Later) else v for k, v in claims.items() if v is not DROP}


class Later:
    """A time ``offset`` seconds after the claims are made (parameters are made at
    collection, which may be long before the test runs)."""

    def __init__(self, offset: int) -> None:
        self.offset = offset

    def at(self) -> int:
        return int(time.time()) + self.offset


def id_claims(**changes: Any) -> dict[str, Any]:
    """The claims of a Cognito ID token for CLIENT, with ``changes``."""
    base = access_claims(token_use="id", aud=CLIENT, client_id=DROP, scope=DROP, username=DROP)
    base.update({"cognito:username": "ann", "email": "ann@example.com", "email_verified": True})
    base.update(changes)
    return {k: v for k, v in base.items() if v is not DROP}


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


#: A claim value that removes the claim.
DROP: Any = _Drop()


@pytest.fixture
def local() -> Iterator[LocalCognito]:
    with LocalCognito() as server:
        yield server
