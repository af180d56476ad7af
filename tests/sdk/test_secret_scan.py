"""No secret in any log record, repr, str or error message of a whole app's life against
the local pool: sign-up and confirmation, SRP sign-in through MFA set-up and TOTP, a
remembered device, refresh, attributes and devices, identity-pool credentials, admin
calls signed with an IAM secret, and an app client with a secret, failures included.

Every password, token, client secret, SRP value (SRP_A, SRP_B, secret blocks, claim
signatures, challenge sessions), TOTP secret and AWS secret the run used is collected
from the wire, and none may appear in what a user or an operator would see: the log
records of every logger at DEBUG (the local pool's own included), the repr() and str()
of the SDK objects involved, and every exception's message, args and causes.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from cognito_identity import (
    AuthenticationDetails,
    AwsCredentials,
    CognitoCredentials,
    CognitoUserPool,
    MemoryStorage,
    UserPoolAdmin,
)
from cognito_identity._protocol import HttpRequest, HttpResponse
from cognito_identity.errors import (
    CognitoError,
    CognitoUserMfaSetupException,
    CognitoUserTotpRequiredException,
)
from cognito_identity.local import LocalCognito, ManualClock
from cognito_identity.local.totp import totp_code
from cognito_identity.transports import RequestsTransport, Timeouts

PASSWORD = "Ann-Corr3ct-Horse!"
NEW_PASSWORD = "Ann-Batt3ry-Staple!"
BOB_PASSWORD = "Bob-Tr0ub4dor&3x!"
BOB_TEMPORARY = "Bob-Temp0rary-9z!"
IAM = AwsCredentials("AKIDSCANADMIN", "scan-admin-secret-7f3a9c")

# Wire fields whose values are secrets (request and answer bodies, any depth).
SECRET_FIELDS = {
    "PASSWORD",
    "NEW_PASSWORD",
    "Password",
    "PreviousPassword",
    "ProposedPassword",
    "TemporaryPassword",
    "SECRET_HASH",
    "SecretHash",
    "SRP_A",
    "SRP_B",
    "SECRET_BLOCK",
    "PASSWORD_CLAIM_SECRET_BLOCK",
    "PASSWORD_CLAIM_SIGNATURE",
    "Session",
    "IdToken",
    "AccessToken",
    "RefreshToken",
    "REFRESH_TOKEN",
    "Token",
    "SecretCode",
    "PasswordVerifier",
    "SecretKey",
    "SessionToken",
}


class Wiretap:
    """A transport that sends through requests and collects every secret value that
    crossed the wire, in either direction."""

    def __init__(self) -> None:
        self.inner = RequestsTransport()
        self.secrets: dict[str, set[str]] = {}

    def send(self, request: HttpRequest, timeouts: Timeouts, deadline: float) -> HttpResponse:
        self._collect(request.body)
        response = self.inner.send(request, timeouts, deadline)
        self._collect(response.body)
        return response

    def close(self) -> None:
        self.inner.close()

    def _collect(self, body: bytes) -> None:
        with contextlib.suppress(ValueError):
            self._walk(json.loads(body), None)

    def _walk(self, value: Any, key: str | None) -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                self._walk(item, name)
        elif isinstance(value, list):
            for item in value:
                self._walk(item, key)
        elif isinstance(value, str) and key in SECRET_FIELDS and len(value) >= 8:
            self.secrets.setdefault(key, set()).add(value)


class Seen:
    """Everything the scan reads: texts of objects and of exceptions."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def object(self, *objects: Any) -> None:
        for item in objects:
            self.texts += [repr(item), str(item)]

    def error(self, error: BaseException) -> None:
        while error is not None:
            self.texts += [repr(error), str(error), repr(error.args)]
            if isinstance(error, CognitoError):
                self.texts.append(error.message)
            error = error.__cause__ or error.__context__  # type: ignore[assignment]


@pytest.fixture
def local() -> Iterator[LocalCognito]:
    with LocalCognito(
        clock=ManualClock(), iam_credentials=f"{IAM.access_key_id}:{IAM.secret_access_key}"
    ) as server:
        yield server


def _boto(local: LocalCognito, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=local.endpoint,
        region_name="us-east-1",
        aws_access_key_id=IAM.access_key_id,
        aws_secret_access_key=IAM.secret_access_key,
    )


def _set_up(local: LocalCognito) -> tuple[str, str, str, str]:
    """A pool with TOTP MFA and device tracking, an app client with a secret, and an
    identity pool trusting it (made with boto3, before the scan starts)."""
    idp = _boto(local, "cognito-idp")
    pool_id = idp.create_user_pool(
        PoolName="scan",
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="ON",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True},
    )["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        GenerateSecret=True,
        ExplicitAuthFlows=[
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        ],
    )["UserPoolClient"]
    identity_pool = _boto(local, "cognito-identity").create_identity_pool(
        IdentityPoolName="scan",
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[
            {
                "ProviderName": f"{local.endpoint.split('://')[1]}/{pool_id}",
                "ClientId": client["ClientId"],
            }
        ],
    )["IdentityPoolId"]
    return pool_id, client["ClientId"], client["ClientSecret"], identity_pool


def _scenario(
    local: LocalCognito, ids: tuple[str, str, str, str], wire: Wiretap, seen: Seen
) -> None:
    pool_id, client_id, client_secret, identity_pool = ids
    clock = local._context.clock
    assert isinstance(clock, ManualClock)
    storage = MemoryStorage()
    pool = CognitoUserPool(
        pool_id, client_id, client_secret, endpoint=local.endpoint, storage=storage, transport=wire
    )
    seen.object(pool, pool.transport, storage)

    # Sign up and confirm; a wrong code first.
    result = pool.sign_up("ann", PASSWORD, {"email": "ann@example.com"})
    user = result.user
    seen.object(result, user)
    try:
        user.confirm_registration("000000")
    except CognitoError as error:
        seen.error(error)
    user.confirm_registration(local.outbox.last_code("ann", pool_id))

    # A wrong password, then SRP sign-in to MFA set-up, TOTP verified in the same session.
    try:
        user.authenticate_user(AuthenticationDetails(password="Wrong-Passw0rd!"))
    except CognitoError as error:
        seen.error(error)
    details = AuthenticationDetails(username="ann", password=PASSWORD)
    seen.object(details)
    try:
        user.authenticate_user(details)
    except CognitoUserMfaSetupException as challenge:
        seen.error(challenge)
    totp_secret = user.associate_software_token()
    session = user.verify_software_token(totp_code(totp_secret, clock.now()), "phone")
    assert session is not None
    seen.object(session, session.id_token, session.access_token, session.refresh_token)

    # Sign in again: TOTP (a wrong code first), then the device this sign-in remembered.
    clock.advance(31)
    for code in ("000000", totp_code(totp_secret, clock.now())):
        try:
            user.authenticate_user(details)
        except CognitoUserTotpRequiredException as challenge:
            seen.error(challenge)
        try:
            session = user.send_mfa_code(code, "SOFTWARE_TOKEN_MFA")
        except CognitoError as error:
            seen.error(error)
    assert user.get_device_key() is not None
    seen.object(user, user.sign_in_user_session)

    # Refresh, attributes, devices, password change, credentials.
    session = user.refresh_session(session.refresh_token)  # type: ignore[arg-type]
    seen.object(session, session.id_token, session.access_token, session.refresh_token)
    seen.object(*user.get_user_attributes())
    user.update_attributes({"name": "Ann"})
    seen.object(user.list_devices(10, None), user.get_device())
    user.change_password(PASSWORD, NEW_PASSWORD)
    credentials = CognitoCredentials(identity_pool, pool, endpoint=local.endpoint, user=user)
    frozen = credentials.get_credentials()
    seen.object(credentials, frozen)

    # Admin calls signed with the IAM secret; one with a wrong secret.
    admin = UserPoolAdmin(
        pool_id,
        client_id=client_id,
        client_secret=client_secret,
        credentials=IAM,
        endpoint=local.endpoint,
        transport=wire,
    )
    seen.object(admin, IAM)
    seen.object(
        admin.create_user("bob", temporary_password=BOB_TEMPORARY, message_action="SUPPRESS")
    )
    admin.set_user_password("bob", BOB_PASSWORD, permanent=True)
    seen.object(admin.get_user("bob"), list(admin.list_users()))
    try:
        admin.authenticate_user("bob", BOB_PASSWORD, auth_flow="ADMIN_USER_PASSWORD_AUTH")
    except CognitoError as challenge:
        seen.error(challenge)
    forged = UserPoolAdmin(
        pool_id,
        client_id=client_id,
        credentials=AwsCredentials(IAM.access_key_id, "not-the-" + IAM.secret_access_key),
        endpoint=local.endpoint,
        transport=wire,
    )
    try:
        forged.get_user("bob")
    except CognitoError as error:
        seen.error(error)

    user.sign_out(revoke_refresh_token=True)
    try:
        user.refresh_session(session.refresh_token)  # type: ignore[arg-type]
    except CognitoError as error:
        seen.error(error)

    wire.secrets["client secret"] = {client_secret}
    wire.secrets["IAM secret"] = {IAM.secret_access_key}
    wire.secrets["passwords"] = {PASSWORD, NEW_PASSWORD, BOB_PASSWORD, BOB_TEMPORARY}
    wire.secrets["totp secret"] = {totp_secret}


def test_no_secret_in_logs_reprs_or_errors(
    local: LocalCognito, caplog: pytest.LogCaptureFixture
) -> None:
    wire, seen = Wiretap(), Seen()
    ids = _set_up(local)  # boto3 logs its bodies at DEBUG: it is no part of the scan
    with caplog.at_level(logging.DEBUG):
        _scenario(local, ids, wire, seen)
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    logs = [formatter.format(record) for record in caplog.records]
    assert any(r.name == "cognito_identity" for r in caplog.records), "no SDK log was captured"
    # The run used every kind of secret the scan looks for.
    for kind in (
        "SRP_A",
        "SRP_B",
        "PASSWORD_CLAIM_SIGNATURE",
        "SECRET_BLOCK",
        "Session",
        "IdToken",
        "AccessToken",
        "RefreshToken",
        "SECRET_HASH",
        "SecretKey",
        "SessionToken",
    ):
        assert wire.secrets.get(kind), f"the scenario never sent or received a {kind}"
    leaks = [
        (kind, where[:200])
        for kind, values in wire.secrets.items()
        for value in values
        for where in [*logs, *seen.texts]
        if value in where
    ]
    assert leaks == []
    assert len(logs) > 20 and len(seen.texts) > 40
