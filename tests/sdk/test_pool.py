"""Setting up a pool object: ids, endpoints, the HTTP session a user brings, repr hygiene."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from cognito_identity import CognitoUser, CognitoUserPool, MemoryStorage
from cognito_identity.asyncio import AsyncCognitoUserPool
from cognito_identity.errors import InvalidConfigurationError

from .conftest import PASSWORD, PoolSetup


@pytest.mark.parametrize("bad", ["badUserPoolId", "", "eu-west-1_", "_abc", "eu west 1_abc"])
def test_malformed_pool_ids_are_refused(bad: str) -> None:
    with pytest.raises(InvalidConfigurationError):
        CognitoUserPool(bad, "client")


def test_region_and_default_endpoint_come_from_the_pool_id() -> None:
    pool = CognitoUserPool("ap-southeast-1_nnnnnnnnn", "client")
    assert pool.region == "ap-southeast-1"
    assert pool.pool_name == "nnnnnnnnn"
    assert pool.transport.endpoint == "https://cognito-idp.ap-southeast-1.amazonaws.com/"


def test_secret_stays_out_of_reprs() -> None:
    pool = CognitoUserPool("eu-west-1_abc", "client", client_secret="very-secret-value")
    user = CognitoUser("ann", pool)
    assert "very-secret-value" not in repr(pool) + repr(user) + repr(pool.transport)


def test_empty_username_is_refused() -> None:
    with pytest.raises(InvalidConfigurationError):
        CognitoUser("", CognitoUserPool("eu-west-1_abc", "client"))


def test_a_user_keeps_its_own_storage_without_changing_the_pools() -> None:
    pool_storage, user_storage = MemoryStorage(), MemoryStorage()
    pool = CognitoUserPool("eu-west-1_abc", "client", storage=pool_storage)
    user = CognitoUser("ann", pool, storage=user_storage)
    assert user.storage is user_storage
    assert pool.storage is pool_storage


class CountingAdapter(HTTPAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent += 1
        return super().send(request, **kwargs)


def test_calls_go_through_the_users_requests_session(setup: PoolSetup) -> None:
    adapter = CountingAdapter()
    session = requests.Session()
    session.mount("http://", adapter)
    pool = setup.pool(http_session=session)
    pool.sign_up("ann", PASSWORD, {"email": "ann@example.com"})
    assert adapter.sent == 1


class ClosingSession(requests.Session):
    closed = 0

    def close(self) -> None:
        self.closed += 1
        super().close()


def test_a_pool_is_a_context_manager_that_closes_its_own_connections(
    setup: PoolSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[requests.Session] = []
    with setup.pool() as pool:
        pool.sign_up("ann", PASSWORD, {"email": "ann@example.com"})
        own = pool.transport.transport.session  # type: ignore[attr-defined]
        monkeypatch.setattr(own, "close", lambda: closed.append(own))
    assert closed == [own]


def test_close_leaves_a_session_you_gave_it_open(setup: PoolSetup) -> None:
    session = ClosingSession()
    with setup.pool(http_session=session) as pool:
        pool.sign_up("ann", PASSWORD, {"email": "ann@example.com"})
    pool.close()
    assert session.closed == 0


def test_the_async_pool_closes_under_the_sync_name_too(setup: PoolSetup) -> None:
    async def close_it() -> Any:
        pool = AsyncCognitoUserPool(setup.pool_id, setup.client_id, endpoint=setup.local.endpoint)
        http = pool.client.transport.client  # type: ignore[attr-defined]
        assert not http.is_closed
        await pool.close()
        return http

    assert asyncio.run(close_it()).is_closed
