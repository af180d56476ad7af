"""Device tracking in the local pool, driven by boto3, with pycognito's independent SRP code
(its device verifier and its DEVICE_PASSWORD_VERIFIER signature) playing the device."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, generate_hash_device

from cognito_identity.local.devices import Device as StoredDevice

from .conftest import PASSWORD

FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def _pool(idp: Any, **device_configuration: bool) -> tuple[str, str]:
    """A pool (tracking devices when a configuration is given) and its app client."""
    extra = {"DeviceConfiguration": device_configuration} if device_configuration else {}
    pool_id = idp.create_user_pool(PoolName="devices", **extra)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password=PASSWORD, Permanent=True
    )
    return pool_id, client_id


def _password_sign_in(idp: Any, client_id: str, **extra: str) -> dict[str, Any]:
    answer = idp.initiate_auth(
        AuthFlow="USER_PASSWORD_AUTH",
        ClientId=client_id,
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD, **extra},
    )
    return dict(answer)


class Device:
    """A device as an app keeps it: NewDeviceMetadata plus its random password."""

    def __init__(self, idp: Any, result: dict[str, Any], name: str = "laptop") -> None:
        metadata = result["NewDeviceMetadata"]
        self.key: str = metadata["DeviceKey"]
        self.group_key: str = metadata["DeviceGroupKey"]
        self.password, config = generate_hash_device(self.group_key, self.key)
        self.confirmation = idp.confirm_device(
            AccessToken=result["AccessToken"],
            DeviceKey=self.key,
            DeviceSecretVerifierConfig=config,
            DeviceName=name,
        )


def _device_sign_in(idp: Any, pool_id: str, client_id: str, device: Device) -> dict[str, Any]:
    """USER_SRP_AUTH naming the device, through DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER."""
    helper = AWSSRP(
        "ann",
        PASSWORD,
        pool_id,
        client_id,
        client=idp,
        device_key=device.key,
        device_group_key=device.group_key,
        device_password=device.password,
    )
    params = helper.get_auth_params()
    answer = idp.initiate_auth(AuthFlow="USER_SRP_AUTH", ClientId=client_id, AuthParameters=params)
    answer = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=helper.process_challenge(answer["ChallengeParameters"], params),
    )
    assert answer["ChallengeName"] == "DEVICE_SRP_AUTH"
    answer = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=answer["Session"],
        ChallengeResponses={
            "USERNAME": "ann",
            "DEVICE_KEY": device.key,
            "SRP_A": format(helper.large_a_value, "x"),
        },
    )
    assert answer["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    return dict(
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="DEVICE_PASSWORD_VERIFIER",
            Session=answer["Session"],
            ChallengeResponses=helper.process_device_challenge(answer["ChallengeParameters"]),
        )
    )


def _attributes(device: dict[str, Any]) -> dict[str, str]:
    return {item["Name"]: item["Value"] for item in device["DeviceAttributes"]}


def test_device_configuration_round_trips(idp: Any) -> None:
    pool_id, _ = _pool(idp, ChallengeRequiredOnNewDevice=True)
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["DeviceConfiguration"] == {"ChallengeRequiredOnNewDevice": True}
    plain_id, _ = _pool(idp)
    assert "DeviceConfiguration" not in idp.describe_user_pool(UserPoolId=plain_id)["UserPool"]


def test_no_device_metadata_without_tracking(idp: Any) -> None:
    _, client_id = _pool(idp)
    assert "NewDeviceMetadata" not in _password_sign_in(idp, client_id)["AuthenticationResult"]


def test_new_device_metadata_formats(idp: Any) -> None:
    _, client_id = _pool(idp, ChallengeRequiredOnNewDevice=False)
    metadata = _password_sign_in(idp, client_id)["AuthenticationResult"]["NewDeviceMetadata"]
    region, _, uuid = metadata["DeviceKey"].partition("_")
    assert region == "us-east-1" and len(uuid) == 36 and uuid.count("-") == 4
    assert metadata["DeviceGroupKey"]


def test_confirm_then_device_srp_with_pycognito(idp: Any) -> None:
    pool_id, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    device = Device(idp, _password_sign_in(idp, client_id)["AuthenticationResult"])
    assert device.confirmation["UserConfirmationNecessary"] is False
    result = _device_sign_in(idp, pool_id, client_id, device)["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result  # a known device gets no new key
    listed = idp.list_devices(AccessToken=result["AccessToken"])["Devices"]
    assert [entry["DeviceKey"] for entry in listed] == [device.key]
    attributes = _attributes(listed[0])
    assert attributes["device_name"] == "laptop"
    assert attributes["dev:device_remembered_status"] == "remembered"


def test_a_wrong_device_password_is_refused(idp: Any) -> None:
    pool_id, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    device = Device(idp, _password_sign_in(idp, client_id)["AuthenticationResult"])
    device.password = "not-the-device-password"
    with pytest.raises(ClientError) as caught:
        _device_sign_in(idp, pool_id, client_id, device)
    assert _error(caught)[0] == "NotAuthorizedException"


def test_user_prompt_pools_answer_confirmation_necessary(idp: Any) -> None:
    pool_id, client_id = _pool(idp, DeviceOnlyRememberedOnUserPrompt=True)
    result = _password_sign_in(idp, client_id)["AuthenticationResult"]
    device = Device(idp, result)
    assert device.confirmation["UserConfirmationNecessary"] is True
    got = idp.get_device(AccessToken=result["AccessToken"], DeviceKey=device.key)["Device"]
    assert _attributes(got)["dev:device_remembered_status"] == "not_remembered"
    idp.update_device_status(
        AccessToken=result["AccessToken"],
        DeviceKey=device.key,
        DeviceRememberedStatus="remembered",
    )
    got = idp.admin_get_device(UserPoolId=pool_id, Username="ann", DeviceKey=device.key)
    assert _attributes(got["Device"])["dev:device_remembered_status"] == "remembered"


def test_confirming_twice_is_refused(idp: Any) -> None:
    _, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    result = _password_sign_in(idp, client_id)["AuthenticationResult"]
    device = Device(idp, result)
    _, config = generate_hash_device(device.group_key, device.key)
    with pytest.raises(ClientError) as caught:
        idp.confirm_device(
            AccessToken=result["AccessToken"],
            DeviceKey=device.key,
            DeviceSecretVerifierConfig=config,
        )
    assert _error(caught)[0] == "DeviceKeyExistsException"


def test_confirm_refuses_a_bad_verifier(idp: Any) -> None:
    _, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    result = _password_sign_in(idp, client_id)["AuthenticationResult"]
    key = result["NewDeviceMetadata"]["DeviceKey"]
    with pytest.raises(ClientError) as caught:
        idp.confirm_device(
            AccessToken=result["AccessToken"],
            DeviceKey=key,
            DeviceSecretVerifierConfig={"Salt": "not base64!", "PasswordVerifier": "AAAA"},
        )
    assert _error(caught)[0] == "InvalidParameterException"


def test_unknown_device_is_not_found(idp: Any) -> None:
    pool_id, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    token = _password_sign_in(idp, client_id)["AuthenticationResult"]["AccessToken"]
    missing = "us-east-1_00000000-0000-0000-0000-000000000000"
    calls = [
        lambda: idp.get_device(AccessToken=token, DeviceKey=missing),
        lambda: idp.forget_device(AccessToken=token, DeviceKey=missing),
        lambda: idp.update_device_status(
            AccessToken=token, DeviceKey=missing, DeviceRememberedStatus="remembered"
        ),
        lambda: idp.admin_get_device(UserPoolId=pool_id, Username="ann", DeviceKey=missing),
        lambda: idp.admin_forget_device(UserPoolId=pool_id, Username="ann", DeviceKey=missing),
    ]
    for call in calls:
        with pytest.raises(ClientError) as caught:
            call()
        assert _error(caught) == ("ResourceNotFoundException", "Device does not exist.")


def test_another_users_device_is_not_found(idp: Any) -> None:
    pool_id, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    key = _password_sign_in(idp, client_id)["AuthenticationResult"]["NewDeviceMetadata"][
        "DeviceKey"
    ]
    idp.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    with pytest.raises(ClientError) as caught:
        idp.admin_get_device(UserPoolId=pool_id, Username="bob", DeviceKey=key)
    assert _error(caught)[0] == "ResourceNotFoundException"


def test_list_devices_pages(idp: Any) -> None:
    pool_id, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    keys = {
        _password_sign_in(idp, client_id)["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
        for _ in range(5)
    }
    seen: list[str] = []
    token: dict[str, str] = {}
    while True:
        page = idp.admin_list_devices(UserPoolId=pool_id, Username="ann", Limit=2, **token)
        assert len(page["Devices"]) <= 2
        seen += [entry["DeviceKey"] for entry in page["Devices"]]
        if "PaginationToken" not in page:
            break
        token = {"PaginationToken": page["PaginationToken"]}
    assert sorted(seen) == sorted(keys)
    with pytest.raises(ClientError) as caught:
        idp.admin_list_devices(UserPoolId=pool_id, Username="ann", PaginationToken="garbage")
    assert _error(caught)[0] == "InvalidParameterException"


def test_forgotten_device_is_refused_before_the_srp_session_is_used(idp: Any) -> None:
    pool_id, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    result = _password_sign_in(idp, client_id)["AuthenticationResult"]
    device = Device(idp, result)
    idp.forget_device(AccessToken=result["AccessToken"], DeviceKey=device.key)
    helper = AWSSRP("ann", PASSWORD, pool_id, client_id, client=idp)
    params = helper.get_auth_params()
    answer = idp.initiate_auth(AuthFlow="USER_SRP_AUTH", ClientId=client_id, AuthParameters=params)
    responses = helper.process_challenge(answer["ChallengeParameters"], params)
    with pytest.raises(ClientError) as caught:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses={**responses, "DEVICE_KEY": device.key},
        )
    assert _error(caught) == ("ResourceNotFoundException", "Device does not exist.")
    # The same answer without the device still signs in, and earns a new device.
    retried = idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses
    )
    assert retried["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"] != device.key


def test_device_srp_needs_the_session_of_the_password_step(idp: Any) -> None:
    _, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    device = Device(idp, _password_sign_in(idp, client_id)["AuthenticationResult"])
    with pytest.raises(ClientError) as caught:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="DEVICE_SRP_AUTH",
            ChallengeResponses={"USERNAME": "ann", "DEVICE_KEY": device.key, "SRP_A": "ab"},
        )
    assert _error(caught)[0] == "InvalidParameterException"


def test_password_auth_with_a_known_device_asks_for_device_srp(idp: Any) -> None:
    _, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    device = Device(idp, _password_sign_in(idp, client_id)["AuthenticationResult"])
    answer = _password_sign_in(idp, client_id, DEVICE_KEY=device.key)
    assert answer["ChallengeName"] == "DEVICE_SRP_AUTH"
    assert answer["Session"]


def test_remembered_device_skips_mfa_only_when_the_pool_says_so(idp: Any) -> None:
    for skip in (True, False):
        pool_id, client_id = _pool(idp, ChallengeRequiredOnNewDevice=skip)
        idp.admin_update_user_attributes(
            UserPoolId=pool_id,
            Username="ann",
            UserAttributes=[
                {"Name": "email", "Value": "ann@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ],
        )
        first = _password_sign_in(idp, client_id)["AuthenticationResult"]
        device = Device(idp, first)
        idp.set_user_pool_mfa_config(
            UserPoolId=pool_id, MfaConfiguration="ON", EmailMfaConfiguration={}
        )
        answer = _device_sign_in(idp, pool_id, client_id, device)
        if skip:
            assert "AuthenticationResult" in answer
        else:
            assert answer["ChallengeName"] == "EMAIL_OTP"


def test_admin_forget_and_status(idp: Any) -> None:
    pool_id, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    device = Device(idp, _password_sign_in(idp, client_id)["AuthenticationResult"])
    idp.admin_update_device_status(
        UserPoolId=pool_id,
        Username="ann",
        DeviceKey=device.key,
        DeviceRememberedStatus="not_remembered",
    )
    got = idp.admin_get_device(UserPoolId=pool_id, Username="ann", DeviceKey=device.key)
    assert _attributes(got["Device"])["dev:device_remembered_status"] == "not_remembered"
    idp.admin_forget_device(UserPoolId=pool_id, Username="ann", DeviceKey=device.key)
    assert idp.admin_list_devices(UserPoolId=pool_id, Username="ann")["Devices"] == []


def test_stored_verifier_stays_out_of_reprs() -> None:
    stored = StoredDevice(
        pool_id="us-east-1_abc",
        username_key="ann",
        key="us-east-1_0f",
        group_key="-group",
        name="laptop",
        salt_hex="5a175a17",
        verifier_hex="7e51f1e5ec2e7",
        status="remembered",
        created=0.0,
        modified=0.0,
        last_authenticated=None,
    )
    assert "5a175a17" not in repr(stored) and "7e51f1e5ec2e7" not in repr(stored)
    assert "us-east-1_0f" in repr(stored)


def test_refresh_tokens_are_bound_to_their_device(idp: Any) -> None:
    pool_id, client_id = _pool(idp, ChallengeRequiredOnNewDevice=True)
    result = _password_sign_in(idp, client_id)["AuthenticationResult"]
    device = Device(idp, result)

    def refresh(**extra: str) -> dict[str, Any]:
        return dict(
            idp.initiate_auth(
                AuthFlow="REFRESH_TOKEN_AUTH",
                ClientId=client_id,
                AuthParameters={"REFRESH_TOKEN": result["RefreshToken"], **extra},
            )
        )

    assert "AccessToken" in refresh(DEVICE_KEY=device.key)["AuthenticationResult"]
    other = "us-east-1_00000000-0000-0000-0000-000000000000"
    for extra in ({}, {"DEVICE_KEY": other}):
        with pytest.raises(ClientError) as caught:
            refresh(**extra)
        assert _error(caught) == ("NotAuthorizedException", "Invalid Refresh Token")
    idp.admin_forget_device(UserPoolId=pool_id, Username="ann", DeviceKey=device.key)
    with pytest.raises(ClientError) as caught:
        refresh(DEVICE_KEY=device.key)
    assert _error(caught) == ("NotAuthorizedException", "Invalid Refresh Token")


def test_refresh_without_tracking_needs_no_device(idp: Any) -> None:
    _, client_id = _pool(idp)
    result = _password_sign_in(idp, client_id)["AuthenticationResult"]
    answer = idp.initiate_auth(
        AuthFlow="REFRESH_TOKEN_AUTH",
        ClientId=client_id,
        AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]},
    )
    assert "AccessToken" in answer["AuthenticationResult"]
