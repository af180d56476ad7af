"""Where sessions and device keys are kept between calls and between runs.

The key names are those of AWS's JavaScript SDK (and the Dart port), so a store written
by one can be read by the other::

    CognitoIdentityServiceProvider.<client id>.<username>.idToken
    CognitoIdentityServiceProvider.<client id>.<username>.accessToken
    CognitoIdentityServiceProvider.<client id>.<username>.refreshToken
    CognitoIdentityServiceProvider.<client id>.<username>.clockDrift
    CognitoIdentityServiceProvider.<client id>.LastAuthUser

Values are always strings. Subclass :class:`CognitoStorage` to keep them anywhere else
(a keyring, a database, a web framework's session).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from pathlib import Path

from cognito_identity.errors import StorageError

__all__ = ["CognitoStorage", "FileStorage", "MemoryStorage", "key_prefix", "last_user_key"]

_SERVICE_PREFIX = "CognitoIdentityServiceProvider"


def key_prefix(client_id: str, username: str) -> str:
    """The prefix of every key stored for ``username`` signed in through ``client_id``."""
    return f"{_SERVICE_PREFIX}.{client_id}.{username}"


def last_user_key(client_id: str) -> str:
    """The key holding the username of the last user who signed in through ``client_id``."""
    return f"{_SERVICE_PREFIX}.{client_id}.LastAuthUser"


class CognitoStorage(ABC):
    """The interface a session store implements: a string map with four operations."""

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


class MemoryStorage(CognitoStorage):
    """Keeps items in this object only (each instance has its own map), thread-safe."""

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
        with self._lock:
            for key, value in items.items():
                if value is None:
                    self._items.pop(key, None)
                else:
                    self._items[key] = value

    def get_items(self, keys: Iterable[str]) -> dict[str, str | None]:
        with self._lock:
            return {key: self._items.get(key) for key in keys}


class FileStorage(CognitoStorage):
    """Keeps items in a JSON file readable only by its owner (mode 0600).

    Every change is written to a temporary file and renamed over the old one, so a crash
    never leaves a half-written file. The file is read once, when first needed.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._items: dict[str, str] | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"FileStorage({str(self.path)!r})"

    def get_item(self, key: str) -> str | None:
        with self._lock:
            return self._load().get(key)

    def set_item(self, key: str, value: str) -> None:
        with self._lock:
            items = self._load()
            items[key] = value
            self._save(items)

    def remove_item(self, key: str) -> str | None:
        with self._lock:
            items = self._load()
            value = items.pop(key, None)
            if value is not None:
                self._save(items)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items = {}
            self._save(self._items)

    def _load(self) -> dict[str, str]:
        if self._items is None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                data = {}
            except ValueError as error:
                raise StorageError(f"{self.path} is not a JSON session store") from error
            self._items = (
                {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
            )
        return self._items

    def _save(self, items: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file with mode 0600: tokens are secrets.
        fd, tmp = tempfile.mkstemp(prefix=self.path.name, dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(items, out)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
