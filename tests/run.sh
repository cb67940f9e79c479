#!/bin/bash
# The whole test suite from a fresh Debian 12 machine, as root: install what
# the tests need, build from scratch, run the unit tests (cmocka, make check),
# make distcheck, the integration tests that run real containers, and each
# libFuzzer target for 10 seconds.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "run as root: the integration tests run real containers" >&2; exit 1; }

bash "$top/contrib/install-deps.sh" --tests || { echo "installing dependencies failed" >&2; exit 1; }

build=$top/build
rm -rf "$build"
mkdir -p "$build"
cd "$top" && ./autogen.sh > "$build.autogen.log" 2>&1 || { cat "$build.autogen.log"; exit 1; }
rm -f "$build.autogen.log"
cd "$build" || exit 1
../configure --quiet || exit 1
make -j"$(nproc)" || exit 1

status=0
make -j"$(nproc)" check || { status=1; cat tests/unit/*.log; }
unit_passed=$(cat tests/unit/*.log 2>/dev/null | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')
unit_failed=$(cat tests/unit/*.log 2>/dev/null | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')

make distcheck > distcheck.log 2>&1 || { status=1; tail -n 60 distcheck.log; echo "not ok - make distcheck"; }

integration=$(HARDRUN=$build/hardrun bash "$top/tests/integration/run-all.sh" 2>&1 | tee /dev/stderr | tail -n 1)
it_passed=$(printf '%s' "$integration" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
it_failed=$(printf '%s' "$integration" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$it_passed" ] || { it_passed=0; it_failed=1; }
[ "$it_failed" -eq 0 ] || status=1

fuzz=$(make fuzz FUZZ_SECONDS=10 2>&1 | tee /dev/stderr | tail -n 1)
fz_passed=$(printf '%s' "$fuzz" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
fz_failed=$(printf '%s' "$fuzz" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$fz_passed" ] || { fz_passed=0; fz_failed=1; }
[ "$fz_failed" -eq 0 ] || status=1

total_passed=$(( ${unit_passed:-0} + it_passed + fz_passed ))
total_failed=$(( ${unit_failed:-0} + it_failed + fz_failed + (status != 0 && it_failed == 0 && fz_failed == 0 && ${unit_failed:-0} == 0 ? 1 : 0) ))
echo "unit: ${unit_passed:-0} passed, ${unit_failed:-0} failed"
echo "tests: $total_passed passed, $total_failed failed"
exit $status
