"""A user's own account: passwords, attributes, MFA settings and deletion, with the
administrator's counterparts (AdminResetUserPassword, AdminUpdateUserAttributes, ...).

Self-service actions find the user from the access token; admin actions from the pool id
and username. Codes go to the outbox under a purpose per use (``forgot_password``,
``verify_email``, ``verify_phone_number``) so one kind never consumes another's code.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cognito_identity.local import user_records
from cognito_identity.local.actions.base import Handler, Request, Response, check_secret_hash
from cognito_identity.local.directory import (
    Delivery,
    attributes_from_request,
    issue_code,
    set_credentials,
    take_code,
)
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.mfa import (
    EMAIL_OTP,
    FACTORS,
    SMS_MFA,
    SOFTWARE_TOKEN_MFA,
    load_user_mfa,
    set_factor,
)
from cognito_identity.local.models import Pool, User, UserStatus, find_user
from cognito_identity.local.passwords import check_policy, make_credentials, verify_password_hash
from cognito_identity.local.policy import access_token_user, check_enabled
from cognito_identity.local.totp import has_verified_token
from cognito_identity.local.trigger_events import post_confirmation

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS", "mfa_description"]

_FORGOT_PASSWORD = "forgot_password"
# Cognito's password-reset codes last one hour (sign-up and attribute codes a day).
_RESET_CODE_SECONDS = 3600
_VERIFIABLE = {"email": "EMAIL", "phone_number": "SMS"}
_NO_RECOVERY = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)


# --- Finding the user -------------------------------------------------------------------


def _token_user(
    ctx: ServerContext, conn: sqlite3.Connection, request: Request
) -> tuple[Pool, User]:
    """The pool and user behind the request's AccessToken."""
    return access_token_user(ctx, conn, request["AccessToken"])


def _admin_user(
    ctx: ServerContext, conn: sqlite3.Connection, request: Request
) -> tuple[Pool, User]:
    """The pool and user named by the request's UserPoolId and Username."""
    pool = ctx.catalog.pool(conn, request["UserPoolId"])
    user = find_user(conn, pool, request["Username"])
    if user is None:
        raise ServiceError.user_not_found()
    return pool, user


# --- Passwords --------------------------------------------------------------------------


def change_password(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    pool, user = _token_user(ctx, conn, request)
    previous = request.get("PreviousPassword")
    if user.password_hash is not None and (
        previous is None or not verify_password_hash(user.password_hash, previous)
    ):
        raise ServiceError.not_authorized()
    proposed = request["ProposedPassword"]
    check_policy(pool.password_policy, proposed)
    credentials = make_credentials(pool.srp_pool_name, user.username, proposed)
    with ctx.store.write() as conn:
        set_credentials(conn, user, credentials, user.status, ctx.clock.now())
    return {}


def _recovery_delivery(user: User) -> Delivery:
    """Where a password-reset code goes: a verified phone, else a verified e-mail."""
    attributes = user.attributes
    if attributes.get("phone_number") and attributes.get("phone_number_verified") == "true":
        return Delivery("SMS", "phone_number", attributes["phone_number"])
    if attributes.get("email") and attributes.get("email_verified") == "true":
        return Delivery("EMAIL", "email", attributes["email"])
    raise ServiceError.invalid_parameter(_NO_RECOVERY)


def _send_reset_code(ctx: ServerContext, conn: sqlite3.Connection, user: User) -> Delivery:
    delivery = _recovery_delivery(user)
    now = ctx.clock.now()
    issue_code(ctx, conn, user, delivery, _FORGOT_PASSWORD, now, validity=_RESET_CODE_SECONDS)
    return delivery


def forgot_password(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        client = ctx.catalog.client(conn, request["ClientId"])
        check_secret_hash(client, request["Username"], request.get("SecretHash"))
        pool = ctx.catalog.pool(conn, client.pool_id)
        user = find_user(conn, pool, request["Username"])
        if user is None:
            if client.prevent_user_existence_errors:
                # Cognito answers as if a code went out, so callers cannot probe usernames.
                fake = Delivery("EMAIL", "email", f"{request['Username']}@example.com")
                return {"CodeDeliveryDetails": fake.describe()}
            raise ServiceError.user_not_found("Username/client id combination not found.")
        check_enabled(user)
        delivery = _send_reset_code(ctx, conn, user)
    return {"CodeDeliveryDetails": delivery.describe()}


def confirm_forgot_password(ctx: ServerContext, request: Request) -> Response:
    conn = ctx.store.connection()
    client = ctx.catalog.client(conn, request["ClientId"])
    check_secret_hash(client, request["Username"], request.get("SecretHash"))
    pool = ctx.catalog.pool(conn, client.pool_id)
    user = find_user(conn, pool, request["Username"])
    if user is None:
        if client.prevent_user_existence_errors:
            raise ServiceError.code_mismatch()
        raise ServiceError.user_not_found("Username/client id combination not found.")
    password = request["Password"]
    check_policy(pool.password_policy, password)
    # The slow hashing runs before the write lock; a wrong code then rolls nothing back.
    credentials = make_credentials(pool.srp_pool_name, user.username, password)
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        take_code(conn, user, _FORGOT_PASSWORD, request["ConfirmationCode"], now)
        set_credentials(conn, user, credentials, UserStatus.CONFIRMED, now)
    post_confirmation(
        ctx,
        pool,
        client.id,
        replace(user, status=UserStatus.CONFIRMED),
        request.get("ClientMetadata"),
        source="PostConfirmation_ConfirmForgotPassword",
    )
    return {}


def admin_reset_user_password(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        _, user = _admin_user(ctx, conn, request)
        _send_reset_code(ctx, conn, user)
        # The old password stops working: the user must confirm the code with a new one.
        user_records.require_password_reset(conn, user, ctx.clock.now())
    return {}


# --- Attributes -------------------------------------------------------------------------


def _verify_purpose(name: str) -> str:
    return f"verify_{name}"


def _check_alias_free(
    conn: sqlite3.Connection, pool: Pool, user: User, name: str, value: str
) -> None:
    """A sign-in e-mail or phone may belong to one user only."""
    if name not in pool.username_attributes and name not in pool.alias_attributes:
        return
    if user_records.alias_taken(conn, pool, user, name, value):
        raise ServiceError.alias_exists(name)


def _check_mutable(pool: Pool, names: Iterable[str]) -> None:
    """Attributes the schema declares immutable are set at creation only."""
    immutable = {
        entry["Name"]
        for entry in pool.description.get("SchemaAttributes", [])
        if not entry.get("Mutable", True)
    }
    for name in names:
        if name in immutable:
            raise ServiceError.invalid_parameter(
                f"Attributes did not conform to the schema: {name}: Attribute cannot be updated."
            )


def _update_attributes(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    pool: Pool,
    user: User,
    items: list[dict[str, str]],
    *,
    admin: bool,
) -> list[Delivery]:
    """Apply an attribute update; return where verification codes went.

    A changed e-mail or phone becomes unverified, and gets a code when the pool
    auto-verifies it. If the pool keeps the original until the new value is verified
    (``AttributesRequireVerificationBeforeUpdate``) and the old value was verified, the
    new one waits in ``pending_attributes`` instead. An administrator may set
    ``*_verified`` in the same call, which applies the value at once with no code.
    """
    changes = attributes_from_request(pool, items)
    _check_mutable(pool, changes)
    if not admin and any(name.endswith("_verified") for name in changes):
        raise ServiceError.not_authorized("A client attempted to write unauthorized attribute")
    settings = pool.description.get("UserAttributeUpdateSettings", {})
    keep_original = settings.get("AttributesRequireVerificationBeforeUpdate", [])
    attributes = dict(user.attributes)
    now = ctx.clock.now()
    deliveries: list[Delivery] = []
    for name, medium in _VERIFIABLE.items():
        flag = f"{name}_verified"
        value = changes.pop(name, None)
        if value is not None and value == attributes.get(name):
            # Back to the current value: a pending change is dropped.
            user_records.set_pending_attribute(conn, user, name, None)
            value = None
        if value is None:
            pending = user_records.pending_attributes(conn, user).get(name)
            if pending is not None and changes.get(flag) == "true":
                # An administrator marking the attribute verified confirms the pending value.
                _check_alias_free(conn, pool, user, name, pending)
                attributes[name] = pending
                user_records.set_pending_attribute(conn, user, name, None)
            continue
        _check_alias_free(conn, pool, user, name, value)
        if changes.get(flag) == "true":
            attributes[name] = value
            user_records.set_pending_attribute(conn, user, name, None)
            continue
        if name in keep_original and attributes.get(flag) == "true":
            user_records.set_pending_attribute(conn, user, name, value)
        else:
            attributes[name] = value
            attributes[flag] = "false"
            user_records.set_pending_attribute(conn, user, name, None)
        if name in pool.auto_verified_attributes:
            deliveries.append(Delivery(medium, name, value))
    attributes.update(changes)
    user_records.save_attributes(conn, pool, user, attributes, now)
    for delivery in deliveries:
        issue_code(ctx, conn, user, delivery, _verify_purpose(delivery.attribute), now)
    return deliveries


def update_user_attributes(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool, user = _token_user(ctx, conn, request)
        sent = _update_attributes(ctx, conn, pool, user, request["UserAttributes"], admin=False)
    return {"CodeDeliveryDetailsList": [delivery.describe() for delivery in sent]}


def admin_update_user_attributes(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool, user = _admin_user(ctx, conn, request)
        _update_attributes(ctx, conn, pool, user, request["UserAttributes"], admin=True)
    return {}


def _delete_attributes(
    ctx: ServerContext, conn: sqlite3.Connection, pool: Pool, user: User, names: list[str]
) -> None:
    _check_mutable(pool, names)
    attributes = dict(user.attributes)
    for name in names:
        if name == "sub" or name in pool.required_attributes:
            raise ServiceError.invalid_parameter(
                f"Attributes did not conform to the schema: {name}: The attribute is required"
            )
        attributes.pop(name, None)
        if name in _VERIFIABLE:
            attributes.pop(f"{name}_verified", None)
            user_records.set_pending_attribute(conn, user, name, None)
    user_records.save_attributes(conn, pool, user, attributes, ctx.clock.now())


def delete_user_attributes(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool, user = _token_user(ctx, conn, request)
        _delete_attributes(ctx, conn, pool, user, request["UserAttributeNames"])
    return {}


def admin_delete_user_attributes(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool, user = _admin_user(ctx, conn, request)
        _delete_attributes(ctx, conn, pool, user, request["UserAttributeNames"])
    return {}


def _verifiable(name: str) -> str:
    medium = _VERIFIABLE.get(name)
    if medium is None:
        raise ServiceError.invalid_parameter(
            f"Invalid attribute name: {name} cannot be verified (only email and phone_number)"
        )
    return medium


def get_user_attribute_verification_code(ctx: ServerContext, request: Request) -> Response:
    name = request["AttributeName"]
    medium = _verifiable(name)
    with ctx.store.write() as conn:
        _, user = _token_user(ctx, conn, request)
        value = user_records.pending_attributes(conn, user).get(name) or user.attributes.get(name)
        if not value:
            raise ServiceError.invalid_parameter(f"The user has no {name} to verify.")
        delivery = Delivery(medium, name, value)
        issue_code(
            ctx,
            conn,
            user,
            delivery,
            _verify_purpose(name),
            ctx.clock.now(),
            source="CustomMessage_VerifyUserAttribute",
        )
    return {"CodeDeliveryDetails": delivery.describe()}


def verify_user_attribute(ctx: ServerContext, request: Request) -> Response:
    name = request["AttributeName"]
    _verifiable(name)
    now = ctx.clock.now()
    with ctx.store.write() as conn:
        pool, user = _token_user(ctx, conn, request)
        take_code(conn, user, _verify_purpose(name), request["Code"], now)
        attributes = dict(user.attributes)
        pending = user_records.pending_attributes(conn, user).get(name)
        if pending is not None:
            _check_alias_free(conn, pool, user, name, pending)
            attributes[name] = pending
            user_records.set_pending_attribute(conn, user, name, None)
        attributes[f"{name}_verified"] = "true"
        user_records.save_attributes(conn, pool, user, attributes, now)
    return {}


# --- Signing out and deleting -----------------------------------------------------------


def delete_user(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        _, user = _token_user(ctx, conn, request)
        user_records.delete_user(conn, user)
    return {}


def admin_user_global_sign_out(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        _, user = _admin_user(ctx, conn, request)
        user_records.revoke_tokens(conn, user)
    return {}


# --- MFA settings -----------------------------------------------------------------------

_PREFERENCE_KEYS = {
    SMS_MFA: "SMSMfaSettings",
    SOFTWARE_TOKEN_MFA: "SoftwareTokenMfaSettings",
    EMAIL_OTP: "EmailMfaSettings",
}
_LEGACY_SMS = {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}


def mfa_description(conn: sqlite3.Connection, user: User) -> dict[str, Any]:
    """GetUser's MFA members: the legacy ``MFAOptions``, ``PreferredMfaSetting`` and
    ``UserMFASettingList``, each present only when it has something to say."""
    settings = load_user_mfa(conn, user)
    described: dict[str, Any] = {}
    if SMS_MFA in settings.enabled:
        described["MFAOptions"] = [dict(_LEGACY_SMS)]
    if settings.preferred is not None:
        described["PreferredMfaSetting"] = settings.preferred
    if settings.enabled:
        described["UserMFASettingList"] = [f for f in FACTORS if f in settings.enabled]
    return described


def _check_factor_usable(conn: sqlite3.Connection, user: User, factor: str) -> None:
    """Refuse to enable a factor the user cannot receive, as Cognito words it."""
    if factor == SOFTWARE_TOKEN_MFA:
        if not has_verified_token(conn, user):
            raise ServiceError.invalid_parameter("User has not verified software token mfa")
        return
    attribute = "phone_number" if factor == SMS_MFA else "email"
    if not user.attributes.get(attribute):
        raise ServiceError.invalid_parameter(
            f"User does not have delivery config set to turn on {factor}"
        )


def _set_mfa_preference(conn: sqlite3.Connection, user: User, request: Request) -> None:
    """Apply SMS/TOTP/e-mail settings; a factor absent from the request keeps its own."""
    given = {factor: request[key] for factor, key in _PREFERENCE_KEYS.items() if key in request}
    for factor, settings in given.items():
        if settings.get("Enabled"):
            _check_factor_usable(conn, user, factor)
    current = load_user_mfa(conn, user)
    for factor, settings in given.items():
        enabled = bool(settings.get("Enabled"))
        preferred = bool(settings.get("PreferredMfa"))
        if "PreferredMfa" not in settings:
            preferred = current.preferred == factor
        set_factor(conn, user, factor, enabled=enabled, preferred=preferred)


def set_user_mfa_preference(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        _, user = _token_user(ctx, conn, request)
        _set_mfa_preference(conn, user, request)
    return {}


def admin_set_user_mfa_preference(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        _, user = _admin_user(ctx, conn, request)
        _set_mfa_preference(conn, user, request)
    return {}


def _set_legacy_mfa(conn: sqlite3.Connection, user: User, options: list[dict[str, str]]) -> None:
    """SetUserSettings: an SMS option on phone_number turns SMS MFA on, none turns it off."""
    for option in options:
        if option.get("DeliveryMedium") != "SMS" or option.get("AttributeName") != "phone_number":
            raise ServiceError.invalid_parameter(
                "Only SMS delivery to phone_number is supported in MFAOptions"
            )
    enable = bool(options)
    if enable:
        _check_factor_usable(conn, user, SMS_MFA)
    preferred = load_user_mfa(conn, user).preferred == SMS_MFA
    set_factor(conn, user, SMS_MFA, enabled=enable, preferred=preferred)


def set_user_settings(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        _, user = _token_user(ctx, conn, request)
        _set_legacy_mfa(conn, user, request["MFAOptions"])
    return {}


def admin_set_user_settings(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        _, user = _admin_user(ctx, conn, request)
        _set_legacy_mfa(conn, user, request["MFAOptions"])
    return {}


ACTIONS: dict[str, Handler] = {
    "ChangePassword": change_password,
    "ForgotPassword": forgot_password,
    "ConfirmForgotPassword": confirm_forgot_password,
    "AdminResetUserPassword": admin_reset_user_password,
    "UpdateUserAttributes": update_user_attributes,
    "AdminUpdateUserAttributes": admin_update_user_attributes,
    "DeleteUserAttributes": delete_user_attributes,
    "AdminDeleteUserAttributes": admin_delete_user_attributes,
    "GetUserAttributeVerificationCode": get_user_attribute_verification_code,
    "VerifyUserAttribute": verify_user_attribute,
    "DeleteUser": delete_user,
    "AdminUserGlobalSignOut": admin_user_global_sign_out,
    "SetUserMFAPreference": set_user_mfa_preference,
    "AdminSetUserMFAPreference": admin_set_user_mfa_preference,
    "SetUserSettings": set_user_settings,
    "AdminSetUserSettings": admin_set_user_settings,
}
