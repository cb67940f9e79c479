#!/bin/bash
# Privileged set-ups written by Docker (kept as fixtures, judged by
# `hardrun check` anywhere), then a private dockerd running containers
# through hardrun: hardened, or refused with hardrun's reason in Docker's
# error. --network host arrives as a path to the host's namespace.
. "$(dirname "$0")/lib.sh"
setup_work

F=$(cd "$(dirname "$0")/../unit/fixtures/docker" && pwd)
expect_refused "$F" privileged privileged "CAP_SYS_ADMIN is a dangerous capability"
expect_refused "$F" privileged privileged "host device"
expect_refused "$F" docker-sock host_mounts "a container engine's socket (docker.sock)"
expect_refused "$F" pid-host host_namespaces "no pid namespace"
expect_refused "$F" cap-sys-admin privileged "CAP_SYS_ADMIN"
expect_refused "$F" sysctl-ip-forward sysctls "net.ipv4.ip_forward is not in the safe set"
# the fixture's prestart hook is /proc/<pid>/exe of the dockerd that wrote
# it, and its root the overlay that dockerd mounted under a private data
# root: both gone here (the real dockerd below runs with its own), so the
# check sees Docker's default layout without the hook
expect_hardened "$F" plain 'del(.hooks) | .root.path |= sub("^/tmp/dk/data"; "/var/lib/docker")'
expect_refused "$F" plain hooks "does not resolve to a binary now"
# the host network arrives as dockerd's bind of the host's netns; judged live below
# dockerd's bind of the host's netns is gone once it stops: a path that
# cannot be identified now is refused (a path that does not exist yet could be
# the host's namespace when runc opens it); the live part below sees the
# host's own refused too
jq --arg p "$WORK/gone/netns/default" '(.linux.namespaces[] | select(.type == "network")).path = $p' \
    "$F/network-host.json" > "$WORK/network-host.json"
out=$("$HARDRUN" check "$WORK/network-host.json")
check "check network-host: a namespace path that is gone is refused" \
    grep -q "REFUSE  host_namespaces" <<< "$(grep -B1 "cannot identify the network namespace at $WORK/gone" <<< "$out")"

if ! command -v dockerd > /dev/null || [ ! -x /usr/bin/docker ]; then
    echo "dockerd is not installed: the live part is skipped"
    cleanup_work
    finish
    exit
fi

# ---- a private dockerd: own data-root, exec-root, unix socket, no iptables ----
make_hardrun_wrapper "$WORK/hardrun"
# contrib/docker/daemon.json, pointing at this test's hardrun, plus what this
# host needs (no bridge, no iptables)
jq --arg path "$WORK/hardrun" '(.runtimes.hardrun.path = $path)
    + { "bridge": "none", "iptables": false, "ip-forward": false, "ip-masq": false }' \
    "$(dirname "$0")/../../contrib/docker/daemon.json" > "$WORK/daemon.json"
dockerd --data-root "$WORK/docker" --exec-root "$WORK/exec" --host "unix://$WORK/docker.sock" \
    --pidfile "$WORK/docker.pid" --config-file "$WORK/daemon.json" > "$WORK/dockerd.log" 2>&1 &
DOCKERD=$!
DOCKER=(/usr/bin/docker -H "unix://$WORK/docker.sock")
stop_dockerd () {
    "${DOCKER[@]}" rm -f $("${DOCKER[@]}" ps -aq 2> /dev/null) > /dev/null 2>&1
    stop_by_pid "$DOCKERD"
    cleanup_work
}
trap stop_dockerd EXIT
for _ in $(seq 100); do "${DOCKER[@]}" info > /dev/null 2>&1 && break; sleep 0.2; done
check "a private dockerd answers" quiet "${DOCKER[@]}" info

make_rootfs_tar "$WORK/rootfs.tar"
check "import a local busybox image" quiet "${DOCKER[@]}" import "$WORK/rootfs.tar" hardrun-test:1
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
RUN=("${DOCKER[@]}" run --rm --runtime hardrun "${LIMITS[@]}")

mkdir -p "$WORK/data"
echo "payload" > "$WORK/data/file"
OUT=$("${RUN[@]}" --network none --user 1000:1000 -e GREETING=hello -v "$WORK/data:/data:ro" \
      hardrun-test:1 sh -c "$STATUS_SCRIPT"'; echo "user=$(id -u)"; echo "greeting=$GREETING"; echo "data=$(cat /data/file)"' 2>&1)
check_eq "docker run --runtime hardrun: NoNewPrivs 1" "1" "$(field NoNewPrivs)"
check_eq "docker run: seccomp on" "2" "$(field Seccomp)"
check_eq "docker run: read-only root" "ro" "$(field root)"
check_eq "docker run: the user is kept" "1000" "$(field user)"
check_eq "docker run: the environment is kept" "hello" "$(field greeting)"
check_eq "docker run: the volume is kept" "payload" "$(field data)"
OUT=$("${RUN[@]}" --network none hardrun-test:1 sh -c "$STATUS_SCRIPT" 2>&1)
check_eq "docker run as root: CapEff is the allowlist" "00000000000004fb" "$(field CapEff)"

# everyday workloads: a named volume written by one container and read by
# a second, --init (docker-init, a symlink to tini-static under /usr), the
# host's time zone read-only
OUT=$("${RUN[@]}" --network none -v hr-vol:/var/lib/app hardrun-test:1 sh -c 'echo kept > /var/lib/app/f && echo wrote=ok' 2>&1)
check_eq "docker: a container writes its named volume" "ok" "$(field wrote)"
OUT=$("${RUN[@]}" --network none -v hr-vol:/var/lib/app:ro hardrun-test:1 sh -c 'echo "read=$(cat /var/lib/app/f)"' 2>&1)
check_eq "docker: a second container reads it" "kept" "$(field read)"
OUT=$("${RUN[@]}" --network none --init hardrun-test:1 sh -c 'echo "init=$(cat /proc/1/cmdline | tr "\0" " ")"' 2>&1)
check "docker run --init: runs under docker-init" grep -q "^init=/sbin/docker-init" <<< "$OUT"
OUT=$("${RUN[@]}" --network none -v /etc/localtime:/etc/localtime:ro hardrun-test:1 sh -c 'echo "tz=$(head -c 4 /etc/localtime)"' 2>&1)
check_eq "docker: /etc/localtime read-only" "TZif" "$(field tz)"
out=$("${RUN[@]}" --network none -v /etc/localtime:/etc/localtime hardrun-test:1 true 2>&1); rc=$?
check "docker: /etc/localtime writable: refused (exit $rc)" test "$rc" -ne 0
check "  with the hint to bind it read-only" grep -q "allowed read-only only.*binding it read-only" <<< "$out"

# docker exec into a hardened container gets no more than the container has
check "docker run -d through hardrun" quiet "${DOCKER[@]}" run -d --name longrun --runtime hardrun "${LIMITS[@]}" \
    --network none hardrun-test:1 sleep 60
LONGRUN_ID=$("${DOCKER[@]}" inspect -f '{{.Id}}' longrun)
check "docker run -d: its record is written" wait_record "$LONGRUN_ID"
check "Docker's own prestart hook (dockerd's libnetwork-setkey) was in the config, and allowed" \
    jqe '.hooks.prestart[0].path | test("^/proc/[0-9]+/exe$")' "$(ls "$WORK"/hardrun-state/records/*/"$LONGRUN_ID"/config.original.json)"
OUT=$("${DOCKER[@]}" exec longrun sh -c 'grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status' 2>&1)
check_eq "docker exec: CapEff within the container's" "00000000000004fb" "$(field CapEff)"
check_eq "docker exec: CapBnd within the container's" "00000000000004fb" "$(field CapBnd)"
check_eq "docker exec: NoNewPrivs 1" "1" "$(field NoNewPrivs)"
check_eq "docker exec: seccomp on" "2" "$(field Seccomp)"
out=$("${DOCKER[@]}" exec --privileged longrun true 2>&1); rc=$?
check "docker exec --privileged: refused (exit $rc)" test "$rc" -ne 0
check "docker exec --privileged: Docker shows hardrun's reason" grep -q "hardrun: refused by profile \"default\".*privileged" <<< "$out"
check "the decision line names the Docker container" \
    jqe -s 'any(.[]; .command == "create" and .workload.name == "longrun" and .decision == "modify")' "$DECISIONS"
id=$("${DOCKER[@]}" inspect -f '{{.Id}}' longrun)
wait_record "$id"
check "the execs are in the container's record" \
    jqe '.[0].execs | length >= 2' <<< "$("$HARDRUN" inspect --json "$id")"
quiet "${DOCKER[@]}" rm -f longrun

# hardrun writes nothing into a container's output
"${DOCKER[@]}" run --name quiet --runtime hardrun "${LIMITS[@]}" --network none hardrun-test:1 \
    sh -c 'echo only-this' > /dev/null 2>&1
check_eq "docker logs holds the container's output and nothing of hardrun's" "only-this" \
    "$("${DOCKER[@]}" logs quiet 2>&1)"
quiet "${DOCKER[@]}" rm -f quiet

refused_run () {
    local name=$1 text=$2 out rc
    shift 2
    out=$("${RUN[@]}" "$@" hardrun-test:1 true 2>&1); rc=$?
    check "docker $name: refused (exit $rc)" test "$rc" -ne 0
    check "docker $name: Docker shows hardrun's reason" \
        grep -q "OCI runtime create failed: hardrun: refused by profile \"default\".*$text" <<< "$out"
}
touch "$WORK/docker.sock.file"
refused_run --privileged "privileged: .*CAP_SYS_ADMIN" --network none --privileged
refused_run docker.sock "host_mounts: .*docker.sock" --network none -v "$WORK/docker.sock.file:/var/run/docker.sock"
refused_run "--pid host" "no pid namespace" --network none --pid host
refused_run "--network host" "the network namespace .* is the host's" --network host
refused_run "--cap-add SYS_ADMIN" "CAP_SYS_ADMIN" --network none --cap-add SYS_ADMIN
refused_run "--sysctl net.ipv4.ip_forward=1" "net.ipv4.ip_forward" --network none --sysctl net.ipv4.ip_forward=1
check "the launch decisions are in the test's log" \
    jqe -s '([.[] | select(.command == "create" and .decision == "deny")] | length == 7) and ([.[] | select(.command == "create" and .decision == "modify")] | length == 8)' "$DECISIONS"

# ---- learned profiles through Docker: keyed by Docker's image ID ----
write_config "$HARDRUN_CONFIG" '"profiles": { "learner": { "learning": "record", "learning_promote_after": 0 } },
  "selection": [ { "match": { "name": "learn-*" }, "profile": "learner" } ]'
LRUN=("${DOCKER[@]}" run --runtime hardrun "${LIMITS[@]}" --network none)
OUT1=$("${LRUN[@]}" --name learn-1 hardrun-test:1 sh -c 'echo recorded; ls /bin > /dev/null' 2>&1)
check_eq "docker: a recorded container runs" "recorded" "$OUT1"
LEARNED=$("$HARDRUN" learned list --json | jq -r '.[] | select(.profile == "learner") | .name')
check "docker: its profile is keyed by Docker's image ID and named by the image" \
    jqe '.[] | select(.profile == "learner") | (.digest | test("^sha256:[0-9a-f]{64}$")) and .image == "hardrun-test:1"' \
    <("$HARDRUN" learned list --json)
check "docker run -d of a recorded container" quiet "${LRUN[@]}" -d --name learn-2 hardrun-test:1 sleep 30
OUT=$("${DOCKER[@]}" exec learn-2 sh -c 'sync; echo synced' 2>&1)
check_eq "docker exec into it" "synced" "$OUT"
quiet "${DOCKER[@]}" rm -f learn-2
for _ in $(seq 50); do "$HARDRUN" learned show --json "$LEARNED" | jqe '.syscalls | has("sync")' && break; sleep 0.1; done
check "docker exec is recorded into the container's profile" \
    jqe '.syscalls | has("sync")' <("$HARDRUN" learned show --json "$LEARNED")
check "promote it" "$HARDRUN" learned promote "$LEARNED"
check_eq "docker: the replay under the learned profile prints the same" "$OUT1" \
    "$("${LRUN[@]}" --name learn-3 hardrun-test:1 sh -c 'echo recorded; ls /bin > /dev/null' 2>&1)"
OUT=$("${LRUN[@]}" --name learn-4 hardrun-test:1 sh -c 'chmod 700 /tmp 2>&1; ls -ld /tmp' 2>&1)
check "docker: a syscall never recorded fails with ENOSYS" grep -q "chmod: /tmp: Function not implemented" <<< "$OUT"
check_eq "  its effect absent: /tmp keeps the image's mode" "drwxr-xr-x" "$(grep -o '^d[rwxtT-]*' <<< "$OUT" || echo "$OUT")"
check "  and the denial is logged" \
    jqe -s --arg n "$LEARNED" 'any(.[]; .command == "seccomp" and .syscall == "chmod" and .learned_profile == $n)' "$DECISIONS"
"$HARDRUN" learned export "$LEARNED" > "$WORK/learned-seccomp.json"
OUT=$("${DOCKER[@]}" run --rm --runtime runc "${LIMITS[@]}" --network none --security-opt no-new-privileges \
      --security-opt "seccomp=$WORK/learned-seccomp.json" hardrun-test:1 sh -c 'echo recorded; ls /bin > /dev/null; chmod 600 /tmp 2>&1' 2>&1)
check "docker --security-opt seccomp= takes the exported profile (plain runc)" grep -q "^recorded$" <<< "$OUT"
check "  and it denies what was never recorded" grep -q "Function not implemented" <<< "$OUT"
"${DOCKER[@]}" rm -f learn-1 learn-3 learn-4 > /dev/null 2>&1

# ---- Landlock through hardrun-init: docker run and docker exec ----
write_config "$HARDRUN_CONFIG" '"init": "'"$(dirname "$HARDRUN")/hardrun-init"'",
  "profiles": { "ll": { "controls": { "landlock": "enforce" }, "landlock": { "read": ["/bin", "/lib", "/usr", "/dev", "/proc", "/tmp"] } } },
  "selection": [ { "match": { "name": "ll-*" }, "profile": "ll" } ]'
if [ -x "$(dirname "$HARDRUN")/hardrun-init" ]; then
    OUT=$("${DOCKER[@]}" run --rm --name ll-1 --runtime hardrun "${LIMITS[@]}" --network none hardrun-test:1 \
          sh -c 'ls /etc > /dev/null 2>&1 && echo read=ok || echo read=denied; echo ran=yes' 2>&1)
    check_eq "docker run under Landlock: the workload runs" "yes" "$(field ran)"
    check_eq "  and cannot read outside its ruleset as root" "denied" "$(field read)"
    check "docker run -d under Landlock" quiet "${DOCKER[@]}" run -d --name ll-2 --runtime hardrun "${LIMITS[@]}" \
        --network none hardrun-test:1 sleep 30
    OUT=$("${DOCKER[@]}" exec ll-2 sh -c 'ls /etc > /dev/null 2>&1 && echo read=ok || echo read=denied' 2>&1)
    check_eq "docker exec gets the same limits" "denied" "$(field read)"
    "${DOCKER[@]}" rm -f ll-2 > /dev/null 2>&1
    OUT=$("${DOCKER[@]}" run --rm --init --name ll-3 --runtime hardrun "${LIMITS[@]}" --network none hardrun-test:1 \
          sh -c 'echo "init=$(tr "\0" " " < /proc/1/cmdline | cut -d" " -f1)"; ls /etc > /dev/null 2>&1 && echo read=ok || echo read=denied' 2>&1)
    check_eq "docker run --init: hardrun-init hands pid 1 to docker-init, which reaps" "/sbin/docker-init" "$(field init)"
    check_eq "  with the ruleset applied before" "denied" "$(field read)"
else
    not_ok "hardrun-init is not built beside $HARDRUN"
fi

finish
