"""The hosted UI's pool resources in the store: domains, resource servers and identity
providers, each kept as the JSON document its Describe action returns."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from cognito_identity.local.paging import Page

__all__ = [
    "delete_domain",
    "delete_provider",
    "delete_resource_server",
    "domain_of_pool",
    "find_domain",
    "find_provider",
    "find_resource_server",
    "insert_domain",
    "insert_provider",
    "insert_resource_server",
    "list_providers",
    "list_resource_servers",
    "pool_scopes",
    "provider_names",
]


def insert_domain(conn: sqlite3.Connection, description: dict[str, Any]) -> None:
    """Store a new domain (the caller has checked it is free)."""
    conn.execute(
        "INSERT INTO domains (domain, pool_id, config) VALUES (?, ?, ?)",
        (description["Domain"], description["UserPoolId"], json.dumps(description)),
    )


def find_domain(conn: sqlite3.Connection, domain: str) -> dict[str, Any] | None:
    """The description of ``domain``, or None."""
    row = conn.execute("SELECT config FROM domains WHERE domain = ?", (domain,)).fetchone()
    return None if row is None else dict(json.loads(row["config"]))


def domain_of_pool(conn: sqlite3.Connection, pool_id: str) -> str | None:
    """The pool's domain prefix, or None."""
    row = conn.execute("SELECT domain FROM domains WHERE pool_id = ?", (pool_id,)).fetchone()
    return None if row is None else str(row["domain"])


def delete_domain(conn: sqlite3.Connection, domain: str) -> None:
    """Delete a domain."""
    conn.execute("DELETE FROM domains WHERE domain = ?", (domain,))


def insert_resource_server(conn: sqlite3.Connection, description: dict[str, Any]) -> None:
    """Store a new resource server (the caller has checked its identifier is free)."""
    conn.execute(
        "INSERT INTO resource_servers (pool_id, identifier, config) VALUES (?, ?, ?)",
        (description["UserPoolId"], description["Identifier"], json.dumps(description)),
    )


def find_resource_server(
    conn: sqlite3.Connection, pool_id: str, identifier: str
) -> dict[str, Any] | None:
    """The description of the pool's resource server ``identifier``, or None."""
    row = conn.execute(
        "SELECT config FROM resource_servers WHERE pool_id = ? AND identifier = ?",
        (pool_id, identifier),
    ).fetchone()
    return None if row is None else dict(json.loads(row["config"]))


def delete_resource_server(conn: sqlite3.Connection, pool_id: str, identifier: str) -> None:
    """Delete a resource server."""
    conn.execute(
        "DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?", (pool_id, identifier)
    )


def list_resource_servers(
    conn: sqlite3.Connection, pool_id: str, after: str, limit: int
) -> Page[dict[str, Any]]:
    """A page of the pool's resource servers by identifier, after ``after``."""
    rows = conn.execute(
        "SELECT identifier, config FROM resource_servers WHERE pool_id = ? AND identifier > ?"
        " ORDER BY identifier LIMIT ?",
        (pool_id, after, limit + 1),
    ).fetchall()
    return Page.of([(row["identifier"], json.loads(row["config"])) for row in rows], limit)


def pool_scopes(conn: sqlite3.Connection, pool_id: str) -> frozenset[str]:
    """Every custom scope the pool's resource servers define, as ``identifier/scope``."""
    scopes: set[str] = set()
    for row in conn.execute(
        "SELECT identifier, config FROM resource_servers WHERE pool_id = ?", (pool_id,)
    ):
        for scope in json.loads(row["config"]).get("Scopes", []):
            scopes.add(f"{row['identifier']}/{scope['ScopeName']}")
    return frozenset(scopes)


def insert_provider(conn: sqlite3.Connection, description: dict[str, Any]) -> None:
    """Store a new identity provider (the caller has checked its name is free)."""
    conn.execute(
        "INSERT INTO identity_providers (pool_id, name, config) VALUES (?, ?, ?)",
        (description["UserPoolId"], description["ProviderName"], json.dumps(description)),
    )


def find_provider(conn: sqlite3.Connection, pool_id: str, name: str) -> dict[str, Any] | None:
    """The description of the pool's identity provider ``name``, or None."""
    row = conn.execute(
        "SELECT config FROM identity_providers WHERE pool_id = ? AND name = ?", (pool_id, name)
    ).fetchone()
    return None if row is None else dict(json.loads(row["config"]))


def delete_provider(conn: sqlite3.Connection, pool_id: str, name: str) -> None:
    """Delete an identity provider."""
    conn.execute("DELETE FROM identity_providers WHERE pool_id = ? AND name = ?", (pool_id, name))


def list_providers(
    conn: sqlite3.Connection, pool_id: str, after: str, limit: int
) -> Page[dict[str, Any]]:
    """A page of the pool's identity providers by name, after ``after``."""
    rows = conn.execute(
        "SELECT name, config FROM identity_providers WHERE pool_id = ? AND name > ?"
        " ORDER BY name LIMIT ?",
        (pool_id, after, limit + 1),
    ).fetchall()
    return Page.of([(row["name"], json.loads(row["config"])) for row in rows], limit)


def provider_names(conn: sqlite3.Connection, pool_id: str) -> frozenset[str]:
    """The names of the pool's identity providers."""
    rows = conn.execute("SELECT name FROM identity_providers WHERE pool_id = ?", (pool_id,))
    return frozenset(str(row["name"]) for row in rows)
