"""What the asyncio tests share: pools of the local server opened for asyncio."""

from __future__ import annotations

from typing import Any

from cognito_identity.asyncio import AsyncCognitoUserPool

from .conftest import PoolSetup


def async_pool(setup: PoolSetup, **kwargs: Any) -> AsyncCognitoUserPool:
    """An asyncio pool on ``setup``'s pool and app client (open it with ``async with``)."""
    kwargs.setdefault("client_secret", setup.client_secret)
    return AsyncCognitoUserPool(
        setup.pool_id, setup.client_id, endpoint=setup.local.endpoint, **kwargs
    )
