"""Users in the store: attribute rules, creation, updates and code delivery.

Shared by the admin actions and the self-service sign-up actions.
"""

from __future__ import annotations

import hmac
import json
import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cognito_identity.local.attribute_schema import check_custom_value
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_code, new_uuid
from cognito_identity.local.models import Pool, User
from cognito_identity.local.outbox import Message
from cognito_identity.local.passwords import Credentials

if TYPE_CHECKING:
    from cognito_identity.local.context import ServerContext

__all__ = [
    "CODE_VALIDITY_SECONDS",
    "Delivery",
    "NewUser",
    "attributes_from_request",
    "delivery_for",
    "insert_user",
    "issue_code",
    "new_user",
    "set_credentials",
    "set_status",
    "take_code",
]

# How long a confirmation code stays valid.
CODE_VALIDITY_SECONDS = 24 * 3600

STANDARD_ATTRIBUTES = frozenset(
    {
        "address",
        "birthdate",
        "email",
        "email_verified",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "phone_number_verified",
        "picture",
        "preferred_username",
        "profile",
        "updated_at",
        "website",
        "zoneinfo",
    }
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE = re.compile(r"\+[0-9]{4,15}")


def attributes_from_request(pool: Pool, items: list[dict[str, str]] | None) -> dict[str, str]:
    """Check ``[{"Name", "Value"}]`` against the pool's schema; return name -> value."""
    attributes: dict[str, str] = {}
    for item in items or []:
        name, value = item["Name"], item.get("Value", "")
        if name == "sub":
            raise ServiceError.invalid_parameter(
                "Attributes did not conform to the schema: sub: Attribute cannot be updated."
            )
        if name not in STANDARD_ATTRIBUTES and name not in pool.custom_attributes:
            raise ServiceError.invalid_parameter(
                "Attributes did not conform to the schema: "
                f"Type for attribute {{{name}}} could not be determined"
            )
        if name == "email" and not _EMAIL.fullmatch(value):
            raise ServiceError.invalid_parameter("Invalid email address format.")
        if name == "phone_number" and not _PHONE.fullmatch(value):
            raise ServiceError.invalid_parameter("Invalid phone number format.")
        if name.endswith("_verified") and value not in ("true", "false"):
            raise ServiceError.invalid_parameter(
                f"Attributes did not conform to the schema: {name}: must be true or false"
            )
        custom = pool.custom_schema.get(name)
        if custom is not None:
            check_custom_value(custom, value)
        attributes[name] = value
    return attributes


@dataclass(frozen=True)
class NewUser:
    """A user about to be created: its stored username, ``sub`` and attributes."""

    username: str
    sub: str
    attributes: dict[str, str]


def new_user(pool: Pool, given_username: str, attributes: dict[str, str]) -> NewUser:
    """Apply the pool's username rules to a new user's requested name.

    In a pool whose ``UsernameAttributes`` are e-mail and/or phone, the name given must be
    one of those; it becomes that attribute, and the stored username is the new ``sub``.
    """
    sub = new_uuid()
    allowed = pool.username_attributes
    if not allowed:
        return _with_required(pool, NewUser(given_username, sub, attributes))
    if "email" in allowed and _EMAIL.fullmatch(given_username):
        attribute = "email"
    elif "phone_number" in allowed and _PHONE.fullmatch(given_username):
        attribute = "phone_number"
    elif allowed == ["email"]:
        raise ServiceError.invalid_parameter("Username should be an email.")
    elif allowed == ["phone_number"]:
        raise ServiceError.invalid_parameter("Username should be a phone number.")
    else:
        raise ServiceError.invalid_parameter(
            "Username should be either an email or a phone number."
        )
    return _with_required(pool, NewUser(sub, sub, {**attributes, attribute: given_username}))


def _with_required(pool: Pool, new: NewUser) -> NewUser:
    for name in pool.required_attributes:
        if not new.attributes.get(name):
            raise ServiceError.invalid_parameter(
                f"Attributes did not conform to the schema: {name}: The attribute is required"
            )
    return new


def insert_user(
    conn: sqlite3.Connection,
    pool: Pool,
    *,
    new: NewUser,
    status: str,
    credentials: Credentials | None,
    now: float,
    exists_message: str,
) -> User:
    """Add a user, refusing a taken username (``exists_message``) or taken sign-in e-mail."""
    username, sub, attributes = new.username, new.sub, new.attributes
    key = pool.key(username)
    if conn.execute(
        "SELECT 1 FROM users WHERE pool_id = ? AND username_key = ?", (pool.id, key)
    ).fetchone():
        raise ServiceError.username_exists(exists_message)
    for attribute, column in (("email", "email_key"), ("phone_number", "phone_key")):
        value = attributes.get(attribute)
        if value is None or attribute not in pool.username_attributes:
            continue
        if conn.execute(
            f"SELECT 1 FROM users WHERE pool_id = ? AND {column} = ?",
            (pool.id, _alias_key(pool, attribute, value)),
        ).fetchone():
            noun = "email" if attribute == "email" else "phone_number"
            raise ServiceError.username_exists(f"An account with the given {noun} already exists.")
    conn.execute(
        "INSERT INTO users (pool_id, username_key, username, sub, status, enabled, attributes,"
        " email_key, phone_key, password_hash, srp_salt, srp_verifier, password_set, created,"
        " modified) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            pool.id,
            key,
            username,
            sub,
            status,
            json.dumps(attributes),
            _alias_key(pool, "email", attributes.get("email")),
            attributes.get("phone_number"),
            credentials.password_hash if credentials else None,
            credentials.srp_salt if credentials else None,
            credentials.srp_verifier if credentials else None,
            now if credentials else None,
            now,
            now,
        ),
    )
    row = conn.execute(
        "SELECT * FROM users WHERE pool_id = ? AND username_key = ?", (pool.id, key)
    ).fetchone()
    return User.from_row(row)


def _alias_key(pool: Pool, attribute: str, value: str | None) -> str | None:
    if value is None or attribute != "email":
        return value
    return pool.key(value)


def set_credentials(
    conn: sqlite3.Connection, user: User, credentials: Credentials, status: str, now: float
) -> None:
    """Replace the user's password (its hash and SRP verifier) and set ``status``."""
    conn.execute(
        "UPDATE users SET password_hash = ?, srp_salt = ?, srp_verifier = ?, password_set = ?,"
        " status = ?, modified = ? WHERE pool_id = ? AND username_key = ?",
        (
            credentials.password_hash,
            credentials.srp_salt,
            credentials.srp_verifier,
            now,
            status,
            now,
            user.pool_id,
            user.username_key,
        ),
    )


def set_status(
    conn: sqlite3.Connection,
    user: User,
    status: str,
    now: float,
    attributes: dict[str, str] | None = None,
) -> None:
    """Set the user's status and, if given, replace its attributes."""
    conn.execute(
        "UPDATE users SET status = ?, attributes = ?, modified = ?"
        " WHERE pool_id = ? AND username_key = ?",
        (
            status,
            json.dumps(user.attributes if attributes is None else attributes),
            now,
            user.pool_id,
            user.username_key,
        ),
    )


@dataclass(frozen=True)
class Delivery:
    """Where a code goes: the medium, the attribute and its (unmasked) value."""

    medium: str
    attribute: str
    destination: str

    def describe(self) -> dict[str, str]:
        """``CodeDeliveryDetails``, with the destination masked as Cognito does."""
        return {
            "Destination": _mask(self.destination, self.medium),
            "DeliveryMedium": self.medium,
            "AttributeName": self.attribute,
        }


def delivery_for(pool: Pool, attributes: dict[str, str]) -> Delivery | None:
    """Where sign-up codes go: the phone if auto-verified and present, else the e-mail."""
    auto = pool.auto_verified_attributes
    if "phone_number" in auto and attributes.get("phone_number"):
        return Delivery("SMS", "phone_number", attributes["phone_number"])
    if "email" in auto and attributes.get("email"):
        return Delivery("EMAIL", "email", attributes["email"])
    return None


def _mask(destination: str, medium: str) -> str:
    if medium == "EMAIL":
        local, _, domain = destination.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    return "+*******" + destination[-4:]


def issue_code(
    ctx: ServerContext,
    conn: sqlite3.Connection,
    user: User,
    delivery: Delivery,
    purpose: str,
    now: float,
    *,
    source: str | None = None,
    validity: float = CODE_VALIDITY_SECONDS,
) -> None:
    """Make a new code for ``purpose`` (replacing any older one), good for ``validity``
    seconds, and send it; ``source`` is the custom message trigger source when the
    purpose alone does not say it."""
    code = new_code()
    conn.execute(
        "INSERT OR REPLACE INTO codes (pool_id, username_key, purpose, code, expires)"
        " VALUES (?, ?, ?, ?, ?)",
        (user.pool_id, user.username_key, purpose, code, now + validity),
    )
    ctx.outbox.send(
        conn,
        Message(
            pool_id=user.pool_id,
            username=user.username,
            medium=delivery.medium,
            destination=delivery.destination,
            purpose=purpose,
            code=code,
            created=now,
        ),
        source,
    )


def take_code(conn: sqlite3.Connection, user: User, purpose: str, given: str, now: float) -> None:
    """Consume the user's code for ``purpose`` if ``given`` matches and has not expired."""
    row = conn.execute(
        "SELECT code, expires FROM codes WHERE pool_id = ? AND username_key = ? AND purpose = ?",
        (user.pool_id, user.username_key, purpose),
    ).fetchone()
    if row is None or not hmac.compare_digest(row["code"].encode(), given.encode()):
        raise ServiceError.code_mismatch()
    if row["expires"] <= now:
        raise ServiceError.expired_code()
    conn.execute(
        "DELETE FROM codes WHERE pool_id = ? AND username_key = ? AND purpose = ?",
        (user.pool_id, user.username_key, purpose),
    )
