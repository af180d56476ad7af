"""What every ``cognito-identity`` subcommand shares: exit codes, one-line errors, checks
of arguments made before anything is asked or sent, and prompts that fail cleanly."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
import warnings
from typing import NoReturn
from urllib.parse import urlsplit

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_CODES_HELP",
    "EXIT_INTERRUPTED",
    "EXIT_NO_INPUT",
    "EXIT_REFUSED",
    "EXIT_UNREACHABLE",
    "EXIT_USAGE",
    "NoTerminalError",
    "Parser",
    "UsageError",
    "ask_secret",
    "client_id",
    "credentials_lifetime",
    "endpoint_url",
    "port",
    "read_password_stdin",
    "user_pool_id",
]

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_NO_INPUT = 4
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE

EXIT_CODES_HELP = f"""exit status:
  0    done
  {EXIT_REFUSED}    Cognito refused (wrong password, wrong code, unknown user, ...)
  {EXIT_USAGE}    bad arguments or options; nothing was asked or sent
  {EXIT_UNREACHABLE}    the endpoint could not be reached
  {EXIT_NO_INPUT}    no input: standard input ended, or no terminal to ask on
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C)
  {EXIT_BROKEN_PIPE}  the output was closed early (e.g. piped into head)
Errors are one line on stderr; --debug shows the traceback as well."""

# botocore's UserPoolIdType and ClientIdType patterns and lengths.
_POOL_ID = re.compile(r"[\w-]+_[0-9a-zA-Z]+")
_CLIENT_ID = re.compile(r"[\w+]+")
_LOOPBACK = ("localhost", "127.", "[::1]")


class UsageError(Exception):
    """A mistake in what the user asked for: reported in one line, exit status 2."""


class NoTerminalError(EOFError):
    """There is no terminal to ask a secret on (and standard input is not one)."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line pointing at ``--help``."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def user_pool_id(value: str) -> str:
    """A user pool id, ``<region>_<id>``."""
    if len(value) > 55 or not _POOL_ID.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a user pool id (expected '<region>_<id>', e.g. eu-west-1_AbC123)"
        )
    return value


def client_id(value: str) -> str:
    """An app client id: 1 to 128 letters, digits, '_' or '+'."""
    if len(value) > 128 or not _CLIENT_ID.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an app client id (letters, digits, '_' or '+')"
        )
    return value


def endpoint_url(value: str) -> str:
    """An ``http://`` or ``https://`` URL with a host."""
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return value
    hint = ""
    if "://" not in value:
        scheme = "http" if value.startswith(_LOOPBACK) else "https"
        hint = f"; did you mean {scheme}://{value}?"
    raise argparse.ArgumentTypeError(f"{value!r} is not an http:// or https:// URL{hint}")


def port(value: str) -> int:
    """A TCP port number, 0 (any free port) to 65535."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port from 0 to 65535")
    return number


#: Longest lifetime ``local serve --credentials-lifetime`` takes: 12 hours, the longest
#: session AWS gives a role's credentials.
_MAX_CREDENTIALS_LIFETIME = 43200


def credentials_lifetime(value: str) -> int:
    """A lifetime of AWS credentials: whole seconds, 1 to 43200 (12 hours)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= _MAX_CREDENTIALS_LIFETIME:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a whole number of seconds from 1 to {_MAX_CREDENTIALS_LIFETIME}"
        )
    return number


def ask_secret(prompt: str) -> str:
    """Ask for a secret on the terminal without echoing it.

    Raises :class:`NoTerminalError` rather than read a secret with echo from a
    non-terminal, and EOFError when the input ends (Ctrl-D).
    """
    with warnings.catch_warnings():
        # getpass warns, then reads stdin with echo, when there is no terminal.
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt)
        except getpass.GetPassWarning:
            raise NoTerminalError("no terminal to ask for a secret on") from None


def read_password_stdin() -> str:
    """The first line of standard input, without its line ending."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError("standard input is empty")
    return line.rstrip("\r\n")
