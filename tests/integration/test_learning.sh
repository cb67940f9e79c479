#!/bin/bash
# Learned profiles with the real agent: a workload is recorded through
# seccomp user notification (its init and its execs), promoted, and replayed
# under exactly what it did; what it never did fails with ENOSYS and is
# logged, and its effect is absent. Replicas merge; a killed recorder fails
# the workload as documented; profiles move between nodes by export/import
# and the operator's directory.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT
OPERATOR=$WORK/operator
mkdir -p "$OPERATOR"
write_config "$HARDRUN_CONFIG" '"learned_dir": "'"$OPERATOR"'",
  "profiles": {
    "learn": { "learning": "record", "learning_promote_after": 0 },
    "auto": { "learning": "record", "learning_promote_after": 1 },
    "strict": { "learning": "enforce" },
    "soft": { "learning": "complain" },
    "pinned": { "image": { "require_digest": true } },
    "listed": { "image": { "allowed": ["registry.example/team/*"] } } },
  "selection": [
    { "match": { "annotations": { "tier": "learn" } }, "profile": "learn" },
    { "match": { "annotations": { "tier": "auto" } }, "profile": "auto" },
    { "match": { "annotations": { "tier": "strict" } }, "profile": "strict" },
    { "match": { "annotations": { "tier": "soft" } }, "profile": "soft" },
    { "match": { "annotations": { "tier": "pinned" } }, "profile": "pinned" },
    { "match": { "annotations": { "tier": "listed" } }, "profile": "listed" } ]'
H=("$HARDRUN" --root "$STATE")

# bundle DIR TIER IMAGE SCRIPT: a busybox bundle of workload IMAGE under TIER
bundle () {
    make_bundle "$1" "$4"
    for app in chmod mkdir sync uname; do ln -sf busybox "$1/rootfs/bin/$app"; done
    jq --arg tier "$2" --arg image "$3" '.annotations.tier = $tier
        | .annotations["org.opencontainers.image.ref.name"] = $image | .process.terminal = false' \
        "$1/config.json" > "$1/c.tmp" && mv "$1/c.tmp" "$1/config.json"
}
# learned_name IMAGE: the one learned profile recorded for IMAGE
learned_name () {
    "$HARDRUN" learned list --json | jq -r --arg i "$1" '[.[] | select(.image == $i)] | if length == 1 then .[0].name else "" end'
}
syscalls_of () { "$HARDRUN" learned show --json "$1" | jq -r '.syscalls | keys[]'; }
has_syscall () { "$HARDRUN" learned show --json "$1" | jqe --arg s "$2" '.syscalls | has($s)'; }
lacks_syscall () { "$HARDRUN" learned show --json "$1" | jqe --arg s "$2" '.syscalls | has($s) | not'; }
# agent_pid SOCKET: the process listening on the unix socket SOCKET
agent_pid () {
    local inode p
    inode=$(awk -v s="$1" '$8 == s { print $7 }' /proc/net/unix | head -n 1)
    [ -n "$inode" ] || return 1
    for p in /proc/[0-9]*; do
        ls -l "$p/fd" 2> /dev/null | grep -q "socket:\[$inode\]" && { basename "$p"; return 0; }
    done
    return 1
}
quiet_all () { "$@" > /dev/null 2>&1 < /dev/null; }
wait_gone () { for _ in $(seq 100); do kill -0 "$1" 2> /dev/null || return 0; sleep 0.1; done; return 1; }

JOB='echo start; mkdir -p /tmp/data; echo payload > /tmp/data/f; cat /tmp/data/f; ls /tmp/data; echo end'

# ---- record: two runs of a job, then its profile ----
bundle "$WORK/job" learn job "$JOB"
cp "$WORK/job/config.json" "$WORK/job.config"
OUT1=$("${H[@]}" run --bundle "$WORK/job" rec-1 2>&1); rc=$?
check_eq "a recorded job runs" "0" "$rc"
check_eq "it prints what it prints without hardrun" "start payload f end" "$(echo $OUT1)"
check "its filter notifies hardrun's agent" \
    jqe '.linux.seccomp.listenerPath | startswith("'"$WORK"'/hardrun-state/agents/")' "$WORK/job/config.json"
cp "$WORK/job.config" "$WORK/job/config.json"
"${H[@]}" run --bundle "$WORK/job" rec-2 > /dev/null 2>&1
NAME=$(learned_name job)
check "one learned profile for the image" test -n "$NAME"
check "list --json: name, state, syscalls" \
    jqe --arg n "$NAME" '.[] | select(.name == $n) | .state == "recording" and .syscalls > 10 and .runs == 2' \
    <("$HARDRUN" learned list --json)
check "what the job did is recorded: openat, mkdir, execve" \
    bash -c "[ \$(\"$HARDRUN\" learned show --json $NAME | jq '[.syscalls | has(\"openat\", \"mkdir\", \"execve\")] | all') = true ]"
check "counts and first/last seen" \
    jqe '.syscalls.execve.count >= 2 and (.syscalls.execve.first <= .syscalls.execve.last)' \
    <("$HARDRUN" learned show --json "$NAME")
check "the directory written and the binary exec'd are recorded" \
    jqe '(.written | has("/tmp/data") and has("/tmp/data/f")) and (.execs | has("/bin/sh"))' <("$HARDRUN" learned show --json "$NAME")
check "chmod was never made" lacks_syscall "$NAME" chmod
check "the recorder ended with the container (its socket is gone)" \
    bash -c "for _ in \$(seq 50); do [ -z \"\$(ls '$WORK/hardrun-state/agents')\" ] && exit 0; sleep 0.1; done; exit 1"
OUT=$("$HARDRUN" learned diff "$NAME")
check "diff: what the profile drops from hardrun's" grep -q '^- chmod$' <<< "$OUT"

# ---- an exec is recorded into the same profile ----
cp "$WORK/job.config" "$WORK/job/config.json"
jq '.process.args = ["sh", "-c", "sleep 30"]' "$WORK/job.config" > "$WORK/job/config.json"
check "a long-running replica starts" quiet_all "${H[@]}" run -d --bundle "$WORK/job" rec-exec
check "before the exec, sync was never made" lacks_syscall "$NAME" sync
OUT=$("${H[@]}" exec rec-exec sh -c 'sync; echo synced' 2>&1)
check_eq "an exec into it runs" "synced" "$OUT"
"${H[@]}" kill rec-exec KILL
for _ in $(seq 50); do has_syscall "$NAME" sync && break; sleep 0.1; done
check "the exec's sync is recorded into the same profile" has_syscall "$NAME" sync
"${H[@]}" delete --force rec-exec > /dev/null 2>&1

# ---- promote, replay: identical; what was never done fails with ENOSYS ----
check "promote" "$HARDRUN" learned promote "$NAME"
check "list shows it promoted" jqe --arg n "$NAME" '.[] | select(.name == $n) | .state == "promoted"' \
    <("$HARDRUN" learned list --json)
cp "$WORK/job.config" "$WORK/job/config.json"
OUT2=$("${H[@]}" run --bundle "$WORK/job" replay-1 2>&1); rc=$?
check_eq "the replay under the learned profile passes" "0" "$rc"
check_eq "its output is the recording's" "$OUT1" "$OUT2"
check "the replay's filter allows only what was learned" \
    jqe '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | index("chmod") == null and index("openat") != null' \
    "$WORK/job/config.json"
jq --arg s 'mkdir -p /tmp/data; echo x > /tmp/data/f; chmod 600 /tmp/data/f 2>&1; ls -l /tmp/data/f' \
    '.process.args = ["sh", "-c", $s]' "$WORK/job.config" > "$WORK/job/config.json"
OUT=$("${H[@]}" run --bundle "$WORK/job" replay-2 2>&1)
check "chmod, never recorded, fails with ENOSYS" grep -q "chmod: /tmp/data/f: Function not implemented" <<< "$OUT"
check "and its effect is absent: the file keeps its mode" grep -q "^-rw-r--r-- .* /tmp/data/f$" <<< "$OUT"
check "the denial is logged, naming syscall and profile" \
    jqe -s --arg n "$NAME" 'any(.[]; .command == "seccomp" and .container_id == "replay-2" and .syscall == "chmod"
        and .learned_profile == $n and .errno == "ENOSYS")' "$DECISIONS"

# ---- runc's message to the agent carries the annotations: a large one ----
bundle "$WORK/big" learn big-annotations "echo big-ok"
jq '.annotations["example.com/blob"] = ("x" * 1000000)' "$WORK/big/config.json" > "$WORK/big/c.tmp" && mv "$WORK/big/c.tmp" "$WORK/big/config.json"
check_eq "a container with 1 MB of annotations is recorded" "big-ok" "$("${H[@]}" run --bundle "$WORK/big" big-1 2>&1)"
check "its profile is there" test -n "$(learned_name big-annotations)"

# ---- a directory the workload writes becomes scratch under enforce ----
bundle "$WORK/up" learn uploader 'if { echo x > /srv/uploads/a; } 2> /dev/null; then echo wrote; else echo read-only; fi'
mkdir -p "$WORK/up/rootfs/srv/uploads"
cp "$WORK/up/config.json" "$WORK/up.config"
check_eq "recording: /srv/uploads is read-only (no default scratch there)" "read-only" \
    "$("${H[@]}" run --bundle "$WORK/up" up-1 2>&1)"
UP=$(learned_name uploader)
check "the attempt is recorded as written" jqe '.written | has("/srv/uploads/a")' <("$HARDRUN" learned show --json "$UP")
"$HARDRUN" learned promote "$UP"
cp "$WORK/up.config" "$WORK/up/config.json"
check_eq "enforcing: the learned directory is writable scratch" "wrote" "$("${H[@]}" run --bundle "$WORK/up" up-2 2>&1)"
check "as a tmpfs" jqe 'any(.mounts[]; .destination == "/srv/uploads" and .type == "tmpfs")' "$WORK/up/config.json"
check "nothing of it reached the image" test ! -e "$WORK/up/rootfs/srv/uploads/a"

# ---- a symlink in the image does not turn a learned directory into /etc ----
bundle "$WORK/link" learn linker 'if { echo x > /data/evil; } 2> /dev/null; then echo wrote; else echo read-only; fi; grep -c " /etc " /proc/self/mountinfo'
ln -s /etc "$WORK/link/rootfs/data"
cp "$WORK/link/config.json" "$WORK/link.config"
"${H[@]}" run --bundle "$WORK/link" link-1 > /dev/null 2>&1
LINK=$(learned_name linker)
check "the write through the link is recorded" jqe '.written | has("/data/evil")' <("$HARDRUN" learned show --json "$LINK")
"$HARDRUN" learned promote "$LINK"
cp "$WORK/link.config" "$WORK/link/config.json"
OUT=$("${H[@]}" run --bundle "$WORK/link" link-2 2>&1)
check_eq "enforcing: /data (a link to /etc) stays read-only, /etc gets no mount" "read-only 0" "$(echo $OUT)"
check "and the decision says why" jqe -s 'any(.[]; .id == "link-2" and any(.items[]; .message | test("passes a symlink in the image")))' "$DECISIONS"

# ---- a second create of a recorded container's id cannot take its agent ----
bundle "$WORK/dup" learn dup-job "sleep 30"
check "a recorded container runs" quiet_all "${H[@]}" run -d --bundle "$WORK/dup" dup
OUT=$("${H[@]}" create --bundle "$WORK/dup" dup 2>&1); rc=$?
check_eq "a second create of its id is refused" "1" "$rc"
check "  because its agent is serving" grep -q "a seccomp agent already serves a container dup" <<< "$OUT"
check_eq "the first container's exec still reaches its agent" "still" "$("${H[@]}" exec dup sh -c 'echo still' 2>&1)"
"${H[@]}" delete --force dup > /dev/null 2>&1

# ---- complain: the unrecorded syscall runs, the kernel logs it ----
bundle "$WORK/soft" soft soft-job "echo first"
cp "$WORK/soft/config.json" "$WORK/soft.config"
"${H[@]}" run --bundle "$WORK/soft" soft-0 > /dev/null 2>&1
check "complain with nothing learned yet records" \
    jqe '.linux.seccomp.listenerPath != null' "$WORK/soft/config.json"
jq --arg s 'touch /tmp/f; chmod 600 /tmp/f; echo chmod=$?' '.process.args = ["sh", "-c", $s]' \
    "$WORK/soft.config" > "$WORK/soft/config.json"
OUT=$("${H[@]}" run --bundle "$WORK/soft" soft-1 2>&1)
check "complain: what is not learned is logged (SCMP_ACT_LOG), not denied" \
    jqe '.linux.seccomp.listenerPath == null and ([.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_LOG") | .names[]] | index("chmod") != null)' \
    "$WORK/soft/config.json"
check_eq "complain: the workload still runs it" "chmod=0" "$OUT"

# ---- enforce with nothing promoted: refused, nothing started ----
bundle "$WORK/strict" strict unknown-image "echo ran"
OUT=$("${H[@]}" run --bundle "$WORK/strict" strict-1 2>&1); rc=$?
check "enforce without a promoted profile is refused" test "$rc" -ne 0
check "the refusal names the learned profile and the fix" grep -q "no promoted learned profile unknown-image-strict-.*(hardrun learned import)" <<< "$OUT"
check "nothing ran" bash -c "! grep -q '^ran$' <<< \"\$1\"" _ "$OUT"
check "no container was made" bash -c "[ -z \"\$(\"$RUNC\" --root '$STATE' list -q | grep strict-1)\" ]"

# ---- two replicas recorded in parallel merge into one profile ----
bundle "$WORK/ra" learn replica "sleep 1; sync; echo a"
bundle "$WORK/rb" learn replica "sleep 1; uname -n > /dev/null; echo b"
"${H[@]}" run --bundle "$WORK/ra" rep-a > "$WORK/ra.out" 2>&1 &
A=$!
"${H[@]}" run --bundle "$WORK/rb" rep-b > "$WORK/rb.out" 2>&1 &
B=$!
wait "$A" "$B"
check_eq "both replicas ran" "a b" "$(cat "$WORK/ra.out" "$WORK/rb.out" | xargs)"
REP=$(learned_name replica)
for _ in $(seq 50); do "$HARDRUN" learned show --json "$REP" 2> /dev/null | jqe '.runs == 2' && break; sleep 0.1; done
check "the replicas merge: two runs" jqe '.runs == 2' <("$HARDRUN" learned show --json "$REP")
check "each replica's own syscall is in the merged profile" \
    jqe '.syscalls | has("sync") and has("uname")' <("$HARDRUN" learned show --json "$REP")

# ---- promotion after N runs with nothing new ----
bundle "$WORK/auto" auto auto-job "echo auto"
for i in 1 2 3; do
    cp "$WORK/auto/config.json" "$WORK/auto.$i"
    "${H[@]}" run --bundle "$WORK/auto" "auto-$i" > /dev/null 2>&1
    cp "$WORK/auto.$i" "$WORK/auto/config.json"
done
AUTO=$(learned_name auto-job)
check "after a run with nothing new the profile promotes itself" \
    jqe '.state == "promoted" and .quiet_runs >= 1' <("$HARDRUN" learned show --json "$AUTO")
"${H[@]}" run --bundle "$WORK/auto" auto-4 > /dev/null 2>&1
check "the next launch enforces it: chmod, never made, is no longer allowed" \
    jqe '([.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_NOTIFY")] | length > 0)
        and ([.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | index("chmod") == null)' \
    "$WORK/auto/config.json"

# ---- a killed recorder: the workload's notified syscalls fail ----
bundle "$WORK/kill" learn victim 'i=0; while [ $i -lt 300 ]; do if ls / > /dev/null 2>&1; then echo ok; else echo failed; fi; i=$((i+1)); sleep 0.1 || break; done > /out/log'
mkdir -p "$WORK/kill-out"
jq --arg src "$WORK/kill-out" '.mounts += [{destination: "/out", type: "bind", source: $src, options: ["rbind", "rw"]}]' \
    "$WORK/kill/config.json" > "$WORK/kill/c.tmp" && mv "$WORK/kill/c.tmp" "$WORK/kill/config.json"
check "a recorded replica starts" quiet_all "${H[@]}" run -d --bundle "$WORK/kill" victim
SOCK=$(jq -r '.linux.seccomp.listenerPath' "$WORK/kill/config.json")
sleep 2.5
PID=$(agent_pid "$SOCK")
check "its recorder listens" test -n "$PID"
kill -9 "$PID" 2> /dev/null
wait_gone "$PID"
sleep 1
check "before the kill, the workload ran" grep -q '^ok$' "$WORK/kill-out/log"
check "after the kill, its notified syscalls fail (ENOSYS from the kernel)" grep -q '^failed$' "$WORK/kill-out/log"
check "what the recorder flushed before it died is kept" has_syscall "$(learned_name victim)" getdents64
OUT=$(timeout 20 "${H[@]}" exec victim true 2>&1); rc=$?
check_eq "an exec into it is refused (runc would wait on the dead agent)" "1" "$rc"
check "the refusal says why" grep -q "seccomp agent has died" <<< "$OUT"
"${H[@]}" delete --force victim > /dev/null 2>&1

# ---- export, import: the profile moves to another node ----
"$HARDRUN" learned export "$NAME" > "$WORK/exported.json"
check "export: an OCI seccomp profile" \
    jqe '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 38 and (.architectures | length > 0)
        and ([.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | index("openat") != null)' "$WORK/exported.json"
make_bundle "$WORK/plain" "$JOB"
for app in mkdir; do ln -sf busybox "$WORK/plain/rootfs/bin/$app"; done
jq --slurpfile p "$WORK/exported.json" '.linux.seccomp = ($p[0] | del(.hardrun)) | .process.noNewPrivileges = true | .process.terminal = false' \
    "$WORK/plain/config.json" > "$WORK/plain/c.tmp" && mv "$WORK/plain/c.tmp" "$WORK/plain/config.json"
OUT=$("$RUNC" --root "$STATE" run --bundle "$WORK/plain" plain-export 2>&1)
check_eq "runc alone runs the job under the exported profile" "$OUT1" "$OUT"
NODE2=$WORK/node2.json
sed "s|$WORK/hardrun-state|$WORK/node2-state|; s|\"learned_dir\": \"$OPERATOR\"|\"learned_dir\": \"$WORK/none\"|" "$HARDRUN_CONFIG" > "$NODE2"
check "import on another node" env HARDRUN_CONFIG="$NODE2" "$HARDRUN" learned import "$WORK/exported.json"
check "it is there, promoted, with the same syscalls" \
    bash -c "[ \"\$(HARDRUN_CONFIG='$NODE2' \"$HARDRUN\" learned show --json $NAME | jq -c '[.state, (.syscalls | keys)]')\" = \"\$(\"$HARDRUN\" learned show --json $NAME | jq -c '[.state, (.syscalls | keys)]')\" ]"
RUNS=$("$HARDRUN" learned show --json "$NAME" | jq .runs)
check "import --merge adds the other node's runs" env HARDRUN_CONFIG="$NODE2" "$HARDRUN" learned import --merge "$WORK/exported.json"
check_eq "merged runs" "$((RUNS * 2))" "$(HARDRUN_CONFIG=$NODE2 "$HARDRUN" learned show --json "$NAME" | jq .runs)"
jq '.hardrun.name = "../escape"' "$WORK/exported.json" > "$WORK/bad.json"
OUT=$("$HARDRUN" learned import "$WORK/bad.json" 2>&1); rc=$?
check_eq "a hostile import is refused" "1" "$rc"
check "the refusal names the bad key" grep -q '"name" must be' <<< "$OUT"
check "and writes nothing" test ! -e "$WORK/escape.json"

# ---- the operator's directory: every node enforces the same profile ----
cp "$WORK/exported.json" "$OPERATOR/$NAME.json"
rm -rf "$WORK/hardrun-state/learned"
check "list shows the operator's profile" jqe --arg n "$NAME" '.[] | select(.name == $n) | .origin == "operator"' \
    <("$HARDRUN" learned list --json)
cp "$WORK/job.config" "$WORK/job/config.json"
OUT=$("${H[@]}" run --bundle "$WORK/job" from-operator 2>&1)
check_eq "a node with an empty store enforces the operator's profile" "$OUT1" "$OUT"
check "promote refuses the operator's profile" bash -c "! \"$HARDRUN\" learned promote $NAME 2> /dev/null"

# ---- images: digest required, allowlist ----
bundle "$WORK/pin" pinned "docker.io/library/busybox:latest" "echo pinned-ran"
OUT=$("${H[@]}" run --bundle "$WORK/pin" pin-1 2>&1); rc=$?
check_eq "an unpinned image is refused where the profile requires a digest" "1" "$rc"
check "the refusal names the image" grep -q 'image docker.io/library/busybox:latest is not pinned by digest' <<< "$OUT"
check "and it did not run" bash -c "! grep -q pinned-ran <<< \"\$1\"" _ "$OUT"
jq '.annotations["org.opencontainers.image.ref.name"] = "docker.io/library/busybox@sha256:'"$(printf %064d 0 | tr 0 a)"'"' \
    "$WORK/pin/config.json" > "$WORK/pin/c.tmp" && mv "$WORK/pin/c.tmp" "$WORK/pin/config.json"
check_eq "a pinned image runs" "pinned-ran" "$("${H[@]}" run --bundle "$WORK/pin" pin-2 2>&1)"
bundle "$WORK/list" listed "docker.io/evil/miner:1" "echo listed-ran"
OUT=$("${H[@]}" run --bundle "$WORK/list" list-1 2>&1); rc=$?
check_eq "an image outside image.allowed is refused" "1" "$rc"
check "the refusal names the image" grep -q "image docker.io/evil/miner:1 is not in the profile's image.allowed" <<< "$OUT"
jq '.annotations["org.opencontainers.image.ref.name"] = "registry.example/team/app:2"' \
    "$WORK/list/config.json" > "$WORK/list/c.tmp" && mv "$WORK/list/c.tmp" "$WORK/list/config.json"
check_eq "an allowed image runs" "listed-ran" "$("${H[@]}" run --bundle "$WORK/list" list-2 2>&1)"

finish
