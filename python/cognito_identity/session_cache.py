"""The signed-in user's tokens in storage, kept as one record, and the lock that lets
only one refresh per user and storage run at a time.

The keys are those of AWS's JavaScript SDK (see :mod:`cognito_identity.storage`); a
session is written and read with one ``set_items`` / ``get_items``, so another thread or
process never sees an id token from one sign-in beside an access token from another.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Hashable

from cognito_identity.session import (
    CognitoAccessToken,
    CognitoIdToken,
    CognitoRefreshToken,
    CognitoUserSession,
)
from cognito_identity.storage import CognitoStorage, key_prefix, last_user_key

__all__ = ["KeyedLocks", "SessionCache"]

_FIELDS = ("idToken", "accessToken", "refreshToken", "clockDrift")


class _Gate:
    """A lock that can be weakly referenced (``threading.Lock`` cannot)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()


class KeyedLocks:
    """One lock per key, alive while some thread holds or waits for it."""

    def __init__(self) -> None:
        self._gates: weakref.WeakValueDictionary[Hashable, _Gate] = weakref.WeakValueDictionary()
        self._guard = threading.Lock()

    def gate(self, key: Hashable) -> _Gate:
        """The gate of ``key``; hold on to it for as long as its lock is used."""
        with self._guard:
            gate = self._gates.get(key)
            if gate is None:
                gate = self._gates[key] = _Gate()
            return gate


#: Refresh locks of every user in this process, by (storage, key prefix).
_REFRESH_LOCKS = KeyedLocks()


class SessionCache:
    """The sessions of one app client's users in ``storage``."""

    def __init__(self, storage: CognitoStorage, client_id: str) -> None:
        self.storage = storage
        self.client_id = client_id

    def __repr__(self) -> str:
        return f"SessionCache({self.storage!r}, client_id={self.client_id!r})"

    def _keys(self, username: str) -> dict[str, str]:
        prefix = key_prefix(self.client_id, username)
        return {field: f"{prefix}.{field}" for field in _FIELDS}

    def load(self, username: str) -> CognitoUserSession | None:
        """The session stored for ``username`` (valid or not), or None."""
        keys = self._keys(username)
        values = self.storage.get_items(keys.values())
        id_token, access_token = values[keys["idToken"]], values[keys["accessToken"]]
        if not id_token or not access_token:
            return None
        refresh_token = values[keys["refreshToken"]]
        drift = values[keys["clockDrift"]]
        return CognitoUserSession(
            CognitoIdToken(id_token),
            CognitoAccessToken(access_token),
            CognitoRefreshToken(refresh_token) if refresh_token else None,
            clock_drift=int(drift) if drift and drift.lstrip("-").isdigit() else 0,
        )

    def refresh_token(self, username: str) -> str | None:
        """The refresh token stored for ``username``, even without other tokens."""
        return self.storage.get_item(self._keys(username)["refreshToken"])

    def save(self, username: str, session: CognitoUserSession) -> None:
        """Store ``session`` as ``username``'s, and ``username`` as the last user, in one
        write. A session without a refresh token keeps the stored one."""
        keys = self._keys(username)
        record: dict[str, str | None] = {
            keys["idToken"]: session.id_token.jwt_token,
            keys["accessToken"]: session.access_token.jwt_token,
            keys["clockDrift"]: str(session.clock_drift),
            last_user_key(self.client_id): username,
        }
        if session.refresh_token is not None:
            record[keys["refreshToken"]] = session.refresh_token.token
        self.storage.set_items(record)

    def clear(self, username: str, *, if_refresh_token: str | None = None) -> bool:
        """Remove ``username``'s tokens (and the last-user mark if it names them).

        With ``if_refresh_token``, only while the stored refresh token is still that one
        (or there is none): a refresh that failed must not delete the tokens a concurrent
        refresh, in this process or another, has just saved. The check and the removal
        are one :meth:`~cognito_identity.storage.CognitoStorage.compare_and_set_items`.
        Returns whether the tokens were removed.
        """
        keys = self._keys(username)
        last = last_user_key(self.client_id)
        current = self.storage.get_items([keys["refreshToken"], last])
        stored_refresh = current[keys["refreshToken"]]
        if if_refresh_token is not None and stored_refresh not in (None, if_refresh_token):
            return False
        removal: dict[str, str | None] = dict.fromkeys(keys.values())
        if current[last] == username:
            removal[last] = None
        if if_refresh_token is None:
            self.storage.set_items(removal)
            return True
        return self.storage.compare_and_set_items(current, removal)

    def refresh_key(self, username: str) -> Hashable:
        """What identifies ``username``'s session among all storages of this process."""
        return (id(self.storage), key_prefix(self.client_id, username))

    def refresh_gate(self, username: str) -> _Gate:
        """The gate whose lock one refresh of ``username``'s session holds at a time, shared
        by every user object of this process on the same storage. Keep a reference to the
        gate for as long as its lock is held."""
        return _REFRESH_LOCKS.gate(self.refresh_key(username))
