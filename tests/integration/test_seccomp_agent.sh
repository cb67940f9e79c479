#!/bin/bash
# A config's own seccomp filter, weaker than hardrun's profile, is merged
# with it rather than replaced: with a real seccomp agent (seccomp-agent.c,
# built here) behind linux.seccomp.listenerPath. The config hands mkdir to
# the agent (SCMP_ACT_NOTIFY), gives symlink its own errno (ETXTBSY), kills
# chmod, and allows unshare and everything else. Plain runc runs the same
# bundle first, so each check could fail: through hardrun the agent still
# gets the notify fd and answers, the config's errno and kill stay, and
# unshare, which hardrun's profile denies, stays denied.
. "$(dirname "$0")/lib.sh"
setup_work
AGENT_PID=
trap '[ -n "$AGENT_PID" ] && stop_by_pid "$AGENT_PID"; cleanup_work' EXIT

check "the agent builds" gcc -O2 -Wall -Wextra -Werror -o "$WORK/seccomp-agent" \
    "$(dirname "$0")/seccomp-agent.c"
SOCK=$WORK/agent.sock
mkdir -p "$WORK/agent"
"$WORK/seccomp-agent" "$SOCK" "$WORK/agent" &
AGENT_PID=$!
for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
check "the agent listens" test -S "$SOCK"

# each probe prints NAME=RESULT
SCRIPT='if mkdir /tmp/made; then echo mkdir=ok; else echo mkdir=failed; fi
if [ -d /tmp/made ]; then echo made=exists; else echo made=absent; fi
if out=$(ln -s /x /tmp/link 2>&1); then echo symlink=ok; else echo "symlink=${out##*: }"; fi
touch /tmp/f; sh -c "chmod 600 /tmp/f"; echo chmod_rc=$?
if out=$(unshare -U true 2>&1); then echo unshare=ok; else echo "unshare=${out##*: }"; fi'
make_bundle "$WORK/bundle" "$SCRIPT"
for app in mkdir ln chmod; do ln -sf busybox "$WORK/bundle/rootfs/bin/$app"; done
jq --arg sock "$SOCK" '.linux.seccomp = {
    defaultAction: "SCMP_ACT_ALLOW",
    architectures: ["SCMP_ARCH_X86_64"],
    listenerPath: $sock,
    listenerMetadata: "hardrun-test",
    syscalls: [
      {names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"},
      {names: ["symlink", "symlinkat"], action: "SCMP_ACT_ERRNO", errnoRet: 26},
      {names: ["chmod", "fchmodat"], action: "SCMP_ACT_KILL_PROCESS"},
      {names: ["unshare"], action: "SCMP_ACT_ALLOW"}
    ]}' "$WORK/bundle/config.json" > "$WORK/c.json" && mv "$WORK/c.json" "$WORK/bundle/config.json"
cp -r "$WORK/bundle" "$WORK/plain"

# plain runc: the config's own filter alone
OUT=$("$RUNC" --root "$STATE" run --bundle "$WORK/plain" plain-$$ 2>&1)
check_eq "runc alone: the agent fakes mkdir's success (nothing is made)" "ok absent" \
    "$(field mkdir) $(field made)"
check_eq "runc alone: symlink fails with the config's ETXTBSY" "Text file busy" "$(field symlink)"
check_eq "runc alone: chmod is killed (SIGSYS)" "159" "$(field chmod_rc)"
check "runc alone: unshare is not denied by seccomp" \
    test "$(field unshare)" != "Function not implemented"
check "runc alone: the agent got runc's payload" \
    jqe --arg id "plain-$$" '.fds == ["seccompFd"] and .metadata == "hardrun-test"
        and .pid > 0 and .state.id == $id' "$WORK/agent/payload-1.json"

# through hardrun: merged with hardrun's profile
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/bundle" agent-$$ 2>&1)
rc=$?
check_eq "hardrun run exits 0" "0" "$rc"
check "hardrun: the agent got the notify fd and runc's payload" \
    jqe --arg id "agent-$$" '.fds == ["seccompFd"] and .metadata == "hardrun-test"
        and .state.id == $id' "$WORK/agent/payload-2.json"
check_eq "hardrun: the agent's answer reaches the container (mkdir succeeds, nothing is made)" \
    "ok absent" "$(field mkdir) $(field made)"
check "hardrun: the agent logged the faked mkdir" grep -q "^connection 2: faked mkdir" "$WORK/agent/agent.log"
check_eq "hardrun: symlink keeps the config's errno (ETXTBSY)" "Text file busy" "$(field symlink)"
check_eq "hardrun: chmod is still killed (SIGSYS)" "159" "$(field chmod_rc)"
check_eq "hardrun: unshare, which hardrun's profile denies, is denied (ENOSYS)" \
    "Function not implemented" "$(field unshare)"

# the rewritten filter and the decision line
cfg=$WORK/bundle/config.json
check_eq "merged: listenerPath kept" "\"$SOCK\"" "$(jq '.linux.seccomp.listenerPath' "$cfg")"
check_eq "merged: hardrun's default action" '"SCMP_ACT_ERRNO" 38' \
    "$(jq -r '.linux.seccomp | "\"\(.defaultAction)\" \(.defaultErrnoRet)"' "$cfg")"
check "merged: notify for mkdir and mkdirat only" jqe '[.linux.seccomp.syscalls[]
    | select(.action == "SCMP_ACT_NOTIFY") | .names[]] | sort == ["mkdir", "mkdirat"]' "$cfg"
check "merged: unshare has no rule, it falls to hardrun's default" jqe '.linux.seccomp
    | ([.syscalls[] | select(.names | index("unshare"))] | length == 0)
      and .defaultAction == "SCMP_ACT_ERRNO"' "$cfg"
line=$(jq -c --arg id "agent-$$" 'select(.id == $id and .command == "run")' "$DECISIONS" | tail -n 1)
check "the decision says it merged and kept the agent" jqe '[.items[] | select(.control == "seccomp"
    and .kind == "change" and (.message | test("merged the config.s filter with hardrun.s profile"))
    and (.message | test("notify agent for 2")))] | length == 1' <<< "$line"

finish
