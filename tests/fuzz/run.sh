#!/bin/bash
# run.sh SRCDIR BUILDDIR [SECONDS]: build the libFuzzer targets and run each
# for SECONDS (default 10) from its seed corpus in tests/fuzz/corpus. New
# inputs go to a scratch directory; a crash is kept in BUILDDIR/fuzz.
set -u
src=$1
build=$2
seconds=${3:-10}
passed=0
failed=0
if ! command -v clang > /dev/null; then
    echo "fuzz: clang is not installed"
    echo "fuzz: 0 passed, 1 failed"
    exit 1
fi
sh "$src/tests/fuzz/build.sh" "$src" "$build" > "$build/fuzz-build.log" 2>&1 || {
    cat "$build/fuzz-build.log"
    echo "fuzz: 0 passed, 1 failed"
    exit 1
}
for target in argv spec process configuration; do
    scratch=$(mktemp -d)
    if "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$build/fuzz/$target-" "$scratch" "$src/tests/fuzz/corpus/$target" \
        > "$build/fuzz/$target.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz/$target.log")
        echo "ok - fuzz_$target: $runs runs in ${seconds}s, no finding"
        passed=$((passed + 1))
    else
        echo "not ok - fuzz_$target found a crash:"
        grep -E "ERROR|SUMMARY|artifact" "$build/fuzz/$target.log" | head -5
        failed=$((failed + 1))
    fi
    rm -rf "$scratch"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
