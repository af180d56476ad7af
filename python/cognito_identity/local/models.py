"""Typed views of stored pools, app clients and users, and the queries that load them."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Any

from cognito_identity.local.errors import ServiceError

__all__ = ["AppClient", "Catalog", "PasswordPolicy", "Pool", "User", "UserStatus"]


class UserStatus:
    """The values of ``UserStatus``."""

    UNCONFIRMED = "UNCONFIRMED"
    CONFIRMED = "CONFIRMED"
    FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"
    RESET_REQUIRED = "RESET_REQUIRED"


@dataclass(frozen=True)
class PasswordPolicy:
    """A pool's password rules (Cognito's defaults when the pool gives none)."""

    minimum_length: int = 8
    require_uppercase: bool = True
    require_lowercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True
    temporary_password_validity_days: int = 7

    def describe(self) -> dict[str, Any]:
        """The policy as ``Policies.PasswordPolicy`` in a DescribeUserPool response."""
        return {
            "MinimumLength": self.minimum_length,
            "RequireUppercase": self.require_uppercase,
            "RequireLowercase": self.require_lowercase,
            "RequireNumbers": self.require_numbers,
            "RequireSymbols": self.require_symbols,
            "TemporaryPasswordValidityDays": self.temporary_password_validity_days,
        }


@dataclass(frozen=True)
class Pool:
    """A user pool; ``description`` is the stored DescribeUserPool body."""

    id: str
    description: dict[str, Any] = field(repr=False)

    @property
    def name(self) -> str:
        """The pool name (``PoolName``)."""
        return str(self.description["Name"])

    @property
    def srp_pool_name(self) -> str:
        """The part of the id after ``_``, which SRP mixes into the password hash."""
        return self.id.split("_", 1)[1]

    @property
    def password_policy(self) -> PasswordPolicy:
        """The pool's password policy."""
        p = self.description["Policies"]["PasswordPolicy"]
        return PasswordPolicy(
            minimum_length=p["MinimumLength"],
            require_uppercase=p["RequireUppercase"],
            require_lowercase=p["RequireLowercase"],
            require_numbers=p["RequireNumbers"],
            require_symbols=p["RequireSymbols"],
            temporary_password_validity_days=p["TemporaryPasswordValidityDays"],
        )

    @property
    def username_attributes(self) -> list[str]:
        """Attributes that replace the username at sign-up (``email``, ``phone_number``)."""
        return list(self.description.get("UsernameAttributes", []))

    @property
    def alias_attributes(self) -> list[str]:
        """Verified attributes that may be used instead of the username to sign in."""
        return list(self.description.get("AliasAttributes", []))

    @property
    def auto_verified_attributes(self) -> list[str]:
        """Attributes Cognito sends a code to at sign-up."""
        return list(self.description.get("AutoVerifiedAttributes", []))

    @property
    def case_sensitive(self) -> bool:
        """Whether usernames (and e-mail aliases) are case sensitive."""
        return bool(self.description["UsernameConfiguration"]["CaseSensitive"])

    @property
    def admin_create_user_only(self) -> bool:
        """Whether SignUp is refused (only administrators create users)."""
        return bool(self.description["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"])

    @property
    def custom_attributes(self) -> frozenset[str]:
        """The ``custom:`` attributes the pool's schema declares."""
        return frozenset(self.custom_schema)

    @property
    def custom_schema(self) -> dict[str, dict[str, Any]]:
        """The schema entries of the ``custom:`` attributes, by name."""
        return {
            entry["Name"]: entry
            for entry in self.description.get("SchemaAttributes", [])
            if entry["Name"].startswith("custom:")
        }

    @property
    def required_attributes(self) -> list[str]:
        """Attributes every new user must have."""
        return [
            entry["Name"]
            for entry in self.description.get("SchemaAttributes", [])
            if entry["Required"]
        ]

    def key(self, name: str) -> str:
        """The lookup key of a username or e-mail alias under the pool's case rule."""
        return name if self.case_sensitive else name.lower()


@dataclass(frozen=True)
class AppClient:
    """An app client; ``description`` is the stored DescribeUserPoolClient body."""

    id: str
    pool_id: str
    secret: str | None = field(repr=False)
    description: dict[str, Any] = field(repr=False)

    @property
    def auth_flows(self) -> frozenset[str]:
        """The enabled flows, with legacy names mapped to their ``ALLOW_`` form."""
        legacy = {
            "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
            "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
        }
        flows = self.description["ExplicitAuthFlows"]
        return frozenset(legacy.get(flow, flow) for flow in flows)

    def _seconds(self, key: str, unit_key: str) -> int:
        units = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
        return int(self.description[key]) * units[self.description["TokenValidityUnits"][unit_key]]

    @property
    def access_token_seconds(self) -> int:
        """Lifetime of access tokens."""
        return self._seconds("AccessTokenValidity", "AccessToken")

    @property
    def id_token_seconds(self) -> int:
        """Lifetime of id tokens."""
        return self._seconds("IdTokenValidity", "IdToken")

    @property
    def refresh_token_seconds(self) -> int:
        """Lifetime of refresh tokens."""
        return self._seconds("RefreshTokenValidity", "RefreshToken")

    @property
    def prevent_user_existence_errors(self) -> bool:
        """Whether unknown users look like wrong passwords."""
        return bool(self.description["PreventUserExistenceErrors"] == "ENABLED")

    @property
    def token_revocation(self) -> bool:
        """Whether RevokeToken is allowed."""
        return bool(self.description["EnableTokenRevocation"])

    @property
    def auth_session_seconds(self) -> int:
        """How long an auth challenge's session stays valid."""
        return int(self.description["AuthSessionValidity"]) * 60


@dataclass(frozen=True)
class User:
    """A user row. Credentials are kept out of the repr."""

    pool_id: str
    username: str
    username_key: str
    sub: str
    status: str
    enabled: bool
    attributes: dict[str, str]
    password_hash: str | None = field(repr=False)
    srp_salt: str | None = field(repr=False)
    srp_verifier: str | None = field(repr=False)
    password_set: float | None
    created: float
    modified: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> User:
        """Build from a ``users`` row."""
        return cls(
            pool_id=row["pool_id"],
            username=row["username"],
            username_key=row["username_key"],
            sub=row["sub"],
            status=row["status"],
            enabled=bool(row["enabled"]),
            attributes=json.loads(row["attributes"]),
            password_hash=row["password_hash"],
            srp_salt=row["srp_salt"],
            srp_verifier=row["srp_verifier"],
            password_set=row["password_set"],
            created=row["created"],
            modified=row["modified"],
        )

    def attribute_list(self, names: list[str] | None = None) -> list[dict[str, str]]:
        """Attributes as ``[{"Name": ..., "Value": ...}]``, ``sub`` first."""
        items = [("sub", self.sub), *sorted(self.attributes.items())]
        return [
            {"Name": name, "Value": value}
            for name, value in items
            if names is None or name in names
        ]

    def describe(self, attributes_key: str = "Attributes") -> dict[str, Any]:
        """The user as ListUsers and AdminCreateUser return it."""
        return {
            "Username": self.username,
            attributes_key: self.attribute_list(),
            "UserCreateDate": self.created,
            "UserLastModifiedDate": self.modified,
            "Enabled": self.enabled,
            "UserStatus": self.status,
        }


class Catalog:
    """Loads pools and app clients, caching them; whoever changes one calls
    :meth:`forget_pool` or :meth:`forget_client` once the change is committed."""

    def __init__(self) -> None:
        self._pools: dict[str, Pool] = {}
        self._clients: dict[str, AppClient] = {}
        self._lock = threading.Lock()

    def pool(self, conn: sqlite3.Connection, pool_id: str) -> Pool:
        """The pool ``pool_id``, or ResourceNotFoundException."""
        pool = self._pools.get(pool_id)
        if pool is not None:
            return pool
        row = conn.execute("SELECT config FROM pools WHERE id = ?", (pool_id,)).fetchone()
        if row is None:
            raise ServiceError.pool_not_found(pool_id)
        pool = Pool(pool_id, json.loads(row["config"]))
        with self._lock:
            self._pools[pool_id] = pool
        return pool

    def client(self, conn: sqlite3.Connection, client_id: str) -> AppClient:
        """The app client ``client_id``, or ResourceNotFoundException."""
        client = self._clients.get(client_id)
        if client is not None:
            return client
        row = conn.execute(
            "SELECT pool_id, secret, config FROM clients WHERE id = ?", (client_id,)
        ).fetchone()
        if row is None:
            raise ServiceError.client_not_found(client_id)
        client = AppClient(client_id, row["pool_id"], row["secret"], json.loads(row["config"]))
        with self._lock:
            self._clients[client_id] = client
        return client

    def forget_client(self, client_id: str) -> None:
        """Drop an updated or deleted app client from the cache."""
        with self._lock:
            self._clients.pop(client_id, None)

    def forget_pool(self, pool_id: str) -> None:
        """Drop a deleted pool and its clients from the cache."""
        with self._lock:
            self._pools.pop(pool_id, None)
            for client_id in [c for c, v in self._clients.items() if v.pool_id == pool_id]:
                del self._clients[client_id]


def find_user(conn: sqlite3.Connection, pool: Pool, name: str) -> User | None:
    """The user signing in as ``name``: a username, or an e-mail/phone the pool accepts."""
    row = conn.execute(
        "SELECT * FROM users WHERE pool_id = ? AND username_key = ?", (pool.id, pool.key(name))
    ).fetchone()
    if row is None:
        row = _find_by_alias(conn, pool, name)
    return None if row is None else User.from_row(row)


def _find_by_alias(conn: sqlite3.Connection, pool: Pool, name: str) -> sqlite3.Row | None:
    sign_in = set(pool.username_attributes) | set(pool.alias_attributes)
    if "@" in name and "email" in sign_in:
        attribute, column, value = "email", "email_key", pool.key(name)
    elif name.startswith("+") and "phone_number" in sign_in:
        attribute, column, value = "phone_number", "phone_key", name
    else:
        return None
    rows: list[sqlite3.Row] = conn.execute(
        f"SELECT * FROM users WHERE pool_id = ? AND {column} = ?", (pool.id, value)
    ).fetchall()
    for row in rows:
        # A username attribute always signs in; an alias only once verified.
        if attribute in pool.username_attributes:
            return row
        if json.loads(row["attributes"]).get(f"{attribute}_verified") == "true":
            return row
    return None
