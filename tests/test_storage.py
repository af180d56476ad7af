"""Session stores: the interface, memory and file stores, and the original key names."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

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


class KeysInADict(CognitoStorage):
    """A user's own store with only the four required methods: it gets the defaults."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def get_item(self, key: str) -> str | None:
        return self.data.get(key)

    def set_item(self, key: str, value: str) -> None:
        self.data[key] = value

    def remove_item(self, key: str) -> str | None:
        return self.data.pop(key, None)

    def clear(self) -> None:
        self.data.clear()


@pytest.fixture(params=["memory", "file", "subclass"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> CognitoStorage:
    if request.param == "memory":
        return MemoryStorage()
    if request.param == "file":
        return FileStorage(tmp_path / "sessions.json")
    return KeysInADict()


def test_set_items_stores_and_removes_keys_together(any_store: CognitoStorage) -> None:
    any_store.set_items({"kept": "k", "old": "o"})
    any_store.set_items({"id": "1", "access": "2", "old": None, "never-set": None})
    assert any_store.get_items(["id", "access", "old", "kept", "never-set"]) == {
        "id": "1",
        "access": "2",
        "old": None,
        "kept": "k",
        "never-set": None,
    }
    assert any_store.get_item("access") == "2"
    assert any_store.get_items(iter([])) == {}


# --- FileStorage: one write per record, fresh reads, leftovers, typed errors ---


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths FileStorage opens from now on."""
    paths: list[str] = []
    real_open = open

    def counting_open(file: str, *args: Any, **kwargs: Any) -> Any:
        paths.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("cognito_identity.storage.open", counting_open, raising=False)
    return paths


def test_file_set_items_is_one_rename_and_get_items_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[str]
) -> None:
    store = FileStorage(tmp_path / "sessions.json")
    renames: list[object] = []
    real_replace = os.replace

    def counting_replace(source: str, target: str) -> None:
        renames.append(target)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", counting_replace)
    store.set_items({f"key{i}": f"value{i}" for i in range(5)})
    assert len(renames) == 1
    store.set_items({"key0": "value0"})  # nothing changes: nothing written
    assert len(renames) == 1

    opened.clear()
    assert FileStorage(store.path).get_items([f"key{i}" for i in range(5)]) == {
        f"key{i}": f"value{i}" for i in range(5)
    }
    assert len(opened) == 1


def test_file_store_sees_changes_made_through_another_instance(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    reader, writer = FileStorage(path), FileStorage(path)
    assert reader.get_item("token") is None
    writer.set_item("token", "first")
    assert reader.get_item("token") == "first"
    writer.set_item("token", "other")  # same size, a moment later
    assert reader.get_item("token") == "other"
    writer.set_item("second", "2")
    assert reader.get_items(["token", "second"]) == {"token": "other", "second": "2"}
    assert json.loads(path.read_text()) == {"token": "other", "second": "2"}


def test_a_settled_file_is_read_again_only_when_its_stat_changes(
    tmp_path: Path, opened: list[str]
) -> None:
    path = tmp_path / "sessions.json"
    path.write_text('{"a": "1"}')
    an_hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(an_hour_ago, an_hour_ago))
    store = FileStorage(path)
    assert store.get_item("a") == "1"
    assert store.get_item("a") == "1"
    assert len(opened) == 1
    # Edited in place by something else: new size, new mtime.
    path.write_text('{"a": "22"}')
    assert store.get_item("a") == "22"
    assert len(opened) == 2


def test_a_write_keeps_the_file_private_even_if_it_was_not(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    path.write_text('{"a": "1"}')
    path.chmod(0o644)
    FileStorage(path).set_item("b", "2")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert json.loads(path.read_text()) == {"a": "1", "b": "2"}
    lock = tmp_path / "sessions.json.lock"
    assert stat.S_IMODE(os.stat(lock).st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sessions.json", "sessions.json.lock"]


def test_temp_files_of_a_writer_that_died_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    leftover = tmp_path / "sessions.json.tmp-dead1234"
    leftover.write_text('{"half": "writ')
    neighbours = [tmp_path / "other.json", tmp_path / "other.json.tmp-keepme00"]
    for neighbour in neighbours:
        neighbour.write_text("{}")
    FileStorage(path).set_item("a", "1")
    assert not leftover.exists()
    assert all(neighbour.exists() for neighbour in neighbours)


def test_without_fcntl_the_lock_is_per_process_and_only_old_temp_files_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cognito_identity.storage._fcntl", None)
    path = tmp_path / "sessions.json"
    young = tmp_path / "sessions.json.tmp-young000"
    old = tmp_path / "sessions.json.tmp-old00000"
    young.write_text("{")
    old.write_text("{")
    two_minutes_ago = time.time() - 120
    os.utime(old, (two_minutes_ago, two_minutes_ago))
    first, second = FileStorage(path), FileStorage(path)
    first.set_item("a", "1")
    second.set_item("b", "2")
    assert first.get_items(["a", "b"]) == {"a": "1", "b": "2"}
    assert young.exists() and not old.exists()
    assert not (tmp_path / "sessions.json.lock").exists()


TOKEN = "eyJraWQiOiJzZWNyZXQtdG9rZW4tdmFsdWUifQ.c2VjcmV0.c2lnbmF0dXJl"

NOT_A_STORE = {
    "a JSON list": json.dumps([TOKEN]),
    "a JSON string": json.dumps(TOKEN),
    "a value that is not a string": json.dumps({"idToken": [TOKEN]}),
    "truncated JSON": json.dumps({"idToken": TOKEN})[:-3],
    "not UTF-8": '{"idToken": "' + TOKEN + '\udcff"}',
}


@pytest.mark.parametrize("content", list(NOT_A_STORE.values()), ids=list(NOT_A_STORE))
def test_a_file_that_is_not_a_store_is_an_error_and_is_never_overwritten(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "sessions.json"
    raw = content.encode("utf-8", "surrogateescape")
    path.write_bytes(raw)
    store = FileStorage(path)
    attempts = [
        lambda: store.get_item("idToken"),
        lambda: store.get_items(["idToken"]),
        lambda: store.set_item("idToken", "new"),
        lambda: store.set_items({"idToken": "new", "accessToken": None}),
        lambda: store.remove_item("idToken"),
        store.clear,
    ]
    for attempt in attempts:
        with pytest.raises(StorageError) as caught:
            attempt()
        assert str(path) in str(caught.value)
        _assert_no_token(caught.value)
    assert path.read_bytes() == raw


def _assert_no_token(error: BaseException) -> None:
    seen: BaseException | None = error
    while seen is not None:
        assert TOKEN not in str(seen) and TOKEN not in repr(seen)
        seen = seen.__cause__ or seen.__context__


def test_a_directory_in_place_of_the_file_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    path.mkdir()
    store = FileStorage(path)
    for attempt in (lambda: store.get_item("a"), lambda: store.set_items({"a": TOKEN})):
        with pytest.raises(StorageError) as caught:
            attempt()
        assert isinstance(caught.value.__cause__, IsADirectoryError)
        assert str(path) in str(caught.value) and "Is a directory" in str(caught.value)
        _assert_no_token(caught.value)
    assert path.is_dir()


def test_a_parent_that_is_a_file_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("")
    store = FileStorage(tmp_path / "plain" / "sessions.json")
    for attempt in (lambda: store.get_item("a"), lambda: store.set_item("a", TOKEN)):
        with pytest.raises(StorageError) as caught:
            attempt()
        assert isinstance(caught.value.__cause__, OSError)
        _assert_no_token(caught.value)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="drops privileges in a forked child")
def test_a_file_without_permission_is_a_storage_error() -> None:
    # Root reads anything: the check runs in a child that drops to an unprivileged user.
    directory = Path(tempfile.mkdtemp())
    try:
        directory.chmod(0o755)
        path = directory / "sessions.json"
        path.write_text(json.dumps({"idToken": TOKEN}))
        path.chmod(0o000)
        reports = _in_unprivileged_child(
            lambda: FileStorage(path).get_item("idToken"),
            lambda: FileStorage(path).set_item("accessToken", TOKEN),
        )
    finally:
        shutil.rmtree(directory)
    assert len(reports) == 2
    for kind, cause, message in reports:
        assert kind == "StorageError" and cause == "PermissionError"
        assert "Permission denied" in message and str(directory) in message
        assert TOKEN not in message


def _in_unprivileged_child(*attempts: Callable[[], object]) -> list[list[str]]:
    """Run each attempt in a forked child (as nobody when we are root); report what
    each raised as [class name, cause's class name, message]."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            if os.getuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            reports = []
            for attempt in attempts:
                try:
                    attempt()
                    reports.append(["no error", "", ""])
                except Exception as error:
                    cause = type(error.__cause__).__name__
                    reports.append([type(error).__name__, cause, str(error)])
            os.write(write_end, json.dumps(reports).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        output = pipe.read()
    os.waitpid(pid, 0)
    reports: list[list[str]] = json.loads(output)
    return reports


def test_file_store_refuses_values_that_are_not_strings(tmp_path: Path) -> None:
    store = FileStorage(tmp_path / "sessions.json")
    store.set_item("a", "1")
    bad: Any = {"a": "2", "clockDrift": 5}
    with pytest.raises(StorageError):
        store.set_items(bad)
    assert json.loads(store.path.read_text()) == {"a": "1"}
