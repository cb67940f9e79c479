#!/bin/bash
# containerd's CRI plugin (Kubernetes' path) through hardrun, selected by the
# RuntimeClass handler "hardrun" from contrib/containerd/hardrun.toml, driven
# by a small gRPC client. This host has no CNI plugins, so pods use the host's
# network: the test's profiles audit the network namespace instead of
# refusing it, and say so; pid and ipc are still refused.
. "$(dirname "$0")/lib.sh"
setup_work
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v containerd > /dev/null || ! command -v node > /dev/null || ! command -v npm > /dev/null; then
    echo "containerd or node is not installed: skipped"
    cleanup_work
    finish
    exit
fi

write_config "$HARDRUN_CONFIG" '"profiles": {
    "default": { "host_namespaces": { "refuse": ["pid", "ipc"], "audit": ["network", "uts", "cgroup"] } } },
  "selection": [ { "name": "team-a", "match": { "namespace": "team-a" }, "profile": "restricted" } ]'
make_hardrun_wrapper "$WORK/hardrun"

# ---- the client ----
mkdir -p "$WORK/cri-client"
cp "$here/cri-client.js" "$WORK/cri-client/"
(cd "$WORK/cri-client" && npm init -y > /dev/null 2>&1 &&
    npm install --no-audit --no-fund --silent @grpc/grpc-js@1 @grpc/proto-loader@0.7 > /dev/null 2>&1)
check "the CRI client's gRPC libraries installed" test -d "$WORK/cri-client/node_modules/@grpc/grpc-js"
check "the CRI API descriptor is read from containerd" \
    python3 "$here/extract-cri-descriptor.py" "$(command -v containerd)" "$WORK/cri.desc"
cri () {  # cri METHOD JSON
    node "$WORK/cri-client/cri-client.js" "$WORK/cri.desc" "$WORK/containerd.sock" "$1" "$2"
}

# ---- a private containerd with CRI, the drop-in imported ----
mkdir -p "$WORK/conf.d" "$WORK/pods"
cat > "$WORK/containerd.toml" <<TOML
version = 2
imports = ["$WORK/conf.d/*.toml"]
root = "$WORK/containerd/root"
state = "$WORK/containerd/state"
[grpc]
  address = "$WORK/containerd.sock"
[ttrpc]
  address = "$WORK/containerd.sock.ttrpc"
[debug]
  address = "$WORK/containerd-debug.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/library/hardrun-pause:1"
  # this host's root cannot lower oom_score_adj (see the runtime contract)
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".cni]
    conf_dir = "$WORK/cni"
TOML
# the drop-in, made from this node's own configuration (contrib/containerd)
containerd --config "$WORK/containerd.toml" config dump \
    | sh "$here/../../contrib/containerd/make-dropin.sh" "$WORK/hardrun" > "$WORK/conf.d/hardrun.toml"
check "the drop-in keeps this node's CRI settings" grep -q 'sandbox_image = "docker.io/library/hardrun-pause:1"' "$WORK/conf.d/hardrun.toml"
containerd --config "$WORK/containerd.toml" > "$WORK/containerd.log" 2>&1 &
CONTAINERD=$!
CTR=(ctr -a "$WORK/containerd.sock" -n k8s.io)
PODS=()
stop_all () {
    local p
    for p in "${PODS[@]}"; do
        cri StopPodSandbox "{\"pod_sandbox_id\": \"$p\"}" > /dev/null 2>&1
        cri RemovePodSandbox "{\"pod_sandbox_id\": \"$p\"}" > /dev/null 2>&1
    done
    stop_by_pid "$CONTAINERD"
    # the pod directory this test made in kubelet's layout, and kubelet's
    # directories only if this test made them
    [ -z "${KUBE_POD:-}" ] || rm -rf "$KUBE_POD"
    [ -z "${KUBE_MADE:-}" ] || rmdir /var/lib/kubelet/pods /var/lib/kubelet 2> /dev/null
    cleanup_work
}
trap stop_all EXIT
for _ in $(seq 100); do cri Version '{}' > /dev/null 2>&1 && break; sleep 0.1; done
check "CRI answers" quiet cri Version '{}'
cri Version '{}' > /dev/null 2>&1 || tail -n 20 "$WORK/containerd.log"

make_oci_archive "$WORK/pause.tar" docker.io/library/hardrun-pause:1 '["sleep","2147483647"]'
make_oci_archive "$WORK/app.tar" docker.io/library/hardrun-test:1 '["sleep","60"]'
check "import the sandbox image" quiet "${CTR[@]}" images import "$WORK/pause.tar"
check "import the app image" quiet "${CTR[@]}" images import "$WORK/app.tar"

# pod CONFIG-JSON: RunPodSandbox with the handler "hardrun"
pod () {
    cri RunPodSandbox "{\"runtime_handler\": \"hardrun\", \"config\": $1}"
}
pod_config () {  # pod_config NAME NAMESPACE PID-MODE: the pause container runs as 65535
    printf '{"metadata": {"name": "%s", "uid": "uid-%s", "namespace": "%s", "attempt": 0},
      "log_directory": "%s/pods/%s",
      "linux": {"security_context": {"run_as_user": {"value": "65535"},
        "namespace_options": {"network": "NODE", "pid": "%s", "ipc": "POD"}}}}' \
      "$1" "$1" "$2" "$WORK" "$1" "$3"
}

# ---- a hostPID pod is refused at its sandbox ----
out=$(pod "$(pod_config hostpid team-b NODE)" 2>&1); rc=$?
check "a hostPID pod: refused (exit $rc)" test "$rc" -ne 0
check "a hostPID pod: CRI's error carries hardrun's reason" \
    grep -q "hardrun: refused by profile \"default\".*no pid namespace" <<< "$out"

# ---- a restricted pod starts, hardened ----
out=$(pod "$(pod_config web team-a CONTAINER)" 2>&1); rc=$?
check_eq "a restricted pod's sandbox starts" "0" "$rc"
[ "$rc" -eq 0 ] || echo "$out"
POD=$(jq -r .pod_sandbox_id <<< "$out" 2> /dev/null)
[ -n "$POD" ] && [ "$POD" != null ] && PODS+=("$POD")
container_config () {  # container_config NAME SECURITY-CONTEXT-JSON
    printf '{"metadata": {"name": "%s"}, "image": {"image": "docker.io/library/hardrun-test:1"},
      "command": ["sleep", "60"], "log_path": "%s.log",
      "linux": {"security_context": %s}}' "$1" "$1" "$2"
}
create () {  # create NAME SECURITY-CONTEXT-JSON
    cri CreateContainer "{\"pod_sandbox_id\": \"$POD\", \"config\": $(container_config "$1" "$2"), \"sandbox_config\": $(pod_config web team-a CONTAINER)}"
}
RESTRICTED='{"run_as_user": {"value": "1000"}, "capabilities": {"drop_capabilities": ["ALL"]}, "no_new_privs": true, "seccomp": {"profile_type": "RuntimeDefault"}}'
out=$(create app "$RESTRICTED" 2>&1)
APP=$(jq -r .container_id <<< "$out" 2> /dev/null)
check "create the app container" test -n "$APP" -a "$APP" != null
check "start it" quiet cri StartContainer "{\"container_id\": \"$APP\"}"
out=$(cri ExecSync "{\"container_id\": \"$APP\", \"cmd\": [\"sh\", \"-c\", \"grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status; id -u\"], \"timeout\": \"10\"}" 2>&1)
OUT=$(jq -r .stdout <<< "$out" 2> /dev/null | base64 -d 2> /dev/null)
check_eq "ExecSync: no capabilities (the container dropped ALL)" "0000000000000000" "$(field CapEff)"
check_eq "ExecSync: NoNewPrivs 1" "1" "$(field NoNewPrivs)"
check_eq "ExecSync: seccomp on" "2" "$(field Seccomp)"
check_eq "ExecSync: runs as the pod's user" "1000" "$(tail -n 1 <<< "$OUT")"

# ---- a pod volume where kubelet keeps it (its emptyDir layout) ----
[ -d /var/lib/kubelet ] || KUBE_MADE=1
KUBE_POD=/var/lib/kubelet/pods/hardrun-it-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
vol=$KUBE_POD/volumes/kubernetes.io~empty-dir/cache
mkdir -p "$vol"
echo from-kubelet > "$vol/seed"
chown 1000 "$vol"
out=$(cri CreateContainer "{\"pod_sandbox_id\": \"$POD\", \"config\": $(container_config vol "$RESTRICTED" | jq -c --arg v "$vol" '.mounts = [{container_path: "/cache", host_path: $v}]'), \"sandbox_config\": $(pod_config web team-a CONTAINER)}" 2>&1)
VOL=$(jq -r .container_id <<< "$out" 2> /dev/null)
check "a container with a pod volume in kubelet's layout: created" test -n "$VOL" -a "$VOL" != null
check "  and started" quiet cri StartContainer "{\"container_id\": \"$VOL\"}"
out=$(cri ExecSync "{\"container_id\": \"$VOL\", \"cmd\": [\"sh\", \"-c\", \"cat /cache/seed; echo written > /cache/out\"], \"timeout\": \"10\"}" 2>&1)
check_eq "  it reads the volume" "from-kubelet" "$(jq -r .stdout <<< "$out" 2> /dev/null | base64 -d 2> /dev/null)"
check "  and writes it" grep -qx written "$vol/out"

# ---- a privileged container is refused (CRI admits one only into a
# privileged pod, whose pause container is not itself privileged) ----
priv_config=$(pod_config privpod team-b CONTAINER | jq -c '.linux.security_context.privileged = true')
out=$(pod "$priv_config" 2>&1); rc=$?
check_eq "a privileged pod's sandbox starts" "0" "$rc"
PRIVPOD=$(jq -r .pod_sandbox_id <<< "$out" 2> /dev/null)
[ -n "$PRIVPOD" ] && [ "$PRIVPOD" != null ] && PODS+=("$PRIVPOD")
out=$(cri CreateContainer "{\"pod_sandbox_id\": \"$PRIVPOD\", \"config\": $(container_config priv '{"privileged": true}'), \"sandbox_config\": $priv_config}" 2>&1)
PRIV=$(jq -r .container_id <<< "$out" 2> /dev/null)
check "create the privileged container" test -n "$PRIV" -a "$PRIV" != null
out=$(cri StartContainer "{\"container_id\": \"$PRIV\"}" 2>&1); rc=$?
check "a privileged container: refused (exit $rc)" test "$rc" -ne 0
check "a privileged container: CRI's error carries hardrun's reason" \
    grep -q "hardrun: refused by profile \"default\".*privileged: .*CAP_SYS_ADMIN" <<< "$out"

# ---- the decision lines name the workload ----
check "the sandbox's line names the namespace and pod" \
    jqe -s 'any(.[]; .workload.namespace == "team-a" and .workload.pod == "web" and .workload.container_type == "sandbox" and .decision == "modify")' "$DECISIONS"
check "the app's line names container and image, under the restricted profile" \
    jqe -s 'any(.[]; .workload.container == "app" and .workload.image == "docker.io/library/hardrun-test:1" and .profile == "restricted" and .profile_rule == "team-a")' "$DECISIONS"
check "ExecSync left an exec line" jqe -s 'any(.[]; .command == "exec" and .workload.container == "app")' "$DECISIONS"
check "hardrun printed nothing into the container's log" bash -c "! grep -q hardrun '$WORK/pods/web/app.log' 2> /dev/null"

finish
