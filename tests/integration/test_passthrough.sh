#!/bin/bash
# Every other command reaches runc unchanged: same output, same status, same
# file descriptors; the lifecycle leaves short lines in the decision log.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT

make_bundle "$WORK/b" "sleep 60"
id=create  # a container named after a runc command

check "create through hardrun" "$HARDRUN" --root "$STATE" --log "$WORK/log.json" --log-format json \
    create --bundle "$WORK/b" --pid-file "$WORK/pid" "$id"
check_eq "create writes nothing to --log on success" "0" "$(wc -c < "$WORK/log.json" 2>/dev/null || echo 0)"
check "start through hardrun" "$HARDRUN" --root "$STATE" start "$id"

# (plain `ps` shows a CPU percentage that changes between calls)
for cmd in "state $id" "list" "list -f json" "ps --format json $id"; do
    # shellcheck disable=SC2086
    h=$("$HARDRUN" --root "$STATE" $cmd 2>&1); hs=$?
    # shellcheck disable=SC2086
    r=$("$RUNC" --root "$STATE" $cmd 2>&1); rs=$?
    check_eq "'$cmd' output byte-for-byte as runc's" "$r" "$h"
    check_eq "'$cmd' exit status as runc's" "$rs" "$hs"
done

for cmd in "state no-such-container" "kill no-such-container 9" "delete no-such-container" \
           "pause no-such-container" "exec no-such-container true"; do
    # shellcheck disable=SC2086
    h=$("$HARDRUN" --root "$STATE" $cmd 2>&1); hs=$?
    # shellcheck disable=SC2086
    r=$("$RUNC" --root "$STATE" $cmd 2>&1); rs=$?
    # (runc stamps its error lines with the time)
    check_eq "'$cmd': runc's error comes through unchanged" \
        "$(sed 's/^time="[^"]*" //' <<< "$r")" "$(sed 's/^time="[^"]*" //' <<< "$h")"
    check_eq "'$cmd': with runc's exit status" "$rs" "$hs"
done

check "kill through hardrun" "$HARDRUN" --root "$STATE" kill "$id" 9
for _ in $(seq 50); do
    [ "$("$RUNC" --root "$STATE" state "$id" | jq -r .status)" = stopped ] && break
    sleep 0.1
done
check "delete through hardrun" "$HARDRUN" --root "$STATE" delete "$id"
check "the container is gone" bash -c "! '$RUNC' --root '$STATE' state '$id' >/dev/null 2>&1"
wait_line "$id" start; wait_line "$id" kill; wait_line "$id" delete
for c in start kill delete; do
    check "decision log has a '$c' line for the container" \
        jqe -s --arg c "$c" --arg id "$id" 'any(.command == $c and .id == $id)' "$DECISIONS"
done
check "the create line recorded the id 'create'" \
    jqe -s 'any(.command == "create" and .id == "create" and .decision == "modify")' "$DECISIONS"

# runc spec, byte for byte
mkdir -p "$WORK/spec-h" "$WORK/spec-r"
(cd "$WORK/spec-h" && "$HARDRUN" spec)
(cd "$WORK/spec-r" && "$RUNC" spec)
check "spec writes runc's config.json byte for byte" cmp -s "$WORK/spec-h/config.json" "$WORK/spec-r/config.json"

# --version, -v, --help, -h and no command: runc's output first, unchanged
# (tools read its first lines), then hardrun's
for flag in --version -v; do
    h=$("$HARDRUN" $flag); hs=$?
    r=$("$RUNC" $flag); rs=$?
    n=$(printf '%s\n' "$r" | wc -l)
    check_eq "$flag: runc's output comes first, unchanged" "$r" "$(printf '%s\n' "$h" | head -n "$n")"
    check_eq "$flag: then hardrun's version line" "hardrun version" "$(printf '%s\n' "$h" | tail -n +"$((n + 1))" | cut -d' ' -f1-2)"
    check_eq "$flag: runc's exit status" "$rs" "$hs"
done
for flag in --help -h ""; do
    # shellcheck disable=SC2086
    h=$("$HARDRUN" $flag); hs=$?
    # shellcheck disable=SC2086
    r=$("$RUNC" $flag); rs=$?
    n=$(printf '%s\n' "$r" | wc -l)
    check_eq "help '$flag': runc's help comes first, unchanged" "$r" "$(printf '%s\n' "$h" | head -n "$n")"
    check "help '$flag': then hardrun's own commands" grep -q "hardrun check" <<< "$(printf '%s\n' "$h" | tail -n +"$((n + 1))")"
    check_eq "help '$flag': runc's exit status" "$rs" "$hs"
done
check_eq "hardrun version: hardrun's line alone" "hardrun version" "$("$HARDRUN" version | cut -d' ' -f1-2)"
check_eq "create --help: runc's alone" "$("$RUNC" create --help)" "$("$HARDRUN" create --help)"

# stdin and inherited file descriptors reach the container untouched
make_bundle "$WORK/io" 'cat; cat <&3'
echo "from-fd-3" > "$WORK/fd3"
OUT=$(echo "from-stdin" | "$HARDRUN" --root "$STATE" run --bundle "$WORK/io" --preserve-fds 1 io 3< "$WORK/fd3")
check_eq "stdin and fd 3 reach the container" "from-stdin
from-fd-3" "$OUT"

# the bundle defaults to the working directory
make_bundle "$WORK/cwd" 'echo cwd-ok'
OUT=$(cd "$WORK/cwd" && "$HARDRUN" --root "$STATE" run cwd)
check_eq "no --bundle: the working directory" "cwd-ok" "$OUT"
check "no --bundle: the config there was hardened" jqe '.root.readonly == true' "$WORK/cwd/config.json"

# concurrent launches never tear or interleave decision lines
before=$(wc -l < "$DECISIONS")
for i in 1 2 3 4 5 6; do
    make_bundle "$WORK/p$i" 'true'
done
for i in 1 2 3 4 5 6; do
    "$HARDRUN" --root "$STATE" run --bundle "$WORK/p$i" "par$i" &
done
wait
after=$(wc -l < "$DECISIONS")
check_eq "six launches, six more lines (plus their deletes)" "6" \
    "$(tail -n +$((before + 1)) "$DECISIONS" | jq -s '[.[] | select(.command == "run")] | length')"
check "every line is whole JSON" jqe -s 'length > 0' "$DECISIONS"
check_eq "line count matches object count" "$after" "$(jq -s length "$DECISIONS")"

finish
