"""Malformed Cognito answers for the reliability report: runs the SDK's property tests
(tests/sdk/test_malformed_answers.py) in counting mode, with EXAMPLES examples per
property, and prints the outcomes by kind of damage as JSON.

    python scripts/reliability_malformed.py [EXAMPLES]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests" / "sdk" / "test_malformed_answers.py"


def main() -> None:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as scratch:
        counts_file = Path(scratch) / "counts.json"
        env = {
            **os.environ,
            "COGNITO_MALFORMED_COUNTS": str(counts_file),
            "COGNITO_MALFORMED_EXAMPLES": str(examples),
        }
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(TESTS)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    kinds: dict[str, dict[str, int]] = {}
    for key, count in counts.items():
        kind, verdict = key.split("|")
        kinds.setdefault(kind, {"typed": 0, "accepted": 0, "untyped": 0})[verdict] += count
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-500:]
    json.dump(
        {
            "examples_per_property": examples,
            "kinds": kinds,
            "pytest_exit_code": run.returncode,
            "pytest_summary": summary,
        },
        sys.stdout,
        indent=1,
    )


if __name__ == "__main__":
    main()
