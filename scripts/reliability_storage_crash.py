"""FileStorage under SIGKILL for the reliability report: a forked writer saves whole
sessions (five keys, every value naming its save) in a loop into one FileStorage file
and is killed at a random moment; a fresh FileStorage then reads the session back. A
session is torn when its keys come from different saves or one is missing. Prints JSON.

    python scripts/reliability_storage_crash.py [TRIALS]
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sys
import tempfile
import time
from pathlib import Path

from cognito_identity.storage import FileStorage, key_prefix, last_user_key

CLIENT_ID = "client123"
PREFIX = key_prefix(CLIENT_ID, "ann")
KEYS = [
    f"{PREFIX}.idToken",
    f"{PREFIX}.accessToken",
    f"{PREFIX}.refreshToken",
    f"{PREFIX}.clockDrift",
    last_user_key(CLIENT_ID),
]


def session(number: int) -> dict[str, str | None]:
    padding = "x" * 900  # about as long as real tokens
    return {
        KEYS[0]: f"{number}.id.{padding}",
        KEYS[1]: f"{number}.access.{padding}",
        KEYS[2]: f"{number}.refresh.{padding}",
        KEYS[3]: f"{number}",
        KEYS[4]: f"{number}.ann",
    }


def writer(path: Path, first: int, ready: int) -> None:
    """The child: save sessions first, first + 1, ... until killed."""
    try:
        store = FileStorage(path)
        number = first
        while True:
            store.set_items(session(number))
            if number == first:
                os.write(ready, b"!")
            number += 1
    finally:
        os._exit(1)


def main() -> None:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random(20261202)
    whole = torn = lost_first = saves = 0
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "sessions.json"
        for trial in range(trials):
            first = trial * 1_000_000
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                writer(path, first, write_end)
            os.close(write_end)
            if not select.select([read_end], [], [], 30)[0]:
                raise RuntimeError("the writer never saved")
            os.read(read_end, 1)
            time.sleep(0.0 if trial % 4 == 0 else rng.uniform(0, 0.03))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_end)
            record = FileStorage(path).get_items(KEYS)
            numbers = {int(v.split(".")[0]) for v in record.values() if v is not None}
            if None in record.values() or len(numbers) != 1:
                torn += 1
                continue
            number = numbers.pop()
            if number < first:
                lost_first += 1
            elif record != session(number):
                torn += 1
            else:
                whole += 1
                saves += number - first + 1
    json.dump(
        {
            "trials": trials,
            "whole": whole,
            "torn": torn,
            "first_save_lost": lost_first,
            "saves_before_kill": saves,
        },
        sys.stdout,
        indent=1,
    )


if __name__ == "__main__":
    main()
