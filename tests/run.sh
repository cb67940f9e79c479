#!/bin/bash
# The whole test suite from a fresh Debian 12 machine, as root: install what
# the tests need, build from scratch, run the unit tests and the layout rules
# (make check),
# make distcheck, the integration tests that run real containers, each
# libFuzzer target for 10 seconds, the unit and integration tests again
# built with ASan and UBSan, and the integration tests that drive hardrun
# directly under valgrind memcheck.
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
make -j"$(nproc)" check || { status=1; cat tests/unit/*/*.log tests/layout/*.log; }
unit_passed=$(cat tests/unit/*/*.log 2>/dev/null | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')
unit_failed=$(cat tests/unit/*/*.log 2>/dev/null | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')
# the layout rules (tests/layout), one check each
lay_passed=$(sed -n 's/^layout: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' tests/layout/test_layers.log 2>/dev/null)
lay_failed=$(sed -n 's/^layout: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' tests/layout/test_layers.log 2>/dev/null)
[ -n "$lay_passed" ] || { lay_passed=0; lay_failed=1; }
echo "layout: $lay_passed passed, $lay_failed failed"

make distcheck > distcheck.log 2>&1 || { status=1; tail -n 60 distcheck.log; echo "not ok - make distcheck"; }

# tee -a: where stderr is a file (a CI log), a plain tee would truncate it
integration=$(HARDRUN=$build/hardrun bash "$top/tests/integration/run-all.sh" 2>&1 | tee -a /dev/stderr | tail -n 1)
it_passed=$(printf '%s' "$integration" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
it_failed=$(printf '%s' "$integration" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$it_passed" ] || { it_passed=0; it_failed=1; }
[ "$it_failed" -eq 0 ] || status=1

fuzz=$(make fuzz FUZZ_SECONDS=10 2>&1 | tee -a /dev/stderr | tail -n 1)
fz_passed=$(printf '%s' "$fuzz" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
fz_failed=$(printf '%s' "$fuzz" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$fz_passed" ] || { fz_passed=0; fz_failed=1; }
[ "$fz_failed" -eq 0 ] || status=1

# the whole suite again, built with AddressSanitizer and UBSan: the unit
# tests with leak checks, the integration tests without (most paths end in
# execv); every report goes to a file, so none can hide in an engine's stderr
asan=$top/build-asan
rm -rf "$asan"
mkdir -p "$asan"
as_passed=0
as_failed=0
if (cd "$asan" && ../configure --quiet --enable-sanitizers && make -j"$(nproc)" > build.log 2>&1); then
    (cd "$asan" && make -j"$(nproc)" check > check.log 2>&1) || { as_failed=$((as_failed + 1)); cat "$asan"/tests/unit/*/*.log; }
    reports=$(mktemp -d)
    asan_it=$(ASAN_OPTIONS="detect_leaks=0:log_path=$reports/asan" \
              UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan" \
              HARDRUN=$asan/hardrun bash "$top/tests/integration/run-all.sh" 2>&1 | tail -n 1)
    echo "sanitized $asan_it"
    as_passed=$(printf '%s' "$asan_it" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    as_failed=$((as_failed + $(printf '%s' "$asan_it" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')))
    if [ -n "$(ls -A "$reports")" ]; then
        echo "not ok - sanitizer reports:"
        cat "$reports"/*
        as_failed=$((as_failed + 1))
    fi
    rm -rf "$reports"
else
    tail -n 30 "$asan/build.log"
    as_failed=1
fi
[ "$as_failed" -eq 0 ] || status=1
echo "sanitizers: ${as_passed:-0} passed, $as_failed failed"

# the integration tests that drive hardrun directly, each hardrun process
# under valgrind memcheck, on a dynamically linked -O1 build (memcheck sees
# malloc only through the shared libc)
vg=$top/build-vg
rm -rf "$vg"
mkdir -p "$vg"
vg_passed=0
vg_failed=0
if (cd "$vg" && ../configure --quiet --disable-static-binary CFLAGS="-O1 -g" && make -j"$(nproc)" hardrun hardrun-init > build.log 2>&1); then
    vg_out=$(bash "$top/tests/integration/run-valgrind.sh" "$vg/hardrun" 2>&1 | tee -a /dev/stderr | tail -n 1)
    vg_passed=$(printf '%s' "$vg_out" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    vg_failed=$(printf '%s' "$vg_out" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    [ -n "$vg_passed" ] || { vg_passed=0; vg_failed=1; }
else
    tail -n 30 "$vg/build.log"
    vg_failed=1
fi
[ "$vg_failed" -eq 0 ] || status=1

total_passed=$(( ${unit_passed:-0} + lay_passed + it_passed + fz_passed + ${as_passed:-0} + vg_passed ))
total_failed=$(( ${unit_failed:-0} + lay_failed + it_failed + fz_failed + as_failed + vg_failed + (status != 0 && lay_failed == 0 && it_failed == 0 && fz_failed == 0 && as_failed == 0 && vg_failed == 0 && ${unit_failed:-0} == 0 ? 1 : 0) ))
echo "unit: ${unit_passed:-0} passed, ${unit_failed:-0} failed"
echo "tests: $total_passed passed, $total_failed failed"
exit $status
