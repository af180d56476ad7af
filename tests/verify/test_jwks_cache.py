"""The JWKS cache: fetched once, fetched again for a new kid at most once per interval,
a penalty box for kids that stay unknown, failures not retried at once, HTTPS only
(loopback HTTP excepted), and one fetch however many threads ask."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from cognito_identity import CognitoJwtVerifier
from cognito_identity.errors import (
    CustomCheckError,
    InvalidConfigurationError,
    InvalidJwkError,
    JwksFetchError,
    TokenKeyNotFoundError,
)
from cognito_identity.jwt import RsaSigningKey
from cognito_identity.verify import JwksCache
from cognito_identity.verify.jwks_cache import MAX_JWKS_BYTES

from .conftest import CLIENT, POOL_ID, access_claims
from .jwks_server import JwksServer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server(jwks: dict[str, Any]) -> Iterator[JwksServer]:
    with JwksServer(jwks) as running:
        yield running


def verifier_for(server: JwksServer, **kwargs: Any) -> CognitoJwtVerifier:
    return CognitoJwtVerifier(POOL_ID, CLIENT, jwks_uri=server.uri, **kwargs)


def test_fetched_once_then_served_from_memory(server: JwksServer, signer: RsaSigningKey) -> None:
    verifier = verifier_for(server)
    token = signer.sign(access_claims())
    for _ in range(20):
        verifier.verify(token)
    assert server.requests == 1


def test_hydrate_fetches_up_front(server: JwksServer) -> None:
    verifier = verifier_for(server)
    assert server.requests == 0
    verifier.hydrate()
    assert server.requests == 1
    assert verifier.cache.kids == {"pool-key-1"}


def test_a_rotated_key_is_fetched(server: JwksServer, signer: RsaSigningKey) -> None:
    verifier = verifier_for(server)
    verifier.verify(signer.sign(access_claims()))
    rotated = RsaSigningKey.generate("pool-key-2")
    server.body = {"keys": [signer.public_jwk(), rotated.public_jwk()]}
    verifier.verify(rotated.sign(access_claims()))
    assert server.requests == 2


def test_made_up_kids_cost_one_fetch_per_interval(server: JwksServer) -> None:
    clock = FakeClock()
    cache = JwksCache(server.uri, refetch_interval=10, penalty=60, clock=clock)
    cache.hydrate()
    for i in range(50):
        with pytest.raises(TokenKeyNotFoundError):
            cache.key_set_with(f"made-up-{i}")
    assert server.requests == 2  # the hydrate, then one refetch
    clock.now += 10
    for i in range(50, 100):
        with pytest.raises(TokenKeyNotFoundError):
            cache.key_set_with(f"made-up-{i}")
    assert server.requests == 3


def test_a_kid_that_stays_unknown_is_penalized(server: JwksServer, signer: RsaSigningKey) -> None:
    clock = FakeClock()
    cache = JwksCache(server.uri, refetch_interval=10, penalty=60, clock=clock)
    with pytest.raises(TokenKeyNotFoundError):
        cache.key_set_with("ghost")  # fetches, still unknown: penalized
    assert server.requests == 1 and cache.policy.is_penalized("ghost")
    clock.now += 30  # the interval has passed, the penalty has not
    with pytest.raises(TokenKeyNotFoundError):
        cache.key_set_with("ghost")
    assert server.requests == 1
    # Another kid may still cause a refetch now.
    ghost = RsaSigningKey.generate("ghost")
    server.body = {"keys": [signer.public_jwk(), ghost.public_jwk()]}
    with pytest.raises(TokenKeyNotFoundError):
        cache.key_set_with("other")
    assert server.requests == 2
    # That refetch brought the key: a penalized kid that is now known is served.
    assert cache.key_set_with("ghost") is not None
    assert server.requests == 2


def test_threads_share_one_fetch(server: JwksServer, signer: RsaSigningKey) -> None:
    verifier = verifier_for(server)
    token = signer.sign(access_claims())
    rotated = RsaSigningKey.generate("pool-key-2")
    server.body = {"keys": [signer.public_jwk(), rotated.public_jwk()]}
    new_token = rotated.sign(access_claims())
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        try:
            for _ in range(20):
                verifier.verify(token)
                verifier.verify(new_token)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert server.requests == 1


def test_a_failed_fetch_is_not_retried_at_once(server: JwksServer, signer: RsaSigningKey) -> None:
    server.status = 500
    verifier = verifier_for(server, refetch_interval=3600)
    token = signer.sign(access_claims())
    with pytest.raises(JwksFetchError, match="HTTP 500"):
        verifier.verify(token)
    server.status = 200
    with pytest.raises(JwksFetchError, match="not retried"):
        verifier.verify(token)
    assert server.requests == 1


def test_unusable_answers(server: JwksServer) -> None:
    server.body = b"x" * (MAX_JWKS_BYTES + 1)
    with pytest.raises(JwksFetchError, match="larger than 1 MiB"):
        JwksCache(server.uri).hydrate()
    server.body = b'{"keys": [{"kty": "EC"}]}'
    with pytest.raises(InvalidJwkError):
        JwksCache(server.uri).hydrate()
    server.body = {"keys": []}
    server.status = 302  # redirects are not followed
    with pytest.raises(JwksFetchError, match="HTTP 302"):
        JwksCache(server.uri).hydrate()


def test_nothing_listening_is_a_fetch_error() -> None:
    with pytest.raises(JwksFetchError, match="ConnectionError"):
        JwksCache("http://127.0.0.1:9/.well-known/jwks.json", timeout=2).hydrate()


@pytest.mark.parametrize(
    "uri",
    [
        "http://cognito-idp.eu-west-1.amazonaws.com/x/.well-known/jwks.json",
        "http://10.0.0.1/jwks.json",
        "ftp://127.0.0.1/jwks.json",
        "/.well-known/jwks.json",
        "https://",
    ],
)
def test_only_https_or_loopback_http(uri: str) -> None:
    with pytest.raises(InvalidConfigurationError):
        CognitoJwtVerifier(POOL_ID, jwks_uri=uri)


@pytest.mark.parametrize(
    "uri", ["http://127.0.0.1:9229/p/jwks.json", "http://localhost/jwks", "http://[::1]:80/j"]
)
def test_loopback_http_is_allowed(uri: str) -> None:
    assert CognitoJwtVerifier(POOL_ID, jwks_uri=uri).settings.jwks_uri == uri


def test_offline_keys_need_no_network(jwks: dict[str, Any], signer: RsaSigningKey) -> None:
    verifier = CognitoJwtVerifier(POOL_ID, CLIENT, jwks=jwks)
    verifier.verify(signer.sign(access_claims()))
    assert verifier.cache.fetches == 0
    other = RsaSigningKey.generate("other")
    verifier.cache.load({"keys": [other.public_jwk()]})
    assert verifier.verify(other.sign(access_claims()))["username"] == "ann"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"user_pool_id": "not-a-pool"},
        {"user_pool_id": "eu-west-1_"},
        {"client_id": []},
        {"client_id": [""]},
        {"token_use": "refresh"},
        {"leeway": -1},
        {"leeway": float("nan")},
        {"groups": [1]},
    ],
)
def test_settings_that_cannot_be_right(kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {"user_pool_id": POOL_ID, **kwargs}
    with pytest.raises(InvalidConfigurationError):
        CognitoJwtVerifier(**args)


def test_verify_many_fetches_a_rotated_key_once(server: JwksServer, signer: RsaSigningKey) -> None:
    def not_bob(claims: dict[str, Any]) -> bool:
        return claims["username"] != "bob"

    verifier = verifier_for(server, custom_check=not_bob)
    rotated = RsaSigningKey.generate("pool-key-2")
    tokens = iter(
        [
            signer.sign(access_claims()),
            rotated.sign(access_claims(username="cy")),
            signer.sign(access_claims(username="bob")),
            rotated.sign(access_claims(username="dee")),
        ]
    )
    server.body = {"keys": [signer.public_jwk(), rotated.public_jwk()]}
    verifier.cache.load({"keys": [signer.public_jwk()]})  # the old keys only
    results = verifier.verify_many(tokens)
    assert [r["username"] if isinstance(r, dict) else type(r) for r in results] == [
        "ann",
        "cy",
        CustomCheckError,
        "dee",
    ]
    assert server.requests == 1
