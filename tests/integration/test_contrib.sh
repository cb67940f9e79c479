#!/bin/bash
# The snippets in contrib/ do what contrib/README.md says: the Kubernetes
# installer installs and uninstalls cleanly (against a scratch root), the
# containerd drop-in is read by containerd, the manifests are well formed.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT
C=$(cd "$(dirname "$0")/../../contrib" && pwd)

# ---- the DaemonSet's installer, on a scratch node root ----
ROOT=$WORK/node
PAYLOAD=$WORK/payload
mkdir -p "$ROOT/etc/containerd" "$PAYLOAD"
cp "$HARDRUN" "$PAYLOAD/hardrun"
cp "$(dirname "$HARDRUN")/hardrun-init" "$PAYLOAD/hardrun-init"
cp "$C/config.json" "$PAYLOAD/config.json"
cp "$C/containerd/hardrun.toml" "$C/containerd/make-dropin.sh" "$PAYLOAD/"
printf 'version = 2\n\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "pause:3.6"\n' > "$ROOT/etc/containerd/config.toml"
cp "$ROOT/etc/containerd/config.toml" "$WORK/config.toml.before"
export HOST_ROOT=$ROOT PAYLOAD RESTART_CONTAINERD="echo restart >> $WORK/restarts" CONTAINERD_DUMP=false

check "install.sh install" quiet sh "$C/kubernetes/install.sh" install
check "the binary is installed and runs" quiet "$ROOT/usr/local/bin/hardrun" check --help
check "hardrun-init beside it, where hardrun finds it" cmp -s "$PAYLOAD/hardrun-init" "$ROOT/usr/local/bin/hardrun-init"
check "the configuration is installed" cmp -s "$C/config.json" "$ROOT/etc/hardrun/config.json"
check "the stock containerd drop-in is installed where the node's config cannot be read" \
    cmp -s "$C/containerd/hardrun.toml" "$ROOT/etc/containerd/conf.d/hardrun.toml"
check_eq "config.toml imports conf.d, right after version" \
    'version = 2|imports = ["/etc/containerd/conf.d/*.toml"]  # added by hardrun' \
    "$(head -n 2 "$ROOT/etc/containerd/config.toml" | paste -sd'|')"
check_eq "containerd restarted once" "1" "$(wc -l < "$WORK/restarts")"
echo '{ "mode": "audit" }' > "$ROOT/etc/hardrun/config.json"
check "install again (upgrade)" quiet sh "$C/kubernetes/install.sh" install
check_eq "still one import line" "1" "$(grep -c 'conf.d' "$ROOT/etc/containerd/config.toml")"
check "an operator's configuration survives an upgrade" grep -q audit "$ROOT/etc/hardrun/config.json"
# with the node's configuration readable, the drop-in is made from it
printf '[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "mirror.example/pause:9"\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]\n  runtime_type = "io.containerd.runc.v2"\n[plugins."io.containerd.internal.v1.opt"]\n  path = "/opt"\n' > "$WORK/dump.toml"
CONTAINERD_DUMP="cat $WORK/dump.toml" quiet sh "$C/kubernetes/install.sh" install
check "the drop-in keeps the node's CRI settings" grep -q 'mirror.example/pause:9' "$ROOT/etc/containerd/conf.d/hardrun.toml"
check "and only the CRI section" bash -c "! grep -q 'internal.v1.opt' '$ROOT/etc/containerd/conf.d/hardrun.toml'"
check "and adds hardrun" grep -q 'BinaryName = "/usr/local/bin/hardrun"' "$ROOT/etc/containerd/conf.d/hardrun.toml"
check "install.sh uninstall" quiet sh "$C/kubernetes/install.sh" uninstall
check "the binaries and the drop-in are gone" bash -c "[ ! -e '$ROOT/usr/local/bin/hardrun' ] && [ ! -e '$ROOT/usr/local/bin/hardrun-init' ] && [ ! -e '$ROOT/etc/containerd/conf.d/hardrun.toml' ]"
check "config.toml is as it was" cmp -s "$WORK/config.toml.before" "$ROOT/etc/containerd/config.toml"
check_eq "containerd restarted on uninstall" "4" "$(wc -l < "$WORK/restarts")"
unset HOST_ROOT PAYLOAD RESTART_CONTAINERD CONTAINERD_DUMP

# ---- containerd reads the drop-in through the import ----
if command -v containerd > /dev/null; then
    mkdir -p "$WORK/ctd/conf.d"
    # the stock drop-in
    sed "s#/usr/local/bin/hardrun#$HARDRUN#" "$C/containerd/hardrun.toml" > "$WORK/ctd/conf.d/hardrun.toml"
    printf 'version = 2\nimports = ["%s/ctd/conf.d/*.toml"]\nroot = "%s/ctd/root"\nstate = "%s/ctd/state"\n' \
        "$WORK" "$WORK" "$WORK" > "$WORK/ctd/config.toml"
    dump=$(containerd --config "$WORK/ctd/config.toml" config dump 2>&1)
    check "containerd's merged config declares the runtime hardrun" \
        grep -q 'runtimes.hardrun\]' <<< "$dump"
    section=$(sed -n '/runtimes\.hardrun\]/,/^ *\[plugins\."io\.containerd\.grpc\.v1\.cri"\.containerd\.runtimes\.runc\]/p' <<< "$dump")
    check "with the runc v2 shim" grep -q 'runtime_type = "io.containerd.runc.v2"' <<< "$section"
    check "and hardrun as its binary" grep -q "BinaryName = \"$HARDRUN\"" <<< "$section"
fi

# ---- the learned profiles' ConfigMap, synced to the node's learned_dir ----
mkdir -p "$WORK/cm/..data" "$WORK/learned.d"
echo '{"a": 1}' > "$WORK/cm/..data/one.json"
ln -s ..data/one.json "$WORK/cm/one.json"
echo stale > "$WORK/learned.d/gone.json"
check "sync-learned.sh: a sync" sh "$C/kubernetes/sync-learned.sh" "$WORK/cm" "$WORK/learned.d"
check "  the ConfigMap's file is there, a file" bash -c "[ -f '$WORK/learned.d/one.json' ] && [ ! -L '$WORK/learned.d/one.json' ] && cmp -s '$WORK/cm/one.json' '$WORK/learned.d/one.json'"
check "  one gone from the ConfigMap is removed" test ! -e "$WORK/learned.d/gone.json"
echo '{"a": 2}' > "$WORK/cm/..data/one.json"
sh "$C/kubernetes/sync-learned.sh" "$WORK/cm" "$WORK/learned.d"
check "  a changed one is replaced" grep -q '"a": 2' "$WORK/learned.d/one.json"

# ---- the manifests ----
if python3 -c 'import yaml' 2> /dev/null; then
    check "the Kubernetes manifests are well formed" python3 - "$C/kubernetes" <<'PY'
import sys, yaml
d = sys.argv[1]
docs = [x for f in ("runtimeclass.yaml", "daemonset.yaml") for x in yaml.safe_load_all(open(f"{d}/{f}")) if x]
kinds = {x["kind"]: x for x in docs}
for x in docs:
    assert x["apiVersion"] and x["kind"] and x["metadata"]["name"], x
rc = kinds["RuntimeClass"]
assert rc["apiVersion"] == "node.k8s.io/v1" and rc["handler"] == "hardrun", rc
ds = kinds["DaemonSet"]
spec = ds["spec"]
assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()
c = spec["template"]["spec"]["containers"][0]
assert "install" in " ".join(c["args"]) and "uninstall" in " ".join(c["lifecycle"]["preStop"]["exec"]["command"])
assert c["securityContext"]["privileged"] is True
assert rc["scheduling"]["nodeSelector"]["hardrun.io/runtime"] == "ready"
assert "hardrun.io/runtime=ready" in " ".join(c["args"])
binding = kinds["ClusterRoleBinding"]
assert binding["subjects"][0]["name"] == spec["template"]["spec"]["serviceAccountName"]
sync = [x for x in spec["template"]["spec"]["containers"] if x["name"] == "learned-sync"][0]
vols = {v["name"]: v for v in spec["template"]["spec"]["volumes"]}
mounts = {m["name"]: m["mountPath"] for m in sync["volumeMounts"]}
assert vols["learned"]["configMap"]["name"] == kinds["ConfigMap"]["metadata"]["name"] == "hardrun-learned"
assert vols["host-learned"]["hostPath"]["path"] == "/etc/hardrun/learned.d"
assert sync["command"][1:3] == [mounts["learned"], mounts["host-learned"]]
PY
else
    not_ok "python3-yaml is not installed"
fi

finish
