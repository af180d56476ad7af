"""How ``cognito-identity loadtest`` starts: in a fresh interpreter that lets gevent patch
the standard library before anything else is imported.

Locust needs that patch; made after ``requests`` (and so ``ssl``) is loaded, as it would be
in the ``cognito-identity`` process, it breaks TLS. The options travel as JSON in argv
(they never hold a password: those come from a file or the environment).
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
from typing import Any

__all__ = ["child_command", "launch"]

_BOOT = (
    "from gevent import monkey\n"
    "monkey.patch_all()\n"
    "import sys\n"
    "from cognito_identity.loadtest.run import main\n"
    "sys.exit(main(sys.argv[1]))\n"
)


def child_command(options: dict[str, Any]) -> list[str]:
    """The command running a load test with ``options`` (the parsed options as a dict)."""
    return [sys.executable, "-c", _BOOT, json.dumps(options)]


def launch(args: argparse.Namespace) -> int:
    """Run the load test of ``args`` (checked by :func:`.options.check`) in a child
    interpreter; its exit status.

    Ctrl-C reaches the child too (same process group) and ends the run with its reports;
    this process waits for it. SIGTERM is passed on.
    """
    options = {name: value for name, value in vars(args).items() if name != "func"}
    child = subprocess.Popen(child_command(options))

    def forward(signum: int, frame: object) -> None:
        child.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                continue  # the child got it too, and is finishing its reports
    finally:
        signal.signal(signal.SIGTERM, previous)
