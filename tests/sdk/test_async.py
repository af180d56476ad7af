"""The asyncio API against the local pool: the sync suite's main paths, awaited (sign-up,
confirmation, SRP and password sign-in, a challenge chain, refresh, sign-out, devices,
USER_AUTH), with the same storage and exceptions as the sync API."""

from __future__ import annotations

import asyncio
import inspect
import subprocess
import sys
import threading
from typing import Any

import httpx
import pytest

from cognito_identity import AuthenticationDetails, CognitoUser, CognitoUserPool, MemoryStorage
from cognito_identity.asyncio import AsyncCognitoUser, AsyncCognitoUserPool
from cognito_identity.errors import (
    CognitoUserConfirmationNecessaryException,
    CognitoUserEmailOtpRequiredException,
    CognitoUserMfaRequiredException,
    CognitoUserNewPasswordRequiredException,
    CognitoUserSelectChallengeException,
    NotAuthenticatedError,
    NotAuthorizedException,
)
from cognito_identity.flows import sign_in as sign_in_flows
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.storage import key_prefix

from .async_helpers import async_pool
from .conftest import PASSWORD, PoolSetup
from .helpers import PHONE, mfa_code, mfa_pool, tracking
from .test_single_flight import expire_sessions
from .test_user_auth import ALL_FACTORS, make_user, user_auth_setup


def public_methods(cls: type) -> set[str]:
    return {name for name, value in vars_of(cls).items() if callable(value)}


def vars_of(cls: type) -> dict[str, object]:
    names: dict[str, object] = {}
    for klass in reversed(cls.__mro__):
        names.update({k: v for k, v in vars(klass).items() if not k.startswith("_")})
    return names


def test_the_async_classes_offer_every_sync_method_awaitable() -> None:
    for sync, asynchronous in (
        (CognitoUser, AsyncCognitoUser),
        (CognitoUserPool, AsyncCognitoUserPool),
    ):
        wanted = public_methods(sync) - {"from_session", "secret_hash"}
        assert wanted, sync
        present = vars_of(asynchronous)
        missing = wanted - set(present)
        assert not missing, f"{asynchronous.__name__} lacks {sorted(missing)}"
        not_awaitable = [n for n in wanted if not inspect.iscoroutinefunction(present[n])]
        assert not not_awaitable, f"not awaitable: {sorted(not_awaitable)}"


def test_importing_the_package_does_not_import_httpx() -> None:
    code = "import sys, cognito_identity, cognito_identity.user; print('httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_sign_up_confirm_srp_sign_in_and_sign_out(setup: PoolSetup) -> None:
    storage = MemoryStorage()

    async def scenario() -> None:
        async with async_pool(setup, storage=storage) as pool:
            result = await pool.sign_up("ann", PASSWORD, {"email": "ann@example.com"})
            assert not result.user_confirmed and result.user_sub
            user = result.user
            with pytest.raises(CognitoUserConfirmationNecessaryException):
                await user.authenticate_user(AuthenticationDetails(password=PASSWORD))
            await user.confirm_registration(setup.code_for("ann"))
            session = await user.authenticate_user(AuthenticationDetails(password=PASSWORD))
            assert session.is_valid() and session.id_token.payload["email"] == "ann@example.com"
            attributes = {a.name: a.value for a in await user.get_user_attributes()}
            assert attributes["email"] == "ann@example.com"

            # The sync API finds the same session under the same keys.
            sync_user = CognitoUserPool(
                setup.pool_id, setup.client_id, endpoint=setup.local.endpoint, storage=storage
            ).get_current_user()
            assert sync_user is not None
            assert sync_user.get_session().access_token.jwt_token == session.access_token.jwt_token

            current = await pool.get_current_user()
            assert current is not None
            restored = await current.get_session()
            assert restored.access_token.jwt_token == session.access_token.jwt_token
            await user.sign_out(revoke_refresh_token=True)
            prefix = key_prefix(setup.client_id, user.username)
            assert storage.get_item(f"{prefix}.idToken") is None
            with pytest.raises(NotAuthenticatedError):
                await user.get_session()
            assert session.refresh_token is not None
            with pytest.raises(NotAuthorizedException):
                await user.refresh_session(session.refresh_token)

    asyncio.run(scenario())


def test_password_sign_in_and_a_wrong_password(setup: PoolSetup) -> None:
    setup.pool().sign_up("bob", PASSWORD)
    setup.idp.admin_confirm_sign_up(UserPoolId=setup.pool_id, Username="bob")

    async def scenario() -> None:
        async with async_pool(setup) as pool:
            user = AsyncCognitoUser("bob", pool)
            user.authentication_flow_type = "USER_PASSWORD_AUTH"
            with pytest.raises(NotAuthorizedException):
                await user.authenticate_user(AuthenticationDetails(password="Wr0ng-Horse!"))
            session = await user.authenticate_user(AuthenticationDetails(password=PASSWORD))
            assert session.access_token.username == "bob"

    asyncio.run(scenario())


def test_a_challenge_chain_new_password_then_sms_mfa(setup: PoolSetup) -> None:
    mfa_pool(setup)
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="dana",
        TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "phone_number", "Value": PHONE},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )

    async def scenario() -> None:
        async with async_pool(setup) as pool:
            user = AsyncCognitoUser("dana", pool)
            with pytest.raises(CognitoUserNewPasswordRequiredException):
                await user.authenticate_user(AuthenticationDetails(password="Temp-Passw0rd!"))
            with pytest.raises(CognitoUserMfaRequiredException):
                await user.send_new_password_required_answer(PASSWORD)
            session = await user.send_mfa_code(mfa_code(setup, PHONE))
            assert session.is_valid() and (await user.get_session()) is session

    asyncio.run(scenario())


def test_an_expired_session_is_refreshed(
    setup: PoolSetup, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup.pool().sign_up("cid", PASSWORD)
    setup.idp.admin_confirm_sign_up(UserPoolId=setup.pool_id, Username="cid")

    async def scenario() -> None:
        async with async_pool(setup) as pool:
            user = AsyncCognitoUser("cid", pool)
            first = await user.authenticate_user(AuthenticationDetails(password=PASSWORD))
            expire_sessions(clock, monkeypatch)
            assert not first.is_valid()
            later = AsyncCognitoUser("cid", pool)
            again = await later.get_session()
            assert again.is_valid() and again.access_token.jwt_token != first.access_token.jwt_token
            with pytest.raises(NotAuthenticatedError):
                await user.global_sign_out()  # its own session in memory has expired
            await later.global_sign_out()
            with pytest.raises(NotAuthorizedException):
                await AsyncCognitoUser("cid", pool).refresh_session(first.refresh_token)  # type: ignore[arg-type]

    asyncio.run(scenario())


def test_devices_are_confirmed_remembered_and_forgotten(local: LocalCognito) -> None:
    setup = tracking(local)
    storage = MemoryStorage()
    calls: list[str] = []

    async def scenario() -> None:
        async with async_pool(
            setup, storage=storage, hooks=(lambda r: calls.append(r.action),)
        ) as pool:
            first = AsyncCognitoUser("ann", pool)
            await first.authenticate_user(AuthenticationDetails(password=PASSWORD))
            key = await first.get_device_key()
            assert key is not None and "ConfirmDevice" in calls
            calls.clear()
            second = AsyncCognitoUser("ann", pool)
            await second.authenticate_user(AuthenticationDetails(password=PASSWORD))
            assert (
                calls.count("RespondToAuthChallenge") == 3
            )  # password, device SRP, device password
            assert "ConfirmDevice" not in calls
            assert (await second.get_device())["DeviceKey"] == key
            assert [d["DeviceKey"] for d in (await second.list_devices())["Devices"]] == [key]
            await second.set_device_status_remembered()
            await second.forget_device()
            assert await second.get_device_key() is None

    asyncio.run(scenario())


def test_user_auth_with_an_email_code_and_a_choice(local: LocalCognito) -> None:
    choice = user_auth_setup(local, ALL_FACTORS)
    make_user(choice)

    async def scenario() -> None:
        async with async_pool(choice) as pool:
            user = AsyncCognitoUser("erin", pool)
            with pytest.raises(CognitoUserEmailOtpRequiredException):
                await user.sign_in("EMAIL_OTP")
            message = choice.local.outbox.messages(choice.pool_id, "erin")[-1]
            assert (await user.send_otp_code(message.code)).access_token.username == "erin"

            other = AsyncCognitoUser("erin", pool)
            with pytest.raises(CognitoUserSelectChallengeException) as raised:
                await other.sign_in()
            assert "PASSWORD_SRP" in raised.value.available_challenges
            session = await other.send_challenge_selection("PASSWORD_SRP", password=PASSWORD)
            assert session.is_valid()

    asyncio.run(scenario())


def test_storage_is_touched_off_the_event_loop(setup: PoolSetup) -> None:
    setup.pool().sign_up("eve", PASSWORD)
    setup.idp.admin_confirm_sign_up(UserPoolId=setup.pool_id, Username="eve")
    writers: list[int] = []

    class Watched(MemoryStorage):
        def set_items(self, items: object) -> None:
            writers.append(threading.get_ident())
            super().set_items(items)  # type: ignore[arg-type]

    async def scenario() -> int:
        async with async_pool(setup, storage=Watched()) as pool:
            await AsyncCognitoUser("eve", pool).authenticate_user(
                AuthenticationDetails(password=PASSWORD)
            )
        return threading.get_ident()

    loop_thread = asyncio.run(scenario())
    assert writers and loop_thread not in writers


def test_srp_math_runs_off_the_event_loop(
    setup: PoolSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup.pool().sign_up("fay", PASSWORD)
    setup.idp.admin_confirm_sign_up(UserPoolId=setup.pool_id, Username="fay")
    computed_in: list[int] = []
    real = sign_in_flows.AuthenticationHelper

    def watched(pool_name: str) -> Any:
        computed_in.append(threading.get_ident())
        return real(pool_name)

    monkeypatch.setattr(sign_in_flows, "AuthenticationHelper", watched)

    async def scenario() -> int:
        async with async_pool(setup) as pool:
            session = await AsyncCognitoUser("fay", pool).authenticate_user(
                AuthenticationDetails(password=PASSWORD)
            )
            assert session.is_valid()
        return threading.get_ident()

    loop_thread = asyncio.run(scenario())
    assert len(computed_in) == 1 and computed_in[0] != loop_thread


def test_the_pool_closes_the_client_it_made_and_not_yours(setup: PoolSetup) -> None:
    async def scenario() -> None:
        async with async_pool(setup) as pool:
            made = pool.client.transport.client  # type: ignore[attr-defined]
            assert not made.is_closed
        assert made.is_closed
        async with httpx.AsyncClient() as mine:
            async with async_pool(setup, http_client=mine) as pool:
                user = AsyncCognitoUser("nobody", pool)
                with pytest.raises(NotAuthenticatedError):
                    await user.get_session()
            assert not mine.is_closed
        user_pool = async_pool(setup)
        async with AsyncCognitoUser("zoe", user_pool):
            pass
        assert user_pool.client.transport.client.is_closed  # type: ignore[attr-defined]

    asyncio.run(scenario())
