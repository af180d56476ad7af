"""Mistakes a new user makes with the SDK's arguments fail at once, with a typed error
that says what was expected: a wrong type, a second username, a misspelt flow, and an
app client of another pool (with the tokens it brought not stored)."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_identity import (
    AuthenticationDetails,
    AuthFlow,
    CognitoError,
    CognitoUser,
    CognitoUserPool,
    InvalidArgumentTypeError,
    InvalidConfigurationError,
)
from cognito_identity.asyncio import AsyncCognitoUser, AsyncCognitoUserPool
from cognito_identity.local import LocalCognito
from cognito_identity.storage import MemoryStorage

from .conftest import PASSWORD, PoolSetup, make_setup

POOL_ID = "eu-west-1_AbCdEf123"


def _pool() -> CognitoUserPool:
    return CognitoUserPool(POOL_ID, "client-id")


def test_a_password_where_details_belong_is_a_type_error() -> None:
    user = CognitoUser("alice", _pool())
    with pytest.raises(TypeError, match="AuthenticationDetails") as error:
        user.authenticate_user("Corr3ct-Horse!")  # type: ignore[arg-type]
    assert isinstance(error.value, CognitoError)
    assert "Corr3ct-Horse!" not in str(error.value)
    with pytest.raises(InvalidArgumentTypeError, match="initiate_auth"):
        user.initiate_auth({"password": "x"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda: CognitoUserPool(123, "client-id"), "user_pool_id"),  # type: ignore[arg-type]
        (lambda: CognitoUserPool(POOL_ID, None), "client_id"),  # type: ignore[arg-type]
        (lambda: CognitoUserPool(POOL_ID, "c", client_secret=b"s"), "client_secret"),  # type: ignore[arg-type]
        (lambda: CognitoUser(42, _pool()), "username"),  # type: ignore[arg-type]
        (lambda: CognitoUser("alice", POOL_ID), "pool"),  # type: ignore[arg-type]
        (lambda: AuthenticationDetails(username=7), "username"),  # type: ignore[arg-type]
        (lambda: AuthenticationDetails(password=1234), "password"),  # type: ignore[arg-type]
        (lambda: _pool().sign_up("alice", 1234), "password"),  # type: ignore[arg-type]
        (lambda: _pool().sign_up(["alice"], PASSWORD), "username"),  # type: ignore[arg-type]
    ],
)
def test_wrong_types_name_the_argument(make: Any, named: str) -> None:
    with pytest.raises(InvalidArgumentTypeError, match=named) as error:
        make()
    assert isinstance(error.value, TypeError)
    assert "1234" not in str(error.value)  # a value may be a secret: only its type shows


def test_details_naming_another_user_are_refused() -> None:
    user = CognitoUser("alice", _pool())
    with pytest.raises(ValueError, match="'bob'"):
        user.authenticate_user(AuthenticationDetails(username="bob", password=PASSWORD))


def test_details_may_repeat_the_users_name_or_leave_it_out(setup: PoolSetup) -> None:
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id, Username="alice", MessageAction="SUPPRESS"
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username="alice", Password=PASSWORD, Permanent=True
    )
    user = CognitoUser("alice", setup.pool())
    assert user.authenticate_user(AuthenticationDetails(username="alice", password=PASSWORD))
    assert user.authenticate_user(AuthenticationDetails(password=PASSWORD))


def test_an_alias_still_signs_in_after_srp_renamed_the_user(local: LocalCognito) -> None:
    setup = make_setup(local, UsernameAttributes=["email"])
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="carol@example.com",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username="carol@example.com", Password=PASSWORD, Permanent=True
    )
    user = CognitoUser("carol@example.com", setup.pool())
    details = AuthenticationDetails(username="carol@example.com", password=PASSWORD)
    user.authenticate_user(details)
    assert user.username != "carol@example.com"  # the pool's own name for her
    assert user.authenticate_user(details).is_valid()


def test_the_flow_type_takes_the_enum_or_its_name_and_refuses_a_typo() -> None:
    user = CognitoUser("alice", _pool())
    assert user.authentication_flow_type is AuthFlow.USER_SRP_AUTH
    user.authentication_flow_type = AuthFlow.USER_PASSWORD_AUTH
    assert user.authentication_flow_type == "USER_PASSWORD_AUTH"
    user.authentication_flow_type = "CUSTOM_AUTH"
    assert user.authentication_flow_type is AuthFlow.CUSTOM_AUTH
    assert str(AuthFlow.CUSTOM_AUTH) == "CUSTOM_AUTH"
    with pytest.raises(ValueError, match="USER_PASWORD_AUTH") as error:
        user.authentication_flow_type = "USER_PASWORD_AUTH"
    assert isinstance(error.value, InvalidConfigurationError)
    with pytest.raises(ValueError, match="USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_AUTH"):
        user.authentication_flow_type = None  # type: ignore[assignment]
    assert user.authentication_flow_type is AuthFlow.CUSTOM_AUTH  # unchanged by the typo


def test_the_enum_signs_in_as_the_string_does(setup: PoolSetup) -> None:
    setup.idp.admin_create_user(UserPoolId=setup.pool_id, Username="dan", MessageAction="SUPPRESS")
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username="dan", Password=PASSWORD, Permanent=True
    )
    user = CognitoUser("dan", setup.pool())
    user.authentication_flow_type = AuthFlow.USER_PASSWORD_AUTH
    assert user.authenticate_user(AuthenticationDetails(password=PASSWORD)).is_valid()


# --- An app client of another pool ---


def _wrong_pool(local: LocalCognito) -> tuple[PoolSetup, PoolSetup]:
    """Two pools; ``right`` has the user, and its client is the one used."""
    right, other = make_setup(local), make_setup(local)
    right.idp.admin_create_user(UserPoolId=right.pool_id, Username="erin", MessageAction="SUPPRESS")
    right.idp.admin_set_user_password(
        UserPoolId=right.pool_id, Username="erin", Password=PASSWORD, Permanent=True
    )
    return right, other


def test_a_client_of_another_pool_is_refused_and_nothing_is_stored(local: LocalCognito) -> None:
    right, other = _wrong_pool(local)
    storage = MemoryStorage()
    # The client id is right's; the pool id names the other pool.
    pool = CognitoUserPool(other.pool_id, right.client_id, endpoint=local.endpoint, storage=storage)
    user = CognitoUser("erin", pool)
    user.authentication_flow_type = AuthFlow.USER_PASSWORD_AUTH
    with pytest.raises(InvalidConfigurationError, match=right.pool_id) as error:
        user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    assert other.pool_id in str(error.value)
    assert repr(storage) == "MemoryStorage(0 items)"  # no tokens, no last user
    assert user.sign_in_user_session is None
    assert pool.get_current_user() is None
    # The same client with its own pool id signs in.
    good = CognitoUser("erin", right.pool())
    good.authentication_flow_type = AuthFlow.USER_PASSWORD_AUTH
    assert good.authenticate_user(AuthenticationDetails(password=PASSWORD)).is_valid()


async def _async_sign_in(local: LocalCognito, pool_id: str, client_id: str) -> None:
    async with AsyncCognitoUserPool(pool_id, client_id, endpoint=local.endpoint) as pool:
        user = AsyncCognitoUser("erin", pool)
        user.authentication_flow_type = "USER_PASSWORD_AUTH"
        try:
            await user.authenticate_user(AuthenticationDetails(password=PASSWORD))
        finally:
            assert await pool.get_current_user() is None


def test_the_asyncio_user_refuses_another_pools_client_too(local: LocalCognito) -> None:
    import asyncio

    pytest.importorskip("httpx")
    right, other = _wrong_pool(local)
    with pytest.raises(InvalidConfigurationError, match=right.pool_id):
        asyncio.run(_async_sign_in(local, other.pool_id, right.client_id))


def test_a_code_typed_as_a_number_is_a_type_error(setup: PoolSetup) -> None:
    user = setup.pool().sign_up("fay", PASSWORD, {"email": "fay@example.com"}).user
    code = setup.code_for("fay")
    with pytest.raises(InvalidArgumentTypeError, match="confirmation code must be a str, not int"):
        user.confirm_registration(int(code))  # type: ignore[arg-type]
    user.confirm_registration(code)  # the code is still good: nothing was sent
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    for call in (
        lambda: user.change_password(PASSWORD, 12345678),  # type: ignore[arg-type]
        lambda: user.verify_attribute("email", 123456),  # type: ignore[arg-type]
        lambda: user.send_mfa_code(123456),  # type: ignore[arg-type]
        lambda: user.verify_software_token(123456),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidArgumentTypeError, match="must be a str, not int"):
            call()
