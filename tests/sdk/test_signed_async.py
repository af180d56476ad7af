"""asyncio end to end against the local pool's signature-checking endpoint: requests
signed with AsyncCognitoCredentials (httpx_auth.CognitoSigV4Auth on an httpx.AsyncClient,
and sigv4_client()) are accepted, and loops of concurrent signed requests across the
credentials' expiry never fail."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
import requests

from cognito_identity import AwsSigV4Client, SigV4Request
from cognito_identity import auth as requests_auth
from cognito_identity.asyncio import AsyncCognitoCredentials, AsyncCognitoUserPool
from cognito_identity.errors import InvalidConfigurationError
from cognito_identity.httpx_auth import CognitoSigV4Auth
from cognito_identity.local import LocalCognito, ManualClock

from .conftest import PoolSetup, make_setup
from .signed_endpoint import aws_url, echo, refusal
from .test_credentials import identity_pool
from .test_credentials_async import Calls, create_user, credentials_of, run_with_pool, signed_in
from .test_credentials_refresh import move_clocks

GRAPHQL = {"query": "query { listTodos { items { id } } }"}
#: Requests in flight at once in each round of the loops.
AT_ONCE = 10


def signed_by(got: dict[str, Any], credentials: AsyncCognitoCredentials, how: str) -> None:
    """The endpoint saw the credentials' current key and identity, signed ``how``."""
    assert got["access_key_id"] == credentials.access_key_id
    assert got["identity_id"] == credentials.identity_id
    assert got["signed_with"] == how


def test_httpx_async_auth_and_sigv4_client_are_accepted(setup: PoolSetup) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        credentials = credentials_of(setup, pool, identity_pool_id, await signed_in(pool, "al"))
        async with httpx.AsyncClient() as client:
            api, appsync, s3 = (
                CognitoSigV4Auth(credentials, service, "us-east-1")
                for service in ("execute-api", "appsync", "s3")
            )
            answers = await asyncio.gather(
                client.post(
                    f"{aws_url(setup, 'execute-api')}/prod/items",
                    params={"color": "orange red"},
                    json={"name": "lamp"},
                    auth=api,
                ),
                client.post(f"{aws_url(setup, 'appsync')}/graphql", json=GRAPHQL, auth=appsync),
                client.get(f"{aws_url(setup, 's3')}/bucket/photos/a b.jpg", auth=s3),
            )
            # Three requests, one fetch: GetId and GetCredentialsForIdentity once.
            assert calls.take() == ["GetId", "GetCredentialsForIdentity"]
            for answer in answers:
                signed_by(echo(answer), credentials, "header")
            got = echo(answers[0])
            assert (got["query"], got["body"]) == ([["color", "orange red"]], '{"name":"lamp"}')

            signer = await credentials.sigv4_client(aws_url(setup, "execute-api"))
            request = SigV4Request(signer, "PUT", "/prod/items/7", body={"n": 1})
            answer = await client.put(request.url, headers=request.headers, content=request.body)
            signed_by(echo(answer), credentials, "header")
            s3_signer = await credentials.sigv4_client(aws_url(setup, "s3"), "s3")
            answer = await client.get(s3_signer.presign_url("GET", "/bucket/k.txt"))
            signed_by(echo(answer), credentials, "query")

    run_with_pool(setup, scenario, "al")


def test_a_guest_signs_as_the_guest_identity(setup: PoolSetup) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        guest = credentials_of(setup, pool, identity_pool_id)
        await guest.get_guest_aws_credentials()
        auth = CognitoSigV4Auth(guest, "execute-api", "us-east-1")
        async with httpx.AsyncClient() as client:
            got = echo(await client.get(f"{aws_url(setup, 'execute-api')}/me", auth=auth))
        signed_by(got, guest, "header")

    run_with_pool(setup, scenario)


@pytest.mark.parametrize("jump", [3600 - 30, 3600 + 60])
def test_concurrent_loop_across_expiry_never_fails(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, jump: int
) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        credentials = credentials_of(setup, pool, identity_pool_id, await signed_in(pool, "al"))
        auth = CognitoSigV4Auth(credentials, "execute-api", "us-east-1")
        first = await credentials.get_credentials()
        calls.take()
        keys: list[set[str]] = []
        async with httpx.AsyncClient() as client:
            for step in range(6):
                if step == 3:
                    # Half a minute before expiry, then past it: the pool's clock and the SDK's.
                    move_clocks(monkeypatch, clock, jump)
                url = f"{aws_url(setup, 'execute-api')}/prod/{step}"
                answers = await asyncio.gather(
                    *(client.post(url, json={"n": n}, auth=auth) for n in range(AT_ONCE))
                )
                keys.append({echo(answer)["access_key_id"] for answer in answers})
            if jump > 3600:
                # The first key is now refused: the loop was saved by the refresh.
                old = AwsSigV4Client(
                    first.access_key_id,
                    first.secret_access_key,
                    aws_url(setup, "s3"),
                    service_name="s3",
                    session_token=first.session_token,
                )
                assert refusal(await client.get(old.presign_url("GET", "/b/k")))[1] == (
                    "ExpiredToken"
                )
        second = await credentials.get_credentials()
        assert keys == [{first.access_key_id}] * 3 + [{second.access_key_id}] * 3
        assert second.access_key_id != first.access_key_id
        # Thirty requests after the jump, one fetch.
        assert calls.take() == ["GetCredentialsForIdentity"]

    run_with_pool(setup, scenario, "al")


def test_real_time_loop_with_short_lived_credentials() -> None:
    """Credentials that live 62 seconds are due (within the SDK's minute) about two
    seconds after they are issued: tasks that keep signing see them replaced, one fetch
    per new key, with no request refused."""
    with LocalCognito(credentials_lifetime=62) as local:
        setup = make_setup(local)
        identity_pool_id = identity_pool(setup)

        async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
            user = await signed_in(pool, "al")
            credentials = credentials_of(setup, pool, identity_pool_id, user)
            auth = CognitoSigV4Auth(credentials, "appsync", "us-east-1")
            seen: list[str] = []
            deadline = time.monotonic() + 8
            async with httpx.AsyncClient() as client:
                while len(set(seen)) < 2 and time.monotonic() < deadline:
                    answers = await asyncio.gather(
                        *(
                            client.post(f"{aws_url(setup, 'appsync')}/graphql", json={}, auth=auth)
                            for _ in range(AT_ONCE)
                        )
                    )
                    seen += [echo(answer)["access_key_id"] for answer in answers]
                    await asyncio.sleep(0.05)
            assert len(set(seen)) >= 2
            fetched = calls.take()
            assert fetched == ["GetId"] + ["GetCredentialsForIdentity"] * len(set(seen))

        run_with_pool(setup, scenario, "al")


def test_sync_auths_refuse_asyncio_credentials(setup: PoolSetup) -> None:
    identity_pool_id = identity_pool(setup)
    create_user(setup, "al")

    async def main() -> None:
        async with AsyncCognitoUserPool(
            setup.pool_id, setup.client_id, endpoint=setup.local.endpoint
        ) as pool:
            user = await signed_in(pool, "al")
            credentials = credentials_of(setup, pool, identity_pool_id, user)
            await credentials.get_credentials()
            url = f"{aws_url(setup, 'execute-api')}/prod"
            with pytest.raises(InvalidConfigurationError, match=r"httpx\.AsyncClient"):
                requests.get(url, auth=requests_auth.CognitoSigV4Auth(credentials, "x", "y"))
            with httpx.Client() as client, pytest.raises(InvalidConfigurationError):
                client.get(url, auth=CognitoSigV4Auth(credentials, "execute-api", "us-east-1"))

    asyncio.run(main())
