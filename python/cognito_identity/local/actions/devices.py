"""Devices: ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice, their
admin counterparts, and the device's part in sign-in.

In a pool with a DeviceConfiguration, a sign-in that no known device earned ends with
NewDeviceMetadata. Once ConfirmDevice has registered the device's verifier, a sign-in
that names it (DEVICE_KEY) continues after the first factor with DEVICE_SRP_AUTH and
DEVICE_PASSWORD_VERIFIER, checked by the SRP server half over the device's verifier (the
device group key plays the pool name, the device key the user): those steps are
transitions of the sign-in state machine (:mod:`cognito_identity.local.signin`), as are
the refusal of an unknown DEVICE_KEY in a password step and the device binding of
refresh tokens.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from cognito_identity.errors import SrpError
from cognito_identity.local import devices
from cognito_identity.local import srp_server as srp
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.devices import DeviceTracking
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import User, find_user
from cognito_identity.local.policy import access_token_user

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

_DEFAULT_PAGE = 60


# --- Whose devices ----------------------------------------------------------------------


def _token_user(ctx: ServerContext, conn: sqlite3.Connection, token: str | None) -> User:
    """The enabled user behind a live access token."""
    return access_token_user(ctx, conn, token)[1]


def _admin_user(ctx: ServerContext, conn: sqlite3.Connection, request: Request) -> User:
    """The user named by UserPoolId and Username."""
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    user = find_user(conn, pool, request["Username"])
    if user is None:
        raise ServiceError.user_not_found()
    return user


# --- Registering and managing devices ---------------------------------------------------


def _verifier_part(config: dict[str, Any], name: str) -> str:
    """One base64 member of DeviceSecretVerifierConfig, as the hex the SRP half takes."""
    try:
        raw = base64.b64decode(config.get(name) or "", validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    value = int.from_bytes(raw, "big")
    if value == 0:
        raise ServiceError.invalid_parameter(
            f"DeviceSecretVerifierConfig.{name} must be non-empty base64"
        )
    return f"{value:x}"


def confirm_device(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    user = _token_user(ctx, conn, request["AccessToken"])
    pool = ctx.catalog.pool(conn, user.pool_id)
    device = devices.require_device(conn, user, request["DeviceKey"])
    if device.confirmed:
        raise ServiceError.device_key_exists()
    config = request.get("DeviceSecretVerifierConfig") or {}
    salt_hex = _verifier_part(config, "Salt")
    verifier_hex = _verifier_part(config, "PasswordVerifier")
    try:
        srp.ServerSession(verifier_hex)
    except SrpError:
        raise ServiceError.invalid_parameter(
            "DeviceSecretVerifierConfig.PasswordVerifier is not a usable SRP verifier"
        ) from None
    prompt = DeviceTracking.of(pool).only_remembered_on_user_prompt
    with ctx.store.write() as conn:
        devices.confirm_device(
            conn,
            device,
            salt_hex=salt_hex,
            verifier_hex=verifier_hex,
            name=request.get("DeviceName"),
            status=devices.NOT_REMEMBERED if prompt else devices.REMEMBERED,
            now=ctx.clock.now(),
        )
    return {"UserConfirmationNecessary": prompt}


def _page_after(token: str | None) -> str:
    if token is None:
        return ""
    try:
        after = json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ServiceError.invalid_parameter("Invalid pagination token.") from None
    if not isinstance(after, str):
        raise ServiceError.invalid_parameter("Invalid pagination token.")
    return after


def _device_page(conn: sqlite3.Connection, user: User, request: Request) -> Response:
    after = _page_after(request.get("PaginationToken"))
    found, more = devices.list_devices(conn, user, after, request.get("Limit") or _DEFAULT_PAGE)
    response: Response = {"Devices": [device.describe() for device in found]}
    if more:
        response["PaginationToken"] = base64.urlsafe_b64encode(
            json.dumps({"after": found[-1].key}).encode()
        ).decode()
    return response


def _status(request: Request) -> str:
    status = request.get("DeviceRememberedStatus")
    if status is None:
        raise ServiceError.invalid_parameter("Missing required parameter DeviceRememberedStatus")
    return str(status)


def _update_status(ctx: ServerContext, user: User, request: Request) -> Response:
    status = _status(request)
    with ctx.store.write() as conn:
        device = devices.require_device(conn, user, request["DeviceKey"])
        devices.set_status(conn, device, status, ctx.clock.now())
    return {}


def _forget(ctx: ServerContext, user: User, device_key: str) -> Response:
    with ctx.store.write() as conn:
        devices.delete_device(conn, devices.require_device(conn, user, device_key))
    return {}


def get_device(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    user = _token_user(ctx, conn, request.get("AccessToken"))
    return {"Device": devices.require_device(conn, user, request["DeviceKey"]).describe()}


def list_devices(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    return _device_page(conn, _token_user(ctx, conn, request["AccessToken"]), request)


def update_device_status(ctx: ServerContext, request: Request) -> Response:
    user = _token_user(ctx, ctx.store.connection(), request["AccessToken"])
    return _update_status(ctx, user, request)


def forget_device(ctx: ServerContext, request: Request) -> Response:
    user = _token_user(ctx, ctx.store.connection(), request.get("AccessToken"))
    return _forget(ctx, user, request["DeviceKey"])


def admin_get_device(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    user = _admin_user(ctx, conn, request)
    return {"Device": devices.require_device(conn, user, request["DeviceKey"]).describe()}


def admin_list_devices(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    return _device_page(conn, _admin_user(ctx, conn, request), request)


def admin_update_device_status(ctx: ServerContext, request: Request) -> Response:
    user = _admin_user(ctx, ctx.store.connection(), request)
    return _update_status(ctx, user, request)


def admin_forget_device(ctx: ServerContext, request: Request) -> Response:
    user = _admin_user(ctx, ctx.store.connection(), request)
    return _forget(ctx, user, request["DeviceKey"])


ACTIONS: dict[str, Handler] = {
    "ConfirmDevice": confirm_device,
    "GetDevice": get_device,
    "ListDevices": list_devices,
    "UpdateDeviceStatus": update_device_status,
    "ForgetDevice": forget_device,
    "AdminGetDevice": admin_get_device,
    "AdminListDevices": admin_list_devices,
    "AdminUpdateDeviceStatus": admin_update_device_status,
    "AdminForgetDevice": admin_forget_device,
}
