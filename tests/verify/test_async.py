"""AsyncCognitoJwtVerifier: the same checks, the JWKS fetched with httpx."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from cognito_identity.errors import JwksFetchError, TokenKeyNotFoundError, WrongTokenUseError
from cognito_identity.jwt import RsaSigningKey
from cognito_identity.local import LocalCognito
from cognito_identity.verify import AsyncCognitoJwtVerifier

from .conftest import CLIENT, POOL_ID, access_claims, id_claims
from .jwks_server import JwksServer
from .test_accepted import local_tokens


def test_local_pool_tokens(local: LocalCognito) -> None:
    pool_id, clients, tokens = local_tokens(local)

    async def main() -> None:
        verifier = AsyncCognitoJwtVerifier(
            pool_id, clients, "access", issuer=f"{local.endpoint}/{pool_id}"
        )
        await verifier.hydrate()
        for pair in tokens:
            claims = await verifier.verify_authorization_header(f"Bearer {pair['access']}")
            assert claims["username"] == "ann"
            with pytest.raises(WrongTokenUseError):
                await verifier.verify(pair["id"])
        assert verifier.cache.fetches == 1
        await verifier.cache.aclose()

    asyncio.run(main())


def test_refetch_rules_and_failures(jwks: dict[str, Any], signer: RsaSigningKey) -> None:
    with JwksServer(jwks) as server:

        async def main() -> None:
            verifier = AsyncCognitoJwtVerifier(POOL_ID, CLIENT, jwks_uri=server.uri)
            # Many coroutines at once: one fetch.
            token = signer.sign(id_claims())
            results = await asyncio.gather(*(verifier.verify(token) for _ in range(20)))
            assert all(r["aud"] == CLIENT for r in results)
            assert server.requests == 1
            rotated = RsaSigningKey.generate("pool-key-2")
            server.body = {"keys": [signer.public_jwk(), rotated.public_jwk()]}
            await verifier.verify(rotated.sign(access_claims()))
            assert server.requests == 2
            for i in range(10):  # within the interval: no more fetches
                with pytest.raises(TokenKeyNotFoundError):
                    await verifier.verify(RsaSigningKey.generate(f"x{i}").sign(access_claims()))
            assert server.requests == 2
            await verifier.cache.aclose()

            server.status = 500
            failing = AsyncCognitoJwtVerifier(POOL_ID, CLIENT, jwks_uri=server.uri)
            with pytest.raises(JwksFetchError, match="HTTP 500"):
                await failing.verify(token)
            with pytest.raises(JwksFetchError, match="not retried"):
                await failing.verify(token)
            await failing.cache.aclose()

        asyncio.run(main())
