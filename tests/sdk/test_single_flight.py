"""Many threads asking for one expired session: one refresh reaches Cognito, and with
refresh-token rotation nobody is signed out, whatever the grace period."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserSession
from cognito_identity.client import CallRecord
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.storage import MemoryStorage, key_prefix

from .conftest import PASSWORD, PoolSetup
from .test_refresh_rotation import rotation_setup

THREADS = 16


def expire_sessions(clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """An hour and a bit later on both clocks: id and access tokens have expired."""
    clock.advance(3700)
    later = time.time() + 3700
    monkeypatch.setattr("cognito_identity.session._now", lambda: later)


def sessions_from_threads(make_user: Any) -> list[CognitoUserSession]:
    start = threading.Barrier(THREADS)

    def one() -> CognitoUserSession:
        user = make_user()
        start.wait()
        session: CognitoUserSession = user.get_session()
        return session

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda _: one(), range(THREADS)))


@pytest.mark.parametrize("grace", [None, 0, 10])
@pytest.mark.parametrize("shared_object", [True, False])
def test_sixteen_threads_send_one_refresh(
    local: LocalCognito,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    grace: int | None,
    shared_object: bool,
) -> None:
    rotation = None if grace is None else {"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}
    setup: PoolSetup = rotation_setup(local, rotation)
    refreshes: list[CallRecord] = []

    def count(record: CallRecord) -> None:
        if record.action in ("InitiateAuth", "GetTokensFromRefreshToken"):
            refreshes.append(record)

    pool = setup.pool(
        storage=MemoryStorage(), refresh_token_rotation=grace is not None, hooks=(count,)
    )
    first = CognitoUser("rita", pool)
    first.authenticate_user(AuthenticationDetails(password=PASSWORD))
    refreshes.clear()
    expire_sessions(clock, monkeypatch)

    sessions = sessions_from_threads(
        (lambda: first) if shared_object else (lambda: CognitoUser("rita", pool))
    )

    assert len(refreshes) == 1
    assert all(session.is_valid() for session in sessions)
    assert len({session.access_token.jwt_token for session in sessions}) == 1
    # Nobody was signed out: the stored refresh token is the newest one, and it works.
    stored = pool.storage.get_item(f"{key_prefix(setup.client_id, 'rita')}.refreshToken")
    assert stored is not None and stored == sessions[0].refresh_token.token  # type: ignore[union-attr]
    again = CognitoUser("rita", pool)
    assert again.refresh_session(sessions[0].refresh_token).is_valid()  # type: ignore[arg-type]
