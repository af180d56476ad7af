"""What the action modules share: the handler type and request-level checks."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cognito_identity import srp
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["Handler", "Request", "Response", "check_secret_hash"]

Request = dict[str, Any]
Response = dict[str, Any]
Handler = Callable[["ServerContext", Request], Response]


def check_secret_hash(client: AppClient, username: str, given: str | None) -> None:
    """For a client with a secret, require ``given`` to be SECRET_HASH(username)."""
    if client.secret is None:
        return
    if not given:
        raise ServiceError.not_authorized(
            f"Client {client.id} is configured for secret but secret was not received"
        )
    if not secret_hash_matches(client, username, given):
        raise ServiceError.not_authorized(f"Unable to verify secret hash for client {client.id}")


def secret_hash_matches(client: AppClient, username: str, given: str) -> bool:
    """Whether ``given`` is the client's SECRET_HASH of ``username``."""
    assert client.secret is not None
    expected: str = srp.secret_hash(username, client.id, client.secret)
    return hmac.compare_digest(expected.encode(), given.encode())
