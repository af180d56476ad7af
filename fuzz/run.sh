#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for SECONDS seconds each and writes
# fuzz/last-run.json: {"targets": {name: {"seconds", "executions", "crashes"}}, "date"}.
#
#   fuzz/run.sh 60                          one minute per target
#   PROPTEST_CASES=100000 fuzz/run.sh 60    then the bignum property tests, longer than CI
#
# libFuzzer needs nightly compiler flags: they come from the stable toolchain with
# RUSTC_BOOTSTRAP=1 (no nightly download). Inputs that crash a target are written to
# fuzz/crashers/<target>/, which `cargo test` replays: fix the bug and commit the file.
# The corpus the fuzzer grows stays in fuzz/work/ (not committed); the hand-written
# seeds are in fuzz/corpus/<target>/.
set -euo pipefail

seconds=${1:?usage: fuzz/run.sh SECONDS}
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1

if ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --locked
fi

targets=$(ls fuzz/fuzz_targets | sed -n 's/\.rs$//p' | sort)
cargo fuzz build

# Inputs libFuzzer saved for crashes, timeouts, memory blow-ups and leaks.
findings() {
    find "fuzz/crashers/$1" -type f \( -name 'crash-*' -o -name 'timeout-*' \
        -o -name 'oom-*' -o -name 'leak-*' \) | wc -l
}

entries=()
total_crashes=0
for target in $targets; do
    mkdir -p "fuzz/work/corpus/$target" "fuzz/crashers/$target"
    before=$(findings "$target")
    log="fuzz/work/$target.log"
    start=$(date +%s)
    # A crash ends the run early with a non-zero status: the count below reports it.
    cargo fuzz run "$target" "fuzz/work/corpus/$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=30 -report_slow_units=1000000 -print_final_stats=1 \
        -artifact_prefix="fuzz/crashers/$target/" >"$log" 2>&1 || true
    elapsed=$(($(date +%s) - start))
    executions=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    if [ -z "$executions" ]; then
        executions=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -1)
    fi
    crashes=$(($(findings "$target") - before))
    total_crashes=$((total_crashes + crashes))
    printf '%-16s %4ss %10s executions %s crashes\n' "$target" "$elapsed" "${executions:-?}" "$crashes"
    entries+=("$(printf '"%s": {"seconds": %d, "executions": %d, "crashes": %d}' \
        "$target" "$elapsed" "${executions:-0}" "$crashes")")
done

{
    printf '{\n  "targets": {\n'
    for i in "${!entries[@]}"; do
        separator=$([ "$i" -lt $((${#entries[@]} - 1)) ] && echo "," || true)
        printf '    %s%s\n' "${entries[$i]}" "$separator"
    done
    printf '  },\n  "date": "%s"\n}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >fuzz/last-run.json
echo "wrote fuzz/last-run.json"

if [ -n "${PROPTEST_CASES:-}" ]; then
    echo "bignum property tests, $PROPTEST_CASES cases each"
    cargo test --release --locked -p cognito-srp properties
fi

[ "$total_crashes" -eq 0 ]
