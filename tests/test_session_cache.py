"""The session record in storage: one write per session, and a failed refresh that never
removes tokens someone else stored meanwhile (compare-and-set, in memory and on disk)."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest

from cognito_identity import CognitoAccessToken, CognitoIdToken, CognitoRefreshToken
from cognito_identity.session import CognitoUserSession
from cognito_identity.session_cache import SessionCache
from cognito_identity.storage import CognitoStorage, FileStorage, MemoryStorage


def jwt(**claims: Any) -> str:
    def part(document: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()

    now = int(time.time())
    return f"{part({'alg': 'RS256'})}.{part({'iat': now, 'exp': now + 3600, **claims})}.c2ln"


def session(refresh: str) -> CognitoUserSession:
    return CognitoUserSession(
        CognitoIdToken(jwt(token_use="id", n=refresh)),
        CognitoAccessToken(jwt(token_use="access", n=refresh)),
        CognitoRefreshToken(refresh),
    )


class Plain(CognitoStorage):
    """A user's own storage with only the four required methods."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def get_item(self, key: str) -> str | None:
        return self.items.get(key)

    def set_item(self, key: str, value: str) -> None:
        self.items[key] = value

    def remove_item(self, key: str) -> str | None:
        return self.items.pop(key, None)

    def clear(self) -> None:
        self.items.clear()


@pytest.fixture(params=["memory", "file", "plain"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> CognitoStorage:
    if request.param == "memory":
        return MemoryStorage()
    if request.param == "file":
        return FileStorage(tmp_path / "sessions.json")
    return Plain()


def test_a_session_comes_back_whole(storage: CognitoStorage) -> None:
    cache = SessionCache(storage, "client")
    cache.save("ann", session("r1"))
    loaded = cache.load("ann")
    assert loaded is not None and loaded.refresh_token == CognitoRefreshToken("r1")
    assert storage.get_item("CognitoIdentityServiceProvider.client.LastAuthUser") == "ann"


def test_a_failed_refresh_keeps_newer_tokens(storage: CognitoStorage) -> None:
    cache = SessionCache(storage, "client")
    cache.save("ann", session("r1"))
    cache.save("ann", session("r2"))  # a concurrent refresh won with a rotated token
    assert cache.clear("ann", if_refresh_token="r1") is False
    assert cache.refresh_token("ann") == "r2"
    assert cache.clear("ann", if_refresh_token="r2") is True
    assert cache.load("ann") is None and cache.refresh_token("ann") is None
    assert storage.get_item("CognitoIdentityServiceProvider.client.LastAuthUser") is None


def test_compare_and_set_checks_and_writes_together(storage: CognitoStorage) -> None:
    storage.set_items({"a": "1", "b": "2"})
    assert storage.compare_and_set_items({"a": "0"}, {"b": None}) is False
    assert storage.get_items(["a", "b"]) == {"a": "1", "b": "2"}
    assert storage.compare_and_set_items({"a": "1", "c": None}, {"b": None, "c": "3"}) is True
    assert storage.get_items(["a", "b", "c"]) == {"a": "1", "b": None, "c": "3"}
