"""Self-service registration through boto3: SignUp, ConfirmSignUp, ResendConfirmationCode."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP

from cognito_identity.local import LocalCognito, ManualClock

from .conftest import PASSWORD, RawClient


def _message(error: Any) -> str:
    return str(error.value.response["Error"]["Message"])


def test_sign_up_sends_a_code_and_confirms(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    response = idp.sign_up(
        ClientId=client_id,
        Username="alice",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
        ValidationData=[{"Name": "invite", "Value": "x"}],
        ClientMetadata={"source": "test"},
    )
    assert response["UserConfirmed"] is False
    assert len(response["UserSub"]) == 36
    assert response["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    [message] = local.outbox.messages(pool_id=pool_id, username="alice")
    assert (message.purpose, message.destination) == ("signup", "alice@example.com")
    assert len(message.code) == 6 and message.code.isdigit()
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserStatus"] == "UNCONFIRMED"
    idp.confirm_sign_up(ClientId=client_id, Username="alice", ConfirmationCode=message.code)
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attrs["email_verified"] == "true"
    assert attrs["sub"] == response["UserSub"]
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.confirm_sign_up(ClientId=client_id, Username="alice", ConfirmationCode=message.code)
    assert _message(caught) == "User cannot be confirmed. Current status is CONFIRMED"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Sh0rt!", "Password not long enough"),
        ("NOLOWER123!", "Password must have lowercase characters"),
        ("noupper123!", "Password must have uppercase characters"),
        ("NoNumbers!!", "Password must have numeric characters"),
        ("NoSymbols123", "Password must have symbol characters"),
    ],
)
def test_password_policy(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str, password: str, problem: str
) -> None:
    with pytest.raises(idp.exceptions.InvalidPasswordException) as caught:
        idp.sign_up(ClientId=client_id, Username="bob", Password=password)
    assert _message(caught) == f"Password did not conform with policy: {problem}"
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool_id, Username="bob")


def test_relaxed_policy(idp: Any) -> None:
    pool_id = idp.create_user_pool(
        PoolName="relaxed",
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 6,
                "RequireUppercase": False,
                "RequireLowercase": True,
                "RequireNumbers": False,
                "RequireSymbols": False,
            }
        },
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    response = idp.sign_up(ClientId=client_id, Username="carl", Password="simple")
    # No auto-verified attribute: no code goes out.
    assert "CodeDeliveryDetails" not in response


def test_duplicate_sign_up(idp: Any, client_id: str) -> None:
    idp.sign_up(ClientId=client_id, Username="dup", Password=PASSWORD)
    with pytest.raises(idp.exceptions.UsernameExistsException) as caught:
        idp.sign_up(ClientId=client_id, Username="dup", Password=PASSWORD)
    assert _message(caught) == "User already exists"


def test_unknown_client(idp: Any) -> None:
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.sign_up(ClientId="nosuchclient", Username="u", Password=PASSWORD)


def test_wrong_code_then_expired_code(
    idp: Any, local: LocalCognito, clock: ManualClock, client_id: str
) -> None:
    idp.sign_up(
        ClientId=client_id,
        Username="erin",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "erin@example.com"}],
    )
    code = local.outbox.last_code("erin")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(idp.exceptions.CodeMismatchException) as caught:
        idp.confirm_sign_up(ClientId=client_id, Username="erin", ConfirmationCode=wrong)
    assert _message(caught) == "Invalid verification code provided, please try again."
    clock.advance(24 * 3600 + 1)
    with pytest.raises(idp.exceptions.ExpiredCodeException) as expired:
        idp.confirm_sign_up(ClientId=client_id, Username="erin", ConfirmationCode=code)
    assert _message(expired) == "Invalid code provided, please request a code again."


def test_resend_replaces_the_code(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    idp.sign_up(
        ClientId=client_id,
        Username="fay",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "fay@example.com"}],
    )
    first = local.outbox.last_code("fay@example.com")
    details = idp.resend_confirmation_code(ClientId=client_id, Username="fay")
    assert details["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    second = local.outbox.last_code("fay")
    assert len(local.outbox.messages(username="fay")) == 2
    if first != second:
        with pytest.raises(idp.exceptions.CodeMismatchException):
            idp.confirm_sign_up(ClientId=client_id, Username="fay", ConfirmationCode=first)
    idp.confirm_sign_up(ClientId=client_id, Username="fay", ConfirmationCode=second)
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.resend_confirmation_code(ClientId=client_id, Username="fay")
    assert _message(caught) == "User is already confirmed."


def test_unknown_user_in_confirm_and_resend(idp: Any, client_id: str) -> None:
    with pytest.raises(idp.exceptions.UserNotFoundException) as caught:
        idp.confirm_sign_up(ClientId=client_id, Username="nobody", ConfirmationCode="123456")
    assert _message(caught) == "Username/client id combination not found."
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.resend_confirmation_code(ClientId=client_id, Username="nobody")


def test_secret_hash_is_required_and_checked(idp: Any, local: LocalCognito, pool_id: str) -> None:
    client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="s", GenerateSecret=True)[
        "UserPoolClient"
    ]
    client_id, secret = client["ClientId"], client["ClientSecret"]
    with pytest.raises(idp.exceptions.NotAuthorizedException) as missing:
        idp.sign_up(ClientId=client_id, Username="gus", Password=PASSWORD)
    assert _message(missing) == (
        f"Client {client_id} is configured for secret but secret was not received"
    )
    wrong = AWSSRP.get_secret_hash("someone-else", client_id, secret)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as bad:
        idp.sign_up(ClientId=client_id, Username="gus", Password=PASSWORD, SecretHash=wrong)
    assert _message(bad) == f"Unable to verify secret hash for client {client_id}"
    right = AWSSRP.get_secret_hash("gus", client_id, secret)
    idp.sign_up(
        ClientId=client_id,
        Username="gus",
        Password=PASSWORD,
        SecretHash=right,
        UserAttributes=[{"Name": "email", "Value": "gus@example.com"}],
    )
    idp.confirm_sign_up(
        ClientId=client_id,
        Username="gus",
        SecretHash=right,
        ConfirmationCode=local.outbox.last_code("gus"),
    )


def test_admin_only_pool_refuses_sign_up(idp: Any) -> None:
    pool_id = idp.create_user_pool(
        PoolName="closed", AdminCreateUserConfig={"AllowAdminCreateUserOnly": True}
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    with pytest.raises(idp.exceptions.NotAuthorizedException) as caught:
        idp.sign_up(ClientId=client_id, Username="h", Password=PASSWORD)
    assert _message(caught) == "SignUp is not permitted for this user pool"


def test_email_username_pool_sign_up(idp: Any, local: LocalCognito) -> None:
    pool_id = idp.create_user_pool(
        PoolName="email", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"]
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    sub = idp.sign_up(ClientId=client_id, Username="iris@example.com", Password=PASSWORD)["UserSub"]
    code = local.outbox.last_code("iris@example.com")
    idp.confirm_sign_up(ClientId=client_id, Username="iris@example.com", ConfirmationCode=code)
    user = idp.admin_get_user(UserPoolId=pool_id, Username=sub)
    assert user["UserStatus"] == "CONFIRMED"
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.sign_up(ClientId=client_id, Username="iris@example.com", Password=PASSWORD)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.sign_up(ClientId=client_id, Username="iris", Password=PASSWORD)


def test_phone_is_preferred_when_both_are_auto_verified(idp: Any, local: LocalCognito) -> None:
    pool_id = idp.create_user_pool(
        PoolName="both", AutoVerifiedAttributes=["email", "phone_number"]
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    details = idp.sign_up(
        ClientId=client_id,
        Username="jay",
        Password=PASSWORD,
        UserAttributes=[
            {"Name": "email", "Value": "jay@example.com"},
            {"Name": "phone_number", "Value": "+15555550123"},
        ],
    )["CodeDeliveryDetails"]
    assert details == {
        "Destination": "+*******0123",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }


def test_bad_sign_up_changes_nothing(
    raw: RawClient, idp: Any, local: LocalCognito, pool_id: str, client_id: str
) -> None:
    bad_bodies: list[dict[str, Any]] = [
        {"ClientId": client_id, "Username": "kim", "Password": PASSWORD, "UserAttributes": "x"},
        {"ClientId": client_id, "Username": "kim", "Password": 12345678},
        {"ClientId": client_id, "Username": "", "Password": PASSWORD},
        {
            "ClientId": client_id,
            "Username": "kim",
            "Password": PASSWORD,
            "UserAttributes": [{"Name": "email", "Value": "not an email"}],
        },
    ]
    for body in bad_bodies:
        response = raw.call("SignUp", body)
        assert response.status_code == 400, body
    assert idp.list_users(UserPoolId=pool_id)["Users"] == []
    assert local.outbox.messages() == []


def test_outbox_over_http(idp: Any, local: LocalCognito, pool_id: str, client_id: str) -> None:
    import requests

    idp.sign_up(
        ClientId=client_id,
        Username="lou",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "lou@example.com"}],
    )
    idp.sign_up(
        ClientId=client_id,
        Username="max",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "max@example.com"}],
    )
    url = f"{local.endpoint}/_local/outbox"
    everything = requests.get(url, timeout=10).json()["messages"]
    assert [m["username"] for m in everything] == ["lou", "max"]
    [lou] = requests.get(url, params={"username": "lou"}, timeout=10).json()["messages"]
    assert lou["code"] == local.outbox.last_code("lou")
    assert lou["destination"] == "lou@example.com" and lou["pool_id"] == pool_id
    other = requests.get(url, params={"pool_id": "us-east-1_other1234"}, timeout=10)
    assert other.json() == {"messages": []}


def test_codes_are_logged_and_passwords_are_not(
    idp: Any, local: LocalCognito, pool_id: str, client_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG", logger="cognito_identity.local")
    idp.sign_up(
        ClientId=client_id,
        Username="ned",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ned@example.com"}],
    )
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="oz",
        TemporaryPassword="Temp-0rary!",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "oz@example.com"}],
    )
    code = local.outbox.last_code("ned")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert f"code {code}" in text and "ned@example.com" in text
    assert "oz@example.com" in text
    assert PASSWORD not in text and "Temp-0rary!" not in text


def test_pycognito_register_confirm_and_sign_in(local: LocalCognito, pool_id: str) -> None:
    """pycognito's own sign-up path, with a client secret, end to end."""
    kwargs = {
        "endpoint_url": local.endpoint,
        "aws_access_key_id": "test",
        "aws_secret_access_key": "test",
    }
    admin = boto3.client("cognito-idp", region_name="us-east-1", **kwargs)
    client = admin.create_user_pool_client(
        UserPoolId=pool_id, ClientName="py", GenerateSecret=True
    )["UserPoolClient"]
    user = Cognito(
        pool_id,
        client["ClientId"],
        username="quinn",
        client_secret=client["ClientSecret"],
        boto3_client_kwargs=kwargs,
    )
    user.set_base_attributes(email="quinn@example.com", name="Quinn")
    response = user.register("quinn", PASSWORD, client_metadata={"origin": "test"})
    assert response["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    user.confirm_sign_up(local.outbox.last_code("quinn"), username="quinn")
    signed_in = Cognito(
        pool_id,
        client["ClientId"],
        username="quinn",
        client_secret=client["ClientSecret"],
        boto3_client_kwargs=kwargs,
    )
    signed_in.authenticate(password=PASSWORD)
    assert signed_in.id_claims["email"] == "quinn@example.com"
    assert signed_in.id_claims["email_verified"] is True
    assert signed_in.id_claims["name"] == "Quinn"
