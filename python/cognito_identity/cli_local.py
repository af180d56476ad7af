"""``cognito-identity local outbox``, ``local totp`` and ``local init``: what the local
pool would have sent a user, what their authenticator app would show, and a repeatable
setup of pools, clients, users and identity pools from a file."""

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
from typing import TYPE_CHECKING

from cognito_identity.cli_support import Parser, UsageError, endpoint_url, user_pool_id

if TYPE_CHECKING:
    from cognito_identity.local.outbox import Message

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
        "--db file of `local serve` (while it runs, too). With --follow it keeps printing\n"
        "new messages as they come, until Ctrl-C (with --json: one JSON object a line).",
        "  cognito-identity local outbox --db pool.sqlite3\n"
        "  cognito-identity local outbox --db pool.sqlite3 --user ann@example.com --json\n"
        "  cognito-identity local outbox --db pool.sqlite3 --follow",
    )
    outbox.add_argument("--db", required=True, help="the SQLite file `local serve --db` uses")
    outbox.add_argument("--pool", type=user_pool_id, help="only this user pool's messages")
    outbox.add_argument("--user", help="only messages to this username, e-mail or phone")
    outbox.add_argument(
        "--json", action="store_true", help="print a JSON list (with --follow: JSON lines)"
    )
    outbox.add_argument(
        "--follow", action="store_true", help="keep printing new messages until Ctrl-C"
    )
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

    init = make(
        commands,
        "init",
        "create pools, app clients, users and identity pools from a file; prints the ids",
        "Make on a running local pool what a setup file (JSON, or YAML with PyYAML) names:\n"
        "user pools with their app clients, groups and users, and identity pools. What\n"
        "exists already (found by name) is kept as it is, so a second run changes nothing\n"
        "and prints the same ids. See the README's 'Testing your app with the local pool'.",
        "  cognito-identity local init --endpoint http://127.0.0.1:9229 --file setup.json\n"
        "  cognito-identity local init --endpoint http://127.0.0.1:9229 --file setup.yaml --json",
    )
    init.add_argument("--file", required=True, help="the setup file (.json, .yaml or .yml)")
    init.add_argument(
        "--endpoint",
        required=True,
        type=endpoint_url,
        help="the local pool's URL, as `local serve` prints it",
    )
    init.add_argument("--json", action="store_true", help="print the ids as JSON")
    init.add_argument(
        "--iam-credentials",
        metavar="KEY:SECRET",
        default=None,
        help="sign the calls with this access key (for `local serve --iam-credentials`)",
    )
    init.add_argument("--region", default="us-east-1", help="the region to sign for (us-east-1)")
    init.set_defaults(func=_init)


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
        outbox = Outbox(store)
        messages = outbox.messages(pool_id=args.pool, username=args.user)
        if not args.follow:
            _print_messages(messages, args.json)
            return 0
        print("waiting for messages (Ctrl-C to stop)", file=sys.stderr, flush=True)
        shown = 0
        while True:  # until Ctrl-C: main() reports it and exits 130
            for message in messages[shown:]:
                print(_json_line(message) if args.json else _line(message), flush=True)
            shown = len(messages)  # the outbox only grows, oldest first
            time.sleep(_FOLLOW_INTERVAL)
            messages = outbox.messages(pool_id=args.pool, username=args.user)
    finally:
        store.close()


#: Seconds between two looks at the outbox with --follow.
_FOLLOW_INTERVAL = 0.25


def _print_messages(messages: list[Message], as_json: bool) -> None:
    if as_json:
        print(json.dumps([asdict(message) for message in messages], indent=2))
        return
    if not messages:
        print("no messages", file=sys.stderr)
    for message in messages:
        print(_line(message))


def _line(message: Message) -> str:
    sent = datetime.fromtimestamp(message.created, timezone.utc).strftime("%H:%M:%S")
    return (
        f"{sent}  {message.pool_id}  {message.username}  {message.medium} to "
        f"{message.destination}  {message.purpose}: {message.code}"
    )


def _json_line(message: Message) -> str:
    return json.dumps(asdict(message))


def _init(args: argparse.Namespace) -> int:
    """Read the setup file (every mistake reported before the pool is called), then make
    what is missing and print every id."""
    from cognito_identity.local_setup import SetupFileError, apply_setup, load_setup
    from cognito_identity.signing import AwsCredentials

    credentials = None
    if args.iam_credentials:
        key, _, secret = args.iam_credentials.partition(":")
        if not key or not secret:
            raise UsageError("--iam-credentials takes KEY:SECRET")
        credentials = AwsCredentials(key, secret)
    try:
        spec = load_setup(args.file)
        result = apply_setup(spec, args.endpoint, credentials=credentials, region=args.region)
    except SetupFileError as error:
        raise UsageError(str(error)) from None
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return 0
    for pool in result.user_pools:
        print(f"user pool {pool.name}: {pool.id}{_new(pool.created)}")
        for client in pool.clients:
            print(f"  client {client.name}: {client.id}{_new(client.created)}")
        for group in pool.groups:
            print(f"  group {group}")
        for user in pool.users:
            print(f"  user {user.username}: {user.status}{_new(user.created)}")
    for identity_pool in result.identity_pools:
        print(
            f"identity pool {identity_pool.name}: {identity_pool.id}{_new(identity_pool.created)}"
        )
    return 0


def _new(created: bool) -> str:
    return " (created)" if created else ""


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
