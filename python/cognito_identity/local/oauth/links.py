"""External identities linked to a pool's users (AdminLinkProviderForUser), in the store,
and the ``identities`` attribute that lists a user's external identities.

A link names an identity of a provider by an attribute and its value: ``Cognito_Subject``
and the provider's subject, or a pool attribute the provider's attribute mapping fills
(``email``, say) and its value. A federated sign-in whose identity matches a link signs
in as the linked user instead of making a ``<provider>_<subject>`` user; the link then
also keeps the subject it met, so that AdminDisableProviderForUser can name it by
``Cognito_Subject`` afterwards. Deleting the user deletes its links (ON DELETE CASCADE).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "COGNITO_SUBJECT",
    "MAX_LINKS",
    "Link",
    "count_links",
    "find_link",
    "insert_link",
    "linked_username_key",
    "remember_subject",
    "unlink",
    "with_identity",
    "without_identity",
]

#: The attribute name that stands for the provider's own subject.
COGNITO_SUBJECT = "Cognito_Subject"
#: How many external identities one user may have linked (Cognito: five).
MAX_LINKS = 5


@dataclass(frozen=True)
class Link:
    """One link: the provider's identity (attribute and value) and the pool's user."""

    pool_id: str
    provider: str
    attribute: str
    value: str
    username_key: str


def insert_link(conn: sqlite3.Connection, link: Link, now: float) -> None:
    """Store a new link (the caller has checked the identity is not linked yet)."""
    conn.execute(
        "INSERT INTO provider_links (pool_id, provider, attribute, value, username_key,"
        " created) VALUES (?, ?, ?, ?, ?, ?)",
        (link.pool_id, link.provider, link.attribute, link.value, link.username_key, now),
    )


def find_link(
    conn: sqlite3.Connection, pool_id: str, provider: str, attribute: str, value: str
) -> Link | None:
    """The link of exactly this identity, or None."""
    row = conn.execute(
        "SELECT username_key FROM provider_links WHERE pool_id = ? AND provider = ?"
        " AND attribute = ? AND value = ?",
        (pool_id, provider, attribute, value),
    ).fetchone()
    return None if row is None else Link(pool_id, provider, attribute, value, row[0])


def count_links(conn: sqlite3.Connection, pool_id: str, username_key: str) -> int:
    """How many identities are linked to the user."""
    row = conn.execute(
        "SELECT COUNT(*) FROM provider_links WHERE pool_id = ? AND username_key = ?",
        (pool_id, username_key),
    ).fetchone()
    return int(row[0])


def linked_username_key(
    conn: sqlite3.Connection,
    pool_id: str,
    provider: str,
    subject: str,
    attributes: Mapping[str, str],
) -> str | None:
    """The user the provider's identity signs in as: linked by its subject, or by one of
    the pool ``attributes`` its claims map to (a subject met before counts too)."""
    rows = conn.execute(
        "SELECT attribute, value, subject, username_key FROM provider_links"
        " WHERE pool_id = ? AND provider = ? ORDER BY created",
        (pool_id, provider),
    ).fetchall()
    for row in rows:
        by_subject = row["attribute"] == COGNITO_SUBJECT and row["value"] == subject
        by_attribute = attributes.get(row["attribute"]) == row["value"]
        if by_subject or by_attribute or row["subject"] == subject:
            return str(row["username_key"])
    return None


def remember_subject(
    conn: sqlite3.Connection, pool_id: str, provider: str, subject: str, username_key: str
) -> None:
    """Note the subject a link of the user to ``provider`` signed in with."""
    conn.execute(
        "UPDATE provider_links SET subject = ? WHERE pool_id = ? AND provider = ?"
        " AND username_key = ? AND subject IS NULL",
        (subject, pool_id, provider, username_key),
    )


def unlink(
    conn: sqlite3.Connection, pool_id: str, provider: str, attribute: str, value: str
) -> list[tuple[str, str | None]]:
    """Remove the links of this identity (named as it was linked, or by the subject it
    signed in with); the (username key, subject) of each link removed."""
    rows = conn.execute(
        "SELECT rowid, username_key, attribute, value, subject FROM provider_links"
        " WHERE pool_id = ? AND provider = ?",
        (pool_id, provider),
    ).fetchall()
    removed: list[tuple[str, str | None]] = []
    for row in rows:
        named = row["attribute"] == attribute and row["value"] == value
        if named or (attribute == COGNITO_SUBJECT and row["subject"] == value):
            conn.execute("DELETE FROM provider_links WHERE rowid = ?", (row["rowid"],))
            subject = row["value"] if row["attribute"] == COGNITO_SUBJECT else row["subject"]
            removed.append((str(row["username_key"]), subject))
    return removed


def with_identity(
    attributes: Mapping[str, str],
    *,
    provider: str,
    provider_type: str,
    subject: str,
    now: float,
    primary: bool,
) -> dict[str, str]:
    """``attributes`` whose ``identities`` list the provider's identity (once)."""
    identities = _identities(attributes)
    for identity in identities:
        if identity.get("providerName") == provider and identity.get("userId") == subject:
            return dict(attributes)
    identities.append(
        {
            "userId": subject,
            "providerName": provider,
            "providerType": provider_type,
            "issuer": None,
            "primary": "true" if primary else "false",
            "dateCreated": str(int(now * 1000)),
        }
    )
    return {**attributes, "identities": json.dumps(identities)}


def without_identity(
    attributes: Mapping[str, str], provider: str, subject: str | None
) -> dict[str, str]:
    """``attributes`` without the provider's identity ``subject`` in ``identities`` (no
    ``identities`` at all once none is left)."""
    kept = [
        identity
        for identity in _identities(attributes)
        if not (identity.get("providerName") == provider and identity.get("userId") == subject)
    ]
    remaining = {name: value for name, value in attributes.items() if name != "identities"}
    if kept:
        remaining["identities"] = json.dumps(kept)
    return remaining


def _identities(attributes: Mapping[str, str]) -> list[dict[str, str | None]]:
    raw = attributes.get("identities")
    found = json.loads(raw) if raw else []
    return [dict(item) for item in found] if isinstance(found, list) else []
