"""Session stores: the interface, memory and file stores, and the original key names."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from cognito_identity.errors import CognitoError, StorageError
from cognito_identity.storage import (
    CognitoStorage,
    FileStorage,
    MemoryStorage,
    key_prefix,
    last_user_key,
)


def test_key_names_match_the_javascript_sdk() -> None:
    assert key_prefix("client123", "alice") == "CognitoIdentityServiceProvider.client123.alice"
    assert last_user_key("client123") == "CognitoIdentityServiceProvider.client123.LastAuthUser"


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> CognitoStorage:
    if request.param == "memory":
        return MemoryStorage()
    return FileStorage(tmp_path / "sessions.json")


def test_set_get_remove_clear(store: CognitoStorage) -> None:
    assert store.get_item("a") is None
    store.set_item("a", "1")
    store.set_item("b", "2")
    store.set_item("a", "3")
    assert store.get_item("a") == "3"
    assert store.remove_item("a") == "3"
    assert store.remove_item("a") is None
    assert store.get_item("b") == "2"
    store.clear()
    assert store.get_item("b") is None


def test_memory_stores_do_not_share_items() -> None:
    first, second = MemoryStorage(), MemoryStorage()
    first.set_item("k", "v")
    assert second.get_item("k") is None


def test_file_store_survives_a_restart_and_is_private(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "sessions.json"
    FileStorage(path).set_item("token", "secret-value")
    assert FileStorage(path).get_item("token") == "secret-value"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert json.loads(path.read_text()) == {"token": "secret-value"}
    assert "secret-value" not in repr(FileStorage(path))


def test_corrupt_file_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    path.write_text("{not json")
    with pytest.raises(StorageError) as caught:
        FileStorage(path).get_item("x")
    assert isinstance(caught.value, CognitoError)


def test_a_user_subclass_only_needs_four_methods() -> None:
    class PrefixedStorage(CognitoStorage):
        """Like the original README's custom storage: keys under a prefix in a dict."""

        def __init__(self) -> None:
            self.data: dict[str, str] = {}

        def get_item(self, key: str) -> str | None:
            return self.data.get("test:" + key)

        def set_item(self, key: str, value: str) -> None:
            self.data["test:" + key] = value

        def remove_item(self, key: str) -> str | None:
            return self.data.pop("test:" + key, None)

        def clear(self) -> None:
            self.data.clear()

    custom = PrefixedStorage()
    custom.set_item("user", '{"username":"x123"}')
    assert custom.data == {"test:user": '{"username":"x123"}'}
    assert custom.get_item("user") == '{"username":"x123"}'
