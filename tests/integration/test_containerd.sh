#!/bin/bash
# Privileged set-ups written by containerd's ctr (kept as fixtures, judged by
# `hardrun check` anywhere), then a private containerd running containers
# through hardrun (ctr run --runc-binary): hardened, or refused with
# hardrun's reason in ctr's error.
. "$(dirname "$0")/lib.sh"
setup_work

F=$(cd "$(dirname "$0")/../unit/fixtures/ctr" && pwd)
expect_refused "$F" privileged privileged "CAP_SYS_ADMIN is a dangerous capability"
expect_refused "$F" privileged privileged "host device"
expect_refused "$F" docker-sock host_mounts "a container engine's socket (docker.sock)"
expect_refused "$F" net-host host_namespaces "no network namespace"
expect_refused "$F" net-host host_mounts "bind mount of /etc/hosts: a host system path"
expect_refused "$F" cap-sys-admin privileged "CAP_SYS_ADMIN"
expect_hardened "$F" plain

if ! command -v containerd > /dev/null || ! command -v ctr > /dev/null; then
    echo "containerd is not installed: the live part is skipped"
    cleanup_work
    finish
    exit
fi

# ---- a private containerd: own root, state and sockets, no CRI ----
cat > "$WORK/containerd.toml" <<TOML
version = 2
root = "$WORK/containerd/root"
state = "$WORK/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$WORK/containerd.sock"
[ttrpc]
  address = "$WORK/containerd.sock.ttrpc"
[debug]
  address = "$WORK/containerd-debug.sock"
TOML
containerd --config "$WORK/containerd.toml" > "$WORK/containerd.log" 2>&1 &
CONTAINERD=$!
CTR=(ctr -a "$WORK/containerd.sock" -n hardrun-test)
stop_containerd () {
    local c
    for c in $("${CTR[@]}" tasks ls -q 2> /dev/null); do "${CTR[@]}" tasks kill -s SIGKILL "$c" > /dev/null 2>&1; done
    sleep 0.2
    for c in $("${CTR[@]}" containers ls -q 2> /dev/null); do
        "${CTR[@]}" tasks delete -f "$c" > /dev/null 2>&1
        "${CTR[@]}" containers delete "$c" > /dev/null 2>&1
    done
    stop_by_pid "$CONTAINERD"
    cleanup_work
}
trap stop_containerd EXIT
for _ in $(seq 100); do "${CTR[@]}" version > /dev/null 2>&1 && break; sleep 0.1; done
check "a private containerd answers" quiet "${CTR[@]}" version

make_hardrun_wrapper "$WORK/hardrun"
IMAGE=docker.io/library/hardrun-test:1
make_oci_archive "$WORK/image.tar" "$IMAGE"
check "import a local busybox image" quiet "${CTR[@]}" images import "$WORK/image.tar"
RUN=("${CTR[@]}" run --rm --runc-binary "$WORK/hardrun")

mkdir -p "$WORK/data"
echo "payload" > "$WORK/data/file"
OUT=$("${RUN[@]}" --env GREETING=hello --mount "type=bind,src=$WORK/data,dst=/data,options=rbind:ro" \
      "$IMAGE" plain sh -c "$STATUS_SCRIPT"'; echo "greeting=$GREETING"; echo "data=$(cat /data/file)"' 2>&1)
check_eq "ctr run through hardrun: CapEff is the allowlist" "00000000000004fb" "$(field CapEff)"
check_eq "ctr run: NoNewPrivs 1" "1" "$(field NoNewPrivs)"
check_eq "ctr run: seccomp on" "2" "$(field Seccomp)"
check_eq "ctr run: read-only root" "ro" "$(field root)"
check_eq "ctr run: the environment is kept" "hello" "$(field greeting)"
check_eq "ctr run: the mount is kept" "payload" "$(field data)"

# Landlock by default: nothing copied to scratch runs, in the task or in
# what ctr task exec starts (the shim's runc exec --process)
LL_PROBES='cp /bin/busybox /tmp/busybox; if /tmp/busybox true 2> /dev/null; then echo exec-tmp=ok; else echo exec-tmp=denied; fi
echo "pid1=$(head -c 18 /proc/1/cmdline)"; echo ran=yes'
OUT=$("${RUN[@]}" "$IMAGE" ll-run sh -c "$LL_PROBES" 2>&1)
check_eq "ctr run: behind hardrun-init" "/dev/.hardrun-init" "$(field pid1)"
check_eq "ctr run: a binary copied to scratch cannot be executed" "denied" "$(field exec-tmp)"
check "ctr run -d: a task for exec" quiet "${CTR[@]}" run -d --runc-binary "$WORK/hardrun" "$IMAGE" ll-task sleep 60
OUT=$("${CTR[@]}" task exec --exec-id probe ll-task sh -c "$LL_PROBES" 2>&1)
check_eq "ctr task exec: runs" "yes" "$(field ran)"
check_eq "ctr task exec: gets the same limits" "denied" "$(field exec-tmp)"
"${CTR[@]}" task kill -s SIGKILL ll-task > /dev/null 2>&1
for _ in $(seq 50); do "${CTR[@]}" task delete ll-task > /dev/null 2>&1 && break; sleep 0.1; done
"${CTR[@]}" containers delete ll-task > /dev/null 2>&1

refused_run () {
    local name=$1 text=$2 out rc
    shift 2
    out=$("${RUN[@]}" "$@" "$IMAGE" "refused-$((++REFUSED))" true 2>&1); rc=$?
    check "ctr $name: refused (exit $rc)" test "$rc" -ne 0
    check "ctr $name: ctr shows hardrun's reason" \
        grep -q "OCI runtime create failed: hardrun: refused by profile \"default\".*$text" <<< "$out"
}
REFUSED=0
touch "$WORK/docker.sock"
refused_run --privileged "privileged: .*CAP_SYS_ADMIN" --privileged
refused_run docker.sock "host_mounts: .*docker.sock" --mount "type=bind,src=$WORK/docker.sock,dst=/var/run/docker.sock,options=rbind"
refused_run --net-host "no network namespace" --net-host
refused_run "--cap-add CAP_SYS_ADMIN" "CAP_SYS_ADMIN" --cap-add CAP_SYS_ADMIN
check "the decisions are in the test's log" \
    jqe -s '([.[] | select(.decision == "deny")] | length == 4) and ([.[] | select(.decision == "modify" and .command != "exec")] | length == 3)' "$DECISIONS"

finish
