"""The ``cognito-identity`` command.

Subcommands register themselves in :func:`build_parser`; each sets ``func`` to the
function that runs it. :func:`main` turns every failure a user can cause (a bad argument,
a refusal from Cognito, Ctrl-C, a closed pipe, no input) into one line on stderr and an
exit status listed in ``--help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sqlite3
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cognito_identity import cli_local
from cognito_identity.cli_support import (
    EXIT_BROKEN_PIPE,
    EXIT_CODES_HELP,
    EXIT_INTERRUPTED,
    EXIT_NO_INPUT,
    EXIT_REFUSED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    NoTerminalError,
    Parser,
    UsageError,
    ask_secret,
    client_id,
    credentials_lifetime,
    endpoint_url,
    port,
    read_password_stdin,
    user_pool_id,
)

if TYPE_CHECKING:
    from cognito_identity import CognitoUser, CognitoUserPool, CognitoUserSession

__all__ = ["build_parser", "main"]

_LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _local_serve(args: argparse.Namespace) -> int:
    """Run the local user pool in the foreground until interrupted (Ctrl-C or SIGTERM)."""
    from cognito_identity.local import LocalCognito, ServerLimits

    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s %(message)s")
    # SIGTERM stops the server as Ctrl-C does, so a temporary database is removed.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        local = LocalCognito(
            args.db,
            host=args.host,
            port=args.port,
            region=args.region,
            faults=args.faults,
            iam_credentials=args.iam_credentials,
            credentials_lifetime=args.credentials_lifetime,
            limits=ServerLimits(
                max_connections=args.max_connections,
                header_timeout=args.header_timeout,
                idle_timeout=args.idle_timeout,
            ),
        )
    except (OSError, ValueError, sqlite3.Error) as error:
        print(f"cognito-identity local serve: {error}", file=sys.stderr)
        return 2
    # The endpoint comes first, alone on its line, for scripts that read it.
    print(local.endpoint, flush=True)
    kept = "" if args.db else " (temporary, removed on stop)"
    print(f"database: {local.db_path}{kept}\nCtrl-C to stop", flush=True)
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
    """Sign in to a user pool, asking for the password and any challenge's answer (or
    through the hosted UI in a browser), and print the tokens."""
    from cognito_identity import CognitoUserPool

    # Built before asking anything, so a bad setting fails before the password prompt.
    pool = CognitoUserPool(
        args.user_pool_id,
        args.client_id,
        client_secret=os.environ.get("COGNITO_CLIENT_SECRET") or None,
        endpoint=args.endpoint,
    )
    if args.hosted_ui:
        user, session = _hosted_ui_sign_in(args, pool)
    else:
        user, session = _password_sign_in(args, pool)
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


def _password_sign_in(
    args: argparse.Namespace, pool: CognitoUserPool
) -> tuple[CognitoUser, CognitoUserSession]:
    from cognito_identity import CognitoUser
    from cognito_identity.interactive import sign_in_interactively

    if not args.username:
        raise UsageError("--username is required (or sign in with --hosted-ui)")
    user = CognitoUser(args.username, pool)
    if args.password_auth:
        user.authentication_flow_type = "USER_PASSWORD_AUTH"
    if args.password_stdin:
        password = read_password_stdin()
    else:
        password = ask_secret(f"Password for {args.username}: ")
    session = sign_in_interactively(
        user,
        password,
        ask=ask_secret,
        show=lambda text: print(text, file=sys.stderr),
        tries=3,
        confirm_new_password=True,
    )
    return user, session


def _hosted_ui_sign_in(
    args: argparse.Namespace, pool: CognitoUserPool
) -> tuple[CognitoUser, CognitoUserSession]:
    """Sign in through the hosted UI: the browser opens on the authorize URL, the
    redirect comes back to a loopback port (RFC 8252) and the code is exchanged."""
    from cognito_identity.loopback import catch_redirect
    from cognito_identity.oauth import CognitoOAuthClient

    domain = args.domain or args.endpoint
    if not domain:
        raise UsageError("--hosted-ui needs --domain (the hosted UI's URL) or --endpoint")
    oauth = CognitoOAuthClient(
        domain,
        args.client_id,
        args.redirect_uri,
        client_secret=os.environ.get("COGNITO_CLIENT_SECRET") or None,
    )
    try:
        url = oauth.authorize_url(login_hint=args.username)
        redirect = catch_redirect(
            url,
            args.redirect_uri,
            timeout=args.timeout,
            open_browser=_browser_opener(args.no_browser),
            show=lambda text: print(text, file=sys.stderr),
        )
        user = oauth.sign_in(pool, oauth.parse_redirect(redirect))
    finally:
        oauth.close()
    return user, user.get_session()


def _browser_opener(disabled: bool) -> Callable[[str], bool]:
    import webbrowser

    def open_browser(url: str) -> bool:
        return False if disabled else webbrowser.open(url)

    return open_browser


def _loadtest(args: argparse.Namespace) -> int:
    """Load-test a user pool on Locust, in a fresh interpreter (see loadtest.launch)."""
    from cognito_identity.loadtest.launch import launch
    from cognito_identity.loadtest.options import check

    try:
        check(args)
    except ValueError as error:
        raise UsageError(str(error)) from None
    return launch(args)


def _help_of(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """What a command group runs alone: print its help (not "required: ...")."""

    def show_help(args: argparse.Namespace) -> int:
        parser.print_help()
        return 0

    return show_help


def _command(
    commands: argparse._SubParsersAction[Parser],
    name: str,
    summary: str,
    description: str,
    examples: str,
) -> Parser:
    """A subcommand parser with a one-line summary, a description and examples."""
    parser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"examples:\n{examples}\n\n{EXIT_CODES_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=_DEBUG_HELP)
    parser.set_defaults(prog=parser.prog)
    return parser


_DEBUG_HELP = "show the traceback of an error, not only its one-line summary"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from cognito_identity import __version__

    parser = Parser(
        prog="cognito-identity",
        description="Amazon Cognito from the command line, and a local user pool to try it on.",
        epilog="examples:\n  cognito-identity demo\n  cognito-identity local serve --port 9229\n"
        "  cognito-identity login --help\n\n" + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cognito-identity {__version__}")
    parser.add_argument("--debug", action="store_true", help=_DEBUG_HELP)
    parser.set_defaults(prog=parser.prog)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    local = _command(
        commands,
        "local",
        "the local Cognito-compatible user pool",
        "Run and inspect a Cognito-compatible user pool on this machine (no AWS account).",
        "  cognito-identity local serve --db pool.sqlite3\n"
        "  cognito-identity local outbox --db pool.sqlite3 --user ann",
    )
    local.set_defaults(func=_help_of(local))
    local_commands = local.add_subparsers(dest="local_command", metavar="LOCAL_COMMAND")
    serve = _command(
        local_commands,
        "serve",
        "serve the local user pool; prints its endpoint URL when ready",
        "Serve a local user pool on loopback until Ctrl-C. The first line printed is the "
        "endpoint URL\nto give a Cognito client; then come the database path and how to stop.",
        "  cognito-identity local serve\n"
        "  cognito-identity local serve --port 9229 --db pool.sqlite3 --log-level WARNING",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    serve.add_argument("--port", type=port, default=0, help="port to bind (a free one)")
    serve.add_argument(
        "--db", default=None, help="SQLite file to keep data in (a fresh temporary one)"
    )
    serve.add_argument("--region", default="us-east-1", help="region in pool ids (us-east-1)")
    serve.add_argument(
        "--log-level", default="INFO", choices=_LOG_LEVELS, help="what to log (INFO)"
    )
    serve.add_argument(
        "--faults",
        default=None,
        help="faults to inject into action requests (for load tests), e.g. "
        "throttle=0.05,latency=20ms,error=0.01,drop=0.01",
    )
    serve.add_argument(
        "--iam-credentials",
        metavar="KEY:SECRET",
        default=None,
        help="check the SigV4 signature of administrator calls against this access key"
        " (default: accept any call)",
    )
    serve.add_argument(
        "--credentials-lifetime",
        type=credentials_lifetime,
        default=3600,
        metavar="SECONDS",
        help="how long the identity pools' AWS credentials last (3600, as in Cognito)",
    )
    serve.add_argument(
        "--max-connections",
        type=int,
        default=1024,
        help="connections served at once; more wait for one to close (1024)",
    )
    serve.add_argument(
        "--header-timeout",
        type=float,
        default=10.0,
        help="seconds a new connection has to send its request (10)",
    )
    serve.add_argument(
        "--idle-timeout",
        type=float,
        default=60.0,
        help="seconds a kept-alive connection may wait before its next request (60)",
    )
    serve.set_defaults(func=_local_serve)
    cli_local.add_commands(local_commands, _command)

    demo = _command(
        commands,
        "demo",
        "sign a user up and in with SRP against a local user pool (no AWS)",
        "Start a local user pool, create a pool and an app client, sign a user up, confirm\n"
        "them with the code from the outbox, sign in with SRP, refresh and sign out,\n"
        "timing each step.",
        "  cognito-identity demo\n  cognito-identity demo --quiet",
    )
    demo.add_argument("--quiet", action="store_true", help="do not print the token claims")
    demo.set_defaults(func=_demo)

    login = _command(
        commands,
        "login",
        "sign in to a user pool and print the tokens",
        "Sign in to a user pool and print the tokens. Asks for the password (or reads it\n"
        "from standard input with --password-stdin) and for whatever Cognito challenges\n"
        "with: a new password (typed twice), an MFA code, a TOTP setup. A wrong code or a\n"
        "rejected new password is asked for again, up to 3 times. A client secret is read\n"
        "from $COGNITO_CLIENT_SECRET.",
        "  cognito-identity login --user-pool-id eu-west-1_AbC123 --client-id 1example23 "
        "--username ann\n"
        '  echo "$PASSWORD" | cognito-identity login --password-stdin --json \\\n'
        "      --endpoint http://127.0.0.1:9229 --user-pool-id us-east-1_AbC123 "
        "--client-id 1example23 --username ann",
    )
    login.add_argument(
        "--user-pool-id", required=True, type=user_pool_id, help="e.g. eu-west-1_AbCdEf123"
    )
    login.add_argument("--client-id", required=True, type=client_id, help="the app client id")
    login.add_argument(
        "--username", help="username, e-mail or phone number (a hint with --hosted-ui)"
    )
    login.add_argument(
        "--endpoint",
        default=None,
        type=endpoint_url,
        help="Cognito endpoint URL, e.g. http://127.0.0.1:9229 (AWS's by default)",
    )
    login.add_argument(
        "--password-auth", action="store_true", help="use USER_PASSWORD_AUTH instead of SRP"
    )
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    login.add_argument("--json", action="store_true", help="print the tokens as JSON")
    hosted = login.add_argument_group("hosted UI (OAuth 2.0 code flow with PKCE)")
    hosted.add_argument(
        "--hosted-ui",
        action="store_true",
        help="sign in in a browser through the hosted UI instead of a password prompt",
    )
    hosted.add_argument(
        "--domain",
        type=endpoint_url,
        help="the hosted UI's URL, e.g. https://example.auth.eu-west-1.amazoncognito.com"
        " (--endpoint by default)",
    )
    hosted.add_argument(
        "--redirect-uri",
        default="http://127.0.0.1:8400/callback",
        help="a loopback callback URL of the app client (http://127.0.0.1:8400/callback)",
    )
    hosted.add_argument(
        "--timeout", type=float, default=300.0, help="seconds to wait for the sign-in (300)"
    )
    hosted.add_argument(
        "--no-browser", action="store_true", help="print the sign-in URL instead of opening it"
    )
    login.set_defaults(func=_login)

    from cognito_identity.loadtest import options as loadtest_options

    loadtest = _command(
        commands,
        "loadtest",
        "load-test a user pool on Locust (needs 'cognito-identity[loadtest]')",
        loadtest_options.DESCRIPTION,
        loadtest_options.EXAMPLES,
    )
    # No abbreviations: "--password X" must not pass for "--password-file X".
    loadtest.allow_abbrev = False
    loadtest_options.add_arguments(loadtest)
    loadtest.set_defaults(func=_loadtest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cognito-identity`` command: returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
    except (Exception, KeyboardInterrupt) as error:
        classified = _classify(error)
        if classified is None:
            raise  # a bug, not something the user did: keep the traceback
        status, line = classified
        _report(args, error, line, interrupted=status == EXIT_INTERRUPTED)
    return status


def _classify(error: BaseException) -> tuple[int, str] | None:
    """The exit status and one-line message for a failure the user can cause, or None."""
    from cognito_identity.errors import CognitoError, CognitoNetworkError
    from cognito_identity.interactive import NewPasswordMismatchError
    from cognito_identity.loopback import RedirectTimeoutError

    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted"
    if isinstance(error, BrokenPipeError):
        _silence_stdout()
        return EXIT_BROKEN_PIPE, "output closed before the end (broken pipe)"
    if isinstance(error, NoTerminalError):
        return EXIT_NO_INPUT, f"{error}; give the password with --password-stdin"
    if isinstance(error, EOFError):
        return EXIT_NO_INPUT, "no input: standard input ended before an answer"
    if isinstance(error, UsageError):
        return EXIT_USAGE, f"error: {error}"
    if isinstance(error, RedirectTimeoutError):
        return EXIT_UNREACHABLE, f"login --hosted-ui {error.message}"
    if isinstance(error, CognitoNetworkError):
        return EXIT_UNREACHABLE, f"cannot reach Cognito: {error.message}"
    if isinstance(error, CognitoError):
        # Bad settings (InvalidConfigurationError, ...) are ValueErrors: a usage error.
        status = EXIT_USAGE if isinstance(error, ValueError) else EXIT_REFUSED
        return status, f"failed: {error.code}: {error.message}"
    if isinstance(error, NewPasswordMismatchError):
        return EXIT_REFUSED, f"failed: {error}"
    return None


def _report(args: argparse.Namespace, error: BaseException, line: str, interrupted: bool) -> None:
    """Print ``line`` on stderr, after the traceback with --debug."""
    try:
        if args.debug:
            traceback.print_exception(type(error), error, error.__traceback__)
        if interrupted and sys.stderr.isatty():
            sys.stderr.write("\n")  # the cursor may sit after a prompt
        print(f"{args.prog}: {line}", file=sys.stderr)
    except OSError:
        pass  # stderr is gone too: the exit status still tells


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (tests capture it): nothing to flush at exit


if __name__ == "__main__":
    sys.exit(main())
