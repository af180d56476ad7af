"""A pool's MFA set-up: SetUserPoolMfaConfig, GetUserPoolMfaConfig.

(A user's own factors are set by SetUserMFAPreference and its admin twin, in
``actions/account.py``; TOTP secrets by AssociateSoftwareToken / VerifySoftwareToken.)"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from cognito_identity.local.actions.base import Handler, Request, Response
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.mfa import load_pool_mfa, save_pool_mfa

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["ACTIONS"]

_FACTOR_CONFIGS = ("SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration")


def set_user_pool_mfa_config(ctx: ServerContext, request: Request) -> Response:
    with ctx.store.write() as conn:
        pool = ctx.catalog.pool(conn, request["UserPoolId"])
        mode = request.get("MfaConfiguration", pool.description.get("MfaConfiguration", "OFF"))
        config = {key: request[key] for key in _FACTOR_CONFIGS if key in request}
        software = config.get("SoftwareTokenMfaConfiguration", {})
        if mode != "OFF" and not (
            "SmsMfaConfiguration" in config
            or "EmailMfaConfiguration" in config
            or software.get("Enabled")
        ):
            raise ServiceError.invalid_parameter(
                "At least one MFA method must be enabled when MFA is ON or OPTIONAL."
            )
        save_pool_mfa(conn, pool.id, config)
        description = {**pool.description, "MfaConfiguration": mode}
        conn.execute("UPDATE pools SET config = ? WHERE id = ?", (json.dumps(description), pool.id))
    # The catalog caches pools; the next request reads the new MfaConfiguration.
    ctx.catalog.forget_pool(pool.id)
    return _describe(ctx, conn, request["UserPoolId"])


def get_user_pool_mfa_config(ctx: ServerContext, request: Request) -> Response:
    return _describe(ctx, ctx.store.connection(), request["UserPoolId"])


def _describe(ctx: ServerContext, conn: sqlite3.Connection, pool_id: str) -> dict[str, Any]:
    return load_pool_mfa(conn, ctx.catalog.pool(conn, pool_id)).config


ACTIONS: dict[str, Handler] = {
    "SetUserPoolMfaConfig": set_user_pool_mfa_config,
    "GetUserPoolMfaConfig": get_user_pool_mfa_config,
}
