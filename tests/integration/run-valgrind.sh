#!/bin/bash
# run-valgrind.sh HARDRUN: the integration tests that drive hardrun directly
# (not through an engine, whose timeouts valgrind's slowness would trip), with
# every hardrun process under valgrind memcheck. HARDRUN should be a
# dynamically linked build: memcheck follows malloc only through the shared
# libc. Every memcheck report goes to a file; any report fails the run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:?usage: run-valgrind.sh HARDRUN}
work=$(mktemp -d /tmp/hardrun-valgrind.XXXXXX)
mkdir -p "$work/logs"
trap 'rm -rf "$work"' EXIT
# definite leaks count: paths that end in a refusal or a report exit normally
cat > "$work/hardrun" <<WRAPPER
#!/bin/sh
exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
    --log-file=$work/logs/memcheck.%p $binary "\$@"
WRAPPER
chmod +x "$work/hardrun"

passed=0
failed=0
# not test_learning: memcheck does not emulate seccomp(2), which the
# learning agent needs (it refuses the launch, saying so, under valgrind)
for t in ${VALGRIND_TESTS:-check refusal hardening passthrough profiles exec lsm robustness closed_world}; do
    out=$(HARDRUN=$work/hardrun HARDRUN_VALGRIND=1 bash "$here/test_$t.sh" 2>&1)
    printf '%s\n' "$out" | grep -E '^not ok' | sed "s/^/valgrind $t: /"
    # the summary line, wherever it is: a slow background process (a record
    # writer under valgrind) may still print after it
    line=$(printf '%s\n' "$out" | grep -E "^test_$t: [0-9]+ passed, [0-9]+ failed\$" | tail -n 1)
    printf '%s\n' "$out" | sed -n "/^test_$t: [0-9]* passed/,\$p" | tail -n +2 | sed "s/^/valgrind $t (after the summary): /"
    p=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
        echo "not ok - valgrind: test_$t did not finish"
        failed=$((failed + 1))
        continue
    fi
    echo "valgrind $line"
    passed=$((passed + p))
    failed=$((failed + f))
done
runs=$(find "$work/logs" -type f | wc -l)
# valgrind 3.19 (Debian 12) does not know openat2 (437) or
# landlock_create_ruleset (444): it answers ENOSYS and warns. hardrun takes
# that as a kernel without them (the image's tree unlisted, no Landlock),
# which memcheck then checks; the warning itself is no memory error.
unknown_syscall='^--[0-9]+-- (WARNING: unhandled amd64-linux syscall: (437|444)|You may be able to write your own handler\.|Read the file README_MISSING_SYSCALL_OR_IOCTL\.|Nevertheless we consider this a bug\.  Please report|it at http://valgrind\.org/support/bug_reports\.html\.)$'
reports=$(for r in $(find "$work/logs" -type f -size +0); do grep -qvE "$unknown_syscall" "$r" && echo "$r"; done)
if [ -n "$reports" ]; then
    echo "not ok - memcheck reports:"
    for r in $reports; do grep -vE "$unknown_syscall" "$r"; done
    failed=$((failed + 1))
elif [ "$runs" -lt 100 ]; then
    echo "not ok - only $runs hardrun processes ran under memcheck"
    failed=$((failed + 1))
else
    echo "ok - $runs hardrun processes under memcheck, no report"
    passed=$((passed + 1))
fi
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
