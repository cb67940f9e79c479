#!/bin/bash
# exec cannot escape the hardening; engine commands under policy; a
# lifecycle line per command; records that outlive the container.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT
write_config "$HARDRUN_CONFIG" '"profiles": {
    "immutable": { "commands": { "exec": "deny" } },
    "unkillable": { "commands": { "kill": "deny" } },
    "limited": { "controls": { "resources": "enforce" }, "resources": { "pids_limit": 100 } } },
  "selection": [
    { "match": { "annotations": { "tier": "immutable" } }, "profile": "immutable" },
    { "match": { "annotations": { "tier": "unkillable" } }, "profile": "unkillable" },
    { "match": { "annotations": { "tier": "limited" } }, "profile": "limited" } ],
  "records": { "max_count": 4 }'

annotate () {
    jq --arg k "$2" --arg v "$3" '.annotations[$k] = $v' "$1/config.json" > "$1/c.tmp" && mv "$1/c.tmp" "$1/config.json"
}
H=("$HARDRUN" --root "$STATE")
LOG=$WORK/log.json
# the engine's exec process file: Docker's 14 default capabilities, no
# noNewPrivileges, and an environment with a secret
ENGINE_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]'
process_file () {  # process_file OUT EXTRA_CAP
    jq -n --argjson caps "$ENGINE_CAPS" --arg extra "$2" '
      ($caps + (if $extra == "" then [] else [$extra] end)) as $c
      | {terminal: false, user: {uid: 0, gid: 0}, cwd: "/",
         args: ["sh", "-c", "grep -E \"^(CapEff|CapBnd|NoNewPrivs|Seccomp):\" /proc/self/status"],
         env: ["PATH=/bin", "DB_PASSWORD=hunter2"],
         capabilities: {bounding: $c, effective: $c, permitted: $c, inheritable: $c},
         noNewPrivileges: false}' > "$1"
}

make_bundle "$WORK/b" "sleep 60"
annotate "$WORK/b" io.kubernetes.cri.sandbox-namespace shop
check "create through hardrun" "${H[@]}" create --bundle "$WORK/b" c1
check "start through hardrun" "${H[@]}" start c1
check "its record is written" wait_record c1

# 1. docker exec --privileged: refused
process_file "$WORK/p-priv.json" CAP_SYS_ADMIN
cp "$WORK/p-priv.json" "$WORK/p-priv.orig"
err=$("${H[@]}" --log "$LOG" --log-format json exec --process "$WORK/p-priv.json" c1 2>&1); rc=$?
check_eq "exec asking for CAP_SYS_ADMIN: refused" "1" "$rc"
check "refused by the privileged control, through --log" \
    jqe -s 'length == 1 and (.[0].msg | test("privileged: .*CAP_SYS_ADMIN"))' "$LOG"
check "its process file is untouched" cmp -s "$WORK/p-priv.orig" "$WORK/p-priv.json"

# 2. the engine's ordinary exec: cut to the container's own settings
process_file "$WORK/p.json" ""
OUT=$("${H[@]}" exec --process "$WORK/p.json" c1 2>&1); rc=$?
check_eq "the engine's exec runs" "0" "$rc"
check_eq "the exec'd process has the container's capabilities, no more" "00000000000004fb" "$(field CapEff)"
check_eq "and its bounding set" "00000000000004fb" "$(field CapBnd)"
check_eq "NoNewPrivs 1 in the exec'd process" "1" "$(field NoNewPrivs)"
check_eq "seccomp applies to it" "2" "$(field Seccomp)"
check "the process file was rewritten: no CAP_NET_RAW, noNewPrivileges true" \
    jqe '(.capabilities.bounding | index("CAP_NET_RAW") | not) and .noNewPrivileges == true' "$WORK/p.json"

# 2b. the same process file through /dev/stdin, /dev/fd/N and a symlink:
# read once, and runc gets what hardrun judged (not the path again)
process_file "$WORK/p-in.json" ""
OUT=$("${H[@]}" exec -p /dev/stdin c1 < "$WORK/p-in.json" 2>&1); rc=$?
check_eq "exec -p /dev/stdin runs" "0" "$rc"
check_eq "  with the container's capabilities" "00000000000004fb" "$(field CapEff)"
check_eq "  and NoNewPrivs 1" "1" "$(field NoNewPrivs)"
OUT=$("${H[@]}" exec --preserve-fds 1 --process=/dev/fd/4 c1 3< /dev/null 4< "$WORK/p-in.json" 2>&1); rc=$?
check_eq "exec --process=/dev/fd/4 (with --preserve-fds 1) runs" "0" "$rc"
check_eq "  with the container's capabilities" "00000000000004fb" "$(field CapEff)"
OUT=$(cat "$WORK/p-in.json" | "${H[@]}" exec -p /dev/fd/0 c1 2>&1); rc=$?
check_eq "exec -p /dev/fd/0 from a pipe runs, cut" "0:00000000000004fb" "$rc:$(field CapEff)"
ln -s p-in.json "$WORK/p-link.json"
OUT=$("${H[@]}" exec -p "$WORK/p-link.json" c1 2>&1); rc=$?
check_eq "exec -p through a symlink runs, cut" "0:00000000000004fb" "$rc:$(field CapEff)"
check "  and the file behind the symlink is left as it was" \
    jqe '(.capabilities.bounding | index("CAP_NET_RAW")) and .noNewPrivileges == false' "$WORK/p-in.json"
process_file "$WORK/p-priv-in.json" CAP_SYS_ADMIN
err=$("${H[@]}" exec -p /dev/stdin c1 < "$WORK/p-priv-in.json" 2>&1); rc=$?
check_eq "exec -p /dev/stdin asking for CAP_SYS_ADMIN: refused" "1" "$rc"
check "  by the privileged control" grep -q "privileged: .*CAP_SYS_ADMIN" <<< "$err"

# 3. exec with the command on argv: runc takes the container's settings; flags that add are refused
OUT=$("${H[@]}" exec c1 sh -c 'grep -E "^(CapEff|NoNewPrivs):" /proc/self/status' 2>&1)
check_eq "argv exec: the container's capabilities" "00000000000004fb" "$(field CapEff)"
err=$("${H[@]}" exec --cap CAP_SYS_ADMIN c1 true 2>&1); rc=$?
check_eq "exec --cap CAP_SYS_ADMIN: refused" "1" "$rc"
check "and says why" grep -q "a capability the container does not have" <<< "$err"

# 4. checkpoint is refused by default, through --log
rm -f "$LOG"
err=$("${H[@]}" --log "$LOG" --log-format json checkpoint --image-path "$WORK/ckpt" c1 2>&1); rc=$?
check_eq "checkpoint: refused" "1" "$rc"
check "checkpoint: one error line in --log naming the command policy" \
    jqe -s 'length == 1 and (.[0].msg | test("commands: checkpoint: the profile does not allow checkpoint"))' "$LOG"

# 5. lifecycle lines
"${H[@]}" pause c1 && "${H[@]}" resume c1
check "kill through hardrun" "${H[@]}" kill c1 KILL
for _ in $(seq 50); do [ "$("$RUNC" --root "$STATE" state c1 | jq -r .status)" = stopped ] && break; sleep 0.1; done
check "delete through hardrun" "${H[@]}" delete c1
lines () { jq -s -c --arg c "$1" '[.[] | select(.id == "c1" and .command == $c)]' "$DECISIONS"; }
check "the start line is written once hardrun is runc" wait_line c1 start
check "so is the delete line" wait_line c1 delete
for c in kill pause resume; do wait_line c1 "$c"; done
check "start line with the workload recorded at create" jqe '.[0].workload.namespace == "shop"' <<< "$(lines start)"
check "exec lines carry argv and user" jqe 'any(.[]; .argv[0] == "sh" and .user.uid == 0)' <<< "$(lines exec)"
check "no environment value anywhere in the log" bash -c "! grep -q hunter2 '$DECISIONS'"
check "kill line carries the signal" jqe '.[0].signal == "KILL"' <<< "$(lines kill)"
check "pause and resume lines" jqe 'length == 1' <<< "$(lines pause)"
check "resume line" jqe 'length == 1' <<< "$(lines resume)"
check "delete line carries the lifetime" jqe '.[0].lifetime_seconds >= 0 and .[0].workload.namespace == "shop"' <<< "$(lines delete)"
check "the exec refusal is a line too" jqe 'any(.[]; .decision == "deny")' <<< "$(lines exec)"

# 5b. a profile that refuses kill: refused before runc sees it
make_bundle "$WORK/u" "sleep 60"
annotate "$WORK/u" tier unkillable
"${H[@]}" run -d --bundle "$WORK/u" u1 > /dev/null 2>&1
err=$("${H[@]}" kill u1 KILL 2>&1); rc=$?
check_eq "kill under a profile that denies it: refused" "1" "$rc"
check "and says why" grep -q "the profile does not allow kill" <<< "$err"
check_eq "the container still runs" "running" "$("$RUNC" --root "$STATE" state u1 | jq -r .status)"
"$RUNC" --root "$STATE" delete -f u1 > /dev/null 2>&1

# 6. the record outlives the container
out=$("$HARDRUN" inspect c1); rc=$?
check_eq "inspect a deleted container: exit 0" "0" "$rc"
check "inspect shows its deletion and profile" grep -q "deleted" <<< "$out"
json=$("$HARDRUN" inspect --json c1)
check "inspect --json: record, decision and the execs" \
    jqe '.[0].record.deleted > 0 and .[0].decision.decision == "modify" and (.[0].execs | length) >= 3' <<< "$json"
dir=$(jq -r '.[0].directory' <<< "$json")
check "the original and hardened configs are kept" \
    bash -c "jq -e '.process.noNewPrivileges == false' '$dir/config.original.json' > /dev/null && jq -e '.process.noNewPrivileges == true' '$dir/config.hardened.json' > /dev/null"
check "each exec's process file is kept" test -s "$dir/exec-1.process.json"

# 7. an immutable workload allows no exec
make_bundle "$WORK/imm" "sleep 60"
annotate "$WORK/imm" tier immutable
"${H[@]}" run -d --bundle "$WORK/imm" imm > /dev/null 2>&1
wait_record imm
rm -f "$LOG"
err=$("${H[@]}" --log "$LOG" --log-format json exec imm true 2>&1); rc=$?
check_eq "exec into an immutable workload: refused" "1" "$rc"
check "through --log, naming the profile's key" jqe -s '.[0].msg | test("profiles.immutable.commands.exec")' "$LOG"

# 8. update may not lift a limit the profile requires
make_bundle "$WORK/lim" "sleep 60"
annotate "$WORK/lim" tier limited
"${H[@]}" run -d --bundle "$WORK/lim" lim > /dev/null 2>&1
wait_record lim
check "the profile set the pids limit" jqe '.linux.resources.pids.limit == 100' "$WORK/lim/config.json"
rm -f "$LOG"
err=$("${H[@]}" --log "$LOG" --log-format json update --pids-limit 0 lim 2>&1); rc=$?
check_eq "update --pids-limit 0: refused" "1" "$rc"
check "through --log" jqe -s '.[0].msg | test("lifts the pids limit")' "$LOG"
check "update --pids-limit 50: allowed" "${H[@]}" update --pids-limit 50 lim
err=$(echo '{"pids": {"limit": 5000}}' | "${H[@]}" update --resources - lim 2>&1); rc=$?
check_eq "update --resources - lifting it: refused" "1" "$rc"
out=$(echo '{"pids": {"limit": 60}}' | "${H[@]}" update --resources - lim 2>&1); rc=$?
check_eq "update --resources - within it: runc gets the same bytes and applies them" "0" "$rc"
check "update lines name the resources" \
    jqe -s 'any(.[]; .command == "update" and .resources == ["pids-limit"])' "$DECISIONS"

# 9. history, filterable
out=$("$HARDRUN" history)
check "history lists launches" grep -q "c1" <<< "$out"
check_eq "history --namespace shop: only that namespace" "1" "$("$HARDRUN" history --json --namespace shop | wc -l)"

# 10. records are pruned at the bound (max_count 4): deleted ones first
for i in 1 2 3 4; do
    make_bundle "$WORK/t$i" true
    "${H[@]}" run --bundle "$WORK/t$i" "t$i" > /dev/null 2>&1
    wait_record "t$i"
    "${H[@]}" delete "t$i" > /dev/null 2>&1
    wait_line "t$i" delete   # the record is stamped deleted before the line
done
make_bundle "$WORK/t5" true
"${H[@]}" run --bundle "$WORK/t5" t5 > /dev/null 2>&1   # its record prunes the others
wait_record t5
sleep 0.2
n=$(find "$WORK/hardrun-state/records" -mindepth 2 -maxdepth 2 -type d | wc -l)
check_eq "records kept within max_count" "4" "$n"
check "the newest record is among them" wait_record t5
check "the live containers' records are kept" bash -c "'$HARDRUN' inspect imm > /dev/null && '$HARDRUN' inspect lim > /dev/null"

"${H[@]}" kill imm KILL > /dev/null 2>&1; "${H[@]}" kill lim KILL > /dev/null 2>&1
finish
