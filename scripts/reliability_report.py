"""Writes docs/reliability.md from the JSON the other reliability scripts printed (in
RESULTS_DIR) and the fuzz runner's fuzz/last-run.json. Every figure in the report comes
from those files: nothing here is typed by hand.

    python scripts/reliability_report.py RESULTS_DIR > docs/reliability.md
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOT_RUN = "not run yet"


def load(results: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((results / f"{name}.json").read_text())
    return data


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def fuzz_section() -> str:
    targets_dir = ROOT / "fuzz" / "fuzz_targets"
    known = sorted(p.stem for p in targets_dir.glob("*.rs")) if targets_dir.is_dir() else []
    last_run = ROOT / "fuzz" / "last-run.json"
    run: dict[str, Any] = json.loads(last_run.read_text()) if last_run.exists() else {}
    results: dict[str, Any] = run.get("targets", {})
    rows = []
    for name in sorted({*known, *results}):
        if name in results:
            r = results[name]
            rows.append([name, r["seconds"], f"{r['executions']:,}", r["crashes"]])
        else:
            rows.append([name, NOT_RUN, "—", "—"])
    if not rows:
        rows.append(["(no fuzz targets in this checkout)", NOT_RUN, "—", "—"])
    when = (
        f"Last run: {run['date']} (`fuzz/run.sh`)."
        if run
        else (
            "`fuzz/run.sh SECONDS` has not been run on this checkout "
            "(there is no fuzz/last-run.json)."
        )
    )
    return "\n\n".join(
        [
            "## Fuzzing the Rust entry points",
            "Each cargo-fuzz (libFuzzer) target runs for a fixed time; a crash is any panic or "
            "sanitizer report. " + when,
            table(["Target", "Seconds", "Executions", "Crashes"], rows),
        ]
    )


def malformed_section(data: dict[str, Any]) -> str:
    rows, totals = [], [0, 0, 0, 0]
    for kind, outcome in sorted(data["kinds"].items()):
        tried = outcome["typed"] + outcome["accepted"] + outcome["untyped"]
        row = [tried, outcome["typed"], outcome["accepted"], outcome["untyped"]]
        totals = [a + b for a, b in zip(totals, row)]
        rows.append([kind, *row])
    rows.append(["**all**", *totals])
    return "\n\n".join(
        [
            "## Malformed answers to the SDK",
            f"`tests/sdk/test_malformed_answers.py` in counting mode, "
            f"{data['examples_per_property']} examples per property (pytest: "
            f"{data['pytest_summary']}). Each example replays a scripted Cognito conversation "
            "(sign-up, SRP and password sign-in with a new device, every challenge, USER_AUTH, "
            "refresh, attributes, devices, identity-pool credentials, admin calls, the OAuth "
            "token and userInfo endpoints; sync and asyncio) with one answer spoilt. *Typed "
            "error*: the call raised a CognitoError subclass. *Accepted*: the damage did not "
            "matter to the call (an optional field missing, an unknown challenge name in an "
            "answer that has none). *Untyped errors*: anything else escaped: a bug.",
            table(["Damage", "Tried", "Typed error", "Accepted", "Untyped errors"], rows),
        ]
    )


def faults_section(data: dict[str, Any]) -> str:
    rows, passed, total = [], 0, 0
    for row in data["rows"]:
        cells = []
        for side in ("sync", "async"):
            result = row[side]
            total += 1
            passed += bool(result["passed"])
            mark = "" if result["passed"] else " **FAILED**"
            cells.append(f"{result['outcome']} in {result['seconds']} s{mark}")
        rows.append([row["fault"], *cells])
    return "\n\n".join(
        [
            "## Transport faults",
            f"`scripts/reliability_faults.py`: a scripted TCP server misbehaves in one way per "
            f"row; the sync client (requests) and the asyncio client (httpx) each make one call "
            f"with a {data['deadline']} s deadline (connect and read timeouts 1 s, two "
            f"attempts). A cell passes when the call ends in a CognitoError (or, for the last "
            f"rows, returns the answer) within the deadline plus {data['margin']} s. "
            f"**{passed} of {total} passed.**",
            table(["Fault", "Sync client (requests)", "Asyncio client (httpx)"], rows),
        ]
    )


def refresh_section(data: dict[str, Any]) -> str:
    rows = [
        [
            r["callers"],
            "yes" if r["rotation"] else "no",
            r["refreshes_sent"],
            r["valid_sessions"],
            r["distinct_access_tokens"],
        ]
        for r in data["rows"]
    ]
    return "\n\n".join(
        [
            "## Concurrent refresh",
            "`scripts/reliability_refresh.py`: one user's session has expired, and every caller "
            "asks for a valid one at the same moment (each through its own user object on one "
            "storage). The refreshes that reached the local pool are counted.",
            table(
                [
                    "Callers",
                    "Refresh-token rotation",
                    "Refreshes sent",
                    "Valid sessions",
                    "Distinct access tokens",
                ],
                rows,
            ),
        ]
    )


def durability_section(data: dict[str, Any]) -> str:
    rows = [
        [r["round"], r["acknowledged"], r["found"], r["lost"], r["integrity_check"]]
        for r in data["rows"]
    ]
    return "\n\n".join(
        [
            "## Kill -9 durability of the local pool",
            f"`scripts/reliability_durability.py`: `cognito-identity local serve` on one SQLite "
            f"file takes writes from {data['writers']} threads (CreateGroup, AdminCreateUser) "
            f"for {data['seconds_of_load']} s and is killed with SIGKILL in the middle of them; "
            "`PRAGMA integrity_check` runs on the file as the kill left it, and a new server on "
            "the file lists its users and groups. Acknowledged: writes answered HTTP 200 in "
            "this round and all earlier ones.",
            table(
                ["Round", "Acknowledged", "Found after restart", "Lost", "integrity_check"], rows
            ),
        ]
    )


def storage_section(data: dict[str, Any]) -> str:
    return "\n\n".join(
        [
            "## FileStorage under SIGKILL",
            "`scripts/reliability_storage_crash.py`: a forked process saves whole sessions "
            "(five keys, every value naming its save) into one FileStorage file in a loop and is "
            "killed at a random moment; a fresh FileStorage reads the session back. Torn: keys "
            "from different saves, or one missing.",
            table(
                [
                    "Trials",
                    "Whole sessions",
                    "Torn sessions",
                    "First save lost",
                    "Saves before the kills",
                ],
                [
                    [
                        data["trials"],
                        data["whole"],
                        data["torn"],
                        data["first_save_lost"],
                        data["saves_before_kill"],
                    ]
                ],
            ),
        ]
    )


def git(*args: str) -> str:
    run = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return run.stdout.strip()


def header() -> str:
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    # The run's own outputs (the fuzz summary and this report) do not count.
    outputs = [":!fuzz/last-run.json", ":!docs/reliability.md"]
    if git("status", "--porcelain", "--untracked-files=no", "--", ".", *outputs):
        # The figures are of the working tree, which the commit id alone would not name.
        commit += " with uncommitted changes"
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n\n".join(
        [
            "# Reliability: what was tried, and what came out",
            f"Generated by `scripts/reliability.sh` on {today} from commit {commit}, with "
            f"Python {platform.python_version()} on {os.cpu_count()} cores ({platform.system()}). "
            "Every figure below comes from the scripts under `scripts/`; do not edit this file "
            "by hand, run the script again. `tests/test_reliability_report.py` checks that its "
            "tables parse and that crashes, untyped errors, lost writes and torn sessions are "
            "zero.",
        ]
    )


def main() -> None:
    results = Path(sys.argv[1])
    sections = [
        header(),
        fuzz_section(),
        malformed_section(load(results, "malformed")),
        faults_section(load(results, "faults")),
        refresh_section(load(results, "refresh")),
        durability_section(load(results, "durability")),
        storage_section(load(results, "storage")),
    ]
    sys.stdout.write("\n\n".join(sections) + "\n")


if __name__ == "__main__":
    main()
