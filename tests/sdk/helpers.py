"""Helpers shared by the SDK's end-to-end tests: users, pools and codes set up the way
several test modules need them."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from cognito_identity import AuthenticationDetails, AwsCredentials, CognitoUser
from cognito_identity.local import LocalCognito
from cognito_identity.storage import MemoryStorage

from .conftest import PASSWORD, PoolSetup, RecordingTransport, make_setup

PHONE = "+15555550123"
EMAIL = "ann@example.com"
#: IAM credentials for admin calls (the local pool checks them only when told to).
ADMIN_CREDENTIALS = AwsCredentials("AKIDLOCALADMIN", "local-admin-secret")


def unsigned_jwt(**claims: Any) -> str:
    """A token in JWT form with ``claims`` (valid for an hour), for mock answers: the SDK
    decodes the tokens it is given, it does not verify them."""

    def part(document: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()

    now = int(time.time())
    return f"{part({'alg': 'RS256'})}.{part({'iat': now, 'exp': now + 3600, **claims})}.c2ln"


def signed_in(setup: PoolSetup, username: str = "ann") -> CognitoUser:
    """A confirmed user (e-mail verified through the sign-up code), signed in."""
    user = setup.pool().sign_up(username, PASSWORD, {"email": f"{username}@example.com"}).user
    user.confirm_registration(setup.code_for(username))
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))
    return user


def outbox_code(setup: PoolSetup, username: str = "gail") -> str:
    messages = setup.local.outbox.messages(setup.pool_id, f"{username}@example.com")
    codes = [m.code for m in messages if m.purpose == "custom-auth"]
    assert codes, "no custom-auth code in the outbox"
    return codes[-1]


def mfa_pool(setup: PoolSetup, mode: str = "ON", *, sms: bool = True, email: bool = False) -> None:
    config: dict[str, Any] = {"UserPoolId": setup.pool_id, "MfaConfiguration": mode}
    if sms:
        config["SmsMfaConfiguration"] = {"SmsAuthenticationMessage": "Your code is {####}"}
    if email:
        config["EmailMfaConfiguration"] = {}
    setup.idp.set_user_pool_mfa_config(**config)


def confirmed_user(setup: PoolSetup, username: str = "dana", **attributes: str) -> CognitoUser:
    """A confirmed user with a permanent password, through a recording transport."""
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    pool = setup.pool()
    pool.transport = RecordingTransport(setup.local.endpoint)
    return CognitoUser(username, pool)


def mfa_code(setup: PoolSetup, destination: str) -> str:
    messages = [
        m for m in setup.local.outbox.messages(setup.pool_id, destination) if m.purpose == "mfa"
    ]
    assert messages, f"no MFA code went to {destination}"
    return messages[-1].code


def totp_pool(setup: PoolSetup, mode: str = "ON", *, sms: bool = False) -> None:
    config: dict[str, Any] = {
        "UserPoolId": setup.pool_id,
        "MfaConfiguration": mode,
        "SoftwareTokenMfaConfiguration": {"Enabled": True},
    }
    if sms:
        config["SmsMfaConfiguration"] = {}
    setup.idp.set_user_pool_mfa_config(**config)


def sign_in(user: CognitoUser) -> None:
    user.authenticate_user(AuthenticationDetails(password=PASSWORD))


def tracking(
    local: LocalCognito,
    *,
    secret: bool = False,
    by_email: bool = False,
    **device_configuration: bool,
) -> PoolSetup:
    """A pool tracking devices (``device_configuration`` as its DeviceConfiguration) with
    one user, ``ann``, who signs in by e-mail when ``by_email``."""
    extra: dict[str, Any] = {"UsernameAttributes": ["email"]} if by_email else {}
    setup = make_setup(
        local,
        secret=secret,
        DeviceConfiguration=device_configuration or {"ChallengeRequiredOnNewDevice": True},
        **extra,
    )
    username = EMAIL if by_email else "ann"
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": EMAIL},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    setup.idp.admin_set_user_password(
        UserPoolId=setup.pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    return setup


def user_of(setup: PoolSetup, storage: MemoryStorage, name: str = "ann") -> CognitoUser:
    """A fresh user object (as a new app start makes) on a shared storage."""
    pool = setup.pool(storage=storage)
    pool.transport = RecordingTransport(setup.local.endpoint)
    return CognitoUser(name, pool)
