#!/usr/bin/env bash
# Regenerates docs/reliability.md from fresh runs of the reliability scripts (several
# minutes; not part of .ci/run). Run it from a checkout where `import cognito_identity`
# works (after `pip install .`, or with PYTHONPATH set), with the test extra installed.
#
#   scripts/reliability.sh [--fuzz SECONDS] [--examples N] [--rounds N] [--trials N]
#
# --fuzz SECONDS first runs fuzz/run.sh SECONDS (needs the Rust toolchain); without it
# the report reads the last fuzz run's fuzz/last-run.json, if any.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
fuzz_seconds="" examples=100 rounds=5 trials=200
while [ $# -gt 0 ]; do
    case "$1" in
        --fuzz) fuzz_seconds=$2; shift 2 ;;
        --examples) examples=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --trials) trials=$2; shift 2 ;;
        *) echo "usage: $0 [--fuzz SECONDS] [--examples N] [--rounds N] [--trials N]" >&2; exit 2 ;;
    esac
done

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

step() { printf '==> %s\n' "$*" >&2; }

if [ -n "$fuzz_seconds" ]; then
    step "fuzzing every target for $fuzz_seconds s"
    fuzz/run.sh "$fuzz_seconds"
fi
step "malformed answers ($examples examples per property)"
"$PYTHON" scripts/reliability_malformed.py "$examples" > "$results/malformed.json"
step "transport faults"
"$PYTHON" scripts/reliability_faults.py > "$results/faults.json"
step "concurrent refresh"
"$PYTHON" scripts/reliability_refresh.py > "$results/refresh.json"
step "kill -9 durability of the local pool ($rounds rounds)"
"$PYTHON" scripts/reliability_durability.py "$rounds" > "$results/durability.json"
step "FileStorage under SIGKILL ($trials trials)"
"$PYTHON" scripts/reliability_storage_crash.py "$trials" > "$results/storage.json"
"$PYTHON" scripts/reliability_report.py "$results" > docs/reliability.md.new
mv docs/reliability.md.new docs/reliability.md
step "wrote docs/reliability.md"
