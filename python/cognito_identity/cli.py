"""The ``cognito-identity`` command.

Subcommands register themselves in :func:`build_parser`; each sets ``func`` to the
function that runs it.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence

__all__ = ["build_parser", "main"]


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _local_serve(args: argparse.Namespace) -> int:
    """Run the local user pool in the foreground until interrupted (Ctrl-C or SIGTERM)."""
    from cognito_identity.local import LocalCognito

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # SIGTERM stops the server as Ctrl-C does, so a temporary database is removed.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        local = LocalCognito(args.db, host=args.host, port=args.port, region=args.region)
    except (OSError, ValueError, sqlite3.Error) as error:
        print(f"cognito-identity local serve: {error}", file=sys.stderr)
        return 2
    print(local.endpoint, flush=True)
    try:
        local.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        local.stop()
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Sign a user up and in against a fresh local user pool, timing every step."""
    from cognito_identity.demo import run_demo

    return run_demo(sys.stdout, show_claims=not args.quiet)


def _login(args: argparse.Namespace) -> int:
    """Sign in to a user pool, asking for the password and any challenge's answer, and
    print the tokens."""
    from cognito_identity import CognitoError, CognitoUser, CognitoUserPool
    from cognito_identity.interactive import sign_in_interactively

    password = getpass.getpass(f"Password for {args.username}: ")
    pool = CognitoUserPool(
        args.user_pool_id,
        args.client_id,
        client_secret=os.environ.get("COGNITO_CLIENT_SECRET") or None,
        endpoint=args.endpoint,
    )
    user = CognitoUser(args.username, pool)
    if args.password_auth:
        user.authentication_flow_type = "USER_PASSWORD_AUTH"
    try:
        session = sign_in_interactively(user, password)
    except CognitoError as error:
        print(f"login failed: {error.code}: {error.message}", file=sys.stderr)
        return 1
    tokens = {
        "IdToken": session.id_token.jwt_token,
        "AccessToken": session.access_token.jwt_token,
        "RefreshToken": session.refresh_token.token if session.refresh_token else None,
        "ExpiresAt": session.access_token.expiration,
    }
    if args.json:
        print(json.dumps(tokens, indent=2))
    else:
        print(f"signed in as {user.username} (sub {session.id_token.sub})")
        for name, value in tokens.items():
            print(f"{name}: {value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cognito-identity",
        description="Amazon Cognito from the command line, and a local user pool to try it on.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    local = commands.add_parser("local", help="the local Cognito-compatible user pool")
    local_commands = local.add_subparsers(dest="local_command", required=True)
    serve = local_commands.add_parser(
        "serve", help="serve the local user pool; prints its endpoint URL when ready"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="port to bind (a free one)")
    serve.add_argument(
        "--db", default=None, help="SQLite file to keep data in (a fresh temporary one)"
    )
    serve.add_argument("--region", default="us-east-1", help="region in pool ids (us-east-1)")
    serve.set_defaults(func=_local_serve)

    demo = commands.add_parser(
        "demo", help="sign a user up and in with SRP against a local user pool (no AWS)"
    )
    demo.add_argument("--quiet", action="store_true", help="do not print the token claims")
    demo.set_defaults(func=_demo)

    login = commands.add_parser(
        "login",
        help="sign in to a user pool (asks for the password; a client secret is read "
        "from $COGNITO_CLIENT_SECRET) and print the tokens",
    )
    login.add_argument("--user-pool-id", required=True, help="e.g. eu-west-1_AbCdEf123")
    login.add_argument("--client-id", required=True, help="the app client id")
    login.add_argument("--username", required=True, help="username, e-mail or phone number")
    login.add_argument("--endpoint", default=None, help="Cognito endpoint (AWS's by default)")
    login.add_argument(
        "--password-auth", action="store_true", help="use USER_PASSWORD_AUTH instead of SRP"
    )
    login.add_argument("--json", action="store_true", help="print the tokens as JSON")
    login.set_defaults(func=_login)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cognito-identity`` command."""
    args = build_parser().parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
