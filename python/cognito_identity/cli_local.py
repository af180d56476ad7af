"""``cognito-identity local outbox`` and ``local totp``: what the local pool would have
sent a user, and what their authenticator app would show."""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timezone

from cognito_identity.cli_support import Parser, UsageError, user_pool_id

__all__ = ["add_commands"]

MakeCommand = Callable[..., Parser]


def add_commands(commands: argparse._SubParsersAction[Parser], make: MakeCommand) -> None:
    """Register ``outbox`` and ``totp`` under ``local``; ``make`` builds a command parser."""
    outbox = make(
        commands,
        "outbox",
        "show the codes and temporary passwords the local pool would have sent",
        "Show the messages a local pool kept instead of sending them: sign-up and MFA\n"
        "codes, and the temporary passwords of AdminCreateUser, oldest first. Reads the\n"
        "--db file of `local serve` (while it runs, too).",
        "  cognito-identity local outbox --db pool.sqlite3\n"
        "  cognito-identity local outbox --db pool.sqlite3 --user ann@example.com --json",
    )
    outbox.add_argument("--db", required=True, help="the SQLite file `local serve --db` uses")
    outbox.add_argument("--pool", type=user_pool_id, help="only this user pool's messages")
    outbox.add_argument("--user", help="only messages to this username, e-mail or phone")
    outbox.add_argument("--json", action="store_true", help="print a JSON list")
    outbox.set_defaults(func=_outbox)

    totp = make(
        commands,
        "totp",
        "print the current TOTP code of a secret, as an authenticator app shows it",
        "Print the six-digit code an authenticator app shows now for SECRET (the base32\n"
        "SecretCode of AssociateSoftwareToken, or the secret= of an otpauth:// URI).",
        "  cognito-identity local totp JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )
    totp.add_argument("secret", metavar="SECRET", help="the base32 secret")
    totp.set_defaults(func=_totp)


def _outbox(args: argparse.Namespace) -> int:
    from cognito_identity.local.outbox import Outbox
    from cognito_identity.local.store import Store

    if not os.path.isfile(args.db):
        raise UsageError(f"no database file at {args.db}")
    try:
        store = Store(args.db)
    except (ValueError, sqlite3.Error) as error:
        raise UsageError(f"{args.db} is not a local pool database: {error}") from None
    try:
        messages = Outbox(store).messages(pool_id=args.pool, username=args.user)
    finally:
        store.close()
    if args.json:
        print(json.dumps([asdict(message) for message in messages], indent=2))
        return 0
    if not messages:
        print("no messages", file=sys.stderr)
    for message in messages:
        sent = datetime.fromtimestamp(message.created, timezone.utc).strftime("%H:%M:%S")
        print(
            f"{sent}  {message.pool_id}  {message.username}  {message.medium} to "
            f"{message.destination}  {message.purpose}: {message.code}"
        )
    return 0


def _totp(args: argparse.Namespace) -> int:
    from cognito_identity.local.totp import totp_code

    secret = args.secret.replace(" ", "").upper().rstrip("=")
    try:
        base64.b32decode(secret + "=" * (-len(secret) % 8))
    except (binascii.Error, ValueError):
        raise UsageError("SECRET is not base32 (letters A-Z and digits 2-7)") from None
    if not secret:
        raise UsageError("SECRET is empty")
    print(totp_code(secret, time.time()))
    return 0
