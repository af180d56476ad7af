"""May this user act? The one place for the rules every path applies to a user.

* A **disabled** user (AdminDisableUser) cannot sign in, refresh or use an access token:
  NotAuthorizedException "User is disabled." (and disabling revokes its sessions).
* A user whose password an administrator **reset** must set a new one with a code before
  signing in: PasswordResetRequiredException.
* An **unconfirmed** user cannot sign in (checked once the password is proven, as
  Cognito does): UserNotConfirmedException.
* A **revoked** or expired access token is refused (GlobalSignOut, AdminUserGlobalSignOut,
  RevokeToken and AdminDisableUser end the sign-in it belongs to).

Sign-in and refresh call :func:`check_may_sign_in`, :func:`check_confirmed` and
:func:`check_may_refresh`; every action that takes an access token finds its user with
:func:`access_token_user`.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import Pool, User, UserStatus
from cognito_identity.local.user_records import load_user

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "access_token_user",
    "check_confirmed",
    "check_enabled",
    "check_may_refresh",
    "check_may_sign_in",
]


def check_enabled(user: User) -> None:
    """Refuse a disabled user."""
    if not user.enabled:
        raise ServiceError.user_disabled()


def check_may_sign_in(user: User) -> None:
    """Refuse to start a sign-in for a disabled user or one whose password was reset."""
    check_enabled(user)
    if user.status == UserStatus.RESET_REQUIRED:
        raise ServiceError.password_reset_required()


def check_confirmed(user: User) -> None:
    """Refuse an unconfirmed user (after its password was proven, as Cognito orders it)."""
    if user.status == UserStatus.UNCONFIRMED:
        raise ServiceError.user_not_confirmed()


def check_may_refresh(user: User) -> None:
    """Refuse to refresh the tokens of a disabled user."""
    check_enabled(user)


def access_token_user(
    ctx: ServerContext, conn: sqlite3.Connection, token: str | None
) -> tuple[Pool, User]:
    """The pool and the enabled user behind a live access token this server issued.

    A disabled user is told so even though disabling also revoked the token, as Cognito
    answers; a deleted user's token is refused as the user not existing.
    """
    if not token:
        raise ServiceError.invalid_parameter("Missing required parameter AccessToken")
    grant = ctx.tokens.find_access_token(conn, token)
    user = load_user(conn, grant.pool_id, grant.username_key)
    if user is None:
        raise ServiceError.user_not_found()
    check_enabled(user)
    grant.check_live(ctx.clock.now())
    return ctx.catalog.pool(conn, grant.pool_id), user
