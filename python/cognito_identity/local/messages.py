"""The text of the messages the pool sends, and the custom message trigger that rewrites it.

Each message gets Cognito's default wording for its purpose, with the code (or the
temporary password) in place of ``{####}`` and the username in place of ``{username}``.
A pool with a ``custom_message`` trigger gets the event Cognito sends (``triggerSource``
``CustomMessage_SignUp``, ``_ResendCode``, ``_AdminCreateUser``, ``_ForgotPassword``,
``_UpdateUserAttribute``, ``_VerifyUserAttribute`` or ``_Authentication``; ``request``
with ``userAttributes``, ``codeParameter`` ``{####}``, ``usernameParameter`` and
``clientMetadata``); its ``smsMessage`` (for a text) or ``emailMessage`` and
``emailSubject`` (for an e-mail) replace the default. As in Cognito, a message that does
not carry ``{####}`` is not used: the default goes out instead.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from cognito_identity.local.outbox import Message
from cognito_identity.local.triggers import invoke
from cognito_identity.local.user_records import load_user

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = ["CODE_PARAMETER", "USERNAME_PARAMETER", "compose"]

CODE_PARAMETER = "{####}"
USERNAME_PARAMETER = "{username}"


@dataclass(frozen=True)
class _Wording:
    source: str | None  # the trigger source; None: no custom message (custom auth codes)
    subject: str
    text: str


_VERIFY = _Wording(
    "CustomMessage_UpdateUserAttribute",
    "Your verification code",
    f"Your verification code is {CODE_PARAMETER}.",
)
_WORDINGS = {
    "signup": replace(_VERIFY, source="CustomMessage_SignUp"),
    "invitation": _Wording(
        "CustomMessage_AdminCreateUser",
        "Your temporary password",
        f"Your username is {USERNAME_PARAMETER} and temporary password is {CODE_PARAMETER}.",
    ),
    "forgot_password": replace(_VERIFY, source="CustomMessage_ForgotPassword"),
    "verify_email": _VERIFY,
    "verify_phone_number": _VERIFY,
    "sign-in": _Wording(
        "CustomMessage_Authentication",
        "Your sign-in code",
        f"Your authentication code is {CODE_PARAMETER}.",
    ),
    "mfa": _Wording(
        "CustomMessage_Authentication",
        "Your authentication code",
        f"Your authentication code is {CODE_PARAMETER}.",
    ),
}
_OTHER = _Wording(None, "Your code", f"Your code is {CODE_PARAMETER}.")


def compose(
    ctx: ServerContext, conn: sqlite3.Connection, message: Message, source: str | None = None
) -> Message:
    """``message`` with its subject and text: the default for its purpose, or what the
    pool's custom message trigger answers. ``source`` overrides the trigger source the
    purpose implies (ResendConfirmationCode, GetUserAttributeVerificationCode)."""
    wording = _WORDINGS.get(message.purpose, _OTHER)
    source = source or wording.source
    subject, text = wording.subject, wording.text
    trigger = ctx.triggers.get(message.pool_id, "custom_message")
    if trigger is not None and source is not None:
        answer = invoke("custom_message", trigger, _event(ctx, conn, message, source))
        chosen = answer.get("smsMessage" if message.medium == "SMS" else "emailMessage")
        if isinstance(chosen, str) and CODE_PARAMETER in chosen:
            text = chosen
            new_subject = answer.get("emailSubject")
            if message.medium == "EMAIL" and isinstance(new_subject, str) and new_subject:
                subject = new_subject
    filled = text.replace(CODE_PARAMETER, message.code).replace(
        USERNAME_PARAMETER, message.username
    )
    return replace(message, subject=subject if message.medium == "EMAIL" else "", text=filled)


def _event(
    ctx: ServerContext, conn: sqlite3.Connection, message: Message, source: str
) -> dict[str, Any]:
    pool = ctx.catalog.pool(conn, message.pool_id)
    user = load_user(conn, pool.id, pool.key(message.username))
    attributes: dict[str, str] = {}
    if user is not None:
        attributes = {"sub": user.sub, **user.attributes, "cognito:user_status": user.status}
    return {
        "version": "1",
        "region": ctx.region,
        "userPoolId": pool.id,
        "userName": message.username,
        "callerContext": {"awsSdkVersion": "cognito-identity-local", "clientId": None},
        "triggerSource": source,
        "request": {
            "userAttributes": attributes,
            "codeParameter": CODE_PARAMETER,
            "linkParameter": "{##Click Here##}",
            "usernameParameter": USERNAME_PARAMETER if source.endswith("AdminCreateUser") else None,
            "clientMetadata": {},
        },
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }
