"""AsyncCognitoCredentials against the local pool: the sync class's behaviours, awaited
(a user's and a guest's credentials, the per-login cache, stale identities, refresh
before expiry, resets, typed errors), and one fetch however many tasks ask at once."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from cognito_identity import AuthenticationDetails
from cognito_identity.asyncio import (
    AsyncCognitoCredentials,
    AsyncCognitoIdentityId,
    AsyncCognitoUser,
    AsyncCognitoUserPool,
)
from cognito_identity.client import IDENTITY_POOLS, AsyncCognitoIdentityClient, CallRecord
from cognito_identity.credentials import GUEST, CognitoCredentials, identity_id_key
from cognito_identity.errors import (
    CognitoResponseError,
    InvalidConfigurationError,
    NotAuthenticatedError,
    NotAuthorizedException,
)
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.sigv4 import AwsSigV4Client
from cognito_identity.storage import MemoryStorage
from cognito_identity.transports import MockRequest, MockTransport

from .async_helpers import async_pool
from .conftest import PASSWORD, PoolSetup
from .test_credentials import _forged, identity_client, identity_pool
from .test_credentials_refresh import move_clocks

T = TypeVar("T")
TASKS = 50


class Calls:
    """A call hook that keeps the identity pool actions sent, in order."""

    def __init__(self) -> None:
        self.actions: list[str] = []

    def __call__(self, record: CallRecord) -> None:
        if record.service == IDENTITY_POOLS:
            self.actions.append(record.action)

    def take(self) -> list[str]:
        """The actions since the last ``take``."""
        taken, self.actions = self.actions, []
        return taken


def create_user(setup: PoolSetup, username: str) -> None:
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id, Username=username, MessageAction="SUPPRESS"
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username=username, Password=PASSWORD, Permanent=True
    )


async def signed_in(pool: AsyncCognitoUserPool, username: str) -> AsyncCognitoUser:
    user = AsyncCognitoUser(username, pool)
    await user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    return user


def run_with_pool(
    setup: PoolSetup,
    scenario: Callable[[AsyncCognitoUserPool, Calls], Awaitable[T]],
    *users: str,
) -> T:
    """``scenario(pool, calls)`` on an asyncio pool whose hook counts identity pool calls,
    after creating ``users`` (each can sign in with PASSWORD)."""
    for username in users:
        create_user(setup, username)
    calls = Calls()

    async def main() -> T:
        async with async_pool(setup, hooks=(calls,)) as pool:
            return await scenario(pool, calls)

    return asyncio.run(main())


def credentials_of(
    setup: PoolSetup,
    pool: AsyncCognitoUserPool,
    identity_pool_id: str,
    user: AsyncCognitoUser | None = None,
) -> AsyncCognitoCredentials:
    return AsyncCognitoCredentials(identity_pool_id, pool, endpoint=setup.local.endpoint, user=user)


def test_a_user_s_credentials_are_the_sync_class_s_identity(
    setup: PoolSetup, clock: ManualClock
) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        user = await signed_in(pool, "alice")
        credentials = credentials_of(setup, pool, identity_pool_id, user)
        assert credentials.access_key_id is None
        snapshot = await credentials.get_credentials()
        assert snapshot.access_key_id.startswith("ASIA")
        assert snapshot.expiration_timestamp == int(clock.now()) + 3600
        assert (credentials.identity_id, credentials.access_key_id) == (
            snapshot.identity_id,
            snapshot.access_key_id,
        )
        assert calls.take() == ["GetId", "GetCredentialsForIdentity"]
        # Fresh: the same snapshot, no call.
        assert await credentials.get_credentials() is snapshot
        assert calls.take() == []
        # The sync class, given the same id token, finds the same identity.
        token = (await user.get_session()).id_token.jwt_token
        sync = CognitoCredentials(identity_pool_id, setup.pool(), endpoint=setup.local.endpoint)
        sync.get_aws_credentials(token)
        assert sync.identity_id == snapshot.identity_id
        provider = credentials.default_authenticator(token)
        key = identity_id_key(identity_pool_id, provider)
        assert pool.storage.get_item(key) == snapshot.identity_id

    run_with_pool(setup, scenario, "alice")


def test_guest_credentials_and_their_cached_identity(setup: PoolSetup) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        guest = credentials_of(setup, pool, identity_pool_id)
        await guest.get_guest_aws_credentials()
        assert guest.access_key_id and guest.access_key_id.startswith("ASIA")
        key = identity_id_key(identity_pool_id, GUEST)
        assert pool.storage.get_item(key) == guest.identity_id
        # Another object on the same storage: the same guest identity, no GetId.
        calls.take()
        later = credentials_of(setup, pool, identity_pool_id)
        await later.get_guest_aws_credentials()
        assert later.identity_id == guest.identity_id
        assert calls.take() == ["GetCredentialsForIdentity"]
        identity = AsyncCognitoIdentityId(identity_pool_id, pool, setup.local.endpoint)
        assert repr(identity) == f"AsyncCognitoIdentityId(storage_key={key!r})"
        assert await identity.cached_identity_id() == guest.identity_id
        assert await identity.get_identity_id() == guest.identity_id
        assert calls.take() == []
        assert await identity.remove_identity_id() == guest.identity_id
        fresh = await identity.get_identity_id()
        assert calls.take() == ["GetId"]
        assert fresh != guest.identity_id and pool.storage.get_item(key) == fresh

    run_with_pool(setup, scenario)


def test_refusals_are_the_sync_class_s_typed_errors(setup: PoolSetup, clock: ManualClock) -> None:
    closed = identity_pool(setup, guests=False)
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        with pytest.raises(InvalidConfigurationError):
            AsyncCognitoCredentials("eu-central-1_NotAnIdentityPool", pool)
        guest = credentials_of(setup, pool, closed)
        with pytest.raises(NotAuthorizedException, match="Unauthenticated access"):
            await guest.get_guest_aws_credentials()
        assert guest.access_key_id is None
        credentials = credentials_of(setup, pool, identity_pool_id)
        with pytest.raises(NotAuthenticatedError):
            await credentials.get_credentials()
        with pytest.raises(NotAuthenticatedError):
            await credentials.sigv4_client("https://abc.execute-api.us-east-1.amazonaws.com/")
        token = (await (await signed_in(pool, "alice")).get_session()).id_token.jwt_token
        calls.take()
        with pytest.raises(NotAuthorizedException, match="Couldn't verify signed token"):
            await credentials.get_aws_credentials(_forged(token))
        assert calls.take() == ["GetId"]  # a fresh identity is not asked for twice
        clock.advance(3600)
        with pytest.raises(NotAuthorizedException, match="Token expired"):
            await credentials.get_aws_credentials(token)
        assert credentials.access_key_id is None
        with pytest.raises(NotAuthorizedException, match="not from a supported provider"):
            await credentials.get_aws_credentials("facebook-access-token", "graph.facebook.com")

    run_with_pool(setup, scenario, "alice")


def test_the_cache_is_per_login_and_a_failed_fetch_leaves_nothing(setup: PoolSetup) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        alice = (await (await signed_in(pool, "alice")).get_session()).id_token.jwt_token
        bob = (await (await signed_in(pool, "bob")).get_session()).id_token.jwt_token
        credentials = credentials_of(setup, pool, identity_pool_id)
        await credentials.get_aws_credentials(alice)
        alice_identity, alice_key = credentials.identity_id, credentials.access_key_id
        await credentials.get_guest_aws_credentials()
        assert credentials.identity_id not in (alice_identity, None)
        assert credentials.access_key_id != alice_key
        await credentials.get_aws_credentials(alice)
        assert credentials.identity_id == alice_identity
        with pytest.raises(NotAuthorizedException):
            await credentials.get_aws_credentials(_forged(bob))
        # Alice's keys are not left behind to be taken for Bob's.
        assert (credentials.access_key_id, credentials.identity_id) == (None, None)

    run_with_pool(setup, scenario, "alice", "bob")


def test_a_stale_cached_identity_is_dropped_and_fetched_once_more(setup: PoolSetup) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        alice = await signed_in(pool, "alice")
        bob = await signed_in(pool, "bob")
        alice_identity = (
            await credentials_of(setup, pool, identity_pool_id, alice).get_credentials()
        ).identity_id
        credentials = credentials_of(setup, pool, identity_pool_id, bob)
        provider = credentials.default_authenticator((await bob.get_session()).id_token.jwt_token)
        key = identity_id_key(identity_pool_id, provider)
        for stale in (alice_identity, "us-east-1:00000000-0000-4000-8000-000000000000"):
            # Another user's identity (NotAuthorizedException), then one that is gone.
            await credentials.reset_aws_credentials()
            assert credentials.access_key_id is None
            pool.storage.set_item(key, stale)
            calls.take()
            snapshot = await credentials.get_credentials()
            assert calls.take() == [
                "GetCredentialsForIdentity",
                "GetId",
                "GetCredentialsForIdentity",
            ]
            assert snapshot.identity_id not in (stale, None)
            assert pool.storage.get_item(key) == snapshot.identity_id

    run_with_pool(setup, scenario, "alice", "bob")


def test_refreshed_before_expiry_and_after_the_id_token_expired(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        user = await signed_in(pool, "alice")
        credentials = credentials_of(setup, pool, identity_pool_id, user)
        first = await credentials.get_credentials()
        calls.take()
        move_clocks(monkeypatch, clock, 3600 - 61)
        assert await credentials.get_credentials() is first
        move_clocks(monkeypatch, clock, 2)
        second = await credentials.get_credentials()
        assert second.access_key_id != first.access_key_id
        assert second.identity_id == first.identity_id
        assert calls.take() == ["GetCredentialsForIdentity"]
        old_token = (await user.get_session()).id_token.jwt_token
        move_clocks(monkeypatch, clock, 3700)
        third = await credentials.get_credentials()
        # The id token was refreshed first (a user pool call, not counted here).
        assert calls.take() == ["GetCredentialsForIdentity"]
        assert (await user.get_session()).id_token.jwt_token != old_token
        assert third.identity_id == first.identity_id and not third.expires_within(3000)

    run_with_pool(setup, scenario, "alice")


def test_without_a_user_it_refreshes_the_last_login(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        credentials = credentials_of(setup, pool, identity_pool_id)
        await credentials.get_guest_aws_credentials()
        guest = await credentials.get_credentials()
        move_clocks(monkeypatch, clock, 3700)
        again = await credentials.get_credentials()
        assert again.identity_id == guest.identity_id
        assert again.access_key_id != guest.access_key_id
        await credentials.reset_aws_credentials()
        assert pool.storage.get_item(identity_id_key(identity_pool_id, GUEST)) is None
        with pytest.raises(NotAuthenticatedError):
            await credentials.get_credentials()

    run_with_pool(setup, scenario)


def test_secrets_stay_out_of_reprs_and_sigv4_client(setup: PoolSetup) -> None:
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        credentials = credentials_of(setup, pool, identity_pool_id)
        await credentials.get_guest_aws_credentials()
        snapshot = await credentials.get_credentials()
        text = repr(credentials)
        assert text.startswith("AsyncCognitoCredentials(") and snapshot.access_key_id in text
        assert snapshot.secret_access_key not in text and snapshot.session_token not in text
        client = await credentials.sigv4_client(
            "https://abc.execute-api.eu-west-1.amazonaws.com/prod", region="eu-west-1"
        )
        assert isinstance(client, AwsSigV4Client)
        assert (client.access_key_id, client.region) == (snapshot.access_key_id, "eu-west-1")
        assert snapshot.secret_access_key not in repr(client)

    run_with_pool(setup, scenario)


@pytest.mark.parametrize("expired", [False, True])
def test_fifty_tasks_at_once_cause_one_fetch(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, expired: bool
) -> None:
    """Cold (nothing held: one GetId, one GetCredentialsForIdentity) and due (half a
    minute before expiry: one GetCredentialsForIdentity), however many tasks ask."""
    identity_pool_id = identity_pool(setup)

    async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
        user = await signed_in(pool, "alice")
        credentials = credentials_of(setup, pool, identity_pool_id, user)
        first = None
        if expired:
            first = await credentials.get_credentials()
            move_clocks(monkeypatch, clock, 3600 - 30)
        calls.take()
        seen = await asyncio.gather(*(credentials.get_credentials() for _ in range(TASKS)))
        if expired:
            assert calls.take() == ["GetCredentialsForIdentity"]
            assert first is not None and seen[0].access_key_id != first.access_key_id
        else:
            assert calls.take() == ["GetId", "GetCredentialsForIdentity"]
        assert len({id(snapshot) for snapshot in seen}) == 1

    run_with_pool(setup, scenario, "alice")


def test_the_identity_pool_s_region_and_endpoint_for_both_calls(setup: PoolSetup) -> None:
    """The identity pool lives on another server, in eu-west-2; the user pool's client
    (us-east-1, on the first server) is shared but its endpoint is not used."""
    with LocalCognito(region="eu-west-2") as identity_server:
        identity_pool_id = identity_client(
            identity_server.endpoint, "eu-west-2"
        ).create_identity_pool(IdentityPoolName="guests", AllowUnauthenticatedIdentities=True)[
            "IdentityPoolId"
        ]

        async def scenario(pool: AsyncCognitoUserPool, calls: Calls) -> None:
            credentials = AsyncCognitoCredentials(
                identity_pool_id, pool, endpoint=identity_server.endpoint
            )
            assert credentials.region == "eu-west-2"
            await credentials.get_guest_aws_credentials()
            assert credentials.identity_id is not None
            assert credentials.identity_id.startswith("eu-west-2:")
            assert calls.take() == ["GetId", "GetCredentialsForIdentity"]

        run_with_pool(setup, scenario)


IDENTITY_POOL_ID = "eu-west-1:9f8e7d6c-1234-4abc-8def-0123456789ab"
GUEST_CREDENTIALS = {
    "IdentityId": "eu-west-1:0b2c",
    "Credentials": {
        "AccessKeyId": "ASIAEXAMPLE",
        "SecretKey": "secret-key-value",
        "SessionToken": "session-token-value",
        "Expiration": 4102444800,
    },
}


def _answers(*documents: dict[str, Any]) -> MockTransport:
    answers = list(documents)
    return MockTransport(lambda request: answers.pop(0))


@pytest.mark.parametrize(
    "answers",
    [
        [{}],
        [{"IdentityId": "eu-west-1:1"}, {"IdentityId": "eu-west-1:1"}],
        [{"IdentityId": "eu-west-1:1"}, {"Credentials": {"AccessKeyId": "ASIA", "SecretKey": 1}}],
    ],
)
def test_malformed_answers_are_response_errors(answers: list[dict[str, Any]]) -> None:
    async def main() -> None:
        async with AsyncCognitoUserPool("eu-west-1_Abc123", "client") as pool:
            client = AsyncCognitoIdentityClient(region="eu-west-1", transport=_answers(*answers))
            credentials = AsyncCognitoCredentials(IDENTITY_POOL_ID, pool, client=client)
            with pytest.raises(CognitoResponseError):
                await credentials.get_guest_aws_credentials()

    asyncio.run(main())


def test_the_identity_client_given_is_used() -> None:
    def identity_service(request: MockRequest) -> dict[str, Any]:
        assert request.service == IDENTITY_POOLS
        if request.action == "GetId":
            return {"IdentityId": "eu-west-1:0b2c"}
        return GUEST_CREDENTIALS

    async def main() -> None:
        user_pools = MockTransport(lambda request: pytest.fail("no user pool call expected"))
        async with AsyncCognitoUserPool("eu-west-1_Abc123", "app", transport=user_pools) as pool:
            transport = MockTransport(identity_service)
            client = AsyncCognitoIdentityClient(region="eu-west-1", transport=transport)
            credentials = AsyncCognitoCredentials(IDENTITY_POOL_ID, pool, client=client)
            assert credentials.endpoint == client.endpoint
            assert credentials.region == "eu-west-1"
            snapshot = (await credentials.get_guest_aws_credentials(), credentials.access_key_id)
            assert snapshot == (None, "ASIAEXAMPLE")
            assert [request.action for request in transport.requests] == [
                "GetId",
                "GetCredentialsForIdentity",
            ]

    asyncio.run(main())


def test_tasks_of_two_event_loops_in_two_threads_cause_one_fetch() -> None:
    """One object used from two threads, each with its own event loop and many tasks:
    the fetching task holds the object's thread lock, so the other loop's tasks wait."""
    sent: list[str] = []
    start = threading.Barrier(2)

    async def identity_service(request: MockRequest) -> dict[str, Any]:
        sent.append(request.action)
        await asyncio.sleep(0.05)  # long enough for every task of both loops to ask
        return {"IdentityId": "eu-west-1:0b2c"} if request.action == "GetId" else GUEST_CREDENTIALS

    user_pools = MockTransport(lambda request: pytest.fail("no user pool call expected"))
    pool = AsyncCognitoUserPool("eu-west-1_Abc123", "app", transport=user_pools)
    client = AsyncCognitoIdentityClient(
        region="eu-west-1", transport=MockTransport(identity_service)
    )
    credentials = AsyncCognitoCredentials(IDENTITY_POOL_ID, pool, client=client)
    keys: list[str] = []

    async def many() -> None:
        start.wait()
        # Each task asks for guest credentials, then reads what is held.
        await asyncio.gather(*(credentials.get_guest_aws_credentials() for _ in range(10)))
        keys.extend(
            snapshot.access_key_id
            for snapshot in await asyncio.gather(
                *(credentials.get_credentials() for _ in range(10))
            )
        )

    threads = [threading.Thread(target=asyncio.run, args=(many(),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sent == ["GetId", "GetCredentialsForIdentity"]
    assert keys == ["ASIAEXAMPLE"] * 20


class SlowStorage(MemoryStorage):
    """A storage whose every read and write blocks its thread for a while (a slow disk)."""

    PAUSE = 0.5

    def get_item(self, key: str) -> str | None:
        time.sleep(self.PAUSE)
        return super().get_item(key)

    def set_item(self, key: str, value: str) -> None:
        time.sleep(self.PAUSE)
        super().set_item(key, value)

    def remove_item(self, key: str) -> str | None:
        time.sleep(self.PAUSE)
        return super().remove_item(key)


def test_a_slow_storage_never_holds_up_the_event_loop(setup: PoolSetup) -> None:
    """The IdentityId cache is read, written and removed in worker threads: a task that
    ticks every 10 ms keeps ticking while the fetch and the reset wait on the storage."""
    identity_pool_id = identity_pool(setup)

    async def main() -> None:
        async with async_pool(setup, storage=SlowStorage()) as pool:
            credentials = credentials_of(setup, pool, identity_pool_id)
            gaps: list[float] = []

            async def tick() -> None:
                last = time.monotonic()
                while True:
                    await asyncio.sleep(0.01)
                    now = time.monotonic()
                    gaps.append(now - last)
                    last = now

            ticker = asyncio.create_task(tick())
            started = time.monotonic()
            await credentials.get_guest_aws_credentials()  # a read, then a write
            await credentials.reset_aws_credentials()  # a removal
            waited = time.monotonic() - started
            await asyncio.sleep(0.05)  # the ticker's next tick measures the last gap
            ticker.cancel()
            assert waited >= 3 * SlowStorage.PAUSE  # the storage was used
            assert credentials.access_key_id is None
            assert max(gaps) < SlowStorage.PAUSE * 0.8, max(gaps)

    asyncio.run(main())
