"""Run every benchmark in this folder, one after another, and print their tables.

    python benches/run.py            # all of them
    python benches/run.py srp jwt    # only bench_srp.py and bench_jwt.py

Each bench measures cognito-identity and its peers in the same run and prints ratios;
absolute times vary between machines and runs, ratios much less. Needs the ``bench``
extra: ``pip install ".[bench]"``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    failed = 0
    for script in scripts:
        print(f"\n## {script.stem.removeprefix('bench_')}\n", flush=True)
        failed += subprocess.call([sys.executable, str(script)]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
