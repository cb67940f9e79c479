#!/bin/bash
# Privileged set-ups written by a real engine: the configs podman writes for
# --privileged, -v .../docker.sock, --pid host, --network host,
# --cap-add SYS_ADMIN and --sysctl (kept as fixtures, so `hardrun check`
# judges them anywhere), then podman itself running containers through
# hardrun, on private storage.
. "$(dirname "$0")/lib.sh"
setup_work

F=$(cd "$(dirname "$0")/../unit/fixtures/podman" && pwd)
expect_refused "$F" privileged privileged "CAP_SYS_ADMIN is a dangerous capability"
expect_refused "$F" privileged privileged "host device"
expect_refused "$F" docker-sock host_mounts "a container engine's socket (docker.sock)"
expect_refused "$F" pid-host host_namespaces "no pid namespace"
expect_refused "$F" network-host host_namespaces "no network namespace"
expect_refused "$F" cap-sys-admin privileged "CAP_SYS_ADMIN"
expect_refused "$F" sysctl-ip-forward sysctls "net.ipv4.ip_forward is not in the safe set"
# the fixture's network namespace was podman's bind under /run/netns on the
# host that wrote it, gone here (a path that cannot be identified now is
# refused): the check sees a namespace of its own; podman below runs live
expect_hardened "$F" plain '(.linux.namespaces[] | select(.type == "network")) |= del(.path)'
expect_refused "$F" plain host_namespaces "cannot identify the network namespace"

if ! command -v podman > /dev/null; then
    echo "podman is not installed: the live part is skipped"
    cleanup_work
    finish
    exit
fi

# ---- podman itself, with hardrun as its runtime, on private storage ----
make_hardrun_wrapper "$WORK/hardrun"
# contrib/podman/containers.conf, pointing at this test's hardrun: with it
# podman passes --log, and calls the runtime by name
sed "s#/usr/local/bin/hardrun#$WORK/hardrun#" "$(dirname "$0")/../../contrib/podman/containers.conf" \
    > "$WORK/containers.conf"
export CONTAINERS_CONF=$WORK/containers.conf
PODMAN=(podman --root "$WORK/storage" --runroot "$WORK/runroot" --storage-driver vfs
        --cgroup-manager cgroupfs --events-backend none --runtime hardrun)
# this host's hard limits are below podman's defaults (see the runtime contract)
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
cleanup_podman () {
    "${PODMAN[@]}" rm -af > /dev/null 2>&1
    "${PODMAN[@]}" rmi -af > /dev/null 2>&1
    cleanup_work
}
trap cleanup_podman EXIT

make_rootfs_tar "$WORK/rootfs.tar"
check "import a local busybox image" quiet "${PODMAN[@]}" import -q "$WORK/rootfs.tar" localhost/hardrun-test:1

mkdir -p "$WORK/data"
echo "payload" > "$WORK/data/file"
OUT=$("${PODMAN[@]}" run --rm "${LIMITS[@]}" --user 1000:1000 -e GREETING=hello -v "$WORK/data:/data:ro" \
      localhost/hardrun-test:1 sh -c "$STATUS_SCRIPT"'; echo "user=$(id -u)"; echo "greeting=$GREETING"; echo "data=$(cat /data/file)"' 2>&1)
check_eq "podman run through hardrun: CapEff is cut" "0000000000000000" "$(field CapEff)"
check_eq "podman run: NoNewPrivs 1" "1" "$(field NoNewPrivs)"
check_eq "podman run: seccomp on" "2" "$(field Seccomp)"
check_eq "podman run: read-only root" "ro" "$(field root)"
check_eq "podman run: the user is kept" "1000" "$(field user)"
check_eq "podman run: the environment is kept" "hello" "$(field greeting)"
check_eq "podman run: the volume is kept" "payload" "$(field data)"

# everyday workloads: a podman volume written by one container and read by a
# second, --init (catatonit), the host's time zone read-only
OUT=$("${PODMAN[@]}" run --rm "${LIMITS[@]}" -v hr-vol:/var/lib/app localhost/hardrun-test:1 sh -c 'echo kept > /var/lib/app/f && echo wrote=ok' 2>&1)
check_eq "podman: a container writes its volume" "ok" "$(field wrote)"
OUT=$("${PODMAN[@]}" run --rm "${LIMITS[@]}" -v hr-vol:/var/lib/app:ro localhost/hardrun-test:1 sh -c 'echo "read=$(cat /var/lib/app/f)"' 2>&1)
check_eq "podman: a second container reads it" "kept" "$(field read)"
OUT=$("${PODMAN[@]}" run --rm "${LIMITS[@]}" --init --init-path /usr/bin/catatonit localhost/hardrun-test:1 sh -c 'echo "init=$(cat /proc/1/cmdline | tr "\0" " ")"' 2>&1)
check "podman run --init: runs under catatonit" grep -q "^init=/run/podman-init" <<< "$OUT"
OUT=$("${PODMAN[@]}" run --rm "${LIMITS[@]}" -v /etc/localtime:/etc/localtime:ro localhost/hardrun-test:1 sh -c 'echo "tz=$(head -c 4 /etc/localtime)"' 2>&1)
check_eq "podman: /etc/localtime read-only" "TZif" "$(field tz)"

# hardrun writes nothing into a container's output
"${PODMAN[@]}" run --name quiet "${LIMITS[@]}" localhost/hardrun-test:1 sh -c 'echo only-this' > /dev/null 2>&1
check_eq "podman logs holds the container's output and nothing of hardrun's" "only-this" \
    "$("${PODMAN[@]}" logs quiet 2>&1)"
quiet "${PODMAN[@]}" rm -f quiet
check "the decision line names the podman container" \
    jqe -s 'any(.[]; .command == "create" and .workload.name == "quiet" and .decision == "modify")' "$DECISIONS"

# refused_run NAME TEXT PODMAN-FLAGS...: podman shows hardrun's refusal
refused_run () {
    local name=$1 text=$2 out rc
    shift 2
    out=$("${PODMAN[@]}" run --rm "${LIMITS[@]}" "$@" localhost/hardrun-test:1 true 2>&1); rc=$?
    check "podman $name: refused (exit $rc)" test "$rc" -ne 0
    check "podman $name: the user sees hardrun's reason" grep -q "OCI runtime error: .*hardrun: refused by profile \"default\".*$text" <<< "$out"
    check "podman $name: hardrun named once" bash -c "! grep -q 'hardrun: hardrun:' <<< \"\$1\"" _ "$out"
}
touch "$WORK/docker.sock"
refused_run --privileged "privileged: .*CAP_SYS_ADMIN" --privileged
refused_run docker.sock "host_mounts: .*docker.sock" -v "$WORK/docker.sock:/var/run/docker.sock"
refused_run "--pid host" "no pid namespace" --pid host
refused_run "--network host" "no network namespace" --network host
refused_run "--cap-add SYS_ADMIN" "CAP_SYS_ADMIN" --cap-add SYS_ADMIN
refused_run "--sysctl net.ipv4.ip_forward=1" "net.ipv4.ip_forward" --sysctl net.ipv4.ip_forward=1
check "each refusal is in the test's decision log" \
    jqe -s '[.[] | select(.decision == "deny")] | length == 6' "$DECISIONS"
check "the hardened runs are in it too" \
    jqe -s '[.[] | select(.decision == "modify" and .command == "create")] | length == 6' "$DECISIONS"

finish
