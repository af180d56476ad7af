"""The ``cognito-identity`` command as a newcomer meets it: every mistake, interrupt,
closed pipe or missing input ends in one line on stderr, a documented exit status and no
traceback. Prompts run on a pseudo-terminal, as a person would see them."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import subprocess
import sys
import termios
import time
from collections.abc import Sequence

import pytest

from cognito_identity.cli_support import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_NO_INPUT,
    EXIT_REFUSED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
)

from .conftest import PASSWORD, PoolSetup
from .helpers import confirmed_user

COMMAND = [sys.executable, "-m", "cognito_identity"]
TIMEOUT = 60.0


def _take_terminal() -> None:
    # Runs in the child after setsid(): make the pty on stdin its controlling terminal,
    # so getpass finds /dev/tty and Ctrl-C becomes SIGINT.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """The command running on a pseudo-terminal: read what it shows, type into it."""

    def __init__(self, args: Sequence[str]) -> None:
        master, slave = pty.openpty()
        self.master = master
        self.process = subprocess.Popen(
            [*COMMAND, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=_take_terminal,
        )
        os.close(slave)
        self.screen = ""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 4096)
        except OSError:  # EIO: the command exited and closed the terminal
            return False
        if not data:
            return False
        self.screen += data.decode(errors="replace")
        return True

    def expect(self, text: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.screen:
            assert time.monotonic() < deadline, f"never showed {text!r}: {self.screen!r}"
            assert self._read(0.2), f"exited without showing {text!r}: {self.screen!r}"

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self) -> tuple[int, str]:
        """The exit status, and what was shown after the last prompt."""
        deadline = time.monotonic() + TIMEOUT
        while self._read(0.2):
            assert time.monotonic() < deadline, f"still running: {self.screen!r}"
        status = self.process.wait(timeout=TIMEOUT)
        os.close(self.master)
        return status, self.screen


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Traceback" not in text
    return lines[0]


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        start_new_session=True,  # no controlling terminal: getpass cannot use /dev/tty
        check=False,
    )


def _login(setup: PoolSetup, username: str = "dana", *extra: str) -> list[str]:
    return [
        "login",
        "--user-pool-id",
        setup.pool_id,
        "--client-id",
        setup.client_id,
        "--endpoint",
        setup.local.endpoint,
        "--username",
        username,
        *extra,
    ]


BAD_ARGUMENTS = {
    "a malformed pool id": (
        ["--user-pool-id", "not-a-pool", "--client-id", "abc123"],
        "is not a user pool id",
    ),
    "a malformed client id": (
        ["--user-pool-id", "us-east-1_AbC123", "--client-id", "no spaces"],
        "is not an app client id",
    ),
    "an endpoint without a scheme": (
        [
            "--user-pool-id",
            "us-east-1_AbC123",
            "--client-id",
            "abc",
            "--endpoint",
            "127.0.0.1:9229",
        ],
        "did you mean http://127.0.0.1:9229?",
    ),
    "an endpoint of another scheme": (
        ["--user-pool-id", "us-east-1_AbC123", "--client-id", "abc", "--endpoint", "ftp://x"],
        "is not an http:// or https:// URL",
    ),
}


@pytest.mark.parametrize("case", BAD_ARGUMENTS, ids=list(BAD_ARGUMENTS))
def test_bad_login_arguments_fail_before_the_password_prompt(case: str) -> None:
    args, message = BAD_ARGUMENTS[case]
    terminal = Terminal(["login", "--username", "ann", *args])
    status, screen = terminal.finish()
    assert status == EXIT_USAGE
    assert message in _one_line(screen)
    assert "Password" not in screen


@pytest.mark.parametrize("value", ["-1", "65536", "http"])
def test_serve_refuses_a_port_out_of_range(value: str) -> None:
    done = _run("local", "serve", "--port", value)
    assert done.returncode == EXIT_USAGE
    assert "is not a port from 0 to 65535" in _one_line(done.stderr)


@pytest.mark.parametrize("value", ["0", "-5", "1.5", "an hour", "43201"])
def test_serve_refuses_a_credentials_lifetime_out_of_range(value: str) -> None:
    done = _run("local", "serve", "--credentials-lifetime", value)
    assert done.returncode == EXIT_USAGE
    line = _one_line(done.stderr)
    assert "--credentials-lifetime" in line
    assert "is not a whole number of seconds from 1 to 43200" in line


def test_ctrl_c_at_the_password_prompt_exits_130(setup: PoolSetup) -> None:
    terminal = Terminal(_login(setup))
    terminal.expect("Password for dana: ")
    terminal.type("\x03")
    status, screen = terminal.finish()
    assert status == EXIT_INTERRUPTED
    assert _one_line(screen.split("Password for dana: ", 1)[1]).endswith("interrupted")


def test_ctrl_d_at_the_password_prompt_is_no_input(setup: PoolSetup) -> None:
    terminal = Terminal(_login(setup))
    terminal.expect("Password for dana: ")
    terminal.type("\x04")
    status, screen = terminal.finish()
    assert status == EXIT_NO_INPUT
    assert "no input" in _one_line(screen.split("Password for dana: ", 1)[1])


def test_no_terminal_points_at_password_stdin(setup: PoolSetup) -> None:
    done = _run(*_login(setup))
    assert done.returncode == EXIT_NO_INPUT
    assert "--password-stdin" in _one_line(done.stderr)


def test_password_stdin_with_nothing_to_read_is_no_input(setup: PoolSetup) -> None:
    done = _run(*_login(setup, "dana", "--password-stdin"))
    assert done.returncode == EXIT_NO_INPUT
    assert "no input" in _one_line(done.stderr)


def test_password_stdin_signs_in(setup: PoolSetup) -> None:
    confirmed_user(setup)
    done = _run(*_login(setup, "dana", "--password-stdin", "--json"), stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["IdToken"].count(".") == 2
    assert PASSWORD not in done.stdout + done.stderr


def test_a_wrong_password_is_refused_in_one_line(setup: PoolSetup) -> None:
    confirmed_user(setup)
    done = _run(*_login(setup, "dana", "--password-stdin"), stdin="Not-the-passw0rd\n")
    assert done.returncode == EXIT_REFUSED
    assert "NotAuthorizedException" in _one_line(done.stderr)
    assert "Not-the-passw0rd" not in done.stderr


def test_an_unreachable_endpoint_has_its_own_status(setup: PoolSetup) -> None:
    args = _login(setup, "dana", "--password-stdin")
    args[args.index("--endpoint") + 1] = "http://127.0.0.1:9"  # the discard port: nobody
    done = _run(*args, stdin=PASSWORD + "\n")
    assert done.returncode == EXIT_UNREACHABLE
    assert "cannot reach" in _one_line(done.stderr)


def test_debug_shows_the_traceback(setup: PoolSetup) -> None:
    done = _run("--debug", *_login(setup, "nobody", "--password-stdin"), stdin="x\n")
    assert done.returncode == EXIT_REFUSED
    assert "Traceback" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1].startswith("cognito-identity login: failed:")


def test_new_password_is_typed_twice_and_asked_again_when_rejected(setup: PoolSetup) -> None:
    setup.idp.admin_create_user(
        UserPoolId=setup.pool_id,
        Username="gia",
        TemporaryPassword="Temp0rary-Pass!",
        MessageAction="SUPPRESS",
    )
    terminal = Terminal(_login(setup, "gia", "--json"))
    terminal.expect("Password for gia: ")
    terminal.type("Temp0rary-Pass!\n")
    for first, second in [("short", "short"), (PASSWORD, "Typo-" + PASSWORD)]:
        terminal.expect("New password: ")
        terminal.type(first + "\n")
        terminal.expect("New password again: ")
        terminal.type(second + "\n")
        terminal.screen = ""
    terminal.expect("New password: ")
    terminal.type(PASSWORD + "\n")
    terminal.expect("New password again: ")
    terminal.type(PASSWORD + "\n")
    status, screen = terminal.finish()
    assert status == 0, screen
    assert '"IdToken"' in screen
    assert PASSWORD not in screen


def test_demo_into_a_closed_pipe_ends_in_one_line() -> None:
    process = subprocess.Popen(
        [*COMMAND, "demo"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    assert "ok  start the local user pool" in process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    stderr = process.stderr.read()
    assert process.wait(timeout=TIMEOUT) == EXIT_BROKEN_PIPE
    assert "broken pipe" in _one_line(stderr)
