"""Remembered devices through the SDK against the local pool: confirmation after sign-in,
device SRP on the next sign-in, a forgotten device, user-opt-in pools, and the fixed
quirks Q7, Q10, Q11, Q12 and Q14."""

from __future__ import annotations

import platform
from collections.abc import Mapping
from typing import Any

import pytest

from cognito_identity import CognitoUser
from cognito_identity.errors import (
    CognitoResponseError,
    CognitoUserDeviceConfirmationNecessaryException,
    CognitoUserEmailOtpRequiredException,
    NotAuthenticatedError,
    NotAuthorizedException,
    ResourceNotFoundException,
    SrpError,
)
from cognito_identity.local import LocalCognito
from cognito_identity.storage import MemoryStorage, key_prefix
from cognito_identity.transport import USER_POOLS

from .conftest import PoolSetup, RecordingTransport
from .helpers import EMAIL, sign_in, tracking, user_of


def sent(user: CognitoUser) -> RecordingTransport:
    transport = user.pool.transport
    assert isinstance(transport, RecordingTransport)
    return transport


def devices_of(setup: PoolSetup, username: str = "ann") -> list[dict[str, Any]]:
    answer = setup.idp.admin_list_devices(UserPoolId=setup.pool_id, Username=username)
    return list(answer["Devices"])


def attributes(device: dict[str, Any]) -> dict[str, str]:
    return {item["Name"]: item["Value"] for item in device["DeviceAttributes"]}


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_device_srp_after_remembering(local: LocalCognito, flow: str) -> None:
    setup = tracking(local)
    storage = MemoryStorage()
    first = user_of(setup, storage)
    first.authentication_flow_type = flow
    sign_in(first)
    (confirm,) = sent(first).steps("ConfirmDevice")
    key = first.get_device_key()
    assert key is not None and confirm["DeviceKey"] == key
    prefix = key_prefix(setup.client_id, "ann")
    assert storage.get_item(f"{prefix}.deviceKey") == key
    assert storage.get_item(f"{prefix}.deviceGroupKey")
    assert storage.get_item(f"{prefix}.randomPasswordKey")

    second = user_of(setup, storage)
    second.authentication_flow_type = flow
    sign_in(second)
    assert second.sign_in_user_session is not None and second.sign_in_user_session.is_valid()
    assert len(sent(second).steps("RespondToAuthChallenge", "DEVICE_PASSWORD_VERIFIER")) == 1
    assert sent(second).steps("ConfirmDevice") == []
    assert [d["DeviceKey"] for d in devices_of(setup)] == [key]


def test_device_srp_auth_carries_the_session(local: LocalCognito) -> None:
    """Q10: the original sent DEVICE_SRP_AUTH without Session."""
    setup = tracking(local)
    storage = MemoryStorage()
    sign_in(user_of(setup, storage))
    user = user_of(setup, storage)
    sign_in(user)
    (verifier,) = sent(user).steps("RespondToAuthChallenge", "PASSWORD_VERIFIER")
    assert verifier["ChallengeResponses"]["DEVICE_KEY"] == user.get_device_key()
    (device_srp,) = sent(user).steps("RespondToAuthChallenge", "DEVICE_SRP_AUTH")
    assert device_srp["Session"]
    (claim,) = sent(user).steps("RespondToAuthChallenge", "DEVICE_PASSWORD_VERIFIER")
    assert claim["Session"] and claim["ChallengeResponses"]["DEVICE_KEY"] == user.get_device_key()


def test_device_srp_with_a_client_secret(local: LocalCognito) -> None:
    setup = tracking(local, secret=True)
    storage = MemoryStorage()
    sign_in(user_of(setup, storage))
    user = user_of(setup, storage)
    sign_in(user)
    (claim,) = sent(user).steps("RespondToAuthChallenge", "DEVICE_PASSWORD_VERIFIER")
    assert claim["ChallengeResponses"]["SECRET_HASH"]


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_forgotten_device_falls_back_once(local: LocalCognito, flow: str) -> None:
    """Q11: one retry without DEVICE_KEY, as a new request; the first is left as it was."""
    setup = tracking(local)
    storage = MemoryStorage()
    first = user_of(setup, storage)
    sign_in(first)
    old_key = first.get_device_key()
    setup.idp.admin_forget_device(UserPoolId=setup.pool_id, Username="ann", DeviceKey=old_key)

    user = user_of(setup, storage)
    user.authentication_flow_type = flow
    sign_in(user)
    if flow == "USER_SRP_AUTH":
        steps = sent(user).steps("RespondToAuthChallenge", "PASSWORD_VERIFIER")
        parameters = [step["ChallengeResponses"] for step in steps]
    else:
        steps = sent(user).steps("InitiateAuth")
        parameters = [step["AuthParameters"] for step in steps]
    assert len(steps) == 2
    assert parameters[0]["DEVICE_KEY"] == old_key  # not mutated by the retry
    assert "DEVICE_KEY" not in parameters[1]
    new_key = user.get_device_key()
    assert new_key is not None and new_key != old_key
    assert [d["DeviceKey"] for d in devices_of(setup)] == [new_key]


class DeviceNeverFound(RecordingTransport):
    """Answers every password step with Cognito's unknown-device error."""

    def call(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        service: str = USER_POOLS,
        endpoint: str | None = None,
    ) -> dict[str, Any]:
        if params.get("ChallengeName") == "PASSWORD_VERIFIER":
            self.sent.append((action, params))
            raise ResourceNotFoundException("Device does not exist.")
        return super().call(action, params, service=service, endpoint=endpoint)


def test_the_device_retry_is_bounded(local: LocalCognito) -> None:
    setup = tracking(local)
    storage = MemoryStorage()
    sign_in(user_of(setup, storage))
    pool = setup.pool(storage=storage)
    pool.transport = DeviceNeverFound(setup.local.endpoint)
    user = CognitoUser("ann", pool)
    with pytest.raises(ResourceNotFoundException):
        sign_in(user)
    assert len(pool.transport.steps("RespondToAuthChallenge", "PASSWORD_VERIFIER")) == 2
    assert user.get_device_key() is None


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_user_prompt_pool_raises_device_confirmation_necessary(
    local: LocalCognito, flow: str
) -> None:
    """Q7: the same class on every path, after the session is stored."""
    setup = tracking(local, DeviceOnlyRememberedOnUserPrompt=True)
    storage = MemoryStorage()
    user = user_of(setup, storage)
    user.authentication_flow_type = flow
    with pytest.raises(CognitoUserDeviceConfirmationNecessaryException) as caught:
        sign_in(user)
    session = caught.value.sign_in_user_session
    assert session is not None and session is user.sign_in_user_session
    assert user.get_session() is session
    (device,) = devices_of(setup)
    assert attributes(device)["dev:device_remembered_status"] == "not_remembered"
    user.set_device_status_remembered()
    assert attributes(user.get_device())["dev:device_remembered_status"] == "remembered"
    user.set_device_status_not_remembered()
    assert attributes(user.get_device())["dev:device_remembered_status"] == "not_remembered"


def test_device_confirmation_after_an_mfa_answer_raises_the_same_class(
    local: LocalCognito,
) -> None:
    setup = tracking(local, DeviceOnlyRememberedOnUserPrompt=True)
    setup.idp.set_user_pool_mfa_config(
        UserPoolId=setup.pool_id, MfaConfiguration="ON", EmailMfaConfiguration={}
    )
    user = user_of(setup, MemoryStorage())
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        sign_in(user)
    code = [m for m in setup.local.outbox.messages(setup.pool_id, EMAIL) if m.purpose == "mfa"]
    with pytest.raises(CognitoUserDeviceConfirmationNecessaryException) as caught:
        user.send_mfa_code(code[-1].code, "EMAIL_OTP")
    assert caught.value.sign_in_user_session is user.sign_in_user_session


def test_remembered_device_skips_mfa(local: LocalCognito) -> None:
    setup = tracking(local, ChallengeRequiredOnNewDevice=True)
    setup.idp.set_user_pool_mfa_config(
        UserPoolId=setup.pool_id, MfaConfiguration="ON", EmailMfaConfiguration={}
    )
    storage = MemoryStorage()
    first = user_of(setup, storage)
    with pytest.raises(CognitoUserEmailOtpRequiredException):
        sign_in(first)
    code = [m for m in setup.local.outbox.messages(setup.pool_id, EMAIL) if m.purpose == "mfa"]
    first.send_mfa_code(code[-1].code, "EMAIL_OTP")
    assert first.get_device_key() is not None

    second = user_of(setup, storage)
    sign_in(second)  # no EMAIL_OTP this time: the remembered device stands in for it
    assert second.sign_in_user_session is not None
    assert len(devices_of(setup)) == 1


def test_alias_sign_in_keeps_and_finds_the_device_under_one_name(local: LocalCognito) -> None:
    """Q12: the original looked keys up under the typed alias but stored them under
    USER_ID_FOR_SRP, so an e-mail sign-in never found its device again."""
    setup = tracking(local, by_email=True)
    storage = MemoryStorage()
    first = user_of(setup, storage, EMAIL)
    sign_in(first)
    sub = first.username
    assert sub != EMAIL
    assert storage.get_item(f"{key_prefix(setup.client_id, sub)}.deviceKey")
    assert storage.get_item(f"{key_prefix(setup.client_id, EMAIL)}.deviceKey") is None

    second = user_of(setup, storage, EMAIL)
    sign_in(second)
    assert len(sent(second).steps("RespondToAuthChallenge", "DEVICE_SRP_AUTH")) == 1
    assert len(devices_of(setup, EMAIL)) == 1


def test_confirm_device_sends_a_real_device_name(local: LocalCognito) -> None:
    """Q14: the original sent the pool's customUserAgent (often null) from some paths."""
    setup = tracking(local)
    storage = MemoryStorage()
    user = user_of(setup, storage)
    sign_in(user)
    (confirm,) = sent(user).steps("ConfirmDevice")
    assert confirm["DeviceName"] == (platform.node() or "python")
    assert attributes(devices_of(setup)[0])["device_name"] == confirm["DeviceName"]

    other = user_of(setup, MemoryStorage())
    other.device_name = "Ann's phone"
    sign_in(other)
    names = {attributes(d)["device_name"] for d in devices_of(setup)}
    assert names == {confirm["DeviceName"], "Ann's phone"}


def test_list_get_and_forget_devices(local: LocalCognito) -> None:
    setup = tracking(local)
    phone, laptop = user_of(setup, MemoryStorage()), user_of(setup, MemoryStorage())
    sign_in(phone)
    sign_in(laptop)
    page = laptop.list_devices(limit=1)
    assert len(page["Devices"]) == 1 and page["PaginationToken"]
    rest = laptop.list_devices(limit=1, pagination_token=page["PaginationToken"])
    keys = {page["Devices"][0]["DeviceKey"], rest["Devices"][0]["DeviceKey"]}
    assert keys == {phone.get_device_key(), laptop.get_device_key()}
    assert laptop.get_device()["DeviceKey"] == laptop.get_device_key()

    phone_key = phone.get_device_key()
    assert phone_key is not None
    laptop.forget_specific_device(phone_key)
    assert laptop.get_device_key() is not None  # another device: this one is kept
    laptop.forget_device()
    assert laptop.get_device_key() is None
    assert devices_of(setup) == []


def test_device_calls_need_a_session(local: LocalCognito) -> None:
    setup = tracking(local)
    user = user_of(setup, MemoryStorage())
    for call in (
        user.get_device,
        user.list_devices,
        user.set_device_status_remembered,
        user.forget_device,
    ):
        with pytest.raises(NotAuthenticatedError):
            call()
    assert sent(user).sent == []


def test_refresh_sends_the_device_key(local: LocalCognito) -> None:
    setup = tracking(local)
    user = user_of(setup, MemoryStorage())
    sign_in(user)
    assert user.sign_in_user_session is not None
    refresh_token = user.sign_in_user_session.refresh_token
    assert refresh_token is not None
    user.refresh_session(refresh_token)
    (refresh,) = [
        p for p in sent(user).steps("InitiateAuth") if p["AuthFlow"] == "REFRESH_TOKEN_AUTH"
    ]
    assert refresh["AuthParameters"]["DEVICE_KEY"] == user.get_device_key()


def test_the_device_password_stays_out_of_reprs(local: LocalCognito) -> None:
    setup = tracking(local)
    storage = MemoryStorage()
    user = user_of(setup, storage)
    sign_in(user)
    device = user._cached_device()
    assert device is not None
    assert device.password not in repr(device) and device.key in repr(device)
    assert device.password not in repr(user)


def test_a_forgotten_device_ends_its_refresh_token(local: LocalCognito) -> None:
    setup = tracking(local)
    storage = MemoryStorage()
    user = user_of(setup, storage)
    sign_in(user)
    session = user.sign_in_user_session
    assert session is not None and session.refresh_token is not None
    setup.idp.admin_forget_device(
        UserPoolId=setup.pool_id, Username="ann", DeviceKey=user.get_device_key()
    )
    with pytest.raises(NotAuthorizedException):
        user.refresh_session(session.refresh_token)
    assert storage.get_item(f"{key_prefix(setup.client_id, 'ann')}.refreshToken") is None


def test_forgetting_a_device_cognito_already_forgot(local: LocalCognito) -> None:
    setup = tracking(local)
    user = user_of(setup, MemoryStorage())
    sign_in(user)
    setup.idp.admin_forget_device(
        UserPoolId=setup.pool_id, Username="ann", DeviceKey=user.get_device_key()
    )
    with pytest.raises(ResourceNotFoundException):
        user.forget_device()
    assert user.get_device_key() is None


def test_malformed_device_answers_are_typed_errors(local: LocalCognito) -> None:
    setup = tracking(local)
    storage = MemoryStorage()
    user = user_of(setup, storage)
    with pytest.raises(CognitoResponseError):  # asked for device SRP with no device kept
        next(user._device_srp_flow("session"))
    prefix = key_prefix(setup.client_id, "ann")
    for name, value in (
        ("deviceKey", "us-east-1_ab"),
        ("deviceGroupKey", "-g"),
        ("randomPasswordKey", "pw"),
    ):
        storage.set_item(f"{prefix}.{name}", value)
    flow = user._device_srp_flow("session")
    call = next(flow)
    assert call.params["ChallengeName"] == "DEVICE_SRP_AUTH"
    with pytest.raises(CognitoResponseError):
        flow.send(
            {"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "ChallengeParameters": {"SALT": "ab"}}
        )
    flow = user._device_srp_flow("session")
    next(flow)
    with pytest.raises(SrpError):
        flow.send(
            {
                "ChallengeParameters": {"SALT": "zz", "SRP_B": "not hex", "SECRET_BLOCK": "AA=="},
            }
        )
