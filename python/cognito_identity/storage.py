"""Where sessions and device keys are kept between calls and between runs.

The key names are those of AWS's JavaScript SDK (and the Dart port), so a store written
by one can be read by the other::

    CognitoIdentityServiceProvider.<client id>.<username>.idToken
    CognitoIdentityServiceProvider.<client id>.<username>.accessToken
    CognitoIdentityServiceProvider.<client id>.<username>.refreshToken
    CognitoIdentityServiceProvider.<client id>.<username>.clockDrift
    CognitoIdentityServiceProvider.<client id>.LastAuthUser

Values are always strings. A session's keys are saved together with
:meth:`CognitoStorage.set_items` and read together with :meth:`CognitoStorage.get_items`.
Subclass :class:`CognitoStorage` to keep them anywhere else (a keyring, a database, a
web framework's session).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from cognito_identity.errors import StorageError

try:
    import fcntl as _fcntl
except ImportError:  # Windows: no flock, FileStorage locks within the process only
    _fcntl = None  # type: ignore[assignment]

__all__ = ["CognitoStorage", "FileStorage", "MemoryStorage", "key_prefix", "last_user_key"]

_SERVICE_PREFIX = "CognitoIdentityServiceProvider"


def key_prefix(client_id: str, username: str) -> str:
    """The prefix of every key stored for ``username`` signed in through ``client_id``."""
    return f"{_SERVICE_PREFIX}.{client_id}.{username}"


def last_user_key(client_id: str) -> str:
    """The key holding the username of the last user who signed in through ``client_id``."""
    return f"{_SERVICE_PREFIX}.{client_id}.LastAuthUser"


class CognitoStorage(ABC):
    """The interface a session store implements: a map of strings to strings.

    A subclass implements four methods: :meth:`get_item`, :meth:`set_item`,
    :meth:`remove_item` and :meth:`clear`. Two more work on several keys at once, and
    have default implementations built on those four:

    - :meth:`set_items` stores a whole record, such as a session (``idToken``,
      ``accessToken``, ``refreshToken``, ``clockDrift`` and ``LastAuthUser``); a ``None``
      value removes its key. The default stores the keys one by one, so a crash part-way
      can leave a mix of old and new values; override it to store them in one write.
    - :meth:`get_items` reads several keys. The default reads them one by one; override
      it to read them from one consistent snapshot.

    :class:`MemoryStorage` and :class:`FileStorage` override both.
    """

    @abstractmethod
    def get_item(self, key: str) -> str | None:
        """The value stored under ``key``, or ``None``."""

    @abstractmethod
    def set_item(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, replacing any previous value."""

    @abstractmethod
    def remove_item(self, key: str) -> str | None:
        """Remove ``key`` and return the value it had (``None`` if it had none)."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every key."""

    def set_items(self, items: Mapping[str, str | None]) -> None:
        """Store every key of ``items`` (a ``None`` value removes the key)."""
        for key, value in items.items():
            if value is None:
                self.remove_item(key)
            else:
                self.set_item(key, value)

    def get_items(self, keys: Iterable[str]) -> dict[str, str | None]:
        """The value of each of ``keys`` (``None`` for a key that has none)."""
        return {key: self.get_item(key) for key in keys}

    def compare_and_set_items(
        self, expected: Mapping[str, str | None], items: Mapping[str, str | None]
    ) -> bool:
        """Store ``items`` as :meth:`set_items` does, only while every key of ``expected``
        holds its value there (``None``: no value); return whether it stored them.

        The default checks, then writes, so another writer may slip in between; override
        it to do both under one lock (:class:`MemoryStorage` and :class:`FileStorage` do).
        """
        current = self.get_items(expected)
        if any(current[key] != value for key, value in expected.items()):
            return False
        self.set_items(items)
        return True


class MemoryStorage(CognitoStorage):
    """Keeps items in this object only (each instance has its own map), thread-safe.

    :meth:`set_items` and :meth:`get_items` hold the lock for all their keys, so other
    threads see a record either wholly before or wholly after a change.
    """

    def __init__(self) -> None:
        self._items: dict[str, str] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryStorage({len(self._items)} items)"

    def get_item(self, key: str) -> str | None:
        with self._lock:
            return self._items.get(key)

    def set_item(self, key: str, value: str) -> None:
        with self._lock:
            self._items[key] = value

    def remove_item(self, key: str) -> str | None:
        with self._lock:
            return self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def set_items(self, items: Mapping[str, str | None]) -> None:
        """Store every key of ``items`` at once (a ``None`` value removes the key)."""
        changes = dict(items)
        with self._lock:
            _apply(self._items, changes)

    def get_items(self, keys: Iterable[str]) -> dict[str, str | None]:
        """The value of each of ``keys``, all read at one moment."""
        wanted = list(keys)
        with self._lock:
            return {key: self._items.get(key) for key in wanted}

    def compare_and_set_items(
        self, expected: Mapping[str, str | None], items: Mapping[str, str | None]
    ) -> bool:
        """:meth:`CognitoStorage.compare_and_set_items` under the lock."""
        changes = dict(items)
        with self._lock:
            if any(self._items.get(key) != value for key, value in expected.items()):
                return False
            _apply(self._items, changes)
            return True


def _apply(items: dict[str, str], changes: Mapping[str, str | None]) -> None:
    for key, value in changes.items():
        if value is None:
            items.pop(key, None)
        else:
            items[key] = value


# A temp file is named <store name>.tmp-<random>; one still there when a writer holds the
# lock was left by a writer that died before renaming it.
_TEMP_MARK = ".tmp-"
# Without a cross-process lock, another process may be writing a young temp file.
_STALE_TEMP_SECONDS = 60.0
# A file modified this recently may be replaced within the same timestamp tick by one of
# the same size on a reused inode, which a stat comparison cannot tell apart: read it again.
_RECENT_NS = 2_000_000_000

_PATH_LOCKS: dict[str, threading.Lock] = {}
_PATH_LOCKS_GUARD = threading.Lock()


def _path_lock(path: Path) -> threading.Lock:
    """One lock per file for the whole process, shared by every FileStorage on it."""
    with _PATH_LOCKS_GUARD:
        return _PATH_LOCKS.setdefault(os.path.abspath(path), threading.Lock())


class _Snapshot(NamedTuple):
    # (device, inode, size, mtime_ns) of the file read, or None when there was no file.
    signature: tuple[int, int, int, int] | None
    items: dict[str, str]


class FileStorage(CognitoStorage):
    """Keeps items as one JSON object in a file readable only by its owner (mode 0600),
    shared safely by the threads and processes that use the same path.

    - **Whole writes.** Every change goes to a temporary file in the same directory
      (``<name>.tmp-<random>``), which is flushed to disk and renamed over the old file;
      then the directory is flushed too. A crash or SIGKILL leaves the old file or the
      new one, never a mix. :meth:`set_items` stores all its keys in that one write, so
      a session is saved whole. Temporary files left by a writer that died are removed
      by the next write.
    - **No lost updates.** A writer holds an exclusive ``fcntl.flock`` on the sibling
      file ``<name>.lock`` and reads the file again under it before changing it, so
      processes sharing the file never drop each other's keys. On platforms without
      ``fcntl`` (Windows) the lock covers this process's threads only: processes sharing
      a file there may lose each other's changes, and temporary files are removed only
      once they are a minute old.
    - **Fresh reads.** Reads take no lock (the file is always whole) and read the file
      again whenever its inode, size or modification time changed, so they see other
      processes' writes. :meth:`get_items` takes all its keys from one read.
    - **Typed errors.** A file that is not a JSON object of strings raises
      :class:`~cognito_identity.errors.StorageError` and is never overwritten; so do
      operating-system errors (a directory, missing permissions, ...), with the path and
      the reason. A missing or empty file is an empty store.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._temp_prefix = self.path.name + _TEMP_MARK
        self._thread_lock = _path_lock(self.path)
        self._snapshot: _Snapshot | None = None

    def __repr__(self) -> str:
        return f"FileStorage({str(self.path)!r})"

    def get_item(self, key: str) -> str | None:
        return self._current().get(key)

    def get_items(self, keys: Iterable[str]) -> dict[str, str | None]:
        """The value of each of ``keys``, all from one read of the file."""
        items = self._current()
        return {key: items.get(key) for key in keys}

    def set_item(self, key: str, value: str) -> None:
        self.set_items({key: value})

    def set_items(self, items: Mapping[str, str | None]) -> None:
        """Store every key of ``items`` in one atomic write (a ``None`` value removes
        the key); other keys in the file are kept."""
        changes = dict(items)
        for key, value in changes.items():
            if not isinstance(key, str) or not isinstance(value, (str, type(None))):
                raise StorageError("FileStorage keeps string keys and string values only")
        with self._locked():
            stored = self._read().items
            updated = dict(stored)
            _apply(updated, changes)
            if updated != stored:
                self._write(updated)

    def compare_and_set_items(
        self, expected: Mapping[str, str | None], items: Mapping[str, str | None]
    ) -> bool:
        """:meth:`CognitoStorage.compare_and_set_items` under the file's lock, so no
        other process writes between the check and the write."""
        changes = dict(items)
        for key, value in changes.items():
            if not isinstance(key, str) or not isinstance(value, (str, type(None))):
                raise StorageError("FileStorage keeps string keys and string values only")
        with self._locked():
            stored = self._read().items
            if any(stored.get(key) != value for key, value in expected.items()):
                return False
            updated = dict(stored)
            _apply(updated, changes)
            if updated != stored:
                self._write(updated)
            return True

    def remove_item(self, key: str) -> str | None:
        with self._locked():
            items = self._read().items
            value = items.pop(key, None)
            if value is not None:
                self._write(items)
            return value

    def clear(self) -> None:
        with self._locked():
            if self._read().items:
                self._write({})

    def _current(self) -> dict[str, str]:
        """The stored items, read again if the file changed since the last read."""
        cached = self._snapshot
        if cached is not None and cached.signature == self._signature():
            return cached.items
        snapshot = self._read()
        settled = snapshot.signature is None or (
            time.time_ns() - snapshot.signature[3] > _RECENT_NS
        )
        self._snapshot = snapshot if settled else None
        return snapshot.items

    def _signature(self) -> tuple[int, int, int, int] | None:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise _os_error("read", self.path, error) from error
        return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def _read(self) -> _Snapshot:
        try:
            with open(self.path, "rb") as file:
                stat = os.fstat(file.fileno())
                raw = file.read()
        except FileNotFoundError:
            return _Snapshot(None, {})
        except OSError as error:
            raise _os_error("read", self.path, error) from error
        signature = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        return _Snapshot(signature, self._decode(raw))

    def _decode(self, raw: bytes) -> dict[str, str]:
        if not raw.strip():
            return {}
        # The decoding errors hold the file's text, tokens included: they are neither
        # chained nor kept as context; the message says where the text is wrong.
        problem = ""
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            problem = f"byte {error.start}: {error.reason}"
        except json.JSONDecodeError as error:
            problem = f"line {error.lineno} column {error.colno}: {error.msg}"
        except RecursionError:
            problem = "nested too deeply"
        if problem:
            raise StorageError(f"{self.path} is not a JSON session store ({problem})")
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise StorageError(
                f"{self.path} is not a session store (a JSON object of strings); "
                "it was left unchanged"
            )
        return data

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold this process's lock on the file, then the cross-process one."""
        with self._thread_lock:
            lock_fd = self._lock_across_processes()
            try:
                yield
            finally:
                if lock_fd is not None:
                    os.close(lock_fd)

    def _lock_across_processes(self) -> int | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if _fcntl is None:
                return None
            lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise _os_error("lock", self._lock_path, error) from error
        try:
            _fcntl.flock(lock_fd, _fcntl.LOCK_EX)
        except OSError as error:
            os.close(lock_fd)
            raise _os_error("lock", self._lock_path, error) from error
        return lock_fd

    def _write(self, items: dict[str, str]) -> None:
        """Replace the file with ``items``; the caller holds the lock."""
        self._remove_leftover_temp_files()
        try:
            self._replace(json.dumps(items).encode("utf-8"))
        except OSError as error:
            raise _os_error("write", self.path, error) from error
        self._snapshot = None

    def _replace(self, data: bytes) -> None:
        # mkstemp creates the file with mode 0600: tokens are secrets.
        fd, temp = tempfile.mkstemp(prefix=self._temp_prefix, dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        _fsync_directory(self.path.parent)

    def _remove_leftover_temp_files(self) -> None:
        now = time.time()
        with contextlib.suppress(OSError), os.scandir(self.path.parent) as entries:
            for entry in entries:
                if not entry.name.startswith(self._temp_prefix):
                    continue
                if _fcntl is None and now - entry.stat().st_mtime < _STALE_TEMP_SECONDS:
                    continue
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable. Best effort, as SQLite does: Windows cannot open a
    directory, and some filesystems refuse to flush one."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _os_error(action: str, path: Path, error: OSError) -> StorageError:
    reason = error.strerror or type(error).__name__
    return StorageError(f"cannot {action} the session store {path}: {reason}")
