"""Groups of a user pool and their members, in the store.

A group has a name, an optional description, IAM role and precedence (lower wins: the
role of the member's group with the lowest precedence is its preferred role). Deleting a
group or a user drops the memberships (ON DELETE CASCADE).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from cognito_identity.local.errors import ServiceError
from cognito_identity.local.models import User
from cognito_identity.local.paging import Page

__all__ = [
    "Group",
    "add_member",
    "create_group",
    "delete_group",
    "groups_of",
    "list_groups",
    "load_group",
    "members_of",
    "remove_member",
    "update_group",
]


@dataclass(frozen=True)
class Group:
    """A group row."""

    pool_id: str
    name: str
    description: str | None
    role_arn: str | None
    precedence: int | None
    created: float
    modified: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Group:
        """Build from a ``groups`` row."""
        return cls(
            pool_id=row["pool_id"],
            name=row["name"],
            description=row["description"],
            role_arn=row["role_arn"],
            precedence=row["precedence"],
            created=row["created"],
            modified=row["modified"],
        )

    def describe(self) -> dict[str, Any]:
        """The group as ``GroupType`` (members without a value are left out)."""
        described: dict[str, Any] = {
            "GroupName": self.name,
            "UserPoolId": self.pool_id,
            "LastModifiedDate": self.modified,
            "CreationDate": self.created,
        }
        for key, value in (
            ("Description", self.description),
            ("RoleArn", self.role_arn),
            ("Precedence", self.precedence),
        ):
            if value is not None:
                described[key] = value
        return described


def create_group(conn: sqlite3.Connection, group: Group) -> None:
    """Store a new group, or GroupExistsException."""
    try:
        conn.execute(
            "INSERT INTO groups (pool_id, name, description, role_arn, precedence, created,"
            " modified) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                group.pool_id,
                group.name,
                group.description,
                group.role_arn,
                group.precedence,
                group.created,
                group.modified,
            ),
        )
    except sqlite3.IntegrityError:
        raise ServiceError.group_exists(group.name) from None


def load_group(conn: sqlite3.Connection, pool_id: str, name: str) -> Group:
    """The group ``name`` of the pool, or ResourceNotFoundException."""
    row = conn.execute(
        "SELECT * FROM groups WHERE pool_id = ? AND name = ?", (pool_id, name)
    ).fetchone()
    if row is None:
        raise ServiceError.group_not_found()
    return Group.from_row(row)


def update_group(conn: sqlite3.Connection, group: Group) -> None:
    """Replace the stored group's description, role and precedence."""
    conn.execute(
        "UPDATE groups SET description = ?, role_arn = ?, precedence = ?, modified = ?"
        " WHERE pool_id = ? AND name = ?",
        (
            group.description,
            group.role_arn,
            group.precedence,
            group.modified,
            group.pool_id,
            group.name,
        ),
    )


def delete_group(conn: sqlite3.Connection, pool_id: str, name: str) -> None:
    """Delete the group and its memberships, or ResourceNotFoundException."""
    if (
        conn.execute("DELETE FROM groups WHERE pool_id = ? AND name = ?", (pool_id, name)).rowcount
        == 0
    ):
        raise ServiceError.group_not_found()


def list_groups(conn: sqlite3.Connection, pool_id: str, after: str, limit: int) -> Page[Group]:
    """A page of the pool's groups by name, after the name ``after``."""
    rows = conn.execute(
        "SELECT * FROM groups WHERE pool_id = ? AND name > ? ORDER BY name LIMIT ?",
        (pool_id, after, limit + 1),
    ).fetchall()
    return Page.of([(row["name"], Group.from_row(row)) for row in rows], limit)


def add_member(conn: sqlite3.Connection, group: Group, user: User) -> None:
    """Put the user in the group (a member already in it stays once)."""
    conn.execute(
        "INSERT OR IGNORE INTO group_members (pool_id, group_name, username_key) VALUES (?, ?, ?)",
        (group.pool_id, group.name, user.username_key),
    )


def remove_member(conn: sqlite3.Connection, group: Group, user: User) -> None:
    """Take the user out of the group (nothing happens if it was not in it)."""
    conn.execute(
        "DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND username_key = ?",
        (group.pool_id, group.name, user.username_key),
    )


def groups_of(
    conn: sqlite3.Connection, user: User, after: str = "", limit: int | None = None
) -> Page[Group]:
    """The user's groups by name: a page after ``after``, or all of them."""
    rows = conn.execute(
        "SELECT g.* FROM groups g JOIN group_members m"
        " ON m.pool_id = g.pool_id AND m.group_name = g.name"
        " WHERE m.pool_id = ? AND m.username_key = ? AND g.name > ? ORDER BY g.name LIMIT ?",
        (user.pool_id, user.username_key, after, -1 if limit is None else limit + 1),
    ).fetchall()
    entries = [(row["name"], Group.from_row(row)) for row in rows]
    return Page.of(entries, len(entries) if limit is None else limit)


def members_of(conn: sqlite3.Connection, group: Group, after: str, limit: int) -> Page[User]:
    """A page of the group's members by username key."""
    rows = conn.execute(
        "SELECT u.* FROM users u JOIN group_members m"
        " ON m.pool_id = u.pool_id AND m.username_key = u.username_key"
        " WHERE m.pool_id = ? AND m.group_name = ? AND u.username_key > ?"
        " ORDER BY u.username_key LIMIT ?",
        (group.pool_id, group.name, after, limit + 1),
    ).fetchall()
    return Page.of([(row["username_key"], User.from_row(row)) for row in rows], limit)
