"""Running ``cognito-identity loadtest`` as a user does, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

from cognito_identity.cli_support import EXIT_USAGE

PASSWORD_ENV = "COGNITO_LOADTEST_PASSWORD"


def loadtest(
    *args: str, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``cognito-identity loadtest ARGS``: its exit status and output."""
    return subprocess.run(
        [sys.executable, "-m", "cognito_identity.cli", "loadtest", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def one_line_error(
    done: subprocess.CompletedProcess[str], *expected: str, status: int = EXIT_USAGE
) -> None:
    """The command failed with ``status`` and one line naming ``expected``, no traceback."""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    assert len(lines) == 1, lines
    for text in expected:
        assert text in lines[0], lines[0]


def short_run(*extra: str) -> Sequence[str]:
    """The options of a short run on a fresh local pool."""
    return ["--users", "2", "--run-time", "3s", "--progress-interval", "1", *extra]
