"""The ``cognito-identity`` command.

Subcommands register themselves in :func:`build_parser`; each sets ``func`` to the
function that runs it.
"""

from __future__ import annotations

import argparse
import logging
import signal
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
    local = LocalCognito(args.db, host=args.host, port=args.port, region=args.region)
    print(local.endpoint, flush=True)
    try:
        local.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        local.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="cognito-identity", description=__doc__)
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cognito-identity`` command."""
    args = build_parser().parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
