"""FileStorage shared by processes: whole sessions after SIGKILL, no keys lost between
two writers. The writers are forked children, so each trial costs milliseconds."""

from __future__ import annotations

import os
import random
import select
import signal
import time
import traceback
from pathlib import Path
from typing import Callable

import pytest

from cognito_identity.storage import FileStorage, key_prefix, last_user_key

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"), reason="needs fork and SIGKILL"
)

CLIENT_ID = "client123"
PREFIX = key_prefix(CLIENT_ID, "ann")
SESSION_KEYS = [
    f"{PREFIX}.idToken",
    f"{PREFIX}.accessToken",
    f"{PREFIX}.refreshToken",
    f"{PREFIX}.clockDrift",
    last_user_key(CLIENT_ID),
]


def _session(number: int) -> dict[str, str | None]:
    """Save number ``number``: every value names it, tokens about as long as real ones."""
    padding = "x" * 900
    return {
        f"{PREFIX}.idToken": f"{number}.id.{padding}",
        f"{PREFIX}.accessToken": f"{number}.access.{padding}",
        f"{PREFIX}.refreshToken": f"{number}.refresh.{padding}",
        f"{PREFIX}.clockDrift": f"{number}",
        last_user_key(CLIENT_ID): f"{number}.ann",
    }


def _fork(work: Callable[[], None]) -> int:
    """Run ``work`` in a child process, which exits when it returns."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            work()
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    return pid


def _wait_for_byte(fd: int, seconds: float = 20.0) -> bytes:
    readable, _, _ = select.select([fd], [], [], seconds)
    assert readable, "the child never got going"
    return os.read(fd, 1)


def test_sigkill_while_saving_never_leaves_a_torn_session(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    FileStorage(path).set_item("another.app.key", "kept")
    rng = random.Random(20261201)
    outcomes: list[str] = []
    for trial in range(40):
        first = trial * 1_000_000
        read_end, write_end = os.pipe()

        def save_forever(first: int = first, write_end: int = write_end) -> None:
            store = FileStorage(path)
            number = first
            while True:
                store.set_items(_session(number))
                if number == first:
                    os.write(write_end, b"!")
                number += 1

        pid = _fork(save_forever)
        os.close(write_end)
        try:
            _wait_for_byte(read_end)
            # Some trials kill right after the first save, others a few dozen saves on.
            time.sleep(0.0 if trial % 4 == 0 else rng.uniform(0, 0.03))
            os.kill(pid, signal.SIGKILL)
        finally:
            os.close(read_end)
            _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

        store = FileStorage(path)  # a fresh process would start like this
        record = store.get_items(SESSION_KEYS)
        numbers = {int(value.split(".")[0]) for value in record.values() if value is not None}
        if None in record.values() or len(numbers) != 1:
            outcomes.append(f"trial {trial}: torn, saves {sorted(numbers)}")
        elif numbers.pop() < first:
            outcomes.append(f"trial {trial}: the first save of this trial was lost")
        elif record != _session(int(record[SESSION_KEYS[3]] or -1)):
            outcomes.append(f"trial {trial}: values changed")
        else:
            outcomes.append("whole")
        assert store.get_item("another.app.key") == "kept"
    assert outcomes == ["whole"] * 40
    # Whatever the killed writers left behind goes with the next write.
    FileStorage(path).set_item("after", "1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sessions.json", "sessions.json.lock"]


def test_two_processes_writing_200_keys_each_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    reader = FileStorage(path)
    assert reader.get_item("p0.key0") is None  # this instance has read the empty store
    go_read, go_write = os.pipe()
    writers = []
    for process in range(2):

        def write_keys(process: int = process) -> None:
            store = FileStorage(path)
            _wait_for_byte(go_read)
            for number in range(200):
                store.set_item(f"p{process}.key{number}", f"{process}-{number}")

        writers.append(_fork(write_keys))
    os.write(go_write, b"!!")  # both start at once
    statuses = [os.waitpid(pid, 0)[1] for pid in writers]
    os.close(go_read)
    os.close(go_write)
    assert all(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 for status in statuses)

    expected = {f"p{p}.key{n}": f"{p}-{n}" for p in range(2) for n in range(200)}
    found = FileStorage(path).get_items(expected)
    lost = [key for key, value in found.items() if value != expected[key]]
    assert lost == []
    # The instance that read the store before the writers ran sees their keys too.
    assert reader.get_items(expected) == found
