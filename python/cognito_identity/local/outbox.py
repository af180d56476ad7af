"""The outbox: codes real Cognito would e-mail or text, kept where tests and people can read them.

Every message is stored in the ``outbox`` table (so another process using the same
database can read it) and written to the server log.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from cognito_identity.local.store import Store

__all__ = ["Message", "Outbox"]

log = logging.getLogger("cognito_identity.local")


@dataclass(frozen=True)
class Message:
    """One message the pool would have delivered.

    ``destination`` is the real address (responses show it masked, as Cognito does).
    ``purpose`` says what the code is for (``"signup"`` for sign-up confirmation,
    ``"invitation"`` for an AdminCreateUser temporary password). ``text`` is the message
    as the user would get it (code included) and ``subject`` an e-mail's subject: Cognito's
    default wording, or what the pool's custom message trigger made of it.
    """

    pool_id: str
    username: str
    medium: str
    destination: str
    purpose: str
    code: str
    created: float
    subject: str = ""
    text: str = field(default="", repr=False)

    def __repr__(self) -> str:
        # The code is a credential: keep it out of reprs (tests read .code directly).
        return (
            f"Message(pool_id={self.pool_id!r}, username={self.username!r}, "
            f"medium={self.medium!r}, destination={self.destination!r}, "
            f"purpose={self.purpose!r})"
        )


#: Gives a message its subject and text (``source`` names the custom message trigger's
#: event when the purpose alone does not say it).
Composer = Callable[[sqlite3.Connection, Message, "str | None"], Message]


class Outbox:
    """Writes messages inside the caller's transaction; reads them back for tests and the CLI."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._compose: Composer = lambda conn, message, source: message

    def compose_with(self, composer: Composer) -> None:
        """Where messages get their text (set once by the server: :mod:`.messages`)."""
        self._compose = composer

    def send(self, conn: sqlite3.Connection, message: Message, source: str | None = None) -> None:
        """Word ``message``, record it using ``conn`` (part of the action's transaction) and
        log it. ``source`` is the custom message trigger source, when the purpose alone
        does not say it."""
        message = self._compose(conn, message, source)
        conn.execute(
            "INSERT INTO outbox (pool_id, username, medium, destination, purpose, code, created,"
            " subject, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                message.pool_id,
                message.username,
                message.medium,
                message.destination,
                message.purpose,
                message.code,
                message.created,
                message.subject,
                message.text,
            ),
        )
        if message.purpose == "invitation":
            # A temporary password is a password: it goes to the outbox, never to the log.
            detail = "temporary password in the outbox"
        else:
            detail = f"code {message.code}"
        log.info(
            "%s to %s for %s in %s (%s): %s",
            message.medium,
            message.destination,
            message.username,
            message.pool_id,
            message.purpose,
            detail,
        )

    def messages(self, pool_id: str | None = None, username: str | None = None) -> list[Message]:
        """Every message so far, oldest first, optionally for one pool and/or one user.

        ``username`` matches either the user's username or the message's destination (the
        e-mail address or phone number), so pools that sign in with e-mail work too.
        """
        query = "SELECT * FROM outbox WHERE 1=1"
        params: list[str] = []
        if pool_id is not None:
            query += " AND pool_id = ?"
            params.append(pool_id)
        if username is not None:
            query += " AND (username = ? OR destination = ?)"
            params += [username, username]
        rows = self._store.connection().execute(query + " ORDER BY id", params).fetchall()
        return [
            Message(
                pool_id=row["pool_id"],
                username=row["username"],
                medium=row["medium"],
                destination=row["destination"],
                purpose=row["purpose"],
                code=row["code"],
                created=row["created"],
                subject=row["subject"],
                text=row["text"],
            )
            for row in rows
        ]

    def last_code(self, username: str, pool_id: str | None = None) -> str:
        """The code of the newest message for ``username`` (or destination).

        Raises LookupError if there is none.
        """
        found = self.messages(pool_id=pool_id, username=username)
        if not found:
            raise LookupError(f"no message for {username!r}")
        return found[-1].code
