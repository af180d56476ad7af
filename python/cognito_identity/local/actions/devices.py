"""Devices: ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice, their
admin counterparts, and the device's part in sign-in.

In a pool with a DeviceConfiguration, a sign-in that no known device earned ends with
NewDeviceMetadata (``sign_in.tokens_response``). Once ConfirmDevice has registered the
device's verifier, a sign-in that names it (DEVICE_KEY) continues after the first factor
(``sign_in.device_challenge``) with DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, checked
by the SRP server half over the device's verifier (the device group key plays the pool
name, the device key the user). A remembered device then skips MFA when the pool's
ChallengeRequiredOnNewDevice says so; after a one-time code first factor no MFA follows
at all. An unknown DEVICE_KEY in a password step is refused with
ResourceNotFoundException before anything is consumed (:func:`track_devices` wraps the
sign-in actions), so the client may resend the same step without it. Each sign-in's
refresh token is bound to its device: refreshing needs that DEVICE_KEY, and fails once
the device is forgotten.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from cognito_identity import srp
from cognito_identity.errors import SrpError
from cognito_identity.local import devices
from cognito_identity.local.actions import mfa_sign_in
from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.actions.sign_in import (
    DEVICE_SRP_AUTH,
    INVALID_SESSION,
    ChallengeAnswer,
    check_answer_secret,
    claim_challenge,
    claim_proven,
    param,
    tokens_response,
    user_by_key,
)
from cognito_identity.local.challenges import PendingChallenge
from cognito_identity.local.devices import Device, DeviceTracking
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import AppClient, Pool, User, find_user

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS", "ANSWERS", "track_devices"]

_DEVICE_PASSWORD_VERIFIER = "DEVICE_PASSWORD_VERIFIER"
_REFRESH_FLOWS = ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")
_DEFAULT_PAGE = 60


# --- Whose devices ----------------------------------------------------------------------


def _token_user(ctx: ServerContext, conn: sqlite3.Connection, token: str | None) -> User:
    """The enabled user behind an access token."""
    if not token:
        raise ServiceError.invalid_parameter("Missing required parameter AccessToken")
    grant = ctx.tokens.check_access_token(conn, token)
    user = user_by_key(conn, grant.pool_id, grant.username_key)
    if user is None:
        raise ServiceError.user_not_found()
    if not user.enabled:
        raise ServiceError.not_authorized("User is disabled.")
    return user


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
        raise ServiceError("DeviceKeyExistsException", "Device key already exists.")
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


# --- Devices in sign-in -----------------------------------------------------------------


def track_devices(actions: dict[str, Handler]) -> dict[str, Handler]:
    """The sign-in actions (InitiateAuth, RespondToAuthChallenge), checking first the
    device a request names: a refresh token's bound device, and in a password step that
    the device exists."""
    return {name: _tracked(handler) for name, handler in actions.items()}


def _tracked(handler: Handler) -> Handler:
    def tracked(ctx: ServerContext, request: Request) -> Response:
        if request.get("AuthFlow") in _REFRESH_FLOWS:
            _check_refresh_device(ctx, request["ClientId"], request.get("AuthParameters") or {})
            return handler(ctx, request)
        given = request.get("AuthParameters") or request.get("ChallengeResponses") or {}
        device_key = given.get("DEVICE_KEY")
        password_step = request.get("ChallengeName") == "PASSWORD_VERIFIER" or (
            request.get("AuthFlow") == "USER_PASSWORD_AUTH"
        )
        if device_key and password_step:
            _refuse_unknown_device(ctx, request["ClientId"], given.get("USERNAME"), device_key)
        return handler(ctx, request)

    return tracked


def _refuse_unknown_device(
    ctx: ServerContext, client_id: str, username: str | None, device_key: str
) -> None:
    """ResourceNotFoundException when a tracking pool's user has no device ``device_key``."""
    conn = ctx.store.connection()
    client = ctx.catalog.client(conn, client_id)
    pool = ctx.catalog.pool(conn, client.pool_id)
    if not DeviceTracking.of(pool).enabled or not username:
        return
    user = find_user(conn, pool, username)
    if user is not None and devices.find_device(conn, user, device_key) is None:
        raise ServiceError.resource_not_found(devices.DEVICE_NOT_FOUND)


def _check_refresh_device(ctx: ServerContext, client_id: str, params: dict[str, str]) -> None:
    """A refresh token bound to a device works only with that device's DEVICE_KEY, and
    only until the device is forgotten (Cognito: "Invalid Refresh Token")."""
    token = params.get("REFRESH_TOKEN")
    if not token:
        return
    conn = ctx.store.connection()
    client = ctx.catalog.client(conn, client_id)
    try:
        session = ctx.tokens.refresh_session(conn, client, token)
    except ServiceError:
        return  # the refresh itself reports it
    bound = devices.bound_device(conn, session["origin_jti"])
    if bound is None:
        return
    user = user_by_key(conn, session["pool_id"], session["username_key"])
    still_there = user is not None and devices.find_device(conn, user, bound) is not None
    given = params.get("DEVICE_KEY") or ""
    if not still_there or not hmac.compare_digest(given.encode(), bound.encode()):
        raise ServiceError.not_authorized("Invalid Refresh Token")


def _confirmed_device(conn: sqlite3.Connection, user: User, device_key: str) -> Device:
    device = devices.require_device(conn, user, device_key)
    if not device.confirmed:
        raise ServiceError.not_authorized("Device is not confirmed.")
    return device


def _device_srp_auth(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    session: str | None,
    responses: dict[str, str],
) -> Response:
    username = check_answer_secret(client, responses)
    device_key = param(responses, "DEVICE_KEY")
    srp_a = param(responses, "SRP_A")
    pending, user = claim_challenge(ctx, conn, client, session, DEVICE_SRP_AUTH, username)
    device = _confirmed_device(conn, user, device_key)
    assert device.verifier_hex is not None and device.salt_hex is not None
    server = srp.ServerSession(device.verifier_hex)
    # The next step is found by its SECRET_BLOCK, which is also handed out as its Session.
    secret_block = srp.new_secret_block()
    ctx.challenges.put(
        secret_block,
        PendingChallenge(
            name=_DEVICE_PASSWORD_VERIFIER,
            pool_id=pool.id,
            client_id=client.id,
            username_key=user.username_key,
            expires=pending.expires,
            srp=server,
            srp_a=srp_a,
            passwordless=pending.passwordless,
        ),
        ctx.clock.now(),
    )
    return {
        "ChallengeName": _DEVICE_PASSWORD_VERIFIER,
        "Session": secret_block,
        "ChallengeParameters": {
            "DEVICE_KEY": device.key,
            "SALT": device.salt_hex,
            "SECRET_BLOCK": secret_block,
            "SRP_B": server.large_b_hex,
            "USERNAME": user.username,
        },
    }


def _device_password_verifier(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    client: AppClient,
    session: str | None,
    responses: dict[str, str],
) -> Response:
    username = check_answer_secret(client, responses)
    device_key = param(responses, "DEVICE_KEY")
    secret_block = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
    timestamp = param(responses, "TIMESTAMP")
    signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")
    # The SECRET_BLOCK identifies the login, as for PASSWORD_VERIFIER; a Session, when
    # sent, is the same string.
    if session is not None and not hmac.compare_digest(session.encode(), secret_block.encode()):
        raise ServiceError.not_authorized(INVALID_SESSION)
    pending, user = claim_challenge(
        ctx, conn, client, secret_block, _DEVICE_PASSWORD_VERIFIER, username
    )
    device = _confirmed_device(conn, user, device_key)
    assert device.salt_hex is not None
    if not claim_proven(
        pending, device.group_key, device.key, device.salt_hex, secret_block, timestamp, signature
    ):
        raise ServiceError.not_authorized("Incorrect username or password.")
    skip_mfa = pending.passwordless or (
        device.status == devices.REMEMBERED
        and DeviceTracking.of(pool).challenge_required_on_new_device
    )
    if skip_mfa:
        return tokens_response(ctx, pool, client, user, device.key)
    return mfa_sign_in.finish_sign_in(ctx, conn, pool, client, user, device.key)


#: ChallengeName -> how its answer is checked; merged into the auth challenge table.
ANSWERS: dict[str, ChallengeAnswer] = {
    DEVICE_SRP_AUTH: _device_srp_auth,
    _DEVICE_PASSWORD_VERIFIER: _device_password_verifier,
}

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
