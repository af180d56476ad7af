"""Storage of the local identity pools: the pools, and the identities each one hands out.

An identity is either a guest (no login) or bound to one login, written
``"<user pool id>/<sub>"`` so that both provider names of a local user pool (AWS's form and
the server's own issuer) lead to the same identity, as one user must always get the same
IdentityId.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from cognito_identity.jwt import RsaSigningKey
from cognito_identity.local.errors import ServiceError
from cognito_identity.local.ids import new_uuid
from cognito_identity.local.paging import Page
from cognito_identity.local.store import Store

__all__ = [
    "Identity",
    "IdentityPool",
    "create_pool",
    "delete_identity",
    "delete_pool",
    "find_identity",
    "identity_for",
    "list_pools",
    "load_pool",
    "signing_key",
]


@dataclass(frozen=True)
class IdentityPool:
    """An identity pool as DescribeIdentityPool returns it."""

    description: dict[str, Any]

    @property
    def id(self) -> str:
        """``<region>:<uuid>``."""
        return str(self.description["IdentityPoolId"])

    @property
    def allows_guests(self) -> bool:
        """AllowUnauthenticatedIdentities."""
        return bool(self.description["AllowUnauthenticatedIdentities"])

    @property
    def providers(self) -> list[dict[str, Any]]:
        """The CognitoIdentityProviders entries."""
        return [dict(p) for p in self.description.get("CognitoIdentityProviders", [])]


@dataclass(frozen=True)
class Identity:
    """One IdentityId: its pool and its login (None for a guest)."""

    id: str
    pool_id: str
    login: str | None


def _pool_not_found(pool_id: str) -> ServiceError:
    return ServiceError.resource_not_found(f"IdentityPool '{pool_id}' not found.")


def create_pool(conn: sqlite3.Connection, description: dict[str, Any], now: float) -> None:
    """Store a new identity pool."""
    conn.execute(
        "INSERT INTO identity_pools (id, config, created) VALUES (?, ?, ?)",
        (description["IdentityPoolId"], json.dumps(description), now),
    )


def load_pool(conn: sqlite3.Connection, pool_id: str) -> IdentityPool:
    """The identity pool ``pool_id``, or ResourceNotFoundException."""
    row = conn.execute("SELECT config FROM identity_pools WHERE id = ?", (pool_id,)).fetchone()
    if row is None:
        raise _pool_not_found(pool_id)
    return IdentityPool(json.loads(row["config"]))


def list_pools(conn: sqlite3.Connection, after: str, limit: int) -> Page[IdentityPool]:
    """A page of identity pools by id, after the id ``after``."""
    rows = conn.execute(
        "SELECT id, config FROM identity_pools WHERE id > ? ORDER BY id LIMIT ?",
        (after, limit + 1),
    ).fetchall()
    return Page.of([(row["id"], IdentityPool(json.loads(row["config"]))) for row in rows], limit)


def delete_pool(conn: sqlite3.Connection, pool_id: str) -> None:
    """Delete an identity pool and its identities, or ResourceNotFoundException."""
    if conn.execute("DELETE FROM identity_pools WHERE id = ?", (pool_id,)).rowcount == 0:
        raise _pool_not_found(pool_id)


def identity_for(
    conn: sqlite3.Connection, pool: IdentityPool, login: str | None, region: str, now: float
) -> str:
    """The IdentityId of ``login`` in ``pool``: the existing one, or a new one. Every guest
    request gets a new identity, as in Cognito (a guest keeps its id by caching it)."""
    if login is not None:
        row = conn.execute(
            "SELECT id FROM identities WHERE pool_id = ? AND login = ?", (pool.id, login)
        ).fetchone()
        if row is not None:
            return str(row["id"])
    identity_id = f"{region}:{new_uuid()}"
    conn.execute(
        "INSERT INTO identities (id, pool_id, login, created) VALUES (?, ?, ?, ?)",
        (identity_id, pool.id, login, now),
    )
    return identity_id


def delete_identity(conn: sqlite3.Connection, identity_id: str) -> bool:
    """Delete the identity ``identity_id``; False if there is none."""
    return conn.execute("DELETE FROM identities WHERE id = ?", (identity_id,)).rowcount > 0


def find_identity(conn: sqlite3.Connection, identity_id: str) -> Identity:
    """The identity ``identity_id``, or ResourceNotFoundException."""
    row = conn.execute(
        "SELECT id, pool_id, login FROM identities WHERE id = ?", (identity_id,)
    ).fetchone()
    if row is None:
        raise ServiceError.resource_not_found(f"Identity '{identity_id}' not found.")
    return Identity(row["id"], row["pool_id"], row["login"])


def signing_key(store: Store) -> RsaSigningKey:
    """The server's key for GetOpenIdToken's tokens, made on first use."""
    with store.write() as conn:
        row = conn.execute("SELECT kid, pkcs8 FROM identity_signing_key").fetchone()
        if row is not None:
            return RsaSigningKey.from_pkcs8_der(bytes(row["pkcs8"]), row["kid"])
        key = RsaSigningKey.generate()
        conn.execute(
            "INSERT INTO identity_signing_key (id, kid, pkcs8) VALUES (1, ?, ?)",
            (key.kid, key.to_pkcs8_der()),
        )
        return key
