"""Pools and app clients in the store: creating, saving, deleting and listing them.

A pool or client is stored as the JSON document DescribeUserPool / DescribeUserPoolClient
returns; :class:`~cognito_identity.local.models.Catalog` loads and caches them, so every
change here is followed by the caller's ``catalog.forget_*``.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from cognito_identity.local.paging import Page

__all__ = [
    "count_users",
    "delete_client",
    "delete_pool",
    "insert_client",
    "insert_pool",
    "list_clients",
    "list_pools",
    "save_client",
    "save_pool",
]


def insert_pool(conn: sqlite3.Connection, description: dict[str, Any], now: float) -> None:
    """Store a new pool."""
    conn.execute(
        "INSERT INTO pools (id, config, created) VALUES (?, ?, ?)",
        (description["Id"], json.dumps(description), now),
    )


def save_pool(conn: sqlite3.Connection, description: dict[str, Any]) -> None:
    """Replace a pool's stored description."""
    conn.execute(
        "UPDATE pools SET config = ? WHERE id = ?", (json.dumps(description), description["Id"])
    )


def delete_pool(conn: sqlite3.Connection, pool_id: str) -> None:
    """Delete a pool; its clients, users, groups, sessions and keys go by ON DELETE
    CASCADE, its outbox messages here."""
    conn.execute("DELETE FROM outbox WHERE pool_id = ?", (pool_id,))
    conn.execute("DELETE FROM pools WHERE id = ?", (pool_id,))


def count_users(conn: sqlite3.Connection, pool_id: str) -> int:
    """How many users the pool has."""
    (count,) = conn.execute("SELECT COUNT(*) FROM users WHERE pool_id = ?", (pool_id,)).fetchone()
    return int(count)


def list_pools(conn: sqlite3.Connection, after: str, limit: int) -> Page[dict[str, Any]]:
    """A page of pool descriptions by id, after the id ``after``."""
    rows = conn.execute(
        "SELECT id, config FROM pools WHERE id > ? ORDER BY id LIMIT ?", (after, limit + 1)
    ).fetchall()
    return Page.of([(row["id"], json.loads(row["config"])) for row in rows], limit)


def insert_client(
    conn: sqlite3.Connection, description: dict[str, Any], secret: str | None
) -> None:
    """Store a new app client."""
    conn.execute(
        "INSERT INTO clients (id, pool_id, secret, config) VALUES (?, ?, ?, ?)",
        (description["ClientId"], description["UserPoolId"], secret, json.dumps(description)),
    )


def save_client(conn: sqlite3.Connection, description: dict[str, Any]) -> None:
    """Replace an app client's stored description (its secret never changes)."""
    conn.execute(
        "UPDATE clients SET config = ? WHERE id = ?",
        (json.dumps(description), description["ClientId"]),
    )


def delete_client(conn: sqlite3.Connection, client_id: str) -> None:
    """Delete an app client and end the sign-ins made through it."""
    conn.execute("UPDATE sessions SET revoked = 1 WHERE client_id = ?", (client_id,))
    conn.execute("DELETE FROM clients WHERE id = ?", (client_id,))


def list_clients(
    conn: sqlite3.Connection, pool_id: str, after: str, limit: int
) -> Page[dict[str, Any]]:
    """A page of the pool's client descriptions by id, after the id ``after``."""
    rows = conn.execute(
        "SELECT id, config FROM clients WHERE pool_id = ? AND id > ? ORDER BY id LIMIT ?",
        (pool_id, after, limit + 1),
    ).fetchall()
    return Page.of([(row["id"], json.loads(row["config"])) for row in rows], limit)
